"""Never lose typed work (issue 17, part 1): drafts autosave while typing through the same forms
and services as "Save draft", versioned (a conflict is shown, never overwritten); evidence goes with
the text in one form; a form posted after the idle logout comes back once the user signs in again."""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.middleware import LAST_SEEN
from reports.models import CountyReturn, Evidence, ReportingPeriod, TaskReport, TaskReportPart
from reports.services import reported_indicators, task_part_open, task_part_save
from tasks.models import Department, Task
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)
TASK_URL = "/reports/tasks/6/2024Q3/"  # lead 市工信局 (lead_officer), co-responsible 市商务局 (co_officer)
AUTOSAVE = TASK_URL + "autosave/"
HANBIN, SHIQUAN = "610902000000", "610922000000"


@pytest.fixture(autouse=True)
def in_window(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2024, quarter=3)


def the_part() -> TaskReportPart:
    return TaskReportPart.objects.get(task__number=6, task__plan__code="ankang-2022", period=period(),
                                      department__name="市商务局")


def test_the_part_autosaves_while_typing_and_the_version_moves_on(client_for):
    co = client_for("co_officer")
    first = co.post(AUTOSAVE, {"version": 0, "measures": "开展招聘会3场"})
    assert first.status_code == 200, first.content
    assert the_part().measures == "开展招聘会3场" and first.json()["version"] == the_part().version
    assert "自动保存" in first.json()["message"]
    second = co.post(AUTOSAVE, {"version": first.json()["version"], "measures": "开展招聘会3场，服务企业40家"})
    assert second.status_code == 200
    assert the_part().measures == "开展招聘会3场，服务企业40家" and second.json()["version"] == first.json()["version"] + 1
    assert the_part().history.first().history_change_reason == "自动保存"  # the audit trail says so


def test_an_autosave_on_a_stale_version_is_a_conflict_never_an_overwrite(client_for, personas):
    part = task_part_open(task=Task.objects.get(plan__code="ankang-2022", number=6),
                          department=Department.objects.get(name="市商务局"), period=period(), user=personas["co_officer"])
    seen = part.version
    task_part_save(part=part, fields={"measures": "同事先保存的内容"}, version=seen, user=personas["co_officer"])
    response = client_for("co_officer").post(AUTOSAVE, {"version": seen, "measures": "我在另一个窗口输入的内容"})
    assert response.status_code == 409
    assert response.json()["conflict"] is True and "co_officer" in response.json()["error"]
    assert the_part().measures == "同事先保存的内容"


def test_the_lead_autosaves_its_report(client_for):
    response = client_for("lead_officer").post(AUTOSAVE, {"version": 0, "progress": "完成全年目标的80%"})
    assert response.status_code == 200
    assert TaskReport.objects.get(task__number=6, period=period()).progress == "完成全年目标的80%"


@pytest.mark.parametrize("persona", ["leader", "city_admin", "county_a", "outsider"])
def test_only_the_task_departments_autosave(client_for, persona):
    response = client_for(persona).post(AUTOSAVE, {"version": 0, "measures": "x"})
    assert response.status_code in (403, 404)
    assert not TaskReportPart.objects.exists() and not TaskReport.objects.exists()


def test_autosave_answers_only_posts(client_for):
    assert client_for("co_officer").get(AUTOSAVE).status_code == 405


def complete_indicator() -> tuple[str, dict[str, str]]:
    indicator = next(i for i in reported_indicators() if i.kind != "ratio")
    return indicator.code, {f"v__{indicator.code}__{c.code}": "12" for c in indicator.components.all()}


def test_county_a_autosaves_its_return_but_not_county_bs(client_for):
    code, fields = complete_indicator()
    county_a = client_for("county_a")
    foreign = county_a.post(f"/reports/returns/{SHIQUAN}/2024Q3/autosave/", {"version": 0, **fields})
    assert foreign.status_code == 404
    assert not CountyReturn.objects.filter(region__code=SHIQUAN).exists()
    own = county_a.post(f"/reports/returns/{HANBIN}/2024Q3/autosave/", {"version": 0, **fields})
    assert own.status_code == 200, own.content
    assert CountyReturn.objects.get(region__code=HANBIN, period=period()).version == own.json()["version"]


def test_a_half_typed_figure_is_not_autosaved_and_says_why(client_for):
    response = client_for("county_a").post(f"/reports/returns/{HANBIN}/2024Q3/autosave/",
                                           {"version": 0, f"v__{complete_indicator()[0]}__x": "abc"})
    assert response.status_code == 400 and response.json()["error"]


