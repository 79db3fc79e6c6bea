"""Task 8's certification pipeline: a county applies, the town, the county and the city review,
the city certifies; each persona can do only its own step; bad requests are refused whole; the
counts follow from the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import role_grant
from communities import pipeline
from communities.models import Application, ApplicationReview, Certification, CertificationReview, Criterion, Tier
from communities.selectors import certification_progress, review_queue
from communities.services import certification_issue
from divisions.models import Region
from kernel.quarters import Quarter
from kernel.versioning import Conflict
from reports.models import Notification
from seeding.demo.certification import DEMO_PDF
from targets.models import Snapshot
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

TOWN_NAME = "新城街道"


def tier(code: str) -> Tier:
    return Tier.objects.get(code=code)


def town() -> Region:
    return Region.objects.get(level=Region.Level.TOWN, county__name="汉滨区", name=TOWN_NAME)


def unit(n: int = 0, kind: str = Region.Kind.COMMUNITY, parent: Region | None = None) -> Region:
    return Region.objects.filter(parent=parent or town(), kind=kind).order_by("code")[n]


@pytest.fixture
def people(personas) -> dict[str, User]:
    town_officer = personas["town_officer"]
    assert town_officer.region == town()
    other_town = Region.objects.filter(level=Region.Level.TOWN, county__name="汉滨区").exclude(pk=town().pk).first()
    town_other = User.objects.create_user(username="town_other", password=PASSWORD, region=other_town)
    role_grant(user=town_other, role=Role.TOWN_OFFICER, granted_by=None)
    return {**personas, "town": town_officer, "town_other": town_other,
            "county_a2": make_user("county_a2", roles=[Role.COUNTY_OFFICER], county="汉滨区")}


@pytest.fixture
def plan_in_force(db):
    """Counts are figures of a plan: certifications made today (2026) count toward a plan in force
    today, the 2021–2025 plan's successor (the 2022 plan has no figures after its end)."""
    from tests.targets_helpers import successor

    return successor()


def complete(application: Application, user, **overrides) -> Application:
    """Answer every criterion so that it is met (``overrides``: criterion code → answer)."""
    answers = {}
    for check in application.checks.select_related("criterion"):
        c = check.criterion
        answer = {"met": True} if c.kind == Criterion.Kind.STATEMENT else {
            "value": {"zero_employment_households": "0", "assistance_rate": "100"}.get(c.code, "7")}
        answers[c.pk] = overrides.get(c.code, answer)
    application = pipeline.application_checklist_save(application=application, answers=answers, summary="做法",
                                                      version=application.version, user=user)
    pipeline.application_evidence_attach(application=application, user=user, upload=SimpleUploadedFile(
        "纪要.pdf", DEMO_PDF, content_type="application/pdf"))
    return Application.objects.get(pk=application.pk)


def reviewed(application, user, approve=True, comment="同意", **kw):
    return pipeline.application_review(application=application, approve=approve, comment=comment,
                                       version=application.version, user=user, **kw)


def through_to_city(people, community=None, tier_code="municipal") -> Application:
    a = pipeline.application_create(community=community or unit(), tier=tier(tier_code), user=people["county_a"])
    a = complete(a, people["county_a"])
    a = pipeline.application_submit(application=a, version=a.version, user=people["county_a"])
    a = reviewed(a, people["town"])
    return reviewed(a, people["county_a2"])


def test_criteria_are_seeded_per_tier_from_the_plan():
    for t in Tier.objects.all():
        names = list(t.criteria.values_list("name", flat=True))
        assert names[:4] == ["社区就业服务规范", "就业政策落实到位", "就业援助全面", "群众评价好"]
        zero = t.criteria.get(code="zero_employment_households")
        assert (zero.rule, zero.threshold) == ("eq", D("0.00"))
        assert not zero.satisfied_by(D("1")) and zero.satisfied_by(D("0"))


