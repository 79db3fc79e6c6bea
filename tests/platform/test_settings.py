"""Settings come from the environment; production refuses to start misconfigured."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

PROBE = ("import django, json; django.setup(); from django.conf import settings as s; "
         "print(json.dumps([s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
         "s.CACHES['default']['BACKEND'], s.DEBUG, s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ]))")
GOOD_PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.production",
    "SECRET_KEY": "a-real-secret-for-the-test-only-8f3k2l1m0n9b8v7c6x5z4a3s2d1f0g",
    "DATABASE_URL": "postgres://ankang@127.0.0.1:5432/ankang",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "jobs.ankang.example",
}
SERVICE_VARS = {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}


def run(env_overrides: dict[str, str], code: str = PROBE, args=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS}
    env.update(env_overrides)
    return subprocess.run(args or [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR,
                          capture_output=True, text=True, timeout=120)


def test_embedded_default_is_sqlite_eager_and_local_memory():
    result = run({"DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.dev"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '["django.db.backends.sqlite3", true, "django.core.cache.backends.locmem.LocMemCache", true, '
        '"zh-hans", "Asia/Shanghai", true]')


def test_broker_url_switches_to_redis_and_a_real_broker():
    result = run({"DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.dev", "REDIS_URL": "redis://127.0.0.1:6379/3",
                  "DATABASE_URL": "postgres://u@127.0.0.1/db"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(
        '["django.db.backends.postgresql", false, "kernel.cache.DegradingRedisCache"')


@pytest.mark.parametrize("override, message", [
    ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
    ({"DEBUG": "1"}, "DEBUG is on"),
    ({"CELERY_BROKER_URL": ""}, "Celery would run eagerly"),
    ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "SQLite"),
])
def test_production_refuses_to_start_misconfigured(override, message):
    result = run({**GOOD_PRODUCTION, **override})
    assert result.returncode != 0
    assert "Production settings refuse to start" in result.stderr and message in result.stderr


def test_production_check_deploy_is_clean():
    result = run(GOOD_PRODUCTION, args=[sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_with_everything_set():
    result = run(GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith('["django.db.backends.postgresql", false, ')


def test_requests_are_atomic():
    assert settings.DATABASES["default"]["ATOMIC_REQUESTS"] is True
