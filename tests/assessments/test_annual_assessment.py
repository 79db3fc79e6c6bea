"""The annual assessment (年度考核): a scheme the office configures (weights summing to 100, a rule
for every item), scores computed from the records and checked here by hand — a capped
over-achievement, an "at most" rate above and at its ceiling, a late and a missing return, ties
ranked 并列 (1, 1, 3) — drafted, checked and issued by different members of the office, immutable
once issued, its 通报 an official .docx (red head, 文号, ranked table, 落款, page numbers) written into
a template the office can replace; only the office edits, the leaders read."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D
from unittest import mock

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, TestCase
from django.utils import timezone
from docx import Document
from docx.shared import RGBColor

from accounts.roles import Role
from assessments.annual import DEFAULT_RULES
from assessments.models import AnnualAssessment, AssessmentScheme, DocumentTemplate
from assessments.services import (
    ItemInput,
    annual_check,
    annual_compute,
    annual_issue,
    annual_request,
    scheme_save,
    template_upload,
)
from divisions.models import Region
from kernel.refusals import Locked
from reports.models import CountyReturn, Instruction, InstructionUnit, ReportingPeriod
from targets.models import Indicator, Snapshot, Target
from targets.scoring import achievement, competition_ranks
from tests.conftest import make_user
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)
DOC = "安就业办发〔2026〕7号"


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
    return personas["city_admin"], make_user("city_admin2", roles=[Role.CITY_ADMIN], department="市人社局")


def _items():
    jobs = Indicator.objects.get(code="urban_new_jobs")
    rate = Indicator.objects.get(code="registered_unemployment_rate")
    return [ItemInput("target", "城镇新增就业", D(50), DEFAULT_RULES["target"], jobs),
            ItemInput("target", "登记失业率", D(30), DEFAULT_RULES["target"], rate),
            ItemInput("timeliness", "报送及时", D(20), DEFAULT_RULES["timeliness"])]


@pytest.fixture
def scheme(plan, office):
    return scheme_save(year=2025, audience="counties", plan=plan, items=_items(), user=office[0])


def _snap(plan, code: str, name: str, value, *, target=None, expected=None):
    return Snapshot.objects.create(plan=plan, indicator=Indicator.objects.get(code=code), region=county(name),
                                   target=Target.objects.get(plan=plan, indicator__code=code), year=2025, quarter=4,
                                   value=D(str(value)), target_value=D(str(target)) if target is not None else None,
                                   expected_to_date=D(str(expected)) if expected is not None else None,
                                   computed_at=timezone.now())


def _returns(name: str, *, late=(), missing=(), year: int = 2025):
    """The county's returns of the year, first submitted on their due day (or a week late, or never)."""
    for period in ReportingPeriod.objects.filter(year=year).order_by("quarter"):
        if period.quarter in missing:
            continue
        day = period.due_on + dt.timedelta(days=7 if period.quarter in late else 0)
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        CountyReturn.objects.create(region=county(name), period=period, state="approved", first_submitted_at=moment,
                                    submitted_at=moment)


@pytest.fixture
def records(plan):
    """Six counties' 2025 records, small enough to score by hand (jobs: quota to date 1,000;
    registered unemployment rate: at most 4 %; four returns due)."""
    _snap(plan, "urban_new_jobs", "汉滨区", 1200, target=5000, expected=1000)  # 120 %: capped at 100 %
    _snap(plan, "registered_unemployment_rate", "汉滨区", "3.5", target=4)
    _returns("汉滨区")
    _snap(plan, "urban_new_jobs", "平利县", 950, target=5000, expected=1000)
    _snap(plan, "registered_unemployment_rate", "平利县", 3, target=4)
    _returns("平利县")
    _snap(plan, "urban_new_jobs", "汉阴县", 1000, target=5000, expected=1000)
    _snap(plan, "registered_unemployment_rate", "汉阴县", 4, target=4)  # at the ceiling: met
    _returns("汉阴县", late=(2,))
    _snap(plan, "urban_new_jobs", "岚皋县", 1100, target=5000, expected=1000)
    _snap(plan, "registered_unemployment_rate", "岚皋县", 4, target=4)
    _returns("岚皋县", missing=(3,))
    _snap(plan, "urban_new_jobs", "石泉县", 900, target=5000, expected=1000)
    _snap(plan, "registered_unemployment_rate", "石泉县", "4.4", target=4)  # above the ceiling: 4 ÷ 4.4
    _returns("石泉县")
    _snap(plan, "urban_new_jobs", "紫阳县", 2000, target=5000, expected=1000)  # no rate reported, no returns