def test_a_village_goes_from_application_to_municipal_certification_and_counts(people, plan_in_force):
    community = unit()
    a = pipeline.application_create(community=community, tier=tier("municipal"), user=people["county_a"])
    assert (a.state, a.steps, a.county_id) == ("draft", "town,county,city", community.county_id)
    a = complete(a, people["county_a"])
    a = pipeline.application_submit(application=a, version=a.version, user=people["county_a"])
    assert (a.state, a.step) == ("in_review", "town")
    assert Notification.objects.filter(recipient=people["town"], link__endswith=f"/{a.pk}/").exists()
    a = reviewed(a, people["town"])
    assert a.step == "county"
    a = reviewed(a, people["county_a2"])
    assert a.step == "city"
    today = timezone.localdate()
    with TestCase.captureOnCommitCallbacks(execute=True):
        a = reviewed(a, people["city_admin"], certificate_number="安康市充就-2026-001", certified_on=today)
    assert a.state == "certified" and a.certification.community == community
    assert a.certification.valid_until == pipeline.validity_end(today)
    assert [r.decision for r in a.reviews.all()] == ["submitted", "approved", "approved", "approved"]
    assert [r.step for r in a.reviews.all()] == ["", "town", "county", "city"]
    # the count comes from the record: this quarter's snapshot for the county includes it
    quarter = (today.month - 1) // 3 + 1
    snap = Snapshot.objects.get(indicator__code="municipal_fe_communities", region=community.county,
                                year=today.year, quarter=quarter)
    assert snap.value == D(1)


def test_each_step_is_decided_only_by_its_own_persona(people):
    a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    a = complete(a, people["county_a"])
    a = pipeline.application_submit(application=a, version=a.version, user=people["county_a"])
    for name in ("county_a", "county_a2", "county_b", "town_other", "city_admin", "leader", "lead_officer"):
        with pytest.raises(PermissionDenied):
            reviewed(a, people[name])
    a = reviewed(a, people["town"])
    for name in ("town", "county_b", "city_admin", "leader"):
        with pytest.raises(PermissionDenied):
            reviewed(a, people[name])
    with pytest.raises(ValidationError, match="不能审核自己提交"):
        reviewed(a, people["county_a"])  # the submitter does not review their own application
    a = reviewed(a, people["county_a2"])
    for name in ("town", "county_a", "county_a2", "leader"):
        with pytest.raises(PermissionDenied):
            reviewed(a, people[name], certificate_number="X-1", certified_on=timezone.localdate())
    assert Application.objects.get(pk=a.pk).state == "in_review"


def test_a_return_goes_back_to_the_county_with_its_comment_and_restarts_at_the_first_step(people):
    a = through_to_city(people)
    with pytest.raises(ValidationError, match="须说明理由"):
        reviewed(a, people["city_admin"], approve=False, comment=" ")
    a = reviewed(a, people["city_admin"], approve=False, comment="请补充测评材料")
    assert (a.state, a.step) == ("returned", "")
    assert Notification.objects.filter(recipient=people["county_a"], kind="returned").exists()
    a = pipeline.application_submit(application=a, version=a.version, user=people["county_a"])
    assert a.step == "town"


@pytest.mark.parametrize("steps, expected", [(["county", "city"], "county"), (["city"], "city")])
def test_review_steps_are_configurable(people, steps, expected):
    with override_settings(CERTIFICATION_REVIEW_STEPS=steps):
        a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
        a = complete(a, people["county_a"])
        a = pipeline.application_submit(application=a, version=a.version, user=people["county_a"])
    assert (a.step, a.steps) == (expected, ",".join(steps))


def test_a_misconfigured_step_list_is_refused():
    with override_settings(CERTIFICATION_REVIEW_STEPS=["city", "county"]), pytest.raises(ValueError):
        pipeline.review_steps()


