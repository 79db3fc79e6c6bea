"""One entry point per write: each rule the faces share is written once and every face goes
through it — the dry run of a return's save (API and import), approval (the return's review),
a profile's rules (one save and many), "in force on a day", the tier order, queueing a roll-up."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from unittest import mock

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Certification, Tier
from divisions.models import Region
from kernel.quarters import Quarter
from outbox.models import OutboxMessage
from targets.models import Indicator, IndicatorValue
from tests.targets_helpers import county, record

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)  # 2024Q3's entry window
HANBIN = "610902000000"


@pytest.fixture
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def community(county_name: str, n: int = 0) -> Region:
    return Region.objects.filter(county__name=county_name, kind="community").order_by("code")[n]


# ---------------------------------------------------------------- the dry run of a return's save


def _api_push(personas, values, **body):
    from api.services import api_client_create

    _, key = api_client_create(name="县系统", region=county("汉滨区"), access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=1), created_by=personas["city_admin"])
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}").post(
        "/api/v1/returns/2024Q3/values/", json.dumps({"values": values, **body}), content_type="application/json")


def test_the_api_dry_run_and_the_import_preview_judge_the_same_figures_alike(personas, in_window):
    """Created, updated, unchanged and refused alike, with the same reasons and the same figures
    to save: both faces ask reports.services.county_return_preview."""
    from api.services import return_values_check
    from imports.models import ImportBatch
    from imports.services import import_upload
    from reports.models import CountyReturn, ReportingPeriod
    from tests.imports_helpers import upload, xlsx_bytes

    base = [("urban_new_jobs", "value", "120"), ("registered_unemployment_rate", "registered_unemployed", "30"),
            ("registered_unemployment_rate", "urban_labour_force", "1000")]
    assert _api_push(personas, [{"indicator": i, "region": HANBIN, "component": c, "value": v}
                                for i, c, v in base]).json()["written"]
    given = [("urban_new_jobs", "value", "120"),  # unchanged
             ("registered_unemployment_rate", "registered_unemployed", "40"),  # updated, over the return's 1,000
             ("zero_employment_households", "value", "5"),  # created
             ("willing_able_employment_rate", "able_and_willing", "0"),  # refused: a zero denominator
             ("willing_able_employment_rate", "employed", "0")]
    values = [{"indicator": i, "region": HANBIN, "component": c, "value": v} for i, c, v in given]

    dry = _api_push(personas, values, dry_run=True).json()
    assert not dry["written"] and (dry["created"], dry["updated"], dry["unchanged"], dry["rejected"]) == (1, 1, 1, 2)
    api_outcomes = {(r["indicator"], r["component"]): r["outcome"] for r in dry["results"]}
    api_reasons = {(r["indicator"], r["component"]): r["reason"] for r in dry["results"] if "reason" in r}

    period = ReportingPeriod.objects.get(year=2024, quarter=3)
    batch = import_upload(user=personas["county_a"], kind=ImportBatch.Kind.COUNTY_RETURN, region=county("汉滨区"),
                          period=period, upload=upload(xlsx_bytes([["指标代码", "分项代码", "数值"],
                                                                   *[[i, c, int(v)] for i, c, v in given]])))
    rows = {n: (i, c) for n, (i, c, _v) in enumerate(given, start=2)}
    import_outcomes = {(c["indicator"], c["component"]): c["outcome"] for c in batch.preview["changes"]}
    import_reasons = {rows[e["row"]]: e["message"] for e in batch.errors}
    assert import_reasons == api_reasons and "分母不能为零" in import_reasons[("willing_able_employment_rate",
                                                                           "employed")]
    assert {k: o for k, o in api_outcomes.items() if o in ("created", "updated")} == import_outcomes
    assert batch.preview["unchanged"] == dry["unchanged"] == 1

    results, figures, _catalogue = return_values_check(
        values=[{**v, "value": D(v["value"]).quantize(D("0.0001"))} for v in values], county=county("汉滨区"),
        period=period, existing=CountyReturn.objects.get())
    assert {(r["indicator"], r["component"]): r["outcome"] for r in results} == api_outcomes
    changed = {code: {c: D(v) for c, v in comps.items()} for code, comps in batch.preview["figures"].items()}
    assert changed == {code: {c: D(v) for c, v in figures[code].items()} for code in changed}
    assert changed["registered_unemployment_rate"] == {"registered_unemployed": D(40), "urban_labour_force": D(1000)}


# ---------------------------------------------------------------- approval


def test_figures_are_approved_only_through_the_return_review(personas, client_for, rf):
    from targets.admin import IndicatorValueAdmin  # noqa: F401  (registered with the admin site)

    rows = record("urban_new_jobs", "汉滨区", "2024Q1", value=D(10), submit=True)
    request = rf.get("/")
    request.user = personas["city_admin"]
    assert "approve" not in admin.site._registry[IndicatorValue].get_actions(request)
    url = reverse("admin:targets_indicatorvalue_changelist")
    client_for("city_admin").post(url, {"action": "approve", "_selected_action": [r.pk for r in rows]})
    assert set(IndicatorValue.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True)) == {
        IndicatorValue.Status.SUBMITTED}


# ---------------------------------------------------------------- a profile: one save and many


@pytest.mark.parametrize("bad", ["-1", -1, "1.5", "３５０", True, "12a"])
def test_one_profile_save_and_many_refuse_the_same_figures_alike(personas, bad):
    from divisions.services import RowRefused, community_profile_save, community_profiles_bulk_save

    a = community("汉滨区")
    with pytest.raises(ValidationError) as single:
        community_profile_save(region=a, households=bad, population="", is_relocation=False, version=1,
                               user=personas["county_a"])
    with pytest.raises(RowRefused) as bulk:
        community_profiles_bulk_save(changes=[{"code": a.code, "version": 1, "name": a.name, "row": 2, "new": {
            "households": bad, "population": None, "is_relocation": False}}], user=personas["county_a"], reason="t")
    assert isinstance(bulk.value.exc, ValidationError) and bulk.value.exc.messages == single.value.messages
    assert "whole number" in single.value.messages[0] or "整数" in single.value.messages[0]


def test_one_profile_save_and_many_allow_the_same_units(personas):
    from divisions.models import CommunityProfile
    from divisions.services import RowRefused, community_profile_save, community_profiles_bulk_save

    a, b = community("汉滨区"), community("石泉县")
    change = {"code": b.code, "version": 1, "name": b.name, "row": 2,
              "new": {"households": 1, "population": 2, "is_relocation": False}}
    with pytest.raises(PermissionDenied):
        community_profile_save(region=b, households=1, population=2, is_relocation=False, version=1,
                               user=personas["county_a"])
    with pytest.raises(RowRefused) as bulk:
        community_profiles_bulk_save(changes=[change], user=personas["county_a"], reason="t")
    assert isinstance(bulk.value.exc, PermissionDenied)
    community_profiles_bulk_save(changes=[{**change, "code": a.code, "new": {**change["new"], "households": "7"}}],
                                 user=personas["county_a"], reason="t")
    community_profiles_bulk_save(changes=[change], user=personas["city_admin"], reason="t")
    assert dict(CommunityProfile.objects.values_list("region__code", "households")) == {a.code: 7, b.code: 1}


# ---------------------------------------------------------------- in force on a day


def test_tier_counts_count_exactly_the_certifications_in_force_at_each_quarter_end():
    """The roll-up's counts and the drill-through's records apply one rule (communities.models.
    in_force_q), boundary days included: certified that day counts; expiring that day counts;
    withdrawn that day does not."""
    from communities.selectors import tier_certifications_in_force, tier_counts

    municipal = Tier.objects.get(code="municipal")
    end = dt.date(2023, 3, 31)  # 2023Q1's end
    cases = {  # community → (certified_on, valid_until, withdrawn_on)
        community("汉滨区", 0): (end, None, None),
        community("汉滨区", 1): (dt.date(2022, 1, 1), end, None),
        community("汉滨区", 2): (dt.date(2022, 1, 1), None, end),
        community("汉滨区", 3): (dt.date(2022, 1, 1), None, end + dt.timedelta(days=1)),
        community("石泉县", 0): (end + dt.timedelta(days=1), None, None),
    }
    for n, (c, (certified, valid, withdrawn)) in enumerate(cases.items()):
        Certification.objects.create(community=c, tier=municipal, certificate_number=f"T-{n}", certified_on=certified,
                                     valid_until=valid, withdrawn_on=withdrawn, issuer="测试",
                                     withdrawal_reason="测试" if withdrawn else "")
    quarters = [Quarter(2022, 4), Quarter(2023, 1), Quarter(2023, 2)]
    counts = tier_counts(indicator_code="municipal_fe_communities", quarters=quarters)
    hanbin, shiquan = county("汉滨区").pk, county("石泉县").pk
    assert counts == {hanbin: {(2022, 4): 3, (2023, 1): 3, (2023, 2): 1}, shiquan: {(2023, 2): 1}}
    for q in quarters:
        in_force = Certification.objects.in_force_on(q.end)
        assert sum(c.get((q.year, q.number), 0) for c in counts.values()) == in_force.count()
    city = Region.objects.get(level=Region.Level.CITY)
    from accounts.models import User

    reader = User.objects.create(username="reader", is_superuser=True)
    assert sorted(r.certificate_number for r in tier_certifications_in_force(
        indicator_code="municipal_fe_communities", region=city, day=end, user=reader)) == ["T-0", "T-1", "T-3"]


# ---------------------------------------------------------------- the tier order


def test_the_tier_order_is_one_rule():
    municipal, provincial, star, national = Tier.objects.order_by("rank")
    assert municipal.below is None and provincial.below == municipal and national.below == star
    assert Tier.objects.next_above(0) == municipal and Tier.objects.next_above(2) == star
    assert Tier.objects.next_above(national.rank) is None
    assert list(municipal.above()) == [provincial, star, national]


def _certify(c, code, day, number):
    from communities.services import certification_issue

    return certification_issue(community=c, tier=Tier.objects.get(code=code), certificate_number=number,
                               certified_on=day, issuer="安康市人社局")


@pytest.mark.parametrize("toward_lower, queued", [
    (True, ["municipal_fe_communities", "provincial_fe_communities"]), (False, ["provincial_fe_communities"])])
def test_a_certification_queues_the_counts_its_tier_enters(settings, toward_lower, queued):
    settings.CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER = toward_lower
    c = community("旬阳市")
    _certify(c, "municipal", dt.date(2022, 1, 1), "市-1")
    _certify(c, "provincial", dt.date(2023, 1, 1), "省-1")
    assert OutboxMessage.objects.order_by("pk").last().kwargs["indicator_codes"] == queued


@pytest.mark.parametrize("toward_lower", [True, False])
def test_the_county_page_counts_its_towns_as_the_tier_counts_count(settings, personas, toward_lower):
    """A community counts toward each tier it holds in force and (setting on) every tier below the
    highest: on a county's page as in the tier counts, not by its highest tier alone."""
    from communities.selectors import certification_progress
    from dashboards.selectors import county_page
    from tasks.models import Plan

    settings.CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER = toward_lower
    a, b, c = community("旬阳市", 0), community("旬阳市", 1), community("旬阳市", 2)
    _certify(a, "municipal", dt.date(2022, 1, 1), "市-1")
    _certify(a, "provincial", dt.date(2023, 1, 1), "省-1")
    _certify(b, "municipal", dt.date(2022, 1, 1), "市-2")
    _certify(b, "provincial", dt.date(2023, 1, 1), "省-2")
    _certify(b, "provincial_star", dt.date(2024, 1, 1), "星-2")
    lapsing = _certify(c, "municipal", dt.date(2022, 1, 1), "市-3")
    _certify(c, "provincial", dt.date(2023, 1, 1), "省-3")
    Certification.objects.filter(pk=lapsing.pk).update(valid_until=dt.date(2023, 6, 30))  # c holds only 省 now
    today = dt.date(2025, 1, 1)
    xunyang = county("旬阳市")
    page = county_page(user=personas["leader"], plan=Plan.objects.get(code="ankang-2022"), county=xunyang, today=today)
    towns = [sum(row.counts[i] for row in page.towns) for i in range(len(page.tiers))]
    progress = next(r for r in certification_progress(user=personas["leader"], day=today)["counties"]
                    if r["county"] == xunyang)
    assert towns == progress["by_tier"] == ([3, 3, 1, 0] if toward_lower else [2, 3, 1, 0])