def _rows(assessment) -> dict[str, dict]:
    group = next(g for g in assessment.content["groups"] if g["audience"] == "counties")
    return {r["name"]: r for r in group["rows"]}


def test_the_scoring_rules_by_hand():
    assert achievement(direction="at_least", value=D(1200), target=D(1000)) == 1  # capped
    assert achievement(direction="at_least", value=D(900), target=D(1000)) == D("0.9")
    assert achievement(direction="at_most", value=D(4), target=D(4)) == 1
    assert achievement(direction="at_most", value=D("4.4"), target=D(4)) == D(4) / D("4.4")
    assert achievement(direction="zero", value=D(2), target=D(0)) == 0
    assert achievement(direction="at_least", value=None, target=D(1)) is None
    assert competition_ranks([D(90), D(95), D(90), None, D(80)]) == [2, 1, 2, None, 4]


def test_hand_computed_scores_with_ties_caps_ceilings_and_missing_reports(plan, office, scheme, records):
    a = annual_compute(year=2025, user=office[0], doc_number=DOC)
    assert a.state == "draft" and a.version == 1 and a.content["quarter"] == "2025Q4" and a.content["complete"]
    rows = _rows(a)

    def scores(name):
        return [c["score"] for c in rows[name]["cells"]], rows[name]["total"], rows[name]["rank"], rows[name]["tied"]

    # 50 × min(1200/1000, 1) + 30 (3.5 ≤ 4) + 20 × 4/4
    assert scores("汉滨区") == (["50.00", "30.00", "20.00"], "100.00", 1, False)
    assert "实际完成120.00%" in rows["汉滨区"]["cells"][0]["detail"]
    # 50 × 0.95 + 30 + 20
    assert scores("平利县") == (["47.50", "30.00", "20.00"], "97.50", 2, False)
    # 50 + 30 (4 ≤ 4: at the ceiling is met) + 20 × 3/4 (one late) = 95; 岚皋县 the same with one missing: 并列
    assert scores("汉阴县") == (["50.00", "30.00", "15.00"], "95.00", 3, True)
    assert scores("岚皋县") == (["50.00", "30.00", "15.00"], "95.00", 3, True)
    assert "未报1份" in rows["岚皋县"]["cells"][2]["detail"] and "逾期1份" in rows["汉阴县"]["cells"][2]["detail"]
    # 50 × 0.9 + 30 × 4/4.4 (27.27) + 20 = 92.27: next rank after the two tied at 3 is 5
    assert scores("石泉县") == (["45.00", "27.27", "20.00"], "92.27", 5, False)
    # over-achieved jobs (200 %) count 50 at most; no rate reported and no return: 0 for both
    assert scores("紫阳县") == (["50.00", "0.00", "0.00"], "50.00", 6, False)
    assert "无数据" in rows["紫阳县"]["cells"][1]["detail"]
    # the four counties with no record at all: 0, tied at 7
    assert {rows[n]["rank"] for n in ("白河县", "镇坪县", "宁陕县", "旬阳市")} == {7}
    # every point drills through to the records behind it
    links = [r["url"] for r in rows["汉阴县"]["cells"][2]["records"]]
    assert "/reports/returns/610921000000/2025Q2/" in links and len(links) == 4
    assert any("/targets/ankang-2022/" in r["url"] for r in rows["石泉县"]["cells"][1]["records"])
    group = a.content["groups"][0]
    assert [i["rule"] for i in group["items"]] == [i.rule for i in _items()]


