"""Backup and restore of the PostgreSQL database with pg_dump / pg_restore (docs/operations.md).

A backup is pg_dump's custom format (compressed, restorable table by table) plus a manifest
beside it: the row count of every table and a checksum of the rows that must never silently
change — the county returns, the approvals (each value's status, figure, version, approver and
time) and the audit trail. ``restore`` loads a backup into an empty database and then checks
the restored rows against the manifest, so a restore that lost or altered anything says so.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import quote

import psycopg2
from django.conf import settings
from django.utils import timezone

# name → (table, columns in the checksum, order). Checksummed as text, row by row in key order.
CHECKSUMS = {
    "county_returns": ("reports_countyreturn", "*", "id"),
    "task_reports": ("reports_taskreport", "*", "id"),
    "approvals": ("targets_indicatorvalue",
                  "id, indicator_id, component_id, region_id, year, quarter, value, status, version, "
                  "approved_by_id, approved_at", "id"),
    "audit_trail": ("audit_auditevent", "*", "id"),
}


def connection_url(database: dict | None = None, *, name: str | None = None) -> str:
    """A libpq URL for the Django database settings (or another database on the same server)."""
    db = database or settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("backup and restore need PostgreSQL (DATABASE_URL)")
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgresql://{auth}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name or db['NAME']}"


def fingerprint(url: str) -> dict:
    """Row counts of every table and checksums of the rows that matter (see CHECKSUMS)."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [t for (t,) in cur.fetchall()]
        counts = {}
        for table in tables:
            cur.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cur.fetchone()[0]
        checksums = {}
        for name, (table, columns, order) in CHECKSUMS.items():
            if table not in counts:
                continue
            cur.execute(f"SELECT count(*), coalesce(md5(string_agg(md5(r::text), '' ORDER BY r.{order})), '') "
                        f"FROM (SELECT {columns} FROM {table}) r")
            rows, digest = cur.fetchone()
            checksums[name] = {"rows": rows, "md5": digest}
    conn.close()
    return {"tables": counts, "checksums": checksums}


def backup(path: Path) -> dict:
    """pg_dump the database to ``path`` (custom format) and write ``path.manifest.json``."""
    url = connection_url()
    path.parent.mkdir(parents=True, exist_ok=True)
    # One snapshot for the dump; the manifest is read just before it, so writes in between would
    # show as a mismatch on restore: run backups when nobody writes, or compare counts loosely.
    manifest = {"created_at": timezone.now().isoformat(), "database": settings.DATABASES["default"]["NAME"],
                **fingerprint(url)}
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), "--dbname", url],
                   check=True, env=_env())
    manifest["bytes"] = path.stat().st_size
    manifest_path(path).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def restore(path: Path, *, target: str, create: bool = False) -> tuple[dict, list[str]]:
    """pg_restore ``path`` into the empty database ``target`` on the same server; returns the
    restored database's fingerprint and the differences from the backup's manifest."""
    admin_url = connection_url(name="postgres")
    target_url = connection_url(name=target)
    if create:
        conn = psycopg2.connect(admin_url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{target}"')
        conn.close()
    with psycopg2.connect(target_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        if cur.fetchone()[0]:
            raise RuntimeError(f"database {target} is not empty: restore only into an empty database")
    conn.close()
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", target_url,
                    str(path)], check=True, env=_env())
    restored = fingerprint(target_url)
    differences = []
    mpath = manifest_path(path)
    if mpath.exists():
        expected = json.loads(mpath.read_text())
        for kind in ("tables", "checksums"):
            for name in sorted(set(expected[kind]) | set(restored[kind])):
                if expected[kind].get(name) != restored[kind].get(name):
                    differences.append(f"{kind}.{name}: backup {expected[kind].get(name)}, "
                                       f"restored {restored[kind].get(name)}")
    else:
        differences.append(f"no manifest {mpath.name}: nothing to compare with")
    return restored, differences


def _env() -> dict:
    return {**os.environ, "PGCONNECT_TIMEOUT": "10"}
