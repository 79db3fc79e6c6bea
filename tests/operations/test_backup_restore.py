"""Backup and restore: ``manage.py backup`` then ``manage.py restore`` into an
empty database; the returns, the approvals and the audit trail come back row for row. Needs
PostgreSQL (pg_dump): skipped on the embedded default, failing in CI."""

from __future__ import annotations

import io
import json

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.roles import Role
from audit.models import AuditEvent
from operations.backup import connection_url, fingerprint, manifest_path
from reports.models import CountyReturn, ReportingPeriod
from reports.services import county_return_open
from targets.models import IndicatorValue
from tests.conftest import make_user
from tests.platform.test_faults import loaded  # noqa: F401  (the fixture)
from tests.platform.test_services import need_service
from tests.targets.test_rollup_worker import _approve


def _drop(name: str) -> None:
    conn = psycopg2.connect(connection_url(name="postgres"))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def test_backup_then_restore_into_an_empty_database_gives_back_returns_approvals_and_audit(loaded, tmp_path):  # noqa: F811
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    county = make_user("backup_county", roles=[Role.COUNTY_OFFICER], county="汉滨区")
    county_return_open(region=county.region, period=ReportingPeriod.objects.get(year=2026, quarter=3), user=county)
    for quarter, value in (("2023Q1", "1201"), ("2023Q2", "800")):
        _approve("urban_new_jobs", "汉滨区", quarter, value=value)
    assert CountyReturn.objects.exists() and AuditEvent.objects.exists()
    assert IndicatorValue.objects.filter(status="approved").count() == 2
    target = f"{connection.settings_dict['NAME']}_restore"
    _drop(target)
    dump = tmp_path / "ankang.dump"
    try:
        out = io.StringIO()
        call_command("backup", output=str(dump), stdout=out)
        assert dump.stat().st_size > 0 and "audit_trail" in out.getvalue()
        manifest = json.loads(manifest_path(dump).read_text())
        source = fingerprint(connection_url())
        assert manifest["tables"] == source["tables"] and manifest["checksums"] == source["checksums"]
        assert manifest["checksums"]["approvals"]["rows"] == IndicatorValue.objects.count()
        assert manifest["checksums"]["audit_trail"]["rows"] == AuditEvent.objects.count()
        assert manifest["checksums"]["county_returns"]["rows"] == CountyReturn.objects.count()

        out = io.StringIO()
        call_command("restore", str(dump), database=target, create=True, stdout=out)
        assert "counts and checksums match" in out.getvalue()
        restored = fingerprint(connection_url(name=target))
        assert restored == source

        # the checksums see one changed approval: the restore check would have said so
        with psycopg2.connect(connection_url(name=target)) as conn, conn.cursor() as cur:
            cur.execute("UPDATE targets_indicatorvalue SET approved_at = approved_at + interval '1 second' "
                        "WHERE id = (SELECT min(id) FROM targets_indicatorvalue WHERE status = 'approved')")
        conn.close()
        changed = fingerprint(connection_url(name=target))
        assert changed["checksums"]["approvals"] != source["checksums"]["approvals"]
        assert changed["checksums"]["audit_trail"] == source["checksums"]["audit_trail"]

        with pytest.raises(CommandError, match="not empty"):  # never over a database with tables
            call_command("restore", str(dump), database=target)
        with pytest.raises(CommandError, match="in use"):
            call_command("restore", str(dump), database=connection.settings_dict["NAME"])
    finally:
        _drop(target)


def test_backup_needs_postgresql(db, tmp_path):
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        connection_url({"ENGINE": "django.db.backends.sqlite3", "NAME": "var/db.sqlite3"})
    if connection.vendor == "sqlite":  # the embedded default: the command says so, writes nothing
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("backup", output=str(tmp_path / "x.dump"))
        assert not (tmp_path / "x.dump").exists()