def test_applying_for_another_countys_community_is_refused_and_writes_nothing(people):
    shiquan = Region.objects.filter(county__name="石泉县", level="village").first()
    with pytest.raises(PermissionDenied, match="不属于您所在"):
        pipeline.application_create(community=shiquan, tier=tier("municipal"), user=people["county_a"])
    for name in ("town", "leader", "lead_officer", "auditor"):
        with pytest.raises(PermissionDenied):
            pipeline.application_create(community=unit(), tier=tier("municipal"), user=people[name])
    assert not Application.objects.exists()


def test_skipping_a_tier_is_refused(people):
    with pytest.raises(ValidationError, match="须在.*持有有效"):
        pipeline.application_create(community=unit(), tier=tier("provincial"), user=people["county_a"])
    village = unit(kind=Region.Kind.VILLAGE, parent=Region.objects.filter(
        county__name="汉滨区", level="town", children__kind="village").first())
    certification_issue(community=village, tier=tier("municipal"), certificate_number="市-V", issuer="市",
                        certified_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="只认定社区"):
        pipeline.application_create(community=village, tier=tier("provincial"), user=people["county_a"])
    assert not Application.objects.exists()


def test_certifying_without_the_checklist_complete_is_refused(people):
    a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    with pytest.raises(ValidationError, match="核查未完成"):
        pipeline.application_submit(application=a, version=a.version, user=people["county_a"])
    a = complete(Application.objects.get(pk=a.pk), people["county_a"],
                 zero_employment_households={"value": "2"})  # one zero-employment household: not met
    with pytest.raises(ValidationError) as exc:
        pipeline.application_submit(application=a, version=a.version, user=people["county_a"])
    assert any("零就业家庭" in m for m in exc.value.messages)
    assert Application.objects.get(pk=a.pk).state == "draft"


def test_a_criterion_added_after_submission_blocks_certification_until_answered(people):
    a = through_to_city(people)
    Criterion.objects.create(tier=a.tier, code="new_rule", name="新增条件", kind="statement", order=99)
    with pytest.raises(ValidationError, match="新增条件"):
        reviewed(a, people["city_admin"], certificate_number="市-N", certified_on=timezone.localdate())
    a.refresh_from_db()
    assert a.state == "in_review" and a.certification is None and not Certification.objects.exists()


def test_evidence_is_required_and_checked_by_content(people):
    a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    with pytest.raises(ValidationError, match="不是PDF"):
        pipeline.application_evidence_attach(application=a, user=people["county_a"], upload=SimpleUploadedFile(
            "看似.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf"))
    answers = {c.criterion_id: ({"met": True} if c.criterion.kind == "statement" else {"value": (
        "0" if c.criterion.code == "zero_employment_households" else "100")}) for c in
               a.checks.select_related("criterion")}
    a = pipeline.application_checklist_save(application=a, answers=answers, summary="", version=a.version,
                                            user=people["county_a"])
    with pytest.raises(ValidationError, match="佐证材料"):
        pipeline.application_submit(application=a, version=a.version, user=people["county_a"])


def test_a_duplicate_open_application_and_a_duplicate_active_certification_are_refused(people):
    pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    with pytest.raises(ValidationError, match="在办理中"):
        pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    certification_issue(community=unit(1), tier=tier("municipal"), certificate_number="市-D", issuer="市",
                        certified_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="已获"):
        pipeline.application_create(community=unit(1), tier=tier("municipal"), user=people["county_a"])
    assert Application.objects.count() == 1


def test_a_withdrawn_certificate_number_is_never_reused(people):
    old = certification_issue(community=unit(1), tier=tier("municipal"), certificate_number="市-R", issuer="市",
                              certified_on=dt.date(2023, 1, 1))
    pipeline.certification_withdraw_by(certification=old, on=dt.date(2024, 1, 1), reason="复核不合格",
                                       user=people["city_admin"])
    a = through_to_city(people)
    with pytest.raises(ValidationError, match="市-R"):
        reviewed(a, people["city_admin"], certificate_number="市-R", certified_on=timezone.localdate())
    assert Application.objects.get(pk=a.pk).state == "in_review"
    assert Certification.objects.count() == 1


