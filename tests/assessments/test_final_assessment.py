"""The final assessment of a plan (终期评估): its figures are the snapshots of the plan's final
quarter at the data cut-off, a correction approved later shows beside them and never in their
place, it is drafted, checked and issued by different members of the office, an issued one refuses
every change, its .docx is an official document with its 文号 and every main target, and only the
office and the leaders see it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D
from unittest import mock

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory, TestCase
from docx import Document
from openpyxl import load_workbook

from accounts.roles import Role
from assessments.models import FinalAssessment
from assessments.selectors import year_ends
from assessments.services import assessment_check, assessment_draft, assessment_issue
from divisions.models import Region
from kernel.refusals import Locked
from reports.models import ReportingPeriod
from reports.services import (
    correction_approve,
    correction_request,
    county_return_approve,
    county_return_open,
    county_return_save,
    county_return_submit,
)
from targets.models import Indicator, Snapshot, Target
from tests.conftest import make_user
from tests.reports.test_county_returns import full_figures
from tests.targets_helpers import approve, county, snap

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)
DOC_NUMBER = "安就业办发〔2026〕9号"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


@pytest.fixture
def office(personas):
    """Two members of the office: one drafts, the other checks and issues."""
    return personas["city_admin"], make_user("city_admin2", roles=[Role.CITY_ADMIN], department="市人社局")


@pytest.fixture
def final_return(personas):
    """汉滨区's complete, approved 2025Q4 return (the plan's final quarter), rolled up; and a
    figure in each earlier year's last quarter."""
    for label, value in [("2021Q4", 900), ("2022Q4", 1100), ("2023Q4", 1300), ("2024Q4", 1500)]:
        approve("urban_new_jobs", "汉滨区", label, value=value)
    officer = personas["county_a"]
    period = ReportingPeriod.objects.get(year=2025, quarter=4)
    with TestCase.captureOnCommitCallbacks(execute=True):
        r = county_return_open(region=county("汉滨区"), period=period, user=officer)
        r = county_return_save(county_return=r, figures=full_figures(), version=r.version, user=officer,
                               today=dt.date(2026, 1, 5))
        r = county_return_submit(county_return=r, version=r.version, user=officer, today=dt.date(2026, 1, 5))
        r = county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])
    return r


def _draft(plan, user):
    return assessment_draft(plan=plan, user=user, doc_number=DOC_NUMBER)


def _issued(plan, office):
    drafter, second = office
    a = _draft(plan, drafter)
    a = assessment_check(assessment=a, user=second)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the files job runs after the commit (eager)
        a = assessment_issue(assessment=a, user=second)
    a.refresh_from_db()
    return a


def test_figures_are_the_snapshots_of_the_final_quarter_at_the_cut_off(plan, office, final_return):
    a = _draft(plan, office[0])
    assert a.final_quarter_label == "2025Q4" and a.state == "draft" and a.version == 1
    city = Region.objects.get(level=Region.Level.CITY)
    targets = {t["code"]: t for t in a.content["targets"]}
    assert set(targets) == set(Target.objects.filter(plan=plan).values_list("code", flat=True))
    checked = 0
    for t in Target.objects.filter(plan=plan, indicator__isnull=False).select_related("indicator"):
        s = Snapshot.objects.filter(plan=plan, indicator=t.indicator, region=city, year=2025, quarter=4).first()
        item = targets[t.code]
        assert (D(item["final"]["value"]) if item["final"]["value"] else None) == (s.value if s else None), t.code
        if s is not None and s.value is not None:
            checked += 1
            assert item["final"]["status"] == s.status
    assert checked >= 5
    jobs = targets["urban_new_jobs"]
    # cumulative over the plan: 900 + 1100 + 1300 + 1500 + 10 (the return's figure)
    assert D(jobs["final"]["value"]) == snap("urban_new_jobs", city, "2025Q4").value == D(4810)
    assert jobs["final"]["met"] is False  # 4,810 of 100,000: the plan's rule, after the end, says red
    assert [p["quarter"] for p in jobs["path"]] == [q.label for q in year_ends(plan)] == [
        "2021Q4", "2022Q4", "2023Q4", "2024Q4", "2025Q4"]
    assert [D(p["value"]) for p in jobs["path"]] == [
        snap("urban_new_jobs", city, f"{y}Q4").value for y in range(2021, 2026)] == [D(900), D(2000), D(3300),
                                                                                       D(4800), D(4810)]
    hanbin = next(r for r in jobs["counties"] if r["name"] == "汉滨区")
    assert D(hanbin["value"]) == snap("urban_new_jobs", "汉滨区", "2025Q4").value
    # the registered unemployment rate (a ceiling): 30/1000 = 3 % ≤ 4 %, met by the same status rule
    rate = targets["registered_unemployment_rate"]
    assert D(rate["final"]["value"]) == D(3) and rate["final"]["met"] is True


