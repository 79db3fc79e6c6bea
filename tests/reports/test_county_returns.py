"""County returns: the whole quarter's work for a county, and the city's review."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TestCase

from kernel.versioning import Conflict
from reports.models import CountyReturn, ReportingPeriod
from reports.services import (
    county_return_approve,
    county_return_open,
    county_return_save,
    county_return_send_back,
    county_return_submit,
    period_exception_open,
    period_is_open_for,
    reported_indicators,
)
from targets.models import IndicatorValue, Snapshot
from tests.conftest import reference_data_load
from tests.targets_helpers import city, county

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)  # 2024Q3 ended 2024-09-30: due 10-10, entry closes after 10-20


def period(label="2024Q3") -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=int(label[:4]), quarter=int(label[-1]))


def full_figures(scale: int = 1) -> dict[str, dict[str, str]]:
    """A complete, plausible return."""
    figures = {}
    for indicator in reported_indicators():
        comps = {c.code: c.role for c in indicator.components.all()}
        if indicator.kind == "ratio":
            figures[indicator.code] = {c: str((900 if role == "numerator" else 1000) * scale)
                                       for c, role in comps.items()}
            if indicator.direction == "at_most":  # an unemployment rate of 3 %
                figures[indicator.code] = {c: str((30 if role == "numerator" else 1000) * scale)
                                           for c, role in comps.items()}
        else:
            figures[indicator.code] = {c: str(10 * scale) for c in comps}
    return figures


def submitted(personas, region="汉滨区", label="2024Q3") -> CountyReturn:
    officer = personas["county_a"] if region == "汉滨区" else personas["county_b"]
    r = county_return_open(region=county(region), period=period(label), user=officer)
    r = county_return_save(county_return=r, figures=full_figures(), version=r.version, user=officer, today=IN_WINDOW)
    return county_return_submit(county_return=r, version=r.version, user=officer, today=IN_WINDOW)


def test_periods_cover_the_plan_and_beyond_with_deadlines():
    p = period("2024Q3")
    assert (p.due_on, p.locks_after) == (dt.date(2024, 10, 10), dt.date(2024, 10, 20))
    assert ReportingPeriod.objects.filter(year=2021, quarter=1).exists()
    assert ReportingPeriod.objects.filter(year=2027, quarter=4).exists()  # beyond the plan's end


@pytest.mark.parametrize("day, is_open", [
    (dt.date(2024, 10, 1), True), (dt.date(2024, 10, 20), True), (dt.date(2024, 10, 21), False),
    (dt.date(2024, 9, 30), False), (dt.date(2024, 7, 1), False), (dt.date(2024, 6, 30), False),
])
def test_entry_window_boundaries_in_local_dates(day, is_open):
    assert period("2024Q3").is_open_on(day) is is_open


def test_an_exception_reopens_one_county_only(personas):
    late = dt.date(2024, 11, 5)
    p = period("2024Q3")
    assert not period_is_open_for(period=p, region=county("汉滨区"), today=late)
    period_exception_open(period=p, region=county("汉滨区"), open_until=dt.date(2024, 11, 10), reason="系统故障补报",
                          user=personas["city_admin"])
    assert period_is_open_for(period=p, region=county("汉滨区"), today=late)
    assert period_is_open_for(period=p, region=county("汉滨区"), today=dt.date(2024, 11, 10))
    assert not period_is_open_for(period=p, region=county("汉滨区"), today=dt.date(2024, 11, 11))
    assert not period_is_open_for(period=p, region=county("石泉县"), today=late)
    with pytest.raises(ValidationError):
        period_exception_open(period=p, region=county("石泉县"), open_until=late, reason=" ", user=personas["city_admin"])
    with pytest.raises(PermissionDenied):
        period_exception_open(period=p, region=county("石泉县"), open_until=late, reason="x", user=personas["county_b"])


def test_the_whole_cycle_feeds_the_snapshots(personas):
    r = submitted(personas)
    assert r.state == "submitted" and r.version == 3
    assert IndicatorValue.objects.filter(region=county("汉滨区"), year=2024, quarter=3, status="submitted").count() > 20
    with TestCase.captureOnCommitCallbacks(execute=True):
        r = county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])
    assert r.state == "approved"
    s = Snapshot.objects.get(indicator__code="registered_unemployment_rate", region=city(), year=2024, quarter=3)
    assert (s.numerator, s.denominator, s.value) == (D(30), D(1000), D(3))
    assert Snapshot.objects.get(indicator__code="urban_new_jobs", region=county("汉滨区"), year=2024, quarter=3
                                ).period_value == D(10)


def test_send_back_needs_a_comment_then_the_county_fixes_and_resubmits(personas):
    r = submitted(personas)
    with pytest.raises(ValidationError):
        county_return_send_back(county_return=r, version=r.version, reviewer=personas["city_admin"], comment="  ")
    r = county_return_send_back(county_return=r, version=r.version, reviewer=personas["city_admin"],
                                comment="新增就业偏低，请核实")
    assert r.state == "returned" and r.review_comment == "新增就业偏低，请核实"
    officer = personas["county_a"]
    figures = full_figures()
    figures["urban_new_jobs"] = {"value": "25"}
    r = county_return_save(county_return=r, figures=figures, version=r.version, user=officer, today=IN_WINDOW)
    r = county_return_submit(county_return=r, version=r.version, user=officer, today=IN_WINDOW)
    assert r.state == "resubmitted"
    assert IndicatorValue.objects.get(indicator__code="urban_new_jobs", region=county("汉滨区"), year=2024,
                                      quarter=3).value == D(25)


@pytest.mark.parametrize("persona", ["county_b", "lead_officer", "leader", "auditor", "outsider", "city_admin"])
def test_only_the_countys_own_officer_fills_in_its_return(personas, persona):
    r = county_return_open(region=county("汉滨区"), period=period(), user=personas["county_a"])
    with pytest.raises(PermissionDenied):
        county_return_save(county_return=r, figures=full_figures(), version=r.version, user=personas[persona],
                           today=IN_WINDOW)
    with pytest.raises(PermissionDenied):  # nor starts one
        county_return_open(region=county("汉滨区"), period=period("2024Q2"), user=personas[persona])


@pytest.mark.parametrize("persona", ["county_a", "county_b", "lead_officer", "leader", "auditor", "outsider"])
def test_only_the_office_reviews(personas, persona):
    r = submitted(personas)
    with pytest.raises(PermissionDenied):
        county_return_approve(county_return=r, version=r.version, reviewer=personas[persona])
    with pytest.raises(PermissionDenied):
        county_return_send_back(county_return=r, version=r.version, reviewer=personas[persona], comment="x")


def test_forbidden_transitions(personas):
    officer, admin = personas["county_a"], personas["city_admin"]
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    with pytest.raises(ValidationError):
        county_return_approve(county_return=r, version=r.version, reviewer=admin)  # a draft
    r = submitted(personas)
    with pytest.raises(ValidationError):
        county_return_save(county_return=r, figures=full_figures(), version=r.version, user=officer, today=IN_WINDOW)
    with pytest.raises(ValidationError):
        county_return_submit(county_return=r, version=r.version, user=officer, today=IN_WINDOW)
    r = county_return_approve(county_return=r, version=r.version, reviewer=admin)
    for call in (lambda: county_return_save(county_return=r, figures=full_figures(), version=r.version, user=officer,
                                            today=IN_WINDOW),
                 lambda: county_return_send_back(county_return=r, version=r.version, reviewer=admin, comment="x"),
                 lambda: county_return_approve(county_return=r, version=r.version, reviewer=admin)):
        with pytest.raises(ValidationError):
            call()


def test_a_locked_period_refuses_entry(personas):
    officer = personas["county_a"]
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    with pytest.raises(ValidationError, match="2024年10月20日"):
        county_return_save(county_return=r, figures=full_figures(), version=r.version, user=officer,
                           today=dt.date(2024, 10, 21))


def test_a_draft_may_be_half_filled_but_a_submission_must_be_complete(personas):
    officer = personas["county_a"]
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    r = county_return_save(county_return=r, figures={"urban_new_jobs": {"value": "120"}}, version=r.version,
                           user=officer, today=IN_WINDOW)
    assert r.state == "draft"
    with pytest.raises(ValidationError, match="城镇登记失业率"):
        county_return_submit(county_return=r, version=r.version, user=officer, today=IN_WINDOW)
    assert CountyReturn.objects.get(pk=r.pk).state == "draft"


def test_one_bad_figure_refuses_the_whole_save(personas):
    officer = personas["county_a"]
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    figures = full_figures()
    figures["registered_unemployment_rate"] = {"registered_unemployed": "5", "urban_labour_force": "0"}
    figures["urban_new_jobs"] = {"value": "-3"}
    with pytest.raises(ValidationError) as exc:
        county_return_save(county_return=r, figures=figures, version=r.version, user=officer, today=IN_WINDOW)
    assert set(exc.value.error_dict) == {"registered_unemployment_rate", "urban_new_jobs"}
    assert not IndicatorValue.objects.filter(region=county("汉滨区"), year=2024, quarter=3).exists()
    assert CountyReturn.objects.get(pk=r.pk).version == r.version


def test_warnings_need_an_explanation(personas):
    officer = personas["county_a"]
    for label in ("2023Q4", "2024Q1", "2024Q2"):
        p = period(label)
        r = county_return_open(region=county("汉滨区"), period=p, user=officer)
        day = p.as_quarter.end + dt.timedelta(days=5)
        r = county_return_save(county_return=r, figures=full_figures(), version=r.version, user=officer, today=day)
        r = county_return_submit(county_return=r, version=r.version, user=officer, today=day)
        county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    figures = full_figures()
    figures["urban_new_jobs"] = {"value": "31"}  # > 3 × the median of 10
    figures["registered_unemployment_rate"] = {"registered_unemployed": "95", "urban_labour_force": "1000"}  # 9.5 %
    r = county_return_save(county_return=r, figures=figures, version=r.version, user=officer, today=IN_WINDOW)
    with pytest.raises(ValidationError) as exc:
        county_return_submit(county_return=r, version=r.version, user=officer, today=IN_WINDOW)
    text = " ".join(exc.value.messages)
    assert "城镇新增就业人数" in text and "9.50" in text
    r = county_return_submit(county_return=r, version=r.version, user=officer, today=IN_WINDOW,
                             explanation="新开工业园区集中招工；统计口径调整")
    assert r.state == "submitted" and r.explanation.startswith("新开工业园区")


def test_a_stale_save_is_refused_and_names_who_changed_it(personas):
    officer = personas["county_a"]
    colleague = personas["county_a"].__class__.objects.create_user("hanbin_2", full_name="李四",
                                                                    region=officer.region)
    from accounts.services import role_grant

    role_grant(user=colleague, role="county_officer", granted_by=None)
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    seen = r.version
    county_return_save(county_return=r, figures={"urban_new_jobs": {"value": "5"}}, version=seen, user=colleague,
                       today=IN_WINDOW)
    with pytest.raises(Conflict, match="李四"):
        county_return_save(county_return=r, figures={"urban_new_jobs": {"value": "7"}}, version=seen, user=officer,
                           today=IN_WINDOW)
    assert IndicatorValue.objects.get(indicator__code="urban_new_jobs", region=county("汉滨区"), year=2024,
                                      quarter=3).value == D(5)


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_at_once_one_wins_the_other_is_told(personas_tx):
    from tests.platform.test_services import need_service

    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    officer, colleague = personas_tx
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    barrier, outcomes = threading.Barrier(2), []

    def save(user, value):
        try:
            barrier.wait()
            county_return_save(county_return=r, figures={"urban_new_jobs": {"value": value}}, version=r.version,
                               user=user, today=IN_WINDOW)
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(officer, "5")), threading.Thread(target=save, args=(colleague, "7"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["conflict", "saved"]
    assert CountyReturn.objects.get(pk=r.pk).version == r.version + 1


@pytest.fixture
def personas_tx(transactional_db):
    from accounts.models import User
    from accounts.services import role_grant
    from divisions.models import Region

    if not Region.objects.exists():
        reference_data_load(periods=False)
    from reports.services import periods_generate

    periods_generate(start=dt.date(2021, 1, 1), end=dt.date(2027, 12, 31))
    hanbin = county("汉滨区")
    users = []
    for name in ("tx_a", "tx_b"):
        user = User.objects.create_user(name, full_name=name, region=hanbin)
        role_grant(user=user, role="county_officer", granted_by=None)
        users.append(user)
    return users


def test_a_correction_keeps_both_values_and_rolls_the_figures_up_again(personas):
    from reports.models import Correction
    from reports.services import correction_approve, correction_reject, correction_request
    from targets.models import Indicator

    with TestCase.captureOnCommitCallbacks(execute=True):
        r = submitted(personas)
        county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])
    r.refresh_from_db()
    jobs = Indicator.objects.get(code="urban_new_jobs")
    with pytest.raises(ValidationError):  # the same rules as a return
        correction_request(county_return=r, indicator=jobs, figures={"value": "-1"}, reason="录入错误",
                           user=personas["county_a"])
    with pytest.raises(ValidationError):
        correction_request(county_return=r, indicator=jobs, figures={"value": "12"}, reason=" ",
                           user=personas["county_a"])
    with pytest.raises(PermissionDenied):
        correction_request(county_return=r, indicator=jobs, figures={"value": "12"}, reason="x",
                           user=personas["county_b"])
    correction = correction_request(county_return=r, indicator=jobs, figures={"value": "12"},
                                    reason="漏报一家企业新增就业2人", user=personas["county_a"])
    value = IndicatorValue.objects.get(indicator=jobs, region=county("汉滨区"), year=2024, quarter=3)
    assert value.value == D(10)  # nothing changes before review
    with pytest.raises(PermissionDenied):
        correction_approve(correction=correction, reviewer=personas["leader"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        correction_approve(correction=correction, reviewer=personas["city_admin"])
    value.refresh_from_db()
    assert (value.value, value.status) == (D(12), "approved")
    item = correction.items.get()
    assert (item.old_value, item.new_value) == (D(10), D(12))  # both kept
    assert value.history.filter(value=D(10)).exists()  # and in the value's history
    assert Snapshot.objects.get(indicator=jobs, region=county("汉滨区"), year=2024, quarter=3).period_value == D(12)
    assert Snapshot.objects.get(indicator=jobs, region=city(), year=2024, quarter=3).period_value == D(12)
    second = correction_request(county_return=r, indicator=jobs, figures={"value": "15"}, reason="再次核实",
                                user=personas["county_a"])
    with pytest.raises(ValidationError):
        correction_reject(correction=second, reviewer=personas["city_admin"], comment="")
    correction_reject(correction=second, reviewer=personas["city_admin"], comment="无依据")
    assert Correction.objects.get(pk=second.pk).state == "rejected"
    value.refresh_from_db()
    assert value.value == D(12)


def test_every_state_and_value_change_is_in_the_audit_trail(personas):
    from audit.models import AuditEvent

    r = submitted(personas)
    county_return_send_back(county_return=r, version=r.version, reviewer=personas["city_admin"], comment="请核实")
    value = IndicatorValue.objects.get(indicator__code="urban_new_jobs", region=county("汉滨区"), year=2024, quarter=3)
    events = AuditEvent.objects.filter(model="targets.indicatorvalue", object_pk=str(value.pk)).order_by("occurred_at", "id")
    statuses = [c["new"] for e in events for c in e.changes if c["field"] == "status"]
    assert statuses == ["草稿（draft）", "已报送（submitted）", "已退回（returned）"]
    assert events.last().reason.endswith("returned: 请核实")
    states = [c["new"] for e in AuditEvent.objects.filter(model="reports.countyreturn", object_pk=str(r.pk))
              .order_by("occurred_at", "id") for c in e.changes if c["field"] == "state"]
    assert states[-2:] == ["已报送（submitted）", "已退回（returned）"]
