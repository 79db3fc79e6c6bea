"""The smaller findings of the security assessment, each with the check that catches the next of its kind:
duplicate JSON keys, an API key in a URL reaching the access log, the API's schema and docs open
to anyone, evidence downloads logged twice, number errors in Django's/DRF's words or naming a
component by its code, and an API read writing the key's last use inside the request."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from api.models import ApiClient
from targets.models import IndicatorValue
from tests.api import test_endpoints as test_api
from tests.api.test_endpoints import HANBIN, OPERATIONS, PUSH, api, jobs
from tests.kernel import test_security_log as test_security_logging

keys = test_api.keys  # fixtures shared with those modules
security_log = test_security_logging.security_log

pytestmark = pytest.mark.django_db
SUBMIT = "/api/v1/returns/2024Q3/submit/"
KEY_SHAPED = "0a1b2c3d.Zx9-secret_part_of_the_key_0123456789abcdef"


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        yield


# ---------------------------------------------------------------- duplicate keys in a JSON body

@pytest.mark.parametrize("path, raw, key", [
    (PUSH, '{"values": [' + json.dumps(jobs(5)) + '], "dry_run": false, "dry_run": true}', "dry_run"),
    (PUSH, '{"values": [{"indicator": "urban_new_jobs", "region": "' + HANBIN + '", "component": "value", '
           '"value": 5, "value": 50}]}', "value"),
    (SUBMIT, '{"version": 1, "version": 2}', "version"),
])
def test_a_key_twice_in_one_json_object_is_refused_naming_it(keys, path, raw, key):
    response = api(keys["a"]).post(path, raw, content_type="application/json")
    assert response.status_code == 400, response.content
    assert f"“{key}”" in response.json()["detail"] and "两次" in response.json()["detail"]
    assert not IndicatorValue.objects.exists()


def test_nan_is_not_json(keys):
    raw = '{"values": [{"indicator": "urban_new_jobs", "region": "' + HANBIN + '", "component": "value", "value": NaN}]}'
    assert api(keys["a"]).post(PUSH, raw, content_type="application/json").status_code == 400


def _api_views():
    resolver = get_resolver()
    for top in resolver.url_patterns:
        if isinstance(top, URLResolver) and str(top.pattern).startswith("api/"):
            for p in top.url_patterns:
                if isinstance(p, URLPattern) and hasattr(p.callback, "cls"):
                    yield str(top.pattern) + str(p.pattern), p.callback.cls


def test_every_api_view_reads_json_strictly():
    from rest_framework.parsers import JSONParser

    from api.parsers import StrictJSONParser

    views = list(_api_views())
    assert len(views) > 15
    for path, view in views:
        for parser in view.parser_classes:
            assert not issubclass(parser, JSONParser) or issubclass(parser, StrictJSONParser), (path, parser)


# ---------------------------------------------------------------- a key in the URL, the access log

def test_secret_query_parameters_and_key_shaped_values_are_redacted():
    from kernel.security_log import redact_query, redact_url

    assert redact_query(f"api_key={KEY_SHAPED}&county=610902") == "api_key=[redacted]&county=610902"
    assert redact_query(f"k={KEY_SHAPED}") == "k=[redacted]"  # the shape, whatever the name
    assert redact_query("token=abc&Authorization=Api-Key%20x&page=2") == "token=[redacted]&Authorization=[redacted]&page=2"
    assert redact_query("export=events&format=csv") == "export=events&format=csv"
    assert redact_url(f"/api/v1/plans/?key={KEY_SHAPED}#x") == "/api/v1/plans/?key=[redacted]#x"
    assert redact_url("/reports/my/") == "/reports/my/"


def test_the_access_log_line_holds_no_key_whatever_the_format():
    import datetime

    from gunicorn.config import Config

    from kernel.gunicorn_logging import RedactingLogger

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(h)s "%(r)s" %(q)s "%(f)s" %({authorization}i)s %({http_cookie}e)s '
                                    '%({raw_uri}e)s')
    logger = RedactingLogger(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/api/v1/plans/?api_key={KEY_SHAPED}",
               "QUERY_STRING": f"api_key={KEY_SHAPED}", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.9",
               "HTTP_REFERER": f"https://jobs.example/x?key={KEY_SHAPED}", "HTTP_COOKIE": "sessionid=s3cr3t-session",
               "HTTP_AUTHORIZATION": f"Api-Key {KEY_SHAPED}"}
    response = mock.Mock(status="401 Unauthorized", sent=10, headers=[])
    request = mock.Mock(headers=[("AUTHORIZATION", f"Api-Key {KEY_SHAPED}"), ("COOKIE", "sessionid=s3cr3t-session")])
    atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=0))
    line = config.access_log_format % atoms
    assert "secret_part" not in line and "s3cr3t" not in line, line
    assert "/api/v1/plans/?api_key=[redacted]" in line


def test_gunicorn_loads_the_redacting_logger_from_the_checkout():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "gunicorn", "--print-config", "ankang_jobs.wsgi"],
                         cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60).stdout
    assert re.search(r"logger_class\s*=\s*kernel\.gunicorn_logging\.RedactingLogger", out), out[-2000:]
    dockerfile = (Path(settings.BASE_DIR) / "Dockerfile").read_text()
    assert "WORKDIR /app" in dockerfile and "COPY . ." in dockerfile  # gunicorn.conf.py is in /app


def test_a_key_in_the_url_is_refused_and_the_export_event_does_not_keep_it(keys, client_for, security_log):
    assert api().get(f"/api/v1/plans/?api_key={keys['a']}").status_code in (401, 403)
    client_for("city_admin").get(f"/targets/?export=targets&format=csv&api_key={KEY_SHAPED}")
    assert KEY_SHAPED not in security_log.text() and keys["a"] not in security_log.text()


# ---------------------------------------------------------------- the schema and the docs

def _api_urls() -> list[str]:
    return ["/api/schema/", "/api/docs/", "/api/redoc/"]


@pytest.mark.parametrize("url", _api_urls())
def test_the_schema_and_docs_need_a_session_or_a_key(keys, client_for, url):
    assert Client().get(url).status_code in (401, 403)
    assert client_for("leader").get(url).status_code == 200
    assert api(keys["a"]).get(url).status_code == 200


def test_every_api_url_refuses_the_anonymous(keys):
    """A new URL under /api/ that answers without credentials is caught here."""
    for path, _view in _api_views():
        url = "/" + path.replace("<slug:code>", "ankang-2022").replace("<str:code>", HANBIN).replace(
            "<str:period>", "2024Q3").replace("<int:task>", "1")
        assert Client().get(url).status_code in (401, 403, 405), url


def test_the_docs_can_be_opened_by_configuration():
    from tests.platform.test_settings import GOOD_PRODUCTION, run

    probe = ("import django; django.setup(); from drf_spectacular.settings import spectacular_settings as s; "
             "print([c.__name__ for c in s.SERVE_PERMISSIONS])")
    assert run(GOOD_PRODUCTION, code=probe).stdout.strip() == "['IsAuthenticated']"
    assert run({**GOOD_PRODUCTION, "API_DOCS_PUBLIC": "1"}, code=probe).stdout.strip() == "['AllowAny']"


# ---------------------------------------------------------------- evidence downloads, logged once

def _task_report_evidence(personas, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.services import evidence_attach, task_part_open
    from tests.reports.test_task_reports import dept, period, task

    settings.MEDIA_ROOT = tmp_path
    part = task_part_open(task=task(6), department=dept("市商务局"), period=period(), user=personas["co_officer"])
    pdf = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.7\n" + b"x" * 100, content_type="application/pdf")
    return f"/reports/evidence/{evidence_attach(record=part, upload=pdf, user=personas['co_officer']).pk}/", "city_admin"


def _application_evidence(personas, tmp_path):
    from communities import pipeline
    from tests.communities.test_pipeline import complete, tier, unit

    settings.MEDIA_ROOT = tmp_path
    application = complete(pipeline.application_create(community=unit(), tier=tier("municipal"),
                                                       user=personas["county_a"]), personas["county_a"])
    return f"/communities/applications/evidence/{application.evidence.get().pk}/", "city_admin"


def _task_report_template(personas, tmp_path):
    return "/imports/templates/task-reports/2024Q3/", "lead_officer"


def _import_file(personas, tmp_path):
    from imports.models import ImportBatch
    from imports.services import import_upload
    from tests.imports_helpers import HEADER, community_rows, upload, villages, xlsx_bytes

    settings.MEDIA_ROOT = tmp_path
    data = xlsx_bytes([HEADER, *community_rows(villages("汉滨区", 2))])
    batch = import_upload(user=personas["county_a"], kind=ImportBatch.Kind.COMMUNITY_PROFILES, upload=upload(data))
    return f"/imports/{batch.pk}/file/", "county_a"


def _final_assessment(personas, tmp_path):
    """An issued final assessment's stored document (the leader downloads it)."""
    from django.test import TestCase

    from accounts.roles import Role
    from assessments.services import assessment_check, assessment_draft, assessment_issue
    from tasks.models import Plan
    from tests.conftest import make_user

    settings.MEDIA_ROOT = tmp_path
    plan = Plan.objects.get(code="ankang-2022")
    second = make_user("city_admin2", roles=[Role.CITY_ADMIN], department="市人社局")
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 30)):
        a = assessment_draft(plan=plan, user=personas["city_admin"], doc_number="安就业办发〔2026〕9号")
        a = assessment_check(assessment=a, user=second)
        with TestCase.captureOnCommitCallbacks(execute=True):
            assessment_issue(assessment=a, user=second)
    return f"/plans/{plan.code}/assessment/v{a.version}/docx/", "leader"