# ---------------------------------------------------------------- queueing a roll-up


def test_every_roll_up_is_queued_through_one_function(personas, client_for, in_window):
    """Approval, a correction, a quota set, a certification (issued, reviewed, withdrawn) and the
    admin's recompute all queue their roll-up through targets.services.rollups_enqueue."""
    from communities.pipeline import certification_review_record
    from communities.services import certification_withdraw
    from reports.services import correction_approve, correction_request, county_return_approve
    from targets.models import Target
    from targets.services import quota_set_issue, rollups_enqueue
    from tests.reports.test_county_returns import submitted

    triggers = []

    def spy(**kwargs):
        triggers.append(kwargs["trigger"])
        return rollups_enqueue(**kwargs)

    patches = [mock.patch(f"{module}.rollups_enqueue", spy) for module in ("targets.services", "reports.services",
                                                                          "communities.services",
                                                                          "targets.admin")]
    for p in patches:
        p.start()
    try:
        r = submitted(personas)
        r = county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])
        correction = correction_request(county_return=r, indicator=Indicator.objects.get(code="urban_new_jobs"),
                                        figures={"value": "11"}, reason="录入错误", user=personas["county_a"])
        correction_approve(correction=correction, reviewer=personas["city_admin"])
        quota_set_issue(target=Target.objects.get(plan__code="ankang-2022", code="urban_new_jobs"),
                        quotas={county("汉滨区"): D(1)}, issued_on=dt.date(2022, 5, 1), user=personas["city_admin"])
        with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 30)):
            c = _certify(community("汉滨区"), "municipal", dt.date(2022, 1, 1), "市-1")
            certification_review_record(certification=c, reviewed_on=dt.date(2024, 1, 1), passed=True, comment="",
                                        user=personas["city_admin"])
            certification_withdraw(certification=Certification.objects.get(pk=c.pk), on=dt.date(2025, 1, 1),
                                   reason="复核不合格")
        client_for("city_admin").post(reverse("admin:targets_indicator_changelist"), {
            "action": "recompute", "_selected_action": [Indicator.objects.get(code="urban_new_jobs").pk]})
    finally:
        for p in patches:
            p.stop()
    messages = list(OutboxMessage.objects.filter(job="targets.rollup").order_by("pk"))
    assert [m.kwargs["trigger"] for m in messages] == triggers
    assert {m.kwargs["trigger"] for m in messages} == {"approval", "quota", "certification", "admin"}
    # an approval's job also names the earliest quarter approved (only it and later ones are rewritten)
    assert all(set(m.kwargs) - {"since"} == {"indicator_codes", "county_ids", "trigger"} for m in messages)
    assert [m.kwargs["since"] for m in messages if "since" in m.kwargs] and all(
        m.kwargs["trigger"] == "approval" for m in messages if "since" in m.kwargs)
    assert messages[-1].kwargs == {"indicator_codes": ["urban_new_jobs"], "county_ids": None, "trigger": "admin"}
