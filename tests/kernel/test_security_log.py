"""Security events: structured JSON lines with the request id; never a secret."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from kernel.security_log import JsonFormatter, RequestIdFilter
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log():
    """The ankang.security records as the production handler writes them (JSON lines)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("ankang.security")
    logger.addHandler(handler)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    lines.text = stream.getvalue  # type: ignore[attr-defined]
    yield lines
    logger.removeHandler(handler)


def test_every_response_has_a_request_id_and_keeps_a_sane_incoming_one(client_for):
    response = client_for("leader").get("/")
    assert len(response["X-Request-ID"]) == 32
    assert client_for("leader").get("/", HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == "proxy-1234abcd"
    # a header that could forge log lines is replaced
    forged = client_for("leader").get("/", HTTP_X_REQUEST_ID='x" injected\nline')["X-Request-ID"]
    assert forged != 'x" injected\nline' and len(forged) == 32


def test_login_success_failure_and_lockout_are_logged_without_the_password(personas, security_log):
    client = Client()
    ok = client.post("/accounts/login/", {"username": "leader", "password": PASSWORD}, HTTP_X_REQUEST_ID="req-login-ok")
    assert ok.status_code == 302
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "county_a", "password": "Secret-Wrong-Pass-77"})
    events = security_log()
    login = next(e for e in events if e["event"] == "login")
    assert login["user"] == "leader" and login["request_id"] == "req-login-ok" and login["path"] == "/accounts/login/"
    failed = [e for e in events if e["event"] == "login_failed"]
    assert len(failed) == 5 and failed[0]["username"] == "county_a" and failed[0]["outcome"] == "failed"
    assert any(e["event"] == "login_locked_out" and e["username"] == "county_a" for e in events)
    text = security_log.text()
    assert PASSWORD not in text and "Secret-Wrong-Pass-77" not in text


def test_denied_access_is_logged(client_for, security_log):
    assert client_for("outsider").get("/").status_code == 403
    denied = [e for e in security_log() if e["event"] == "access_denied"]
    assert denied and denied[0]["status"] == 403 and denied[0]["user"] == "outsider" and denied[0]["path"] == "/"


def test_api_key_changes_are_logged_without_the_key(personas, security_log):
    from api.services import api_client_create, api_client_revoke
    from tests.targets_helpers import county

    with TestCase.captureOnCommitCallbacks(execute=True):
        client, key = api_client_create(name="县系统", region=county("汉滨区"), access="read",
                                        expires_at=timezone.now() + dt.timedelta(days=30),
                                        created_by=personas["city_admin"])
        api_client_revoke(client=client, revoked_by=personas["city_admin"])
    events = [e["event"] for e in security_log()]
    assert "api_client_created" in events and "api_client_revoked" in events
    text = security_log.text()
    assert key not in text and key.split(".", 1)[1] not in text and client.key_hash not in text


def test_a_wrong_api_key_is_logged_as_denied_without_the_key(personas, security_log):
    Client(HTTP_AUTHORIZATION="Api-Key deadbeef.not-a-real-secret-value").get("/api/v1/plans/")
    assert any(e["event"] == "access_denied" and e["status"] == 401 for e in security_log())
    assert "not-a-real-secret-value" not in security_log.text()


def test_secret_looking_fields_are_redacted_whoever_passes_them(security_log):
    from kernel.security_log import security_event

    security_event("test", password="hunter2-Pass", api_key="k.secret", token="123456", otp_code="654321",
                   sessionid="abc", county="汉滨区")
    event = security_log()[-1]
    assert event["county"] == "汉滨区"
    for name in ("password", "api_key", "token", "otp_code", "sessionid"):
        assert event[name] == "[redacted]"
    assert "hunter2" not in security_log.text() and "k.secret" not in security_log.text()


def test_approvals_are_logged_after_the_commit(personas, security_log):
    from reports.services import task_report_approve, task_report_open, task_report_save, task_report_submit
    from tests.reports.test_task_reports import DAY, FIELDS, period, task

    report = task_report_open(task=task(6), period=period(), user=personas["lead_officer"])
    report = task_report_save(report=report, fields=FIELDS, version=report.version, user=personas["lead_officer"],
                              today=DAY)
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=DAY,
                                missing_parts_reason="其余单位本季度无新进展")
    with TestCase.captureOnCommitCallbacks(execute=True):
        task_report_approve(report=report, version=report.version, reviewer=personas["city_admin"])
    approval = next(e for e in security_log() if e["event"] == "approval")
    assert approval["subject"] == "task_report" and approval["subject_id"] == report.pk
    assert approval["user"] == "city_admin"


def test_the_security_logger_writes_json_lines_in_settings():
    from django.conf import settings

    handler = settings.LOGGING["handlers"]["security"]
    assert settings.LOGGING["formatters"][handler["formatter"]]["()"] == "kernel.security_log.JsonFormatter"
    assert settings.LOGGING["loggers"]["ankang.security"]["handlers"] == ["security"]


def test_imports_are_logged_with_the_files_hash_and_the_outcome(client_for, security_log):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.models import ImportBatch

    sample = (Path(__file__).resolve().parents[2] / "imports" / "samples" / "hanbin_communities.csv").read_bytes()
    client = client_for("county_a")
    response = client.post("/imports/communities/", {"file": SimpleUploadedFile("村社区.csv", sample)})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    client.post(f"/imports/{batch.pk}/confirm/")
    events = {r["event"]: r for r in security_log()}
    assert events["import_upload"]["file_sha256"] == batch.file_sha256 and events["import_upload"]["user"] == "county_a"
    assert events["import"]["batch"] == batch.pk and events["import"]["outcome"] == "ok"


def test_exports_are_logged_with_what_was_exported(client_for, security_log):
    response = client_for("county_a").get("/communities/?county=610902000000&export=registry&format=csv")
    assert response.status_code == 200
    event = next(r for r in security_log() if r["event"] == "export")
    assert (event["what"], event["format"], event["user"]) == ("registry", "csv", "county_a")
    assert "county=610902000000" in event["query"]