DOWNLOADS = {"reports:evidence": _task_report_evidence, "communities:application-evidence": _application_evidence,
             "imports:task-report-template": _task_report_template, "imports:file": _import_file,
             "assessments:download": _final_assessment}


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_each_download_is_logged_exactly_once(personas, tmp_path, client_for, security_log, name):
    url, persona = DOWNLOADS[name](personas, tmp_path)
    response = client_for(persona).get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    b"".join(response.streaming_content)
    exports = [e for e in security_log() if e["event"] == "export"]
    assert len(exports) == 1 and exports[0]["path"] == url


def test_every_file_download_goes_through_the_one_helper():
    """A view that builds a FileResponse itself (and logs it, or not, or twice) is caught here. The
    report pack's view (packs/) logs its single event itself; it moves to the helper when packs'
    current rework lands."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "var/", "tests/", "benchmarks/")) or rel in ("kernel/exports.py",
                                                                                "packs/views.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if "FileResponse(" in text or 'security_event("export"' in text:
            offenders.append(rel)
    assert offenders == [], offenders


# ---------------------------------------------------------------- number errors in the platform's words

DEFAULT_WORDING = re.compile(r"请确保|确保该值|输入一个数字|合法的数字|合法的整数|有效的数字|A valid (number|integer)|"
                             r"Ensure (this|that)|Enter a (whole )?number")
CODE_NAMED = re.compile(r"(^|[：:\s])(value|total|registered_unemployed|urban_labour_force)[：:不“]")


@pytest.mark.parametrize("value", ['"abc"', "1e30", '"1e3"', "12.12345", '"１２"', "99999999999999999", "true"])
def test_api_number_errors_are_the_platforms_words(keys, value):
    raw = ('{"values": [{"indicator": "urban_new_jobs", "region": "' + HANBIN + '", "component": "value", "value": '
           + value + '}]}')
    body = json.dumps(api(keys["a"]).post(PUSH, raw, content_type="application/json").json(), ensure_ascii=False)
    assert not DEFAULT_WORDING.search(body), body
    assert "数值" in body


@pytest.mark.parametrize("version", ['"x"', "-1", "1.5", "true"])
def test_api_whole_number_errors_are_the_platforms_words(keys, version):
    response = api(keys["a"]).post(SUBMIT, '{"version": ' + version + '}', content_type="application/json")
    body = json.dumps(response.json(), ensure_ascii=False)
    assert not DEFAULT_WORDING.search(body) and "版本" in body, body


@pytest.mark.parametrize("raw, words", [
    ("abc", "不是数字"), ("-5", "不能为负数"), ("1e3", "不是数字"), ("１２", "不是数字"), ("12.123456", "小数"),
    ("1e30", "不是数字"), ("99999999999999999999999999999", "过大"),
])
def test_a_county_return_names_the_indicator_and_component_not_their_codes(personas, raw, words):
    from django.core.exceptions import ValidationError

    from reports.models import ReportingPeriod
    from reports.services import county_return_open, county_return_save
    from tests.targets_helpers import county

    county_return = county_return_open(region=county("汉滨区"), period=ReportingPeriod.objects.get(year=2024, quarter=3),
                                       user=personas["county_a"])
    with pytest.raises(ValidationError) as refused:
        county_return_save(county_return=county_return, figures={"urban_new_jobs": {"value": raw}},
                           version=county_return.version, user=personas["county_a"])
    text = " ".join(refused.value.messages)
    assert words in text and "城镇新增就业" in text, text
    assert not CODE_NAMED.search(text) and not DEFAULT_WORDING.search(text), text


def test_every_numeric_api_field_speaks_the_platforms_words():
    """A new number field in a write serializer with DRF's default messages is caught here."""
    from rest_framework import serializers

    from api import serializers as s

    for serializer in (s.BulkValuesSerializer, s.ValueInSerializer, s.SubmitSerializer):
        for name, field in serializer().fields.items():
            if isinstance(field, (serializers.DecimalField, serializers.IntegerField, serializers.FloatField)):
                assert isinstance(field, (s.PlainDecimalField, s.PlainIntegerField)), (serializer, name)