def test_sent_back_and_instructions_are_scored_from_their_history(plan, office, personas):
    items = [ItemInput("sent_back", "退回", D(40), DEFAULT_RULES["sent_back"]),
             ItemInput("instructions", "批示", D(60), DEFAULT_RULES["instructions"])]
    scheme_save(year=2025, audience="counties", plan=plan, items=items, user=office[0])
    period = ReportingPeriod.objects.get(year=2025, quarter=2)
    r = CountyReturn.objects.create(region=county("汉滨区"), period=period, state="submitted")
    for n, state in enumerate(["returned", "resubmitted", "returned", "resubmitted", "approved"]):
        r.state, r.reviewed_at = state, timezone.now() - dt.timedelta(days=10 - n)
        r.save()
    leader = personas["leader"]
    from tasks.models import Task

    task = Task.objects.filter(plan=plan, kind=Task.Kind.TASK).first()
    on_time = Instruction.objects.create(task=task, author=leader, text="按期", deadline=dt.date(2025, 6, 30))
    late = Instruction.objects.create(task=task, author=leader, text="逾期", deadline=dt.date(2025, 9, 30))
    InstructionUnit.objects.create(instruction=on_time, region=county("汉滨区"), state="closed", reply="已办",
                                   replied_at=timezone.make_aware(dt.datetime(2025, 6, 20, 9)),
                                   reviewed_at=timezone.make_aware(dt.datetime(2025, 6, 25, 9)))
    InstructionUnit.objects.create(instruction=late, region=county("汉滨区"), state="open")
    a = annual_compute(year=2025, user=office[0], doc_number=DOC)
    hanbin = _rows(a)["汉滨区"]
    # sent back twice: 40 × (1 − 2 × 20 %) = 24; one of two instructions handled on time: 60 × 1/2 = 30
    assert [c["score"] for c in hanbin["cells"]] == ["24.00", "30.00"] and hanbin["total"] == "54.00"
    assert "逾期未办结1件" in hanbin["cells"][1]["detail"]
    assert f"/reports/instructions/{late.pk}/" in [x["url"] for x in hanbin["cells"][1]["records"]]
    # a county with no instruction due: the item does not apply, its total over the applicable items
    shiquan = _rows(a)["石泉县"]
    assert shiquan["cells"][1]["applicable"] is False and shiquan["total"] == "100.00"


@pytest.mark.parametrize("change, message", [
    (lambda items: items[:2], "合计为80"),
    (lambda items: [items[0], items[1], ItemInput("timeliness", "报送及时", D(20), "  ")], "未填写评分规则"),
    (lambda items: [ItemInput("target", "无指标", D(50), "规则"), *items[1:]], "须选择指标"),
    (lambda items: [*items[:2], ItemInput("measures", "任务指标", D(20), "规则")], "不用于县"),
    (lambda items: [], "至少应有一个"),
])
def test_a_bad_scheme_is_refused_with_a_chinese_message(plan, office, change, message):
    with pytest.raises(ValidationError, match=message):
        scheme_save(year=2025, audience="counties", plan=plan, items=change(_items()), user=office[0])
    assert not AssessmentScheme.objects.exists()


def test_the_scheme_page_validates_every_field_and_saves_a_new_version(plan, office, client_for, scheme):
    client = client_for("city_admin")
    url = "/assessments/annual/2025/schemes/counties/"
    data = {"plan": plan.pk, "note": "", "based_on": 1, "items-TOTAL_FORMS": 2, "items-INITIAL_FORMS": 0,
            "items-0-kind": "timeliness", "items-0-name": "及时", "items-0-weight": "60", "items-0-rule": "按时报送计分",
            "items-1-kind": "completeness", "items-1-name": "完整", "items-1-weight": "30", "items-1-rule": "完整计分"}
    response = client.post(url, data)
    assert response.status_code == 400 and "须合计为100" in response.content.decode()
    response = client.post(url, {**data, "items-1-weight": "abc"})
    assert response.status_code == 400
    response = client.post(url, {**data, "items-1-indicator": "99999999999999999999999"})
    assert response.status_code == 400
    response = client.post(url, {**data, "items-1-weight": "40"})
    assert response.status_code == 302
    latest = AssessmentScheme.objects.filter(year=2025, audience="counties").first()
    assert latest.version == 2 and [i.weight for i in latest.items.all()] == [D(60), D(40)]
    assert scheme.items.count() == 3  # version 1 kept as it was
    from audit.models import AuditEvent

    saved = AuditEvent.objects.filter(model="assessments.assessmentscheme", object_pk=str(latest.pk))
    assert [(e.action, e.actor_username) for e in saved] == [("created", "city_admin")]
    assert AuditEvent.objects.filter(model="assessments.schemeitem", actor_username="city_admin").count() == 5
    stale = client.post(url, {**data, "items-1-weight": "40"})  # based on version 1: someone saved since
    assert stale.status_code == 400 and "新版本" in stale.content.decode()
    assert client_for("leader").get(url).status_code == 200
    assert client_for("leader").post(url, {**data, "items-1-weight": "40", "based_on": 2}).status_code == 404
    assert client_for("county_a").get(url).status_code == 404


