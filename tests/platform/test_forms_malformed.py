"""Every page POST of the certification, registry, pack, import and sign-in pages is read through a
Django form: a malformed version, id, count, date or text — or a missing field — is refused on the
page (4xx, or the page again with the error), never a server error, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from communities import pipeline
from communities.models import (
    Application,
    ApplicationCheck,
    ApplicationEvidence,
    ApplicationReview,
    Certification,
    CertificationReview,
)
from communities.services import certification_issue
from divisions.models import CommunityProfile, Region
from imports.models import ImportBatch
from kernel.form_fields import POSITIVE_INT_MAX, TEXT_MAX
from packs.models import ReportPack
from seeding.demo.certification import DEMO_PDF
from tests.communities.test_pipeline import complete, reviewed, tier, town, unit
from tests.conftest import PASSWORD, make_user
from tests.platform.test_services import need_service

pytestmark = pytest.mark.django_db

TOO_BIG = str(POSITIVE_INT_MAX + 1)
MALFORMED_VERSIONS = ["abc", "-1", "1.5", "１", "99999999999", ""]
MALFORMED_DAYS = ["2026-13-45", "2026-02-30", "abc", "26-1-1", "9999-12-31", "0001-01-01"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(personas) -> dict[str, User]:
    """The personas, a town officer for the first review and a second county officer for the second."""
    town_officer = personas["town_officer"]
    assert town_officer.region == town()
    return {**personas, "town": town_officer,
            "county_a2": make_user("county_a2", roles=[Role.COUNTY_OFFICER], county="汉滨区")}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refused(response) -> bool:
    """A refusal the user can read: a 4xx page (the form again with its errors, or a 404)."""
    return 400 <= response.status_code < 500


def pipeline_rows() -> tuple:
    """Everything the pipeline's pages write, to show that a refused form wrote nothing."""
    return (
        list(Application.objects.order_by("pk").values_list("pk", "state", "step", "version", "summary")),
        list(ApplicationCheck.objects.order_by("pk").values_list("pk", "met", "value", "note")),
        ApplicationReview.objects.count(), ApplicationEvidence.objects.count(),
        list(Certification.objects.order_by("pk").values_list("pk", "valid_until", "withdrawn_on")),
        CertificationReview.objects.count(),
    )


# ---------------------------------------------------------------- opening an application


@pytest.mark.parametrize("form", [
    {"community": "abc", "tier": "municipal"},
    {"community": "", "tier": "municipal"},
    {"tier": "municipal"},
    {"community": "6" * 200, "tier": "municipal"},
    {"community": "610902000000", "tier": "municipal"},  # a county, not a village
    {"community": "UNIT", "tier": "nonexistent"},
    {"community": "UNIT", "tier": ""},
    {"community": "UNIT"},
    {"community": "UNIT", "tier": "municipal", "summary": "长" * (TEXT_MAX + 1)},
    {"community": "OTHER_COUNTY", "tier": "municipal"},  # a village of another county
])
def test_a_malformed_new_application_is_refused_and_opens_nothing(people, form):
    other = Region.objects.filter(county__name="石泉县", level=Region.Level.VILLAGE).order_by("code").first()
    form = {name: {"UNIT": unit().code, "OTHER_COUNTY": other.code}.get(value, value) for name, value in form.items()}
    response = client_of(people["county_a"]).post("/communities/applications/new/", form)
    assert refused(response), response.status_code
    assert response.status_code != 500
    assert not Application.objects.exists()


def test_the_new_application_form_names_what_is_wrong(people):
    response = client_of(people["county_a"]).post("/communities/applications/new/",
                                                  {"community": "abc", "tier": "municipal"})
    assert response.status_code == 400
    assert "abc" in response.content.decode() and "统计用区划代码" in response.content.decode()


# ---------------------------------------------------------------- the application page


@pytest.fixture
def draft(people) -> Application:
    return pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])


def checklist(application: Application, **overrides) -> dict:
    form = {"action": "save", "version": application.version, "summary": "做法"}
    for check in application.checks.select_related("criterion"):
        criterion = check.criterion
        if criterion.kind == "statement":
            form[f"met_{criterion.pk}"] = "yes"
        else:
            form[f"value_{criterion.pk}"] = "0" if criterion.code == "zero_employment_households" else "100"
        form[f"note_{criterion.pk}"] = ""
    form.update(overrides)
    return form


