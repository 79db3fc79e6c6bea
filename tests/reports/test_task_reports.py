"""Department task reports: co-responsible parts, the lead's compiled report, the office's review."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports.models import ReportingPeriod, TaskReport, TaskReportPart
from reports.services import (
    period_exception_open,
    task_part_open,
    task_part_save,
    task_part_submit,
    task_report_approve,
    task_report_open,
    task_report_save,
    task_report_send_back,
    task_report_submit,
)
from tasks.models import Department, Task

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 10, 12)
FIELDS = {"measures": "组织专场招聘会3场", "progress": "新增岗位1200个", "problems": "企业用工季节性强",
          "next_steps": "继续开展用工调查", "self_status": "on_track"}


def period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2024, quarter=3)


def task(number: int) -> Task:
    return Task.objects.get(plan__code="ankang-2022", number=number)


def dept(name: str) -> Department:
    return Department.objects.get(name=name)


def test_co_department_sends_its_part_and_the_lead_compiles_and_the_office_approves(personas):
    # task 6: lead 市工信局 (lead_officer), co-responsible 市商务局 (co_officer)
    part = task_part_open(task=task(6), department=dept("市商务局"), period=period(), user=personas["co_officer"])
    part = task_part_save(part=part, fields=FIELDS, version=part.version, user=personas["co_officer"], today=DAY)
    part = task_part_submit(part=part, version=part.version, user=personas["co_officer"], today=DAY)
    assert part.state == "submitted"
    report = task_report_open(task=task(6), period=period(), user=personas["lead_officer"])
    report = task_report_save(report=report, fields=FIELDS, version=report.version, user=personas["lead_officer"],
                              today=DAY)
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=DAY,
                                missing_parts_reason="其余单位本季度无新进展")
    assert report.state == "submitted"
    report = task_report_send_back(report=report, version=report.version, reviewer=personas["city_admin"],
                                   comment="请补充新增岗位的来源")
    assert report.state == "returned"
    report = task_report_save(report=report, fields={**FIELDS, "progress": "新增岗位1200个，其中园区800个"},
                              version=report.version, user=personas["lead_officer"], today=DAY)
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=DAY,
                                missing_parts_reason="其余单位本季度无新进展")
    assert report.state == "resubmitted"
    report = task_report_approve(report=report, version=report.version, reviewer=personas["city_admin"])
    assert report.state == "approved"
    with pytest.raises(ValidationError):  # approved is locked
        task_report_save(report=report, fields=FIELDS, version=report.version, user=personas["lead_officer"], today=DAY)


@pytest.mark.parametrize("persona", ["co_officer", "county_a", "leader", "auditor", "city_admin", "outsider"])
def test_only_the_lead_department_compiles(personas, persona):
    with pytest.raises(PermissionDenied):
        task_report_open(task=task(6), period=period(), user=personas[persona])
    report = task_report_open(task=task(6), period=period(), user=personas["lead_officer"])
    with pytest.raises(PermissionDenied):
        task_report_save(report=report, fields=FIELDS, version=report.version, user=personas[persona], today=DAY)


@pytest.mark.parametrize("persona", ["lead_officer", "co_officer", "county_a", "leader", "auditor", "outsider"])
def test_only_the_office_reviews(personas, persona):
    report = task_report_open(task=task(6), period=period(), user=personas["lead_officer"])
    report = task_report_save(report=report, fields=FIELDS, version=report.version, user=personas["lead_officer"],
                              today=DAY)
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=DAY,
                                missing_parts_reason="其余单位本季度无新进展")
    with pytest.raises(PermissionDenied):
        task_report_approve(report=report, version=report.version, reviewer=personas[persona])


def test_a_department_reports_parts_only_of_tasks_it_shares(personas):
    with pytest.raises(ValidationError):  # 市商务局 is not in task 3
        task_part_open(task=task(3), department=dept("市商务局"), period=period(), user=personas["co_officer"])
    with pytest.raises(ValidationError):  # the lead writes the report, not a part
        task_part_open(task=task(6), department=dept("市工信局"), period=period(), user=personas["lead_officer"])
    with pytest.raises(PermissionDenied):  # not someone else's part
        task_part_open(task=task(6), department=dept("市商务局"), period=period(), user=personas["lead_officer"])


def test_submission_needs_the_essentials_and_a_comment_to_return(personas):
    report = task_report_open(task=task(6), period=period(), user=personas["lead_officer"])
    with pytest.raises(ValidationError, match="采取的措施|measures"):
        task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=DAY,
                                missing_parts_reason="其余单位本季度无新进展")
    report = task_report_save(report=report, fields=FIELDS, version=report.version, user=personas["lead_officer"],
                              today=DAY)
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=DAY,
                                missing_parts_reason="其余单位本季度无新进展")
    with pytest.raises(ValidationError):
        task_report_send_back(report=report, version=report.version, reviewer=personas["city_admin"], comment="")


def test_department_exception_reopens_one_department_only(personas):
    late = dt.date(2024, 11, 2)
    part = task_part_open(task=task(6), department=dept("市商务局"), period=period(), user=personas["co_officer"])
    with pytest.raises(ValidationError):
        task_part_save(part=part, fields=FIELDS, version=part.version, user=personas["co_officer"], today=late)
    period_exception_open(period=period(), department=dept("市商务局"), open_until=dt.date(2024, 11, 5),
                          reason="人员调整补报", user=personas["city_admin"])
    part = task_part_save(part=part, fields=FIELDS, version=part.version, user=personas["co_officer"], today=late)
    report = task_report_open(task=task(6), period=period(), user=personas["lead_officer"])
    with pytest.raises(ValidationError):  # the lead department has no exception
        task_report_save(report=report, fields=FIELDS, version=report.version, user=personas["lead_officer"], today=late)
    with pytest.raises(ValidationError):
        period_exception_open(period=period(), open_until=late, reason="x", user=personas["city_admin"])


# ---- pages

@pytest.fixture
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=DAY):
        yield


def test_pages_for_each_persona(client_for, in_window):
    url = "/reports/tasks/6/2024Q3/"
    for persona in ("outsider", "auditor", "county_a"):
        assert client_for(persona).get("/reports/tasks/").status_code == 404
        assert client_for(persona).get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302
    assert client_for("co_officer").get("/reports/tasks/3/2024Q3/").status_code == 404  # not its task
    co = client_for("co_officer")
    assert co.post(url, {"action": "part_submit", "version": 0, **FIELDS}).status_code == 302
    assert TaskReportPart.objects.get().state == "submitted"
    lead = client_for("lead_officer")
    page = lead.get(url).content.decode()
    assert "组织专场招聘会3场" in page  # the lead sees the part
    assert lead.post(url, {"action": "report_submit", "version": 0, **FIELDS,
                           "missing_parts_reason": "其余单位本季度无新进展"}).status_code == 302
    board = client_for("city_admin").get("/reports/tasks/?period=2024Q3").content.decode()
    assert "建立企业用工保障机制" in board and "1/6" in board
    leader = client_for("leader").get(url).content.decode()
    assert "审核通过" not in leader and "保存草稿" not in leader
    admin = client_for("city_admin")
    version = TaskReport.objects.get().version
    assert admin.post(url, {"action": "send_back", "version": version, "comment": ""}).status_code == 400
    assert admin.post(url, {"action": "approve", "version": version}).status_code == 302
    assert TaskReport.objects.get().state == "approved"
    # the co-department's own page shows its part, not the others'
    assert "我方报送内容" in co.get(url).content.decode()


def test_timeliness_on_a_hand_made_quarter(personas, client_for):
    """2024Q3 is due 2024-10-10. Task 6 (lead 市工信局, six co-units): 市工信局's report in on
    10-10 15:00 UTC (23:00 in Ankang: on time); 市商务局's part late on 10-12; 市教体局's at
    16:00 UTC on 10-10, already 00:00 on the 11th in Ankang: late; the other parts missing. Counties: 汉滨区 on time, 石泉县
    late, eight missing."""
    from django.utils import timezone as tz

    from reports.models import CountyReturn
    from reports.selectors import county_timeliness, department_timeliness
    from tasks.models import Plan
    from tests.targets_helpers import county

    p = period()
    at = lambda y, m, d, h: tz.make_aware(dt.datetime(y, m, d, h), dt.UTC)  # noqa: E731
    TaskReport.objects.create(task=task(6), period=p, state="submitted", first_submitted_at=at(2024, 10, 10, 15))
    TaskReportPart.objects.create(task=task(6), department=dept("市商务局"), period=p, state="submitted",
                                  first_submitted_at=at(2024, 10, 12, 2))
    # 16:30 UTC on 10-10 is 00:30 on 10-11 in Ankang: late
    TaskReportPart.objects.create(task=task(6), department=dept("市教体局"), period=p, state="submitted",
                                  first_submitted_at=at(2024, 10, 10, 16))
    CountyReturn.objects.create(region=county("汉滨区"), period=p, state="submitted", first_submitted_at=at(2024, 10, 9, 3))
    CountyReturn.objects.create(region=county("石泉县"), period=p, state="submitted", first_submitted_at=at(2024, 10, 11, 3))
    plan = Plan.objects.get(code="ankang-2022")
    depts = {t.unit.name: t for t in department_timeliness(user=personas["city_admin"], plan=plan, period=p)}
    gxj = depts["市工信局"]  # leads tasks 2 and 6, co-responsible in 1, 4, 7, 15, 16, 17
    assert (gxj.expected, gxj.on_time, gxj.late, gxj.missing) == (8, 1, 0, 7)
    assert (depts["市商务局"].on_time, depts["市商务局"].late) == (0, 1)
    assert (depts["市教体局"].on_time, depts["市教体局"].late) == (0, 1)
    assert gxj.completeness == 12.5 and gxj.timeliness == 12.5
    counties = {t.unit.name: t for t in county_timeliness(user=personas["city_admin"], period=p)}
    assert (counties["汉滨区"].on_time, counties["石泉县"].late, counties["紫阳县"].missing) == (1, 1, 1)
    html = client_for("leader").get("/reports/timeliness/?period=2024Q3").content.decode()
    assert "市工信局" in html and "12.50%" in html and "汉滨区" in html
    county_view = client_for("county_b").get("/reports/timeliness/?period=2024Q3").content.decode()
    assert "石泉县" in county_view and "汉滨区" not in county_view
    assert client_for("outsider").get("/reports/timeliness/").status_code == 404


def test_evidence_is_checked_by_content_and_served_only_to_who_may_see_it(personas, client_for, settings, tmp_path,
                                                                            in_window):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.models import Evidence
    from reports.services import evidence_attach

    settings.MEDIA_ROOT = tmp_path
    part = task_part_open(task=task(6), department=dept("市商务局"), period=period(), user=personas["co_officer"])
    pdf = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.7\n" + b"x" * 100, content_type="application/pdf")
    evidence = evidence_attach(record=part, upload=pdf, user=personas["co_officer"])
    assert (evidence.content_type, evidence.size) == ("application/pdf", 109)
    fake = SimpleUploadedFile("照片.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    with pytest.raises(ValidationError, match="PDF"):
        evidence_attach(record=part, upload=fake, user=personas["co_officer"])
    settings.EVIDENCE_MAX_BYTES = 50
    with pytest.raises(ValidationError, match="MB"):
        evidence_attach(record=part, upload=SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 60), user=personas["co_officer"])
    with pytest.raises(PermissionDenied):
        evidence_attach(record=part, upload=pdf, user=personas["lead_officer"])
    assert Evidence.objects.count() == 1
    url = f"/reports/evidence/{evidence.pk}/"
    response = client_for("lead_officer").get(url)  # the lead sees its task's parts
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "filename*=utf-8''%E4%BC%9A" in response["Content-Disposition"]
    assert client_for("city_admin").get(url).status_code == 200
    for persona in ("county_a", "outsider", "auditor"):
        assert client_for(persona).get(url).status_code == 404
    # a department that is neither the part's owner nor the task's lead
    from accounts.models import User
    from accounts.services import role_grant

    other = User.objects.create_user("jiaoti", department=dept("市教体局"))
    role_grant(user=other, role="dept_officer", granted_by=None)
    client = client_for("anonymous")
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_a_stale_task_report_save_is_refused_naming_who(personas):
    from accounts.models import User
    from accounts.services import role_grant
    from kernel.versioning import Conflict

    colleague = User.objects.create_user("gxj_2", full_name="王五", department=dept("市工信局"))
    role_grant(user=colleague, role="dept_officer", granted_by=None)
    report = task_report_open(task=task(2), period=period(), user=personas["lead_officer"])
    seen = report.version
    task_report_save(report=report, fields=FIELDS, version=seen, user=colleague, today=DAY)
    with pytest.raises(Conflict, match="王五"):
        task_report_save(report=report, fields={**FIELDS, "measures": "x"}, version=seen,
                         user=personas["lead_officer"], today=DAY)
    assert TaskReport.objects.get().measures == FIELDS["measures"]


def test_part_transitions(personas):
    part = task_part_open(task=task(6), department=dept("市商务局"), period=period(), user=personas["co_officer"])
    with pytest.raises(ValidationError):  # empty
        task_part_submit(part=part, version=part.version, user=personas["co_officer"], today=DAY)
    part = task_part_save(part=part, fields=FIELDS, version=part.version, user=personas["co_officer"], today=DAY)
    for persona in ("lead_officer", "city_admin", "leader", "county_a"):
        with pytest.raises(PermissionDenied):
            task_part_submit(part=part, version=part.version, user=personas[persona], today=DAY)
    part = task_part_submit(part=part, version=part.version, user=personas["co_officer"], today=DAY)
    with pytest.raises(ValidationError):  # sent parts are final
        task_part_save(part=part, fields=FIELDS, version=part.version, user=personas["co_officer"], today=DAY)
    with pytest.raises(ValidationError):
        task_part_submit(part=part, version=part.version, user=personas["co_officer"], today=DAY)