def _issued(office, **kwargs):
    drafter, second = office
    a = annual_compute(year=2025, user=drafter, doc_number=DOC, **kwargs)
    a = annual_check(assessment=a, user=second)
    with TestCase.captureOnCommitCallbacks(execute=True):
        a = annual_issue(assessment=a, user=second)
    a.refresh_from_db()
    return a


def test_drafted_checked_issued_by_different_people_then_immutable(plan, office, scheme, records, personas):
    drafter, second = office
    a = annual_compute(year=2025, user=drafter, doc_number=DOC)
    with pytest.raises(ValidationError, match="起草人"):
        annual_check(assessment=a, user=drafter)
    for name in ("leader", "county_a", "lead_officer"):
        with pytest.raises(PermissionDenied):
            annual_check(assessment=a, user=personas[name])
    a = _issued(office)
    assert a.is_issued and a.version == 2 and a.files_state == "done" and len(a.document_sha256) == 64
    with pytest.raises(Locked):
        annual_check(assessment=a, user=second)
    with pytest.raises(Locked):
        annual_issue(assessment=a, user=second)
    with pytest.raises(Locked):
        annual_compute(year=2025, user=drafter, doc_number=DOC)
    with pytest.raises(Locked, match="已签发"):  # the year's scheme is fixed
        scheme_save(year=2025, audience="counties", plan=plan, items=_items(), user=drafter)
    model_admin = admin.site._registry[AnnualAssessment]
    request = RequestFactory().get("/admin/")
    request.user = drafter
    assert not model_admin.has_change_permission(request, a) and not model_admin.has_delete_permission(request, a)
    assert not admin.site._registry[AssessmentScheme].has_change_permission(request, scheme)


def test_the_office_computes_on_demand_through_the_outbox(plan, office, scheme, records, client_for):
    client = client_for("city_admin")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/assessments/annual/2025/", {"action": "compute", "doc_number": DOC, "title": "",
                                                             "issuer": ""})
    assert response.status_code == 302
    a = AnnualAssessment.objects.get(year=2025)
    assert a.drafted_by.username == "city_admin" and _rows(a)["汉滨区"]["rank"] == 1
    assert client.post("/assessments/annual/2025/", {"action": "compute", "doc_number": " "}).status_code == 400
    with pytest.raises(ValidationError, match="尚无考核方案"):
        annual_request(year=2024, user=office[0], doc_number="X")
    page = client_for("leader").get("/assessments/annual/2025/").content.decode()
    assert "并列" in page and "汉阴县" in page and DEFAULT_RULES["timeliness"] in page
    assert "/reports/returns/610921000000/2025Q2/" in page  # a score's drill-through link
    assert client_for("leader").post("/assessments/annual/2025/", {"action": "check", "version": 1}).status_code == 404
    for name in ("county_a", "lead_officer", "auditor", "outsider"):
        assert client_for(name).get("/assessments/annual/2025/").status_code == 404