@pytest.mark.parametrize("version", MALFORMED_VERSIONS + [None])
@pytest.mark.parametrize("action", ["save", "submit", "cancel"])
def test_a_malformed_version_is_a_field_error_not_a_conflict_or_a_500(people, draft, action, version):
    form = {"save": checklist(draft), "submit": {"action": "submit"}, "cancel": {"action": "cancel", "reason": "暂缓"}}
    form = {**form[action], "version": version}
    if version is None:
        del form["version"]
    before = pipeline_rows()
    response = client_of(people["county_a"]).post(f"/communities/applications/{draft.pk}/", form)
    assert response.status_code == 400, response.status_code
    assert "版本" in response.content.decode()
    assert pipeline_rows() == before


@pytest.mark.parametrize("field, value", [
    ("met", "maybe"),
    ("met", "是"),
    ("value", "9" * 41),
    ("value", "abc"),  # read by the pipeline's rule for figures: refused whole
    ("value", "１００"),
    ("value", "1e400"),
    ("value", "-5"),
    ("value", "99999999999"),
    ("note", "长" * 301),
    ("summary", "长" * (TEXT_MAX + 1)),
])
def test_a_malformed_checklist_answer_is_refused_and_saves_nothing(people, draft, field, value):
    criterion = draft.checks.select_related("criterion").get(
        criterion__code="assistance_rate" if field == "value" else "services").criterion
    name = field if field == "summary" else f"{field}_{criterion.pk}"
    before = pipeline_rows()
    response = client_of(people["county_a"]).post(f"/communities/applications/{draft.pk}/",
                                                  checklist(draft, **{name: value}))
    assert response.status_code == 400, response.status_code
    assert pipeline_rows() == before


def test_checklist_fields_naming_no_criterion_of_the_application_are_ignored(people, draft):
    response = client_of(people["county_a"]).post(f"/communities/applications/{draft.pk}/",
                                                  checklist(draft, met_abc="yes", met_999999="yes", value_x="1"))
    assert response.status_code == 302
    assert Application.objects.get(pk=draft.pk).version == draft.version + 1


@pytest.mark.parametrize("form", [{}, {"action": ""}, {"action": "delete"}, {"action": "save" * 100}])
def test_an_unknown_or_missing_action_is_refused(people, draft, form):
    before = pipeline_rows()
    response = client_of(people["county_a"]).post(f"/communities/applications/{draft.pk}/", form)
    assert response.status_code == 400 and pipeline_rows() == before


def test_evidence_without_a_file_is_refused(people, draft):
    before = pipeline_rows()
    page = f"/communities/applications/{draft.pk}/"
    for form in ({"action": "evidence"}, {"action": "evidence", "file": "not a file"}):
        response = client_of(people["county_a"]).post(page, form)
        assert response.status_code == 400 and "请选择文件" in response.content.decode()
    assert pipeline_rows() == before


def test_over_long_cancel_reason_and_submit_comment_are_refused(people, draft):
    before = pipeline_rows()
    page = f"/communities/applications/{draft.pk}/"
    client = client_of(people["county_a"])
    long_text = "长" * (TEXT_MAX + 1)
    assert client.post(page, {"action": "cancel", "version": draft.version, "reason": long_text}).status_code == 400
    assert client.post(page, {"action": "submit", "version": draft.version, "comment": long_text}).status_code == 400
    assert pipeline_rows() == before


@pytest.fixture
def at_city(people) -> Application:
    application = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    application = complete(application, people["county_a"])
    application = pipeline.application_submit(application=application, version=application.version,
                                              user=people["county_a"])
    application = reviewed(application, people["town"])
    return reviewed(application, people["county_a2"])


@pytest.mark.parametrize("form", [
    *({"certified_on": day, "certificate_number": "安-1"} for day in MALFORMED_DAYS),
    *({"version": version, "certificate_number": "安-1"} for version in MALFORMED_VERSIONS),
    {"certificate_number": "安" * 61},
    {"certificate_number": "安-1", "comment": "长" * (TEXT_MAX + 1)},
])
@pytest.mark.parametrize("action", ["approve", "return"])
def test_a_malformed_review_decision_is_refused_and_certifies_nothing(people, at_city, action, form):
    form = {"action": action, "version": at_city.version, "comment": "退回理由",
            "certified_on": timezone.localdate().isoformat(), **form}
    before = pipeline_rows()
    response = client_of(people["city_admin"]).post(f"/communities/applications/{at_city.pk}/", form)
    assert response.status_code == 400, response.status_code
    assert pipeline_rows() == before
    assert Application.objects.get(pk=at_city.pk).state == "in_review"


def test_an_application_of_another_county_is_not_found_whatever_is_posted(people, draft):
    before = pipeline_rows()
    client = client_of(people["county_b"])
    for form in (checklist(draft), {"action": "cancel", "version": "abc"}, {}):
        assert client.post(f"/communities/applications/{draft.pk}/", form).status_code == 404
    assert client.post("/communities/applications/abc/", {"action": "save"}).status_code == 404
    assert client.post("/communities/applications/99999999999999999999/", {"action": "save"}).status_code == 404
    assert pipeline_rows() == before


