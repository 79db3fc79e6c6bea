"""Integrity rules of certification: the certification date, evidence removal before submission,
and a county with no certification counted as 0 with its status, not "no data"."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from communities import pipeline
from communities.models import Application, ApplicationEvidence
from seeding.demo.certification import DEMO_PDF
from targets.models import Snapshot
from targets.rollup import rollup
from tests.communities.test_pipeline import complete, reviewed, through_to_city, tier, unit
from tests.conftest import make_user
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas):
    """The personas and a second officer of 汉滨区, for the county's step (the pipeline's tests' own)."""
    return {**personas, "town": personas["town_officer"],
            "county_a2": make_user("county_a2", roles=[Role.COUNTY_OFFICER], county="汉滨区")}


@pytest.mark.parametrize(("days", "says"), [(1, "将来"), (-3, "早于申请提交")])
def test_the_certification_date_is_neither_future_nor_before_submission(days, says, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = through_to_city(people)
    day = timezone.localdate() + dt.timedelta(days=days)
    with pytest.raises(ValidationError, match=says):
        reviewed(application, people["city_admin"], certificate_number="市-D1", certified_on=day)
    application.refresh_from_db()
    assert application.state == "in_review" and application.certification is None


def test_the_city_certifies_on_the_day_of_submission_or_later(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = through_to_city(people)
    a = reviewed(application, people["city_admin"], certificate_number="市-D2", certified_on=timezone.localdate())
    assert a.state == "certified"


def test_the_certification_date_through_the_page(people, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = through_to_city(people)
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client_for("city_admin").post(f"/communities/applications/{application.pk}/", {
        "action": "approve", "version": application.version, "comment": "同意", "certificate_number": "市-D3",
        "certified_on": future})
    assert response.status_code == 400 and "将来" in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == "in_review"


def test_evidence_is_removed_before_submission_and_kept_after(people, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = pipeline.application_create(community=unit(), tier=tier("municipal"), user=people["county_a"])
    a = complete(a, people["county_a"])
    wrong = pipeline.application_evidence_attach(application=a, user=people["county_a"], upload=SimpleUploadedFile(
        "错的.pdf", DEMO_PDF, content_type="application/pdf"))
    with pytest.raises(PermissionDenied):
        pipeline.application_evidence_remove(application=a, evidence=wrong, user=people["county_b"])
    response = client_for("county_a").post(f"/communities/applications/{a.pk}/", {
        "action": "evidence_remove", "evidence": wrong.pk})
    assert response.status_code == 302, response.content.decode()
    assert not ApplicationEvidence.objects.filter(pk=wrong.pk).exists()
    assert ApplicationEvidence.history.filter(id=wrong.pk, history_type="-").exists()  # the trail keeps it
    a = Application.objects.get(pk=a.pk)
    a = pipeline.application_submit(application=a, version=a.version, user=people["county_a"])
    kept = a.evidence.first()
    with pytest.raises(ValidationError, match="草稿或被退回"):
        pipeline.application_evidence_remove(application=a, evidence=kept, user=people["county_a"])
    assert a.evidence.count() == 1


def test_a_county_without_certifications_counts_0_with_a_status(db):
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        rollup(indicator_codes=["municipal_fe_communities"], today=dt.date(2024, 10, 15))
    snap = Snapshot.objects.get(plan__code="ankang-2022", indicator__code="municipal_fe_communities",
                                region=county("宁陕县"), year=2024, quarter=3)
    assert snap.value == 0 and snap.units_reported == 1  # a count of 0, not a missing figure
    city = Snapshot.objects.get(plan__code="ankang-2022", indicator__code="municipal_fe_communities",
                                region__level="city", year=2024, quarter=3)
    assert city.value == 0 and city.status == "red"  # 0 of 1,500, behind: a status, not "no data"
    assert "无数据" not in status_badge(snap) and "未设目标" in status_badge(snap)  # no county quota issued


def status_badge(snapshot) -> str:
    from django.utils import translation

    from tasks.templatetags.plan_tags import status_badge as badge

    with translation.override("zh-hans"):
        return str(badge(snapshot))