def pdf(name="纪要.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + b"x" * 100, content_type="application/pdf")


def test_evidence_is_attached_in_the_report_form_with_the_text(client_for):
    co = client_for("co_officer")
    page = co.get(TASK_URL).content.decode()
    assert 'enctype="multipart/form-data" data-autosave=' in page  # one form: the text and the file
    response = co.post(TASK_URL, {"action": "part_save", "version": 0, "measures": "长篇的季度报告正文……",
                                  "file": pdf()})
    assert response.status_code == 302
    part = the_part()
    assert part.measures == "长篇的季度报告正文……"
    assert list(Evidence.objects.filter(part=part).values_list("name", flat=True)) == ["纪要.pdf"]


def test_a_refused_file_keeps_what_was_typed_on_the_page(client_for):
    bad = SimpleUploadedFile("病毒.exe", b"MZ\x90\x00" + b"x" * 100, content_type="application/pdf")
    response = client_for("co_officer").post(TASK_URL, {"action": "part_save", "version": 0,
                                                         "measures": "一个字都不能丢", "file": bad})
    assert response.status_code == 400
    assert "一个字都不能丢" in response.content.decode()
    assert not TaskReportPart.objects.exists() and not Evidence.objects.exists()  # whole or nothing


def idled_out(client: Client) -> None:
    session = client.session
    session[LAST_SEEN] = time.time() - 3 * 3600
    session.save()


def test_a_save_after_the_idle_logout_comes_back_after_signing_in(personas):
    client = Client()
    assert client.post("/accounts/login/", {"username": "co_officer", "password": PASSWORD}).status_code == 302
    client.get(TASK_URL)
    idled_out(client)
    text = "在空闲超时后才点击保存的长篇报告：" + "就业" * 500
    response = client.post(TASK_URL, {"action": "part_save", "version": 0, "measures": text, "problems": "问题一"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not TaskReportPart.objects.exists()  # nothing was saved by a signed-out request
    login = client.post(f"/accounts/login/?next={TASK_URL}", {"username": "co_officer", "password": PASSWORD})
    assert login.status_code == 302 and login["Location"] == TASK_URL
    page = client.get(TASK_URL).content.decode()
    assert text in page and "问题一" in page
    assert "尚未保存" in page and "重新选择" in page  # put back, not saved; files are chosen again
    assert text not in client.get(TASK_URL).content.decode()  # shown back once


def test_an_autosave_after_the_idle_logout_comes_back_on_the_page(personas):
    client = Client()
    client.post("/accounts/login/", {"username": "co_officer", "password": PASSWORD})
    idled_out(client)
    response = client.post(AUTOSAVE, {"version": 0, "measures": "最后几个字"})
    assert response.status_code == 302
    client.post("/accounts/login/", {"username": "co_officer", "password": PASSWORD})
    assert "最后几个字" in client.get(TASK_URL).content.decode()


def test_the_form_kept_for_one_user_is_not_shown_on_another_page(personas):
    client = Client()
    client.post("/accounts/login/", {"username": "county_a", "password": PASSWORD})
    idled_out(client)
    client.post(f"/reports/returns/{HANBIN}/2024Q3/", {"action": "save", "version": 0, "explanation": "说明文字"})
    client.post("/accounts/login/", {"username": "county_a", "password": PASSWORD})
    assert "说明文字" not in client.get(f"/reports/returns/{HANBIN}/2024Q4/").content.decode()
    assert "说明文字" in client.get(f"/reports/returns/{HANBIN}/2024Q3/").content.decode()


def test_the_idle_warning_asks_without_counting_as_activity_and_stay_signed_in_resets(client_for, settings):
    client = client_for("co_officer")
    client.get(TASK_URL)
    session = client.session
    session[LAST_SEEN] = time.time() - (settings.SESSION_IDLE_TIMEOUT - 100)
    session.save()
    status = client.get("/accounts/session/")
    assert status.status_code == 200 and 90 <= status.json()["remaining"] <= 100
    assert client.get("/accounts/session/").json()["remaining"] <= 100  # asking did not reset the clock
    stay = client.post("/accounts/session/")
    assert stay.status_code == 200 and stay.json()["remaining"] >= settings.SESSION_IDLE_TIMEOUT - 2
    idled_out(client)
    assert client.get("/accounts/session/").status_code == 401


def test_every_page_of_a_signed_in_user_carries_the_warning(client_for):
    page = client_for("co_officer").get(TASK_URL).content.decode()
    assert 'id="session-warning"' in page and "js/keep_work.js" in page
    assert 'id="session-warning"' not in Client().get("/accounts/login/").content.decode()


def test_a_form_posted_without_the_platforms_csrf_token_is_not_kept(personas):
    client = Client(enforce_csrf_checks=True)
    client.post("/accounts/login/", {"username": "co_officer", "password": PASSWORD,
                                     "csrfmiddlewaretoken": _token(client, "/accounts/login/")})
    idled_out(client)
    client.post(TASK_URL, {"action": "part_save", "version": 0, "measures": "别人伪造的内容"})  # no token
    client.post("/accounts/login/", {"username": "co_officer", "password": PASSWORD,
                                     "csrfmiddlewaretoken": _token(client, "/accounts/login/")})
    assert "别人伪造的内容" not in client.get(TASK_URL).content.decode()


def _token(client: Client, path: str) -> str:
    import re

    page = client.get(path).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