# ---------------------------------------------------------------- the certification page


@pytest.fixture
def certification(people) -> Certification:
    return certification_issue(community=unit(), tier=tier("municipal"), certificate_number="市-F", issuer="市",
                               certified_on=dt.date(2024, 1, 1), valid_until=dt.date(2026, 12, 31))


@pytest.mark.parametrize("form", [
    *({"action": "review", "day": day, "passed": "yes"} for day in MALFORMED_DAYS + [""]),
    *({"action": "withdraw", "day": day, "reason": "复核不合格"} for day in MALFORMED_DAYS + [""]),
    {"action": "review", "passed": "yes"},
    {"action": "review", "day": "2026-06-01", "passed": "maybe"},
    {"action": "review", "day": "2026-06-01"},
    {"action": "review", "day": "2026-06-01", "passed": "no", "comment": "长" * (TEXT_MAX + 1)},
    {"action": "withdraw", "day": "2026-06-01", "reason": "长" * 301},
    {"action": "withdraw"},
    {"action": "renew", "day": "2026-06-01"},
    {},
])
def test_a_malformed_review_or_withdrawal_is_refused_and_changes_nothing(people, certification, form):
    before = pipeline_rows()
    response = client_of(people["city_admin"]).post(f"/communities/certifications/{certification.pk}/", form)
    assert response.status_code == 400, response.status_code
    assert pipeline_rows() == before


def test_a_county_officer_cannot_review_or_withdraw_a_certification(people, certification):
    before = pipeline_rows()
    page = f"/communities/certifications/{certification.pk}/"
    client = client_of(people["county_a"])
    assert client.post(page, {"action": "withdraw", "day": "2026-06-01", "reason": "x"}).status_code == 403
    assert client.post(page, {"action": "review", "day": "2026-06-01", "passed": "yes"}).status_code == 403
    assert client_of(people["auditor"]).post(page, {"action": "review"}).status_code == 404
    assert pipeline_rows() == before


def test_well_formed_review_and_withdrawal_still_work(people, certification):
    page = f"/communities/certifications/{certification.pk}/"
    client = client_of(people["city_admin"])
    assert client.post(page, {"action": "review", "day": "2026-06-01", "passed": "yes"}).status_code == 302
    assert client.post(page, {"action": "withdraw", "day": "2026-07-01", "reason": "复核不合格"}).status_code == 302
    certification.refresh_from_db()
    assert certification.withdrawn_on == dt.date(2026, 7, 1) and certification.reviews.count() == 1


# ---------------------------------------------------------------- a community's profile


def profiles() -> list[tuple]:
    return list(CommunityProfile.objects.order_by("region__code").values_list(
        "region__code", "households", "population", "is_relocation", "version"))


@pytest.mark.parametrize("form", [
    {"households": TOO_BIG, "version": "1"},
    {"households": "99999999999", "version": "1"},
    {"population": "99999999999999999999999", "version": "1"},
    {"households": "-1", "version": "1"},
    {"households": "abc", "version": "1"},
    {"households": "３５０", "version": "1"},
    {"households": "3.5", "version": "1"},
    {"households": "3_50", "version": "1"},
    {"population": "1e3", "version": "1"},
    *({"households": "10", "version": version} for version in MALFORMED_VERSIONS),
    {"households": "10"},
])
def test_a_malformed_profile_is_a_field_error_and_saves_nothing(client_for, form):
    community = Region.objects.filter(county__name="汉滨区", kind="community").order_by("code").first()
    before = profiles()
    response = client_for("county_a").post(f"/communities/{community.code}/", form)
    assert response.status_code == 400, response.status_code
    assert profiles() == before


def test_the_largest_count_the_column_holds_is_saved(client_for):
    community = Region.objects.filter(county__name="汉滨区", kind="community").order_by("code").first()
    response = client_for("county_a").post(f"/communities/{community.code}/", {
        "households": str(POSITIVE_INT_MAX), "population": "0", "version": "1"})
    assert response.status_code == 302
    assert CommunityProfile.objects.get(region=community).households == POSITIVE_INT_MAX


def test_the_profile_error_names_the_field(client_for):
    community = Region.objects.filter(county__name="汉滨区", kind="community").order_by("code").first()
    response = client_for("county_a").post(f"/communities/{community.code}/", {"households": TOO_BIG, "version": "1"})
    assert "户数" in response.content.decode() and "2147483647" in response.content.decode()


# ---------------------------------------------------------------- report packs


