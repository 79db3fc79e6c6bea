"""A return's save counts the return with ``record_touch_audited``: the history row and the audit
event that simple-history's signal and the audit receiver would write, without reading the
previous history row back."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import record_touch_audited
from kernel.versioning import record_touch
from reports.models import CountyReturn, ReportingPeriod
from reports.services import county_return_open
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db


def _newest_event(ret: CountyReturn) -> AuditEvent:
    return AuditEvent.objects.filter(model="reports.countyreturn", object_pk=str(ret.pk)).latest("id")


def _touch_both_ways(personas) -> tuple[CountyReturn, list, list[AuditEvent]]:
    """The same return counted twice: by the signal path, then by ``record_touch_audited``."""
    officer, other = personas["county_a"], personas["city_admin"]
    ret = county_return_open(region=county("汉滨区"), period=ReportingPeriod.objects.get(year=2024, quarter=3),
                             user=officer)
    histories, events = [], []
    for touch, user in ((lambda r, u: record_touch(r, u, only=True), other), (record_touch_audited, officer)):
        ret = CountyReturn.objects.get(pk=ret.pk)
        ret._change_reason = "reason of the save"
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            touch(ret, user)
        histories.append((ret.history.latest("history_id"), queries))
        events.append(_newest_event(ret))
    return ret, histories, events


def test_the_same_history_row_and_event_as_the_signal_writes(personas):
    ret, histories, (by_signal, by_hand) = _touch_both_ways(personas)
    (signal_row, _), (hand_row, _) = histories
    assert [c["field"] for c in by_hand.changes] == [c["field"] for c in by_signal.changes] == [
        "updated_at", "updated_by", "version"]
    assert [c["label"] for c in by_hand.changes] == [c["label"] for c in by_signal.changes]
    # each event's old values are the record before it; the second's old are the first's new
    assert [c["old"] for c in by_hand.changes] == [c["new"] for c in by_signal.changes]
    assert {c["field"]: c["new"] for c in by_hand.changes} == {
        "version": ret.version, "updated_by": personas["county_a"].pk, "updated_at": str(ret.updated_at)}
    for field in ("action", "model", "model_verbose_name", "object_pk", "object_repr", "reason"):
        assert getattr(by_hand, field) == getattr(by_signal, field), field
    assert (by_hand.actor, by_hand.actor_username) == (personas["county_a"], "county_a")
    assert by_hand.reason == "reason of the save"
    for field in ("history_type", "history_change_reason", "region_id", "period_id", "state"):
        assert getattr(hand_row, field) == getattr(signal_row, field), field
    assert (hand_row.version, hand_row.updated_by_id, hand_row.updated_at) == (
        ret.version, personas["county_a"].pk, ret.updated_at)
    assert hand_row.history_user_id == personas["county_a"].pk
    assert hand_row.history_date == by_hand.occurred_at


def test_the_previous_history_row_is_not_read_back(personas):
    _, ((_, signal_queries), (_, hand_queries)), _ = _touch_both_ways(personas)
    history_table = CountyReturn.history.model._meta.db_table

    def reads_history(queries) -> bool:
        return any(q["sql"].startswith("SELECT") and f'FROM "{history_table}"' in q["sql"]
                   for q in queries.captured_queries)

    assert reads_history(signal_queries)  # what the signal path does (diff_against the row before)
    assert not reads_history(hand_queries)
    assert len(hand_queries) == len(signal_queries) - 1