def test_a_stale_form_is_a_conflict(people):
    a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    old_version = a.version
    pipeline.application_checklist_save(application=a, answers={}, summary="新", version=a.version,
                                        user=people["county_a2"])
    with pytest.raises(Conflict):
        pipeline.application_checklist_save(application=a, answers={}, summary="旧", version=old_version,
                                            user=people["county_a"])
    assert Application.objects.get(pk=a.pk).summary == "新"


def test_full_width_digits_in_a_measure_are_refused(people):
    a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    rate = a.checks.get(criterion__code="assistance_rate").criterion
    with pytest.raises(ValidationError, match="半角数字"):
        pipeline.application_checklist_save(application=a, answers={rate.pk: {"value": "１００"}}, summary="",
                                            version=a.version, user=people["county_a"])


def test_higher_tiers_follow_in_order_and_a_provincial_certification_counts_toward_both(people):
    community = unit()
    certification_issue(community=community, tier=tier("municipal"), certificate_number="市-H", issuer="市",
                        certified_on=dt.date(2024, 1, 1))
    a = through_to_city(people, community=community, tier_code="provincial")
    with TestCase.captureOnCommitCallbacks(execute=True):
        reviewed(a, people["city_admin"], certificate_number="省-H", certified_on=timezone.localdate())
    progress = certification_progress(user=people["leader"])
    counts = {row["tier"].code: row["count"] for row in progress["tiers"]}
    assert counts["municipal"] == 1 and counts["provincial"] == 1  # the default: higher counts toward lower
    with override_settings(CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER=False):
        progress = certification_progress(user=people["leader"])
    counts = {row["tier"].code: row["count"] for row in progress["tiers"]}
    assert counts["municipal"] == 1 and counts["provincial"] == 1  # each tier its own record here


def test_periodic_review_extends_validity_or_withdraws(people, plan_in_force):
    c = certification_issue(community=unit(), tier=tier("municipal"), certificate_number="市-P", issuer="市",
                            certified_on=dt.date(2023, 3, 1), valid_until=dt.date(2026, 2, 28))
    review = pipeline.certification_review_record(certification=c, reviewed_on=dt.date(2026, 2, 1), passed=True,
                                                  comment="", user=people["city_admin"])
    assert Certification.objects.get(pk=c.pk).valid_until == dt.date(2029, 1, 31) == review.valid_until
    with pytest.raises(PermissionDenied):
        pipeline.certification_review_record(certification=c, reviewed_on=dt.date(2026, 3, 1), passed=False,
                                             comment="x", user=people["county_a"])
    with pytest.raises(ValidationError, match="须说明理由"):
        pipeline.certification_review_record(certification=c, reviewed_on=dt.date(2026, 3, 1), passed=False,
                                             comment="", user=people["city_admin"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        pipeline.certification_review_record(certification=c, reviewed_on=dt.date(2026, 3, 1), passed=False,
                                             comment="零就业家庭未清零", user=people["city_admin"])
    c.refresh_from_db()
    assert c.withdrawn_on == dt.date(2026, 3, 1) and "零就业家庭未清零" in c.withdrawal_reason
    assert CertificationReview.objects.filter(certification=c).count() == 2
    assert Snapshot.objects.get(indicator__code="municipal_fe_communities", region=c.community.county,
                                year=2026, quarter=1).value in (None, D(0))


def test_counts_change_with_expiry(people):
    c = certification_issue(community=unit(), tier=tier("municipal"), certificate_number="市-E", issuer="市",
                            certified_on=dt.date(2022, 1, 1), valid_until=dt.date(2024, 12, 31))
    assert certification_progress(user=people["leader"], day=dt.date(2024, 12, 31))["tiers"][0]["count"] == 1
    assert certification_progress(user=people["leader"], day=dt.date(2025, 1, 1))["tiers"][0]["count"] == 0
    assert c.pk


def test_a_county_sees_only_its_own_applications(people):
    a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    assert list(Application.objects.for_user(people["county_a"])) == [a]
    assert list(Application.objects.for_user(people["county_b"])) == []
    assert list(Application.objects.for_user(people["town"])) == [a]
    assert list(Application.objects.for_user(people["town_other"])) == []
    assert list(Application.objects.for_user(people["leader"])) == [a]
    assert list(Application.objects.for_user(people["auditor"])) == []
    assert list(Application.objects.for_user(people["lead_officer"])) == []


def test_the_review_queue_shows_each_persona_its_step(people):
    a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    a = complete(a, people["county_a"])
    a = pipeline.application_submit(application=a, version=a.version, user=people["county_a"])
    assert list(review_queue(user=people["town"])) == [a]
    assert list(review_queue(user=people["county_a2"])) == []
    a = reviewed(a, people["town"])
    assert list(review_queue(user=people["county_a2"])) == [a]
    assert list(review_queue(user=people["county_a"])) == []  # the submitter's own
    assert list(review_queue(user=people["city_admin"])) == []
    reviewed(a, people["county_a2"])
    assert list(review_queue(user=people["city_admin"])) == [a]


def test_cancel_needs_a_reason_and_frees_the_tier(people):
    a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    with pytest.raises(ValidationError):
        pipeline.application_cancel(application=a, reason="", version=a.version, user=people["county_a"])
    a = pipeline.application_cancel(application=a, reason="村里暂缓申报", version=a.version, user=people["county_a"])
    assert a.state == "cancelled"
    assert ApplicationReview.objects.filter(application=a, decision="cancelled").exists()
    pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])


