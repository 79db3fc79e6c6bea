"""Evidence attached to a task report or a part is removed on the task report page while the
record is still being written (draft, or returned); once submitted, it stays as reviewers saw it.
The history keeps the removal and who made it."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Evidence, ReportingPeriod
from reports.services import evidence_attach, task_part_open, task_part_save, task_part_submit, task_report_open
from tasks.models import Department, Task

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)
TASK_URL = "/reports/tasks/6/2024Q3/"  # lead 市工信局 (lead_officer), co-responsible 市商务局 (co_officer)


@pytest.fixture(autouse=True)
def in_window(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2024, quarter=3)


def task() -> Task:
    return Task.objects.get(plan__code="ankang-2022", number=6)


def pdf(name="纪要.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + b"x" * 100, content_type="application/pdf")


def draft_part(personas):
    return task_part_open(task=task(), department=Department.objects.get(name="市商务局"), period=period(),
                          user=personas["co_officer"])


def test_the_co_department_removes_its_parts_evidence_on_the_page(client_for, personas):
    part = draft_part(personas)
    wrong = evidence_attach(record=part, upload=pdf("错传.pdf"), user=personas["co_officer"])
    right = evidence_attach(record=part, upload=pdf(), user=personas["co_officer"])
    co = client_for("co_officer")
    page = co.get(TASK_URL).content.decode()
    assert 'value="part_evidence_remove"' in page and f'name="evidence" value="{wrong.pk}"' in page
    response = co.post(TASK_URL, {"action": "part_evidence_remove", "evidence": wrong.pk})
    assert response.status_code == 302
    assert list(Evidence.objects.values_list("pk", flat=True)) == [right.pk]
    removal = Evidence.history.filter(id=wrong.pk, history_type="-").get()  # the history keeps who removed it
    assert removal.history_change_reason == "evidence removed by " + personas["co_officer"].username


def test_the_lead_removes_its_reports_evidence_while_a_draft(client_for, personas):
    report = task_report_open(task=task(), period=period(), user=personas["lead_officer"])
    evidence = evidence_attach(record=report, upload=pdf(), user=personas["lead_officer"])
    lead = client_for("lead_officer")
    assert 'value="report_evidence_remove"' in lead.get(TASK_URL).content.decode()
    assert lead.post(TASK_URL, {"action": "report_evidence_remove", "evidence": evidence.pk}).status_code == 302
    assert not Evidence.objects.exists()


def test_a_file_of_another_record_is_not_offered(client_for, personas):
    part = draft_part(personas)
    report = task_report_open(task=task(), period=period(), user=personas["lead_officer"])
    leads = evidence_attach(record=report, upload=pdf(), user=personas["lead_officer"])
    evidence_attach(record=part, upload=pdf(), user=personas["co_officer"])
    response = client_for("co_officer").post(TASK_URL, {"action": "part_evidence_remove", "evidence": leads.pk})
    assert response.status_code == 400
    assert Evidence.objects.count() == 2


def test_after_submission_the_evidence_stays(client_for, personas):
    officer = personas["co_officer"]
    part = draft_part(personas)
    evidence = evidence_attach(record=part, upload=pdf(), user=officer)
    part = task_part_save(part=part, fields={"measures": "做法", "progress": "进展", "self_status": "on_track"},
                          version=part.version, user=officer)
    task_part_submit(part=part, version=part.version, user=officer)
    co = client_for("co_officer")
    assert 'value="part_evidence_remove"' not in co.get(TASK_URL).content.decode()
    response = co.post(TASK_URL, {"action": "part_evidence_remove", "evidence": evidence.pk})
    assert response.status_code == 400
    assert "提交前" in response.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
