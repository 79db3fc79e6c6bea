"""The schema tested by a client nobody here wrote: openapi-python-client generates a Python
client from /api/schema/, and that client pushes, dry-runs, reads back and submits a quarter
against a live server. The generator runs locally (no network) and runs no formatter after
itself (examples/client-config.yaml), so the test is the same on every machine."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import subprocess
import sys
from pathlib import Path
from unittest import mock

import httpx
import pytest
from django.utils import timezone

from tests.conftest import reference_data_load
from tests.reports.test_county_returns import full_figures

HANBIN = "610902000000"
CONFIG = Path(__file__).resolve().parents[2] / "examples" / "client-config.yaml"


@pytest.fixture
def key(transactional_db):
    from accounts.models import User
    from accounts.services import role_grant
    from api.services import api_client_create
    from divisions.models import Region

    if not Region.objects.exists():
        reference_data_load()
    admin = User.objects.create_user("gen_admin")
    role_grant(user=admin, role="city_admin", granted_by=None)
    _, key = api_client_create(name="汉滨区就业系统", region=Region.objects.get(code=HANBIN), access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=30), created_by=admin)
    return key


def generate_client(schema_url: str, key: str, where: Path):
    """Download the schema as a contractor would (with the key) and generate the client package."""
    schema = httpx.get(schema_url, headers={"Authorization": f"Api-Key {key}"}, timeout=30)
    assert schema.status_code == 200, schema.text[:300]
    (where / "schema.json").write_bytes(schema.content)
    done = subprocess.run([sys.executable, "-m", "openapi_python_client", "generate", "--path",
                           str(where / "schema.json"), "--config", str(CONFIG), "--meta", "none", "--output-path",
                           str(where / "ankang_jobs_client"), "--fail-on-warning"],
                          capture_output=True, text=True, timeout=300, cwd=where)
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(where))
    try:
        importlib.invalidate_caches()
        return importlib.import_module("ankang_jobs_client")
    finally:
        sys.path.remove(str(where))


@pytest.fixture
def generated(tmp_path):
    yield lambda url, key: generate_client(url, key, tmp_path)
    for name in [m for m in sys.modules if m.startswith(("ankang_jobs_client", "examples.client_kit"))]:
        del sys.modules[name]


def test_a_generated_client_pushes_reads_back_and_submits_a_quarter(key, live_server, generated, tmp_path):
    from targets.models import IndicatorValue

    package = generated(f"{live_server.url}/api/schema/?format=json", key)
    from ankang_jobs_client.api.returns import returns_list, returns_submit, returns_values_push
    from ankang_jobs_client.api.values import values_list
    from ankang_jobs_client.models import BulkValues, CountyReturn, Error, ImportSummary, Submit, ValueIn

    client = package.AuthenticatedClient(base_url=live_server.url, token=key, prefix="Api-Key",
                                         headers={"Accept-Language": "zh-hans"})
    values = [ValueIn(indicator=code, region=HANBIN, component=component, value=value)
              for code, components in full_figures().items() for component, value in components.items()]
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        dry = returns_values_push.sync(period="2024Q3", client=client, body=BulkValues(values=values, dry_run=True))
        assert isinstance(dry, ImportSummary) and dry.created == len(values) and dry.written is False
        assert not IndicatorValue.objects.exists()

        pushed = returns_values_push.sync(period="2024Q3", client=client, body=BulkValues(values=values),
                                          idempotency_key="first-push")
        assert isinstance(pushed, ImportSummary) and pushed.written is True and pushed.rejected == 0

        page = values_list.sync(client=client, period="2024Q3", page_size=1000)
        assert {(v.indicator, v.component, v.value) for v in page.results} == {
            (v.indicator, v.component, f"{float(v.value):.4f}") for v in values}

        bad = returns_values_push.sync_detailed(period="2024Q3", client=client, body=BulkValues(
            values=[ValueIn(indicator="urban_new_jobs", region="610922000000", component="value", value="1")]))
        # every error is the Error shape; a refused push adds its summary beside "detail"
        assert bad.status_code == 400 and isinstance(bad.parsed, Error) and "未写入" in bad.parsed.detail
        assert "610922000000" in bad.parsed.additional_properties["results"][0]["reason"]

        submitted = returns_submit.sync(period="2024Q3", client=client,
                                        body=Submit(version=pushed.return_version, explanation="测试说明"))
        assert isinstance(submitted, CountyReturn) and submitted.state == "submitted"
        again = returns_submit.sync_detailed(period="2024Q3", client=client,
                                             body=Submit(version=pushed.return_version))
        assert again.status_code == 409 and isinstance(again.parsed, Error) and again.parsed.detail

        listed = returns_list.sync(client=client)
        assert [(r.period, str(r.state)) for r in listed.results] == [("2024Q3", "submitted")]

        kit_backfills_and_syncs(package, client, tmp_path)


def kit_backfills_and_syncs(package, client, tmp_path):
    """examples/client_kit.py on the generated client: back-fill, then sync since the last run."""
    import io

    from examples import client_kit
    from reports.models import ReportingPeriod
    from reports.services import period_exception_open
    from targets.models import IndicatorValue

    state, out = tmp_path / "state.json", io.StringIO()
    first = client_kit.sync(client, state_path=str(state), overlap_seconds=0, out=out)
    kinds = [json.loads(line)["kind"] for line in out.getvalue().splitlines()]
    assert first == len(kinds) and kinds.count("returns") == 1 and kinds.count("values") > 3

    from accounts.models import User

    period_exception_open(period=ReportingPeriod.objects.get(year=2024, quarter=2), open_until=dt.date(2024, 11, 30),
                          reason="补报", user=User.objects.get(username="gen_admin"),
                          region=IndicatorValue.objects.first().region)
    old = tmp_path / "old.csv"
    old.write_text("period,indicator,component,value\n2024Q2,urban_new_jobs,value,77\n", encoding="utf-8")
    assert client_kit.backfill(client, csv_path=str(old), region=HANBIN, out=io.StringIO())
    out = io.StringIO()
    client_kit.sync(client, state_path=str(state), overlap_seconds=0, out=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert ("values", "2024Q2", "77.0000") in {(r["kind"], r["row"].get("period"), r["row"].get("value"))
                                               for r in rows}
    assert {"2024Q3"} >= {r["row"]["period"] for r in rows if r["kind"] == "values" and r["row"]["period"] != "2024Q2"}
    assert len(rows) < first + 2  # only what changed (and the rows at the last moment seen)