# ------------------------------------------------------------------ pages


def test_the_pipeline_in_the_browser_forms(people, client_for):
    county = client_for("county_a")
    community = unit()
    r = county.post("/communities/applications/new/", {"community": community.code, "tier": "municipal"})
    assert r.status_code == 302
    a = Application.objects.get(community=community)
    page = f"/communities/applications/{a.pk}/"
    form = {"action": "save", "version": a.version, "summary": "服务站规范"}
    for check in a.checks.select_related("criterion"):
        c = check.criterion
        if c.kind == "statement":
            form[f"met_{c.pk}"] = "yes"
        else:
            form[f"value_{c.pk}"] = {"zero_employment_households": "0", "assistance_rate": "100"}.get(c.code, "3")
    assert county.post(page, form).status_code == 302
    a.refresh_from_db()
    r = county.post(page, {"action": "evidence", "version": a.version,
                           "file": SimpleUploadedFile("纪要.pdf", DEMO_PDF, content_type="application/pdf")})
    assert r.status_code == 302
    assert county.post(page, {"action": "submit", "version": a.version}).status_code == 302
    a.refresh_from_db()
    assert a.state == "in_review"
    town_client = client_for_user(people["town"])
    assert community.name in town_client.get("/communities/applications/").context["queue"][0].community.name
    assert town_client.post(page, {"action": "approve", "version": a.version, "comment": ""}).status_code == 302
    a.refresh_from_db()
    assert client_for_user(people["county_a2"]).post(page, {"action": "approve", "version": a.version}).status_code == 302
    a.refresh_from_db()
    admin = client_for("city_admin")
    r = admin.post(page, {"action": "approve", "version": a.version, "certificate_number": "",
                          "certified_on": timezone.localdate().isoformat()})
    assert r.status_code == 400 and "证书编号" in r.content.decode()
    r = admin.post(page, {"action": "approve", "version": a.version, "certificate_number": "安-001",
                          "certified_on": timezone.localdate().isoformat()})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.state == "certified"
    r = admin.get(f"/communities/certifications/{a.certification_id}/")
    assert r.status_code == 200 and "安-001" in r.content.decode()