def test_a_correction_approved_after_the_cut_off_shows_beside_not_instead(plan, office, final_return, personas,
                                                                         client_for):
    a = _draft(plan, office[0])
    frozen = next(t for t in a.content["targets"] if t["code"] == "urban_new_jobs")["final"]["value"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        correction = correction_request(county_return=final_return,
                                        indicator=Indicator.objects.get(code="urban_new_jobs"),
                                        figures={"value": "510"}, reason="漏报一个园区", user=personas["county_a"])
        correction_approve(correction=correction, reviewer=personas["city_admin"])
    city = Region.objects.get(level=Region.Level.CITY)
    assert snap("urban_new_jobs", city, "2025Q4").value == D(5310)  # the snapshots moved on
    a.refresh_from_db()
    assert next(t for t in a.content["targets"] if t["code"] == "urban_new_jobs")["final"]["value"] == frozen
    html = client_for("leader").get(f"/plans/{plan.code}/assessment/").content.decode()
    row = html.split("<td>城镇新增就业</td>", 1)[1].split("</tr>", 1)[0]
    assert "4,810 人" in row  # the frozen figure stays
    assert "截止日后更正" in row and "汉滨区" in row and "10 → 510" in row  # the correction beside it
    assert "5,310 人" in row  # and the figure as it stands now, labelled as such


def test_drafted_checked_and_issued_by_different_people(plan, office, final_return):
    drafter, second = office
    a = _draft(plan, drafter)
    with pytest.raises(ValidationError, match="起草人"):
        assessment_check(assessment=a, user=drafter)
    with pytest.raises(ValidationError):
        assessment_issue(assessment=a, user=second)  # not checked yet
    a = assessment_check(assessment=a, user=second)
    with pytest.raises(ValidationError, match="起草人"):
        assessment_issue(assessment=a, user=drafter)
    a = _issued_from(a, second)
    assert a.state == "issued" and a.issued_on == TODAY and a.files_state == "done"
    assert a.workbook_sha256 and a.document_sha256


def _issued_from(a, user):
    with TestCase.captureOnCommitCallbacks(execute=True):
        a = assessment_issue(assessment=a, user=user)
    a.refresh_from_db()
    return a


def test_versions_are_kept_and_only_the_latest_goes_on(plan, office, final_return):
    drafter, second = office
    v1 = _draft(plan, drafter)
    v2 = _draft(plan, drafter)
    assert (v1.version, v2.version) == (1, 2)
    with pytest.raises(ValidationError):
        assessment_check(assessment=v1, user=second)
    assessment_check(assessment=v2, user=second)
    assert FinalAssessment.objects.filter(plan=plan).count() == 2


def test_an_issued_assessment_refuses_every_change(plan, office, final_return, personas):
    a = _issued(plan, office)
    before = (a.content, a.doc_number, a.state, a.document_sha256, a.workbook_sha256)
    for step in (assessment_check, assessment_issue):
        with pytest.raises(Locked):
            step(assessment=a, user=office[1])
    with pytest.raises(Locked):
        _draft(plan, office[0])  # no new version once one is issued
    from assessments.services import assessment_files_write

    assert assessment_files_write(assessment_id=a.pk) is None  # the files are written once
    a.refresh_from_db()
    assert (a.content, a.doc_number, a.state, a.document_sha256, a.workbook_sha256) == before
    # the admin is read-only
    model_admin = admin.site._registry[FinalAssessment]
    request = RequestFactory().get("/admin/")
    request.user = personas["city_admin"]
    assert not model_admin.has_change_permission(request, a) and not model_admin.has_delete_permission(request, a)
    assert not model_admin.has_add_permission(request)


def test_no_draft_before_the_plan_has_ended_nor_by_anyone_but_the_office(plan, personas):
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2025, 12, 31)):
        with pytest.raises(ValidationError, match="尚未结束"):
            _draft(plan, personas["city_admin"])
    for name in ("leader", "county_a", "lead_officer", "auditor"):
        with pytest.raises(PermissionDenied):
            _draft(plan, personas[name])
    with pytest.raises(ValidationError, match="文号"):
        assessment_draft(plan=plan, user=personas["city_admin"], doc_number="  ")
    assert not FinalAssessment.objects.exists()