def test_the_notice_is_an_official_document(plan, office, scheme, records, client_for):
    a = _issued(office)
    response = client_for("leader").get(f"/assessments/annual/2025/v{a.version}/docx/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    doc = Document(io.BytesIO(body))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert DOC in text and a.title in text
    assert "安康市就业工作领导小组办公室文件" in text  # the red head
    red = [r for p in doc.paragraphs for r in p.runs if r.text == "安康市就业工作领导小组办公室文件"]
    assert red and red[0].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert text.rstrip().endswith("安康市就业工作领导小组办公室\n2026年11月30日")  # 落款 and the date
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[:3] == ["名次", "单位", "总分"]
    ranked = [(row.cells[0].text, row.cells[1].text, row.cells[2].text) for row in table.rows[1:6]]
    assert ranked == [("1", "汉滨区", "100.00"), ("2", "平利县", "97.50"), ("3（并列）", "汉阴县", "95.00"),
                      ("3（并列）", "岚皋县", "95.00"), ("5", "石泉县", "92.27")]
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer  # page numbers: a PAGE field


def test_the_office_replaces_the_template(plan, office, scheme, records, client_for):
    template = Document()
    template.sections[0].footer.paragraphs[0].text = "安康市就业工作领导小组办公室印发"
    template.add_paragraph("这段模板正文将被通报替换")
    buf = io.BytesIO()
    template.save(buf)
    client = client_for("city_admin")
    bad = client.post("/assessments/annual/template/", {"file": SimpleUploadedFile("t.docx", b"not a zip")})
    assert bad.status_code == 400 and "无法作为Word文档" in bad.content.decode() and not DocumentTemplate.objects.exists()
    with pytest.raises(ValidationError, match="docx"):
        template_upload(name="t.doc", content=buf.getvalue(), user=office[0])
    assert client_for("leader").post("/assessments/annual/template/",
                                     {"file": SimpleUploadedFile("t.docx", buf.getvalue())}).status_code == 404
    client.post("/assessments/annual/template/", {"file": SimpleUploadedFile("模板.docx", buf.getvalue())})
    assert DocumentTemplate.objects.count() == 1
    assert client.get("/assessments/annual/template/").status_code == 200
    a = _issued(office)
    doc = Document(a.document.path)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert DOC in text and "这段模板正文" not in text
    assert "安康市就业工作领导小组办公室印发" in doc.sections[0].footer._element.xml


def test_year_on_year_comparison(plan, office, scheme, records):
    scheme_save(year=2024, audience="counties", plan=plan, user=office[0],
                items=[ItemInput("timeliness", "报送及时", D(100), DEFAULT_RULES["timeliness"])])
    _returns("汉滨区", late=(1, 2, 3, 4), year=2024)  # every 2024 return late: 0
    _returns("平利县", year=2024)  # every one on time: 100
    last_year = annual_compute(year=2024, user=office[0], doc_number="安就业办发〔2025〕3号")
    assert _rows(last_year)["平利县"]["total"] == "100.00" and _rows(last_year)["汉滨区"]["total"] == "0.00"
    this_year = annual_compute(year=2025, user=office[0], doc_number=DOC)
    hanbin, pingli = _rows(this_year)["汉滨区"], _rows(this_year)["平利县"]
    assert hanbin["previous"] == {"total": "0.00", "rank": 2, "version": 1, "issued": False}
    assert hanbin["change"] == "+100.00" and pingli["change"] == "-2.50"


def test_approving_the_years_last_quarter_computes_a_draft(plan, office, scheme, monkeypatch):
    from assessments import services

    calls = []
    monkeypatch.setattr(services, "approval_completes_year", lambda r: True)
    monkeypatch.setattr(services, "job_enqueue", lambda *, job, kwargs: calls.append((job.name, kwargs)))
    period = ReportingPeriod.objects.get(year=2025, quarter=4)
    r = CountyReturn.objects.create(region=county("汉滨区"), period=period, state="approved", reviewed_by=office[0])
    services.annual_after_approval(county_return=r, reviewer=office[0])
    assert calls and calls[0][0] == "assessments.annual_compute" and calls[0][1]["year"] == 2025
    assert calls[0][1]["user_id"] == office[0].pk


def test_counties_all_approved_is_the_years_last_quarter(plan):
    from assessments.services import approval_completes_year

    period = ReportingPeriod.objects.get(year=2025, quarter=4)
    counties = list(Region.objects.filter(level=Region.Level.COUNTY))
    for c in counties[1:]:
        CountyReturn.objects.create(region=c, period=period, state="approved")
    last = CountyReturn.objects.create(region=counties[0], period=period, state="submitted")
    assert not approval_completes_year(last)
    last.state = "approved"
    last.save()
    assert approval_completes_year(last)


def test_a_correction_approved_after_the_issue_is_shown_beside(plan, office, scheme, records, client_for):
    from reports.models import Correction

    a = _issued(office)
    hanbin_return = CountyReturn.objects.get(region=county("汉滨区"), period__year=2025, period__quarter=4)
    Correction.objects.create(county_return=hanbin_return, indicator=Indicator.objects.get(code="urban_new_jobs"),
                              reason="更正漏报", state="approved", requested_by=office[0],
                              requested_at=a.data_cutoff + dt.timedelta(hours=1), reviewed_by=office[1],
                              reviewed_at=a.data_cutoff + dt.timedelta(hours=2))
    page = client_for("leader").get("/assessments/annual/2025/").content.decode()
    assert "截止后有更正" in page and "更正漏报" in page
    a.refresh_from_db()
    assert _rows(a)["汉滨区"]["total"] == "100.00"  # the issued figures stay as they were
