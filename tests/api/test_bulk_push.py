"""The fast bulk push (its benchmark): the hand-written validator answers exactly as the DRF
serializer, the PostgreSQL COPY path writes exactly the rows the generic path writes, and a push
takes the same number of queries for 10 values as for 200."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal as D
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.exceptions import ValidationError as DRFValidationError

from api.serializers import BulkValuesSerializer, bulk_values_validate
from api.services import api_client_create
from audit.models import AuditEvent
from kernel.quarters import Quarter
from targets.models import Indicator, IndicatorComponent, IndicatorValue
from targets.services import values_bulk_record
from tests.platform.test_services import need_service
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
HANBIN = "610902000000"
PUSH = "/api/v1/returns/2024Q3/values/"


def value(**fields):
    return {"indicator": "urban_new_jobs", "region": HANBIN, "component": "value", "value": "120", **fields}


def drf(data):
    payload = BulkValuesSerializer(data=data)
    if payload.is_valid():
        return "valid", json.loads(json.dumps(payload.validated_data, default=repr))
    return "invalid", payload.errors


def fast(data):
    try:
        return "valid", json.loads(json.dumps(bulk_values_validate(data), default=repr))
    except DRFValidationError as exc:
        return "invalid", exc.detail


@pytest.mark.parametrize("data", [
    {"values": [value()]},
    {"values": [value(value="120.5"), value(indicator="x", value=7), value(component="c", value="-3.25")]},
    {"values": [value(value=120)], "dry_run": True, "version": 3},
    {"values": [value(value=12.5)]},  # a JSON float: DRF's own field reads it
    {"values": [value(value=" 120 ")]},  # spaces: DRF's own field trims them
    {"values": [value(indicator=" urban_new_jobs ")]},
    {"values": [value(value="0120.0000")]},
    {"values": [value(value="99999999999999.9999")]},
    {"values": [value(value=10**14)]},
    {"values": [value(value="123456789012345")]},  # 15 digits before the point: too many
    {"values": [value(value="1.23456")]},  # five decimals
    {"values": [value(value="１２３")]},  # full-width digits
    {"values": [value(region="６１０９０２００００００")]},  # full-width region code
    {"values": [value(value=True)]},
    {"values": [value(value=None)]},
    {"values": [value(value="1e3")]},
    {"values": [value(value="NaN")]},
    {"values": [value(indicator="urban new jobs")]},
    {"values": [value(indicator="就业")]},
    {"values": [value(indicator="x" * 61)]},
    {"values": [value(region="6109")]},
    {"values": [{"indicator": "urban_new_jobs", "region": HANBIN, "component": "value"}]},
    {"values": [value(), value(extra="ignored")]},
    {"values": [value(), "not an object"]},
    {"values": [value(), value(value="bad"), value(region="1")]},
    {"values": [value()], "dry_run": "true", "version": "2"},
    {"values": [value()], "version": -1},
    {"values": [value()], "dry_run": "maybe"},
    {"values": []},
    {"values": "x"},
    {"values": {"a": 1}},
    {},
    [value()],
])
def test_the_fast_validator_answers_exactly_as_the_serializer(data):
    assert fast(data) == drf(data)


def test_the_fast_validator_reads_figures_as_decimals_with_four_places():
    values = bulk_values_validate({"values": [value(value="12.5"), value(value=7), value(value="0")]})["values"]
    assert [v["value"] for v in values] == [D("12.5000"), D("7.0000"), D("0.0000")]
    assert [v["value"].as_tuple().exponent for v in values] == [-4, -4, -4]  # what the serializer returns too


# ---- the COPY path writes what the generic path writes

def _indicators(n: int) -> list[Indicator]:
    indicators = Indicator.objects.bulk_create([
        Indicator(code=f"bulk_{i:04d}", name=f"批量指标{i}", unit="人", kind="flow", direction="at_least",
                  reported_by="county", order=5000 + i) for i in range(n)])
    IndicatorComponent.objects.bulk_create([
        IndicatorComponent(indicator=ind, code="value", name="数值", role="value", unit="人") for ind in indicators])
    return indicators


def _written(region, since_history: int, since_audit: int, ids: dict[int, str]):
    """History rows and audit events written after the given ids, with the row ids and times
    replaced by what they stand for (runs differ in ids and clocks, not in content)."""
    history = []
    for h in IndicatorValue.history.filter(region=region, history_id__gt=since_history).order_by("history_id"):
        history.append((ids[h.id], h.history_type, h.history_change_reason, h.history_user_id, h.value, h.status,
                        h.source, h.source_ref, h.version, h.year, h.quarter, h.submitted_by_id, h.approved_by_id,
                        h.history_date == h.history_date))
    events = []
    for e in AuditEvent.objects.filter(model="targets.indicatorvalue", id__gt=since_audit).order_by("id"):
        changes = [{**c, "new": ids[c["new"]] if c["field"] == "id" else c["new"]} for c in e.changes]
        events.append((ids[int(e.object_pk)], e.action, e.object_repr, changes, e.reason, e.actor_id,
                       e.actor_username, e.model_verbose_name))
    return history, events


def _run(region, user, figures, *, use_copy: bool, source_ref: str):
    last_history = IndicatorValue.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    last_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    counts = values_bulk_record(region=region, quarter=Quarter(2024, 3), figures=figures, user=user,
                                source_ref=source_ref, use_copy=use_copy)
    ids = {v.pk: f"{v.indicator.code}/{v.component.code}" for v in IndicatorValue.objects.filter(region=region)
           .select_related("indicator", "component")}
    return counts, _written(region, last_history, last_audit, ids)


def test_the_copy_path_writes_the_same_values_history_and_audit_as_the_generic_path(personas):
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    indicators = _indicators(30)
    region, user = county("汉滨区"), personas["county_a"]
    first = {i.code: {"value": str(100 + n)} for n, i in enumerate(indicators)}
    first[indicators[0].code], first[indicators[1].code] = {"value": "0"}, {"value": "-0"}  # equal, written apart
    second = {**first, **{i.code: {"value": f"{200 + n}"} for n, i in enumerate(indicators[:10])},
              "urban_new_jobs": {"value": "42"}}
    reason = "return:1\ttab\\back\nline"  # COPY's text format escapes these
    runs = {}
    for use_copy in (False, True):
        with transaction.atomic():
            runs[use_copy] = [_run(region, user, first, use_copy=use_copy, source_ref=reason),
                              _run(region, user, second, use_copy=use_copy, source_ref=reason)]
            runs[use_copy].append(sorted(IndicatorValue.objects.filter(region=region).values_list(
                "indicator__code", "component__code", "value", "status", "source", "source_ref", "version")))
            out = io.StringIO()  # the COPYed audit events are hash-chained like any others
            call_command("audit_verify", stdout=out)
            assert "intact" in out.getvalue(), out.getvalue()
            transaction.set_rollback(True)
    generic, copied = runs[False], runs[True]
    assert generic[0][0] == {"created": 30, "updated": 0, "unchanged": 0}
    assert generic[1][0] == {"created": 1, "updated": 10, "unchanged": 20}
    assert len(generic[0][1][0]) == 30 and len(generic[0][1][1]) == 30  # one history row, one event per value
    assert len(generic[1][1][0]) == 11 and len(generic[1][1][1]) == 11
    assert copied == generic
    assert generic[2][0][5] == reason  # the text went through COPY unchanged


# ---- a constant number of queries

def _push(client, n: int, offset: int = 0):
    body = {"values": [{"indicator": f"bulk_{i:04d}", "region": HANBIN, "component": "value",
                        "value": str(i + offset)} for i in range(n)]}
    return client.post(PUSH, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("offset", [0, 1], ids=["create", "update"])
def test_a_push_takes_the_same_number_of_queries_for_10_and_200_values(personas, offset):
    _indicators(200)
    counts = {}
    _, key = api_client_create(name="县系统", region=county("汉滨区"), access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=1), created_by=personas["city_admin"])
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        assert _push(client, 1, 1000).status_code == 200  # the return exists before both measured pushes
        for n in (10, 200):
            IndicatorValue.objects.filter(region__code=HANBIN, indicator__code__startswith="bulk_").delete()
            if offset:
                assert _push(client, n).status_code == 200
            with CaptureQueriesContext(connection) as queries:
                response = _push(client, n, offset)
            assert response.status_code == 200, response.content
            assert response.json()["created" if not offset else "updated"] == n
            # hex hashes (the audit chain head) and numbers differ between runs; the statements do not
            counts[n] = [re.sub(r"\d+", "0", re.sub(r"'[0-9a-f]{16,}'", "'hash'", q["sql"]).split(" (")[0][:60])
                         for q in queries]
    if connection.vendor == "postgresql":  # one COPY per table, whatever the number of rows
        assert counts[10] == counts[200], counts
    else:  # SQLite: bulk_create/bulk_update split their statements at 999 parameters; nothing per value
        def batched(q: str) -> bool:
            return q.startswith("INSERT") or q.startswith('UPDATE "targets_indicatorvalue"')

        assert len(counts[10]) <= len(counts[200]) <= len(counts[10]) + 3 * (200 // 40), counts
        assert [q for q in counts[200] if not batched(q)] == [q for q in counts[10] if not batched(q)]



# ---- a county quarter's push (the load test's county systems): a fixed, small number of queries

SAMPLE = Path(__file__).resolve().parents[2] / "imports" / "samples" / "county_return_2026Q4.csv"
# What one push of a county's quarter costs when every figure changes (issue 19: was 44), and what
# each query is for: the key (with its user, their roles and county), the period, the return,
# the rule catalogue, the return's figures now, the registry's counts (the preview: the rules run
# once); the save's savepoint, the return locked, the figures' savepoint (values_bulk_record: a
# caller may catch its refusal and go on), the figures locked, one UPDATE of the changed figures
# from arrays, one COPY of their history, the release; the return's version (UPDATE) and its history
# row (audit.services.record_touch_audited: the event's old values are the locked return's, the
# history row before is not read back); the chain head locked and moved, one
# COPY of every audit event; the save's release. Plus the request's own transaction (a savepoint
# and its release here, BEGIN and COMMIT under gunicorn).
QUARTER_PUSH_QUERIES = 21


def _quarter(bump: int) -> dict:
    with open(SAMPLE, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))[1:]
    return {"values": [{"indicator": r[0], "component": r[2], "region": HANBIN, "value": str(int(r[5]) + bump)}
                       for r in rows]}


def test_a_county_quarter_push_takes_a_fixed_small_number_of_queries_and_keeps_every_trail(
        personas, django_assert_num_queries):
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")  # COPY; SQLite batches
    _, key = api_client_create(name="县系统", region=county("汉滨区"), access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=1), created_by=personas["city_admin"])
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    n = len(_quarter(0)["values"])
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        first = client.post(PUSH, json.dumps(_quarter(0)), content_type="application/json")
        assert first.status_code == 200 and first.json()["created"] == n, first.content
        history, events = IndicatorValue.history.count(), AuditEvent.objects.count()
        with django_assert_num_queries(QUARTER_PUSH_QUERIES):
            response = client.post(PUSH, json.dumps(_quarter(1)), content_type="application/json")
    body = response.json()
    assert response.status_code == 200 and body["written"] and body["updated"] == n, body
    assert body["return_version"] == first.json()["return_version"] + 1
    # every changed figure has its history row and its audit event (old and new value), the return its event
    assert IndicatorValue.history.count() == history + n
    new = list(AuditEvent.objects.order_by("id")[events:])
    assert len(new) == n + 1
    assert {e.model for e in new} == {"targets.indicatorvalue", "reports.countyreturn"}
    value_events = [e for e in new if e.model == "targets.indicatorvalue"]
    assert all("value" in {c["field"] for c in e.changes} for e in value_events)
    changed = next(e for e in value_events if e.object_repr.startswith("urban_new_jobs "))
    assert next(c for c in changed.changes if c["field"] == "value")["old"] == "120.0000"
    assert next(c for c in changed.changes if c["field"] == "value")["new"] == "121.0000"
    for a, b in zip(new, new[1:], strict=False):
        assert b.prev_hash == a.row_hash
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue(), out.getvalue()


def test_a_stale_version_still_refuses_the_whole_push(personas):
    _, key = api_client_create(name="县系统", region=county("汉滨区"), access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=1), created_by=personas["city_admin"])
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        version = client.post(PUSH, json.dumps(_quarter(0)), content_type="application/json").json()["return_version"]
        assert client.post(PUSH, json.dumps(_quarter(1)), content_type="application/json").status_code == 200
        history, events = IndicatorValue.history.count(), AuditEvent.objects.count()
        stale = client.post(PUSH, json.dumps({**_quarter(2), "version": version}), content_type="application/json")
    assert stale.status_code == 409, stale.content
    assert (IndicatorValue.history.count(), AuditEvent.objects.count()) == (history, events)
    assert set(IndicatorValue.objects.filter(region__code=HANBIN, year=2024, quarter=3, indicator__code="urban_new_jobs")
               .values_list("value", flat=True)) == {D("121")}

# ---- a NUL character (PostgreSQL text cannot hold one) is a 400, not a server error

@pytest.mark.parametrize("url", ["/api/v1/targets/?plan=%00F", "/api/v1/certifications/?tier=a%00b",
                                 "/api/v1/regions/?%00=1", "/api/v1/regions/61%0009/"])
def test_a_nul_character_in_a_read_is_a_400_naming_it(personas, url):
    _, key = api_client_create(name="县系统", region=county("汉滨区"), access="read", created_by=personas["city_admin"],
                               expires_at=timezone.now() + dt.timedelta(days=1))
    response = Client(HTTP_AUTHORIZATION=f"Api-Key {key}").get(url)
    assert response.status_code == 400
    assert "空字符" in response.json()["detail"]