# ---------------------------------------------------------------- an API read writes nothing

def _reads() -> list[str]:
    return [path for (method, path), kind in OPERATIONS.items() if method == "GET"]


def test_api_reads_write_nothing_and_the_last_use_is_noted_after_the_commit_once_a_minute(
        keys, django_capture_on_commit_callbacks):
    client = api(keys["a"])
    key_client = ApiClient.objects.get(name="县系统a")
    with django_capture_on_commit_callbacks(execute=False) as callbacks, CaptureQueriesContext(connection) as during:
        assert client.get("/api/v1/plans/").status_code == 200
    assert not [q for q in during if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    key_client.refresh_from_db()
    assert key_client.last_used_at is None and len(callbacks) == 1  # not yet: after the request's commit
    callbacks[0]()
    key_client.refresh_from_db()
    first = key_client.last_used_at
    assert first is not None
    # within the minute: every read endpoint, no write at all, nothing left for after the commit
    for url in _reads():
        with django_capture_on_commit_callbacks(execute=True) as callbacks, \
                CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        writes = [q["sql"][:80] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT",
                                                                                             "DELETE"))]
        assert writes == [] and callbacks == [], (url, writes)
    # a minute later it is noted again
    ApiClient.objects.filter(pk=key_client.pk).update(last_used_at=timezone.now() - dt.timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/api/v1/plans/")
    key_client.refresh_from_db()
    assert key_client.last_used_at > first