def test_the_docx_is_an_official_document_with_its_number_and_every_main_target(plan, office, final_return,
                                                                                   client_for):
    a = _issued(plan, office)
    response = client_for("leader").get(f"/plans/{plan.code}/assessment/v{a.version}/docx/")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert DOC_NUMBER in text and a.title in text
    for name in Target.objects.filter(plan=plan, category="main").values_list("name", flat=True):
        assert name in cells, name
    assert "安康市就业工作领导小组办公室" in text and "2026年11月30日" in text  # 落款 and the date, the Chinese way
    assert "4,810 人" in cells


def test_the_workbook_holds_the_frozen_figures(plan, office, final_return, client_for):
    a = _draft(plan, office[0])
    response = client_for("city_admin").get(f"/plans/{plan.code}/assessment/v{a.version}/xlsx/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.worksheets[1].iter_rows(values_only=True))
    jobs = next(r for r in rows if r[0] == "urban_new_jobs")
    assert jobs[6] == 4810 and jobs[9] == "未达标"
    assert [r[0] for r in wb.worksheets[0].iter_rows(values_only=True)][:3] == ["项目", "标题", "文号"]


@pytest.mark.parametrize("persona, status", [
    ("city_admin", 200), ("leader", 200), ("county_a", 404), ("lead_officer", 404), ("co_officer", 404),
    ("auditor", 404), ("outsider", 404)])
def test_who_reads_the_assessment(plan, office, final_return, client_for, persona, status):
    a = _draft(plan, office[0])
    client = client_for(persona)
    assert client.get(f"/plans/{plan.code}/assessment/").status_code == status
    assert client.get(f"/plans/{plan.code}/assessment/v{a.version}/docx/").status_code == status


def test_only_the_office_drafts_on_the_page(plan, client_for, final_return):
    url = f"/plans/{plan.code}/assessment/"
    assert client_for("leader").post(url, {"action": "draft", "doc_number": DOC_NUMBER}).status_code == 404
    assert not FinalAssessment.objects.exists()
    html = client_for("leader").get(url).content.decode()
    assert "尚未起草" in html
    response = client_for("city_admin").post(url, {"action": "draft", "doc_number": DOC_NUMBER})
    assert response.status_code == 302
    a = FinalAssessment.objects.get()
    assert a.drafted_by.username == "city_admin" and a.doc_number == DOC_NUMBER
    # the plan page links the assessment for its readers
    assert url in client_for("leader").get(f"/plans/{plan.code}/").content.decode()
    assert url not in client_for("county_a").get(f"/plans/{plan.code}/").content.decode()


def test_the_page_shows_the_frozen_account(plan, office, final_return, client_for):
    _issued(plan, office)
    html = client_for("leader").get(f"/plans/{plan.code}/assessment/").content.decode()
    assert DOC_NUMBER in html and "2025年第四季度" in html and "2026年11月30日" in html
    assert "已签发" in html
    for section in ("主要目标", "各县（市、区）", "充分就业", "重点任务", "报送及时性"):
        assert section in html, section


def test_tasks_instructions_and_timeliness_over_the_whole_plan(plan, office, final_return, personas):
    from reports.models import TaskReport
    from reports.services import instruction_give

    task = plan.tasks.get(number=2)
    instruction = instruction_give(task=task, text="加快园区招工进度", user=personas["leader"],
                                   deadline=dt.date(2026, 12, 31), today=dt.date(2026, 11, 30))
    given = instruction.created_at
    for label, status, submitted in [("2023Q1", "on_track", given - dt.timedelta(days=30)),
                                     ("2023Q2", "at_risk", given + dt.timedelta(days=20))]:
        period = ReportingPeriod.objects.get(year=int(label[:4]), quarter=int(label[-1]))
        TaskReport.objects.create(task=task, period=period, state="approved", self_status=status,
                                  measures=f"{label}措施", first_submitted_at=submitted, submitted_at=submitted)
    a = _draft(plan, office[0])
    t2 = next(t for t in a.content["tasks"] if t["number"] == 2)
    assert t2["lead"] == "市工信局" and "市商务局" in t2["co"]
    statuses = {s["quarter"]: s["status"] for s in t2["statuses"]}
    assert len(statuses) == 20 and statuses["2023Q1"] == "on_track" and statuses["2023Q2"] == "at_risk"
    assert statuses["2025Q4"] == ""
    (ins,) = t2["instructions"]
    assert ins["text"] == "加快园区招工进度" and ins["handled"]["quarter"] == "2023Q2"  # the first report after it
    assert ins["handled"]["measures"] == "2023Q2措施"
    tl = a.content["timeliness"]
    assert tl["periods"][0] == "2021Q1" and tl["periods"][-1] == "2025Q4" and len(tl["periods"]) == 20
    hanbin = next(r for r in tl["counties"] if r["name"] == "汉滨区")
    assert (hanbin["expected"], hanbin["on_time"] + hanbin["late"]) == (20, 1)  # its one return of the plan
    gongxin = next(r for r in tl["departments"] if r["name"] == "市工信局")
    assert gongxin["on_time"] + gongxin["late"] == 2
    cert = a.content["certification"]
    assert cert["on"] == "2025-12-31" and len(cert["tiers"]) == 4
    assert all(len(tier["counties"]) == 10 for tier in cert["tiers"])


@pytest.mark.parametrize("form, status", [
    ({"action": "issue", "version": "abc"}, 400), ({"action": "check", "version": ""}, 400),
    ({"action": "draft", "doc_number": ""}, 400), ({"action": "sign"}, 404), ({}, 404),
    ({"action": "check", "version": "99"}, 404)])
def test_a_malformed_step_is_refused_and_changes_nothing(plan, office, client_for, form, status):
    a = _draft(plan, office[0])
    response = client_for("city_admin").post(f"/plans/{plan.code}/assessment/", form)
    assert response.status_code == status
    if status == 400:
        assert "alert-danger" in response.content.decode()
    a.refresh_from_db()
    assert a.state == "draft" and FinalAssessment.objects.count() == 1


def test_the_steps_on_the_page_are_in_the_audit_trail_with_who_did_them(plan, office, client_for):
    from django.test import Client

    from audit.models import AuditEvent

    url = f"/plans/{plan.code}/assessment/"
    assert client_for("city_admin").post(url, {"action": "draft", "doc_number": DOC_NUMBER}).status_code == 302
    second = Client()
    second.force_login(office[1])
    # the drafter cannot check their own draft on the page either: refused with the reason, nothing changes
    response = client_for("city_admin").post(url, {"action": "check", "version": "1"})
    assert response.status_code == 400 and "起草人" in response.content.decode()
    assert second.post(url, {"action": "check", "version": "1"}).status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert second.post(url, {"action": "issue", "version": "1"}).status_code == 302
    a = FinalAssessment.objects.get()
    assert a.state == "issued" and a.checked_by == office[1] and a.issued_by == office[1]
    events = AuditEvent.objects.filter(model="assessments.finalassessment", object_pk=str(a.pk)).order_by("pk")
    assert [(e.action, e.actor_username) for e in events][:3] == [
        ("created", "city_admin"), ("changed", "city_admin2"), ("changed", "city_admin2")]
    assert any(c["field"] == "state" and "已签发" in str(c["new"]) for e in events for c in e.changes)


def test_the_issued_files_list_later_corrections_apart_from_the_frozen_figures(plan, office, final_return, personas):
    drafter, second = office
    a = _draft(plan, drafter)
    with TestCase.captureOnCommitCallbacks(execute=True):
        correction = correction_request(county_return=final_return,
                                        indicator=Indicator.objects.get(code="urban_new_jobs"),
                                        figures={"value": "510"}, reason="漏报一个园区", user=personas["county_a"])
        correction_approve(correction=correction, reviewer=personas["city_admin"])
    a = _issued_from(assessment_check(assessment=a, user=second), second)
    wb = load_workbook(a.workbook.path)
    jobs = next(r for r in wb.worksheets[1].iter_rows(values_only=True) if r[0] == "urban_new_jobs")
    assert jobs[6] == 4810  # frozen
    later = list(wb.worksheets[-1].iter_rows(values_only=True))
    assert later[0][0] == "指标" and later[1][:6] == ("urban_new_jobs", "汉滨区", "2025年第四季度", "数值", 10, 510)
    doc = Document(a.document.path)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "数据截止后核准的更正" in text and "汉滨区 2025年第四季度 urban_new_jobs：数值 10 → 510（漏报一个园区）" in text
