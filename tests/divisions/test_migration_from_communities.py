"""The division tree moved from ``communities`` to ``divisions`` keeping its tables: a database
migrated before the move, with data in it, migrates forward with nothing lost and every reference
(a user's county, a certification's village, a profile) still pointing at the same rows.

Runs against a scratch database of the same engine as the suite's (a temporary SQLite file, or a
scratch PostgreSQL database beside the test database in CI), migrated in a child process so the
suite's own database and app registry are untouched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Every app's last migration before the move (the schema the platform had in production).
BEFORE_THE_MOVE = [
    ("contenttypes", "0002_remove_content_type_name"), ("auth", "0012_alter_user_first_name_max_length"),
    ("accounts", "0004_security_admin_role"), ("api", "0001_api_clients_and_idempotency"),
    ("audit", "0002_hash_chain"), ("communities", "0003_certification_pipeline"),
    ("imports", "0002_batch_options_and_kinds"), ("outbox", "0001_outbox_message"),
    ("packs", "0001_report_pack"), ("reports", "0002_notification_kind_review"),
    ("targets", "0002_indicators_values_snapshots"), ("tasks", "0001_initial"),
]

SEED = """
from django.db import connection
from django.utils import timezone
now = timezone.now()
with connection.cursor() as c:
    def insert(table, **row):
        cols = ", ".join(row)
        marks = ", ".join(["%s"] * len(row))
        c.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
        c.execute(f"SELECT MAX(id) FROM {table}")
        return c.fetchone()[0]
    region = dict(vintage="2023", is_active=True)
    city = insert("communities_region", code="610900000000", name="安康市", short_name="安康市", level="city",
                  kind="prefecture_city", parent_id=None, county_id=None, **region)
    county = insert("communities_region", code="610902000000", name="汉滨区", short_name="汉滨区", level="county",
                    kind="district", parent_id=city, county_id=None, **region)
    c.execute("UPDATE communities_region SET county_id = %s WHERE id = %s", [county, county])
    town = insert("communities_region", code="610902001000", name="老城街道", short_name="老城街道", level="town",
                  kind="subdistrict", parent_id=county, county_id=county, **region)
    village = insert("communities_region", code="610902001001", name="西大街社区居委会", short_name="西大街社区",
                     level="village", kind="community", parent_id=town, county_id=county, **region)
    user = insert("accounts_user", password="!", is_superuser=False, username="county_officer", first_name="",
                  last_name="", email="", is_staff=False, is_active=True, date_joined=now, full_name="县级经办员",
                  is_demo=False, region_id=county, department_id=None)
    insert("communities_communityprofile", region_id=village, households=420, population=1300, is_relocation=True,
           version=3, updated_by_id=user, updated_at=now)
    tier = insert("communities_tier", code="municipal", name="市级充分就业村（社区）", name_en="", rank=1,
                  indicator_code="certified_municipal", communities_only=False)
    insert("communities_certification", community_id=village, tier_id=tier, certificate_number="安-001",
           certified_on=now.date(), issuer="安康市", valid_until=None, withdrawn_on=None, withdrawal_reason="",
           is_demo=False)
    c.execute("SELECT id FROM django_content_type WHERE app_label = 'communities' AND model = 'region'")
    print(json.dumps({"region_content_type": c.fetchone()[0], "village": village, "county": county, "user": user}))
"""

CHECK = """
from django.contrib.contenttypes.models import ContentType
from accounts.models import User
from communities.models import Certification
from divisions.models import CommunityProfile, Region
village = Region.objects.get(code="610902001001")
profile = CommunityProfile.objects.get(region=village)
print(json.dumps({
    "regions": Region.objects.count(),
    "village": village.pk, "village_county": village.county.name, "village_parent": village.parent.name,
    "profile": [profile.households, profile.population, profile.is_relocation, profile.version],
    "user_county": User.objects.get(username="county_officer").region_id,
    "certified": Certification.objects.get(certificate_number="安-001").community_id,
    "region_content_type": ContentType.objects.get_for_model(Region).pk,
    "old_content_type_left": ContentType.objects.filter(app_label="communities", model="region").exists(),
}))
"""


def _scratch_database() -> tuple[str, callable]:
    """A URL of an empty database of the suite's engine, and a function that removes it."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = ROOT / "var" / f"migrate-check-{os.getpid()}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    import psycopg2

    name = f"{db['NAME']}_migrate_check"[:63]
    params = dict(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
                  dbname="postgres")

    def run(sql: str) -> None:
        conn = psycopg2.connect(**params)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql)
        conn.close()

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    url = f"postgres://{auth}{params['host']}:{params['port']}/{name}"
    return url, lambda: run(f'DROP DATABASE IF EXISTS "{name}"')


def _manage(url: str, *args: str) -> str:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="ankang_jobs.settings.test")
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _shell(url: str, code: str) -> dict:
    out = _manage(url, "shell", "-c", "import json\n" + code)
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db
def test_a_database_from_before_the_move_migrates_with_its_data():
    url, remove = _scratch_database()
    try:
        for app, migration in BEFORE_THE_MOVE:
            _manage(url, "migrate", app, migration, "--no-input", "-v0")
        before = _shell(url, SEED)
        _manage(url, "migrate", "--no-input", "-v0")
        after = _shell(url, CHECK)
    finally:
        remove()
    assert after["regions"] == 4
    assert after["village"] == before["village"]
    assert (after["village_county"], after["village_parent"]) == ("汉滨区", "老城街道")
    assert after["profile"] == [420, 1300, True, 3]
    assert after["user_county"] == before["county"]
    assert after["certified"] == before["village"]
    # the content type row followed the model (permissions and generic references keep their ids)
    assert after["region_content_type"] == before["region_content_type"]
    assert after["old_content_type_left"] is False