def client_for_user(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_stale_page_post_is_a_409_and_another_county_gets_404(people, client_for):
    a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    page = f"/communities/applications/{a.pk}/"
    r = client_for("county_a").post(page, {"action": "save", "version": a.version - 1, "summary": "x"})
    assert r.status_code == 409
    assert client_for("county_b").get(page).status_code == 404
    assert client_for("county_b").post(page, {"action": "save", "version": a.version}).status_code == 404
    r = client_for("county_b").post("/communities/applications/new/", {"community": unit(1).code, "tier": "municipal"})
    assert r.status_code == 400 and "不属于" in r.content.decode()
    assert Application.objects.count() == 1


@pytest.mark.parametrize("name", ["city_admin", "county_a", "leader", "town"])
def test_pipeline_pages_load_for_each_reader(people, name):
    a = through_to_city(people)
    client = client_for_user(people[name])
    for url in ("/communities/applications/", "/communities/progress/", "/communities/criteria/",
                f"/communities/applications/{a.pk}/"):
        r = client.get(url)
        assert r.status_code == 200, (name, url)
    assert client_for_user(people["auditor"]).get("/communities/progress/").status_code == 403


def test_progress_page_counts_equal_the_records_and_show_the_counting_rule(people, client_for):
    certification_issue(community=unit(), tier=tier("municipal"), certificate_number="市-G", issuer="市",
                        certified_on=dt.date(2024, 1, 1))
    r = client_for("leader").get("/communities/progress/")
    body = r.content.decode()
    assert "同时计入较低等级" in body and "CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER" not in body
    assert r.context["tiers"][0]["count"] == Certification.objects.in_force_on(timezone.localdate()).count() == 1
    hanbin = next(row for row in r.context["counties"] if row["county"].name == "汉滨区")
    assert hanbin["by_tier"][0] == 1
    assert hanbin["units"] == Region.objects.filter(county__name="汉滨区", level="village").count()


def test_progress_page_queries_do_not_grow_with_certifications(people, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("leader")
    with CaptureQueriesContext(connection) as small:
        client.get("/communities/progress/")
    for n, community in enumerate(Region.objects.filter(county__name="石泉县", level="village")[:40]):
        certification_issue(community=community, tier=tier("municipal"), certificate_number=f"Q-{n}", issuer="市",
                            certified_on=dt.date(2024, 1, 1))
    with CaptureQueriesContext(connection) as large:
        client.get("/communities/progress/")
    assert len(large) == len(small)


def test_evidence_downloads_only_for_those_who_see_the_application(people, client_for):
    a = complete(pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"]),
                 people["county_a"])
    evidence = a.evidence.get()
    url = f"/communities/applications/evidence/{evidence.pk}/"
    r = client_for("leader").get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == DEMO_PDF
    assert r["X-Content-Type-Options"] == "nosniff"
    assert client_for("county_b").get(url).status_code == 404
    assert client_for("auditor").get(url).status_code == 404


def test_the_leaders_certification_dashboard_follows_certification_and_withdrawal(people, client_for, plan,
                                                                                   plan_in_force):
    def city_count():  # this quarter's figure (the page opens on the last quarter that fell due)
        page = client_for("leader").get(f"/dashboards/certification/?quarter={Quarter.of_date(timezone.localdate())}")
        assert page.status_code == 200
        column = next(col for col in page.context["certification_page"].columns if col.tier.code == "municipal")
        return column.city.value if column.city else None

    before = city_count() or D(0)
    a = through_to_city(people)
    with TestCase.captureOnCommitCallbacks(execute=True):
        a = reviewed(a, people["city_admin"], certificate_number="市-DB", certified_on=timezone.localdate())
    assert city_count() == before + 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        pipeline.certification_withdraw_by(certification=a.certification, on=timezone.localdate(), reason="复核不合格",
                                           user=people["city_admin"])
    assert (city_count() or D(0)) == before
