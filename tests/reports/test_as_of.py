"""The quarter pages open on (one rule: the latest quarter whose reporting is due, capped at the
plan's end), and a quarter's entry opening only once it is over — unless the city office opened it
early. A refused request leaves nothing behind, and the API's dry run answers as the real push."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from imports.models import ImportBatch
from imports.services import import_upload
from kernel.quarters import Quarter
from reports.models import CountyReturn, ReportingPeriod, TaskReport, TaskReportPart
from reports.services import period_is_open_for, period_open_early
from targets.models import IndicatorValue, Target
from tasks.selectors import plan_as_of
from tests.imports.test_kinds import filled_return_template
from tests.imports_helpers import upload
from tests.reports.test_forms import FIELDS, RETURN_URL, TASK_URL, grid
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
RUNNING = dt.date(2024, 9, 15)  # 2024Q3 is running; 2024Q2 is the last quarter due
OPENS = "2024年第三季度将于2024年10月1日开放填报"
PUSH = "/api/v1/returns/2024Q3/values/"


def period(label="2024Q3") -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=int(label[:4]), quarter=int(label[-1]))


def frozen(day: dt.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def nothing_written() -> bool:
    return not (CountyReturn.objects.exists() or TaskReport.objects.exists() or TaskReportPart.objects.exists()
                or IndicatorValue.objects.exists())


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2024, 9, 30), Quarter(2024, 2)),  # the last day of Q3: Q3 is running
    (dt.date(2024, 10, 1), Quarter(2024, 2)),  # Q3 over, not yet due
    (dt.date(2024, 10, 9), Quarter(2024, 2)),
    (dt.date(2024, 10, 10), Quarter(2024, 3)),  # due on the tenth day
    (dt.date(2025, 1, 9), Quarter(2024, 3)),  # across the year
    (dt.date(2025, 1, 10), Quarter(2024, 4)),
    (dt.date(2026, 1, 10), Quarter(2025, 4)),  # the plan's last quarter falls due
    (dt.date(2026, 11, 30), Quarter(2025, 4)),  # after the plan's end: capped at its last quarter
])
def test_the_plan_opens_on_its_last_due_quarter_capped_at_its_end(plan, today, expected):
    assert plan_as_of(plan, today) == expected


def test_a_plan_with_nothing_due_yet_opens_on_its_first_quarter():
    successor = SimpleNamespace(period_start=dt.date(2026, 1, 1), period_end=dt.date(2030, 12, 31),
                                first_quarter=Quarter(2026, 1))
    assert plan_as_of(successor, dt.date(2026, 3, 31)) == Quarter(2026, 1)
    assert plan_as_of(successor, dt.date(2026, 11, 30)) == Quarter(2026, 3)
    assert plan_as_of(None, dt.date(2026, 11, 30)) == Quarter(2026, 3)


# ---------------------------------------------------------------- every page opens on it


def _pages(plan):
    target = Target.objects.filter(plan=plan, category=Target.Category.MAIN, indicator__isnull=False).first()
    return [
        ("city_admin", "/reports/"), ("city_admin", "/reports/tasks/"), ("city_admin", "/reports/timeliness/"),
        ("city_admin", "/packs/"), ("leader", "/dashboards/"), ("leader", f"/dashboards/targets/{target.code}/"),
        ("leader", f"/dashboards/counties/{county('汉滨区').code}/"), ("leader", "/dashboards/tasks/"),
        ("leader", "/dashboards/rankings/"), ("county_a", "/reports/my/"),
    ]


def test_every_page_opens_on_the_last_due_quarter_and_says_so(plan, client_for):
    with frozen(dt.date(2024, 10, 5)):  # 2024Q3 is over but not due until 10-10: pages open on 2024Q2
        for persona, url in _pages(plan):
            response = client_for(persona).get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert "数据截至2024年第二季度" in html, url
            assert "数据截至2024年第三季度" not in html, url


def test_the_extension_form_and_the_pack_form_preselect_that_quarter(plan, client_for):
    with frozen(dt.date(2024, 10, 5)):
        assert 'value="2024Q2" selected' in client_for("county_a").get("/reports/extensions/").content.decode()
        assert 'value="2024Q2" selected' in client_for("city_admin").get("/packs/").content.decode()


def test_a_quarter_not_yet_due_is_shown_as_not_due_never_red(plan, client_for):
    with frozen(dt.date(2024, 10, 5)):
        html = client_for("city_admin").get("/reports/timeliness/?period=2024Q3").content.decode()
    assert "未到期" in html
    assert "status-red" not in html
    with frozen(dt.date(2024, 10, 11)):  # now it is due: what is missing is red
        html = client_for("city_admin").get("/reports/timeliness/?period=2024Q3").content.decode()
    assert "status-red" in html


# ---------------------------------------------------------------- no entry before the quarter ends


def test_a_running_quarter_is_not_open_and_a_future_period_says_when_it_opens(plan, personas, client_for):
    assert not period("2024Q3").is_open_on(RUNNING)
    assert period("2024Q3").is_open_on(dt.date(2024, 10, 1))
    with frozen(RUNNING):
        html = client_for("county_a").get(RETURN_URL).content.decode()
    assert OPENS in html
    assert "的填报已于" not in html  # not "closed"


def test_early_submission_through_the_form_is_refused_and_leaves_nothing(plan, personas, client_for):
    with frozen(RUNNING):
        response = client_for("county_a").post(RETURN_URL, grid(action="save", version=0))
        assert response.status_code == 400
        assert OPENS in response.content.decode()
        response = client_for("co_officer").post(TASK_URL, {**FIELDS, "action": "part_save", "version": 0})
        assert response.status_code == 400
        assert OPENS in response.content.decode()
        response = client_for("lead_officer").post(TASK_URL, {**FIELDS, "action": "report_save", "version": 0})
        assert response.status_code == 400
    assert nothing_written()


def test_early_submission_through_an_import_is_refused_and_leaves_nothing(plan, personas):
    with frozen(RUNNING):
        batch = import_upload(user=personas["county_a"], kind=ImportBatch.Kind.COUNTY_RETURN,
                              upload=upload(filled_return_template(county("汉滨区"), "2024Q3")),
                              region=county("汉滨区"), period=period())
    assert batch.state == ImportBatch.State.REFUSED
    assert any(OPENS in error["message"] for error in batch.errors), batch.errors
    assert nothing_written()


def _push(api_client, dry_run: bool):
    values = [{"indicator": "urban_new_jobs", "region": county("汉滨区").code, "component": "value", "value": "120"}]
    return api_client.post(PUSH, json.dumps({"values": values, "dry_run": dry_run}), content_type="application/json")


def test_early_push_through_the_api_is_refused_the_same_with_or_without_a_dry_run(plan, api_client):
    with frozen(RUNNING):
        dry, real = _push(api_client, True), _push(api_client, False)
    assert dry.status_code == real.status_code == 409
    assert dry.json() == real.json()
    assert OPENS in real.json()["detail"]
    assert nothing_written()
    with frozen(dt.date(2024, 10, 21)):  # closed after its window: the same again
        dry, real = _push(api_client, True), _push(api_client, False)
    assert dry.status_code == real.status_code == 409 and dry.json() == real.json()
    assert nothing_written()


def test_the_city_office_opens_a_quarter_early_recorded_and_audited(plan, personas, client_for, api_client):
    with pytest.raises(PermissionDenied):
        period_open_early(period=period(), reason="试点提前报送", user=personas["county_a"])
    with pytest.raises(ValidationError):
        period_open_early(period=period(), reason="  ", user=personas["city_admin"])
    opened = period_open_early(period=period(), reason="试点提前报送", user=personas["city_admin"])
    assert (opened.opened_early_by, opened.opened_early_reason) == (personas["city_admin"], "试点提前报送")
    assert opened.opened_early_at is not None
    assert any("试点提前报送" in json.dumps(event.changes, ensure_ascii=False) for event in AuditEvent.objects.all())
    assert period_is_open_for(period=opened, today=RUNNING, region=county("汉滨区"))
    with frozen(RUNNING):
        assert _push(api_client, True).status_code == 200
        response = client_for("county_a").post(RETURN_URL, grid(action="save", version=0))
    assert response.status_code == 302
    assert CountyReturn.objects.filter(region=county("汉滨区"), period=opened).exists()
