"""The serving setup (gunicorn.conf.py, docs/performance.md "Serving"): gthread workers sized to
the cores, persistent database connections in production, and static files compressed and cached
for good by WhiteNoise."""

from __future__ import annotations

import multiprocessing
import os
import re
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware


def _gunicorn_config(**env) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-m", "gunicorn", "--print-config", "ankang_jobs.wsgi"],
                         cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
                         env={**os.environ, **env}).stdout
    return dict(re.findall(r"^(\w+)\s+=\s+(.*)$", out, re.M))


def test_gunicorn_runs_threaded_workers_one_per_core_plus_one():
    config = _gunicorn_config()
    assert config["worker_class"] == "gthread"
    assert int(config["workers"]) == multiprocessing.cpu_count() + 1
    assert int(config["threads"]) >= 2
    assert int(config["max_requests"]) > 0 and int(config["max_requests_jitter"]) > 0
    # an operator sizes them without editing the file
    config = _gunicorn_config(GUNICORN_WORKERS="5", GUNICORN_THREADS="8")
    assert (config["workers"], config["threads"]) == ("5", "8")


def test_the_image_and_compose_leave_the_worker_counts_to_the_config_file():
    for name in ("Dockerfile", "docker-compose.yml"):
        text = (settings.BASE_DIR / name).read_text()
        assert "gunicorn" in text and "--workers" not in text, name


def test_production_keeps_database_connections_open():
    code = ("import django; from django.conf import settings; django.setup(); "
            "print(settings.DATABASES['default']['CONN_MAX_AGE'], settings.DATABASES['default']['CONN_HEALTH_CHECKS'])")
    out = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True,
                         timeout=60, env={**os.environ, "DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.production",
                                          "SECRET_KEY": "x" * 60, "DATABASE_URL": "postgres://u@localhost/db",
                                          "CELERY_BROKER_URL": "redis://localhost:6379/0",
                                          "ALLOWED_HOSTS": "example.org"})
    assert out.stdout.split() == ["60", "True"], out.stderr[-2000:]


def test_static_files_are_served_compressed_and_cached_for_good(tmp_path):
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with override_settings(STATIC_ROOT=str(tmp_path), STORAGES=storages, WHITENOISE_USE_FINDERS=False,
                           WHITENOISE_AUTOREFRESH=False, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage

        staticfiles_storage._setup()  # the storage object is made once; make it again for these settings
        hashed = staticfiles_storage.url("vendor/echarts/echarts.min.js")
        assert re.search(r"echarts\.min\.[0-9a-f]{12}\.js$", hashed), hashed
        middleware = WhiteNoiseMiddleware(lambda request: None)
        response = middleware(RequestFactory().get(hashed, HTTP_ACCEPT_ENCODING="gzip, br"))
    assert response.status_code == 200
    assert response["Content-Encoding"] in ("gzip", "br")
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    assert response["Vary"] == "Accept-Encoding"
