"""Shared test setup: the real plan and the real divisions loaded once per test database, and
the personas every endpoint is tested with (healthchecks' alice/bob/charlie, for this domain)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from accounts.services import role_grant
from communities.services import tiers_ensure
from divisions.models import Region
from divisions.services import divisions_load
from reports.services import periods_generate
from seeding.plan import plan_load
from tasks.models import Department, Plan
from tasks.services import government_units_ensure

PASSWORD = "correct-Horse-battery-9"


def reference_data_load(*, periods: bool = True) -> None:
    """The divisions, the 2022 plan, the government units, the tiers and (``periods``) the
    reporting periods 2021–2027 every test expects. Idempotent; transactional tests, whose tables
    are emptied afterwards, call it again."""
    divisions_load()
    plan_load()
    government_units_ensure()
    tiers_ensure()
    if periods:
        periods_generate(start=datetime.date(2021, 1, 1), end=datetime.date(2027, 12, 31))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once; every test runs in a transaction on top."""
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def plan(db) -> Plan:
    return Plan.objects.get(code="ankang-2022")


def _county(name: str) -> Region:
    return Region.objects.get(level=Region.Level.COUNTY, name=name)


def make_user(username: str, *, roles=(), department: str | None = None, county: str | None = None,
              town: tuple[str, str] | None = None) -> User:
    """A user with ``roles``, belonging to a department, a county or a town (``(county, town)`` by
    name: several counties have a 新城街道)."""
    region = (_county(county) if county else
              Region.objects.get(level=Region.Level.TOWN, county__name=town[0], name=town[1]) if town else None)
    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=username,
        department=Department.objects.get(name=department) if department else None, region=region,
    )
    for role in roles:
        role_grant(user=user, role=role, granted_by=None)
    return user


def make_city_stats_officer(username: str) -> User:
    """The city office's statistics staff (市统计员): the city's own return."""
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username,
                                    department=Department.objects.get(name="市人社局"),
                                    region=Region.objects.get(level=Region.Level.CITY))
    role_grant(user=user, role=Role.CITY_STATS_OFFICER, granted_by=None)
    return user


@pytest.fixture
def personas(db) -> dict[str, User]:
    """One person for every role: the city administrator (the office, 市就业办), a department
    officer of a task's lead unit and one of a co-responsible unit, two county officers (two
    counties, for cross-county checks), a town officer, a leader, the auditor and the security
    administrator (the other two of 三员分立), the city's statistics officer (the city's own return),
    and someone with no role. The API client persona is
    ``api_client`` below."""
    return {
        "city_admin": make_user("city_admin", roles=[Role.CITY_ADMIN], department="市人社局"),
        "lead_officer": make_user("lead_officer", roles=[Role.DEPT_OFFICER], department="市工信局"),
        "co_officer": make_user("co_officer", roles=[Role.DEPT_OFFICER], department="市商务局"),
        "county_a": make_user("county_a", roles=[Role.COUNTY_OFFICER], county="汉滨区"),
        "county_b": make_user("county_b", roles=[Role.COUNTY_OFFICER], county="石泉县"),
        "town_officer": make_user("town_officer", roles=[Role.TOWN_OFFICER], town=("汉滨区", "新城街道")),
        "city_stats": make_city_stats_officer("city_stats"),
        "leader": make_user("leader", roles=[Role.LEADER]),
        "auditor": make_user("auditor", roles=[Role.AUDITOR]),
        "security_admin": make_user("security_admin", roles=[Role.SECURITY_ADMIN]),
        "outsider": make_user("outsider"),
    }


@pytest.fixture
def api_client(personas):
    """The API client persona: a county system's read-write key for 汉滨区, and a test client that
    sends it (``api_client.get(...)``, ``api_client.key``, ``api_client.record``)."""
    import datetime as dt

    from django.utils import timezone

    from api.services import api_client_create

    record, key = api_client_create(name="汉滨区就业系统", region=_county("汉滨区"), access="read_write",
                                    expires_at=timezone.now() + dt.timedelta(days=365),
                                    created_by=personas["city_admin"])
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    client.key, client.record = key, record
    return client


@pytest.fixture
def client_for(personas):
    """``client_for("leader")`` → a logged-in test client for that persona."""

    def make(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            client.force_login(personas[name])
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counters and progress entries are keyed
    by ids, and SQLite hands a rolled-back test's ids to the next test (a client's requests in
    one test would count against another's limit)."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["fragments"].clear()  # the menu kept per process: a test may override the settings it reads
    yield


@pytest.fixture(autouse=True)
def _every_workbook_is_checked(monkeypatch):
    """Every workbook the platform makes in any test — exports, report packs, import templates —
    and every CSV export is checked for formula cells, error values and formula-like text not marked as text
    (kernel.exports.workbook_problems): they all serialise through kernel.exports.workbook_save,
    and a new writer that does not is caught by tests/kernel/test_workbook_safety.py."""
    from kernel import exports

    original = exports._serialise

    def checked(wb) -> bytes:
        data = original(wb)
        problems = exports.workbook_problems(data)
        assert not problems, f"a generated workbook holds live or formula-like cells: {problems}"
        return data

    monkeypatch.setattr(exports, "_serialise", checked)

    # and every CSV export, line by line: no field a spreadsheet would run (text beginning like a
    # formula is written with a leading apostrophe; numbers, negative ones too, are numbers)
    original_csv = exports.iter_csv

    def checked_csv(table):
        import csv
        from decimal import Decimal, InvalidOperation

        for line in original_csv(table):
            for field in next(csv.reader([line.decode("utf-8").lstrip("\ufeff")]), []):
                if field.startswith(exports.FORMULA_START):
                    try:
                        Decimal(field)
                    except InvalidOperation:
                        raise AssertionError(f"a CSV export holds a formula-like field: {field[:40]!r}") from None
            yield line

    monkeypatch.setattr(exports, "iter_csv", checked_csv)
    yield
