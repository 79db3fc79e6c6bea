"""The example client, run against a live test server."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from unittest import mock

import pytest
from django.utils import timezone

from examples.push_quarter import main
from tests.conftest import reference_data_load


@pytest.fixture
def world(transactional_db):
    from accounts.models import User
    from accounts.services import role_grant
    from divisions.models import Region
    from reports.services import periods_generate

    if not Region.objects.exists():
        reference_data_load(periods=False)
    periods_generate(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    admin = User.objects.create_user("ex_admin")
    role_grant(user=admin, role="city_admin", granted_by=None)
    from api.services import api_client_create

    _, key = api_client_create(name="汉滨区就业系统", region=Region.objects.get(code="610902000000"),
                               access="read_write", expires_at=timezone.now() + dt.timedelta(days=30), created_by=admin)
    return key


def test_example_client_pushes_a_quarter_and_prints_the_summary(world, live_server, tmp_path, capsys):
    from targets.models import IndicatorValue

    figures = tmp_path / "hanbin.csv"
    figures.write_bytes("indicator,component,value\nurban_new_jobs,value,1234\n"
                        "registered_unemployment_rate,registered_unemployed,300\n"
                        "registered_unemployment_rate,urban_labour_force,10000\n".encode("gb18030"))
    args = [str(figures), "--url", live_server.url, "--key", world, "--period", "2024Q3", "--region", "610902000000"]
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        assert main([*args, "--dry-run"]) == 0
        assert "created 3" in capsys.readouterr().out and not IndicatorValue.objects.exists()
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "created 3" in out and "written: True" in out
        assert main(args) == 0  # a retry: the same answer, nothing written twice
        assert "created 3" in capsys.readouterr().out
        assert IndicatorValue.objects.get(indicator__code="urban_new_jobs").value == D(1234)
        bad = tmp_path / "bad.csv"
        bad.write_text("indicator,component,value\nurban_new_jobs,value,-5\n", encoding="utf-8")
        assert main([str(bad), *args[1:]]) == 1
        assert "row 2 urban_new_jobs/value" in capsys.readouterr().out