@pytest.mark.parametrize("quarter", ["", "abc", "2024Q5", "2024Q0", "20245Q1", "2024Q1" * 10, "１２３４Q1"])
def test_a_malformed_pack_quarter_is_refused(client_for, quarter):
    response = client_for("city_admin").post("/packs/", {"quarter": quarter})
    assert response.status_code == 400 and "请选择季度" in response.content.decode()
    assert client_for("city_admin").post("/packs/", {}).status_code == 400
    assert not ReportPack.objects.exists()


# ---------------------------------------------------------------- imports


IMPORT_PAGES = ["/imports/communities/", "/imports/returns/610902000000/2024Q3/", "/imports/applications/municipal/"]


@pytest.mark.parametrize("page", IMPORT_PAGES)
@pytest.mark.parametrize("form", [{}, {"file": "not a file"}])
def test_an_upload_without_a_file_is_refused(client_for, page, form):
    response = client_for("county_a").post(page, form)
    assert response.status_code == 400 and "请选择" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_task_report_upload_without_a_file_is_refused(client_for):
    response = client_for("lead_officer").post("/imports/task-reports/2024Q3/", {})
    assert response.status_code == 400 and not ImportBatch.objects.exists()


@pytest.mark.parametrize("page", ["/imports/returns/610902000000/2024Q9/", "/imports/returns/610902000000/abc/",
                                  "/imports/returns/610902000000/99999999999999999999Q1/",
                                  "/imports/returns/610925000000/2024Q3/", "/imports/task-reports/20x4Q1/"])
def test_an_upload_to_a_malformed_or_foreign_page_is_not_found(client_for, page):
    response = client_for("county_a").post(page, {"file": SimpleUploadedFile("a.csv", b"x")})
    assert response.status_code == 404 and not ImportBatch.objects.exists()


def test_confirming_another_countys_batch_or_a_malformed_id_is_not_found(personas, client_for):
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.COMMUNITY_PROFILES, state=ImportBatch.State.READY,
                                       created_by=personas["county_b"], scope_region=personas["county_b"].region,
                                       file_name="b.csv", file_sha256="", file_size=1)
    client = client_for("county_a")
    assert client.post(f"/imports/{batch.pk}/confirm/").status_code == 404
    assert client.post("/imports/abc/confirm/").status_code == 404
    assert client.post("/imports/99999999999999999999/confirm/").status_code == 404
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.READY


# ---------------------------------------------------------------- sign-in


@pytest.mark.parametrize("token", ["", "abc", "1234567", "12345", "１２３４５６", "1" * 5000])
def test_a_malformed_second_factor_code_is_a_wrong_code(personas, token, settings):
    settings.OTP_REQUIRED = True
    user = personas["leader"]
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    client = Client()
    assert client.post("/accounts/login/", {"username": "leader", "password": PASSWORD}).status_code == 302
    response = client.post("/accounts/otp/verify/", {"token": token, "next": "/"})
    assert response.status_code == 200 and "六位" in response.content.decode()
    assert client.get("/")["Location"].startswith("/accounts/otp/")  # not through
    device.delete()
    response = client.post("/accounts/otp/setup/", {"token": token, "next": "x" * 5000})
    assert response.status_code == 200 and "六位" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_a_password_change_with_missing_fields_is_refused_on_the_page(personas):
    client = Client()
    client.post("/accounts/login/", {"username": "leader", "password": PASSWORD})
    response = client.post("/accounts/password/", {"new_password1": "x" * 5000})
    assert response.status_code == 200 and "必填" in response.content.decode()


# ---------------------------------------------------------------- PostgreSQL's integer range


def test_postgresql_would_refuse_the_number_the_form_refuses(client_for):
    """On PostgreSQL the column's range is enforced: the form refuses first (skipped on the embedded
    SQLite, a failure with REQUIRE_SERVICES=1)."""
    from django.db import DataError, transaction

    need_service(connection.vendor == "postgresql", "the column's range is enforced by PostgreSQL only")
    community = Region.objects.filter(county__name="汉滨区", kind="community").order_by("code").first()
    with pytest.raises(DataError), transaction.atomic():
        CommunityProfile.objects.create(region=community, households=POSITIVE_INT_MAX + 1)
    response = client_for("county_a").post(f"/communities/{community.code}/", {"households": TOO_BIG, "version": "1"})
    assert response.status_code == 400 and not CommunityProfile.objects.filter(region=community).exists()


def test_evidence_still_attaches_through_the_form(people, draft):
    response = client_of(people["county_a"]).post(f"/communities/applications/{draft.pk}/", {
        "action": "evidence", "file": SimpleUploadedFile("纪要.pdf", DEMO_PDF, content_type="application/pdf")})
    assert response.status_code == 302 and draft.evidence.count() == 1
