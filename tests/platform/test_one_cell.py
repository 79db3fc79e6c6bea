"""One cell written by 20 clients at once with the same version: exactly one write succeeds, the
other 19 get 409. Threads, each with its own connection, on PostgreSQL (SQLite
serialises whole transactions and would hide a lost update): skipped on the embedded default,
failing in CI."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from decimal import Decimal as D

from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from api.services import api_client_create
from divisions.models import Region
from reports.models import CountyReturn
from targets.models import IndicatorValue
from tests.conftest import make_user
from tests.platform.test_faults import _figures, loaded  # noqa: F401  (the fixture)
from tests.platform.test_services import need_service

WRITERS = 20
PUSH = "/api/v1/returns/2026Q3/values/"


def test_twenty_writers_of_one_cell_with_the_same_version_one_succeeds_the_rest_409(loaded):  # noqa: F811
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    admin = make_user("cell_admin", roles=[Role.CITY_ADMIN], department="市人社局")
    hanbin = Region.objects.get(level="county", name="汉滨区")
    _, key = api_client_create(name="县系统", region=hanbin, access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=1), created_by=admin)
    first = Client(HTTP_AUTHORIZATION=f"Api-Key {key}").post(PUSH, {"values": _figures()},
                                                             content_type="application/json")
    assert first.status_code == 200, first.content
    version = first.json()["return_version"]
    cell = _figures()[0]
    barrier, answers = threading.Barrier(WRITERS), []

    def write(i: int) -> None:
        try:
            client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
            barrier.wait(30)
            response = client.post(PUSH, {"values": [{**cell, "value": str(5000 + i)}], "version": version},
                                   content_type="application/json")
            answers.append((response.status_code, i))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert Counter(status for status, _ in answers) == {200: 1, 409: WRITERS - 1}, answers
    winner = next(i for status, i in answers if status == 200)
    value = IndicatorValue.objects.get(region=hanbin, year=2026, quarter=3, indicator__code=cell["indicator"],
                                       component__code=cell["component"])
    assert value.value == D(5000 + winner)  # the one that succeeded is the one that was written
    assert CountyReturn.objects.get(region=hanbin, period__year=2026, period__quarter=3).version == version + 1
