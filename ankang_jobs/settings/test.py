"""Settings for the test suite: the same as the embedded default unless the environment says
otherwise (CI sets DATABASE_URL to PostgreSQL and CELERY_BROKER_URL to Redis)."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; tests only
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Jobs run in-process in tests, whatever the broker; the real-worker tests switch this off for
# themselves (tests/targets/test_rollup_worker.py) and talk to Redis.
CELERY_TASK_ALWAYS_EAGER = True
# REQUIRE_SERVICES=1 (set by .ci/run) turns "PostgreSQL/Redis not configured" into failures.
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)
WHITENOISE_USE_FINDERS = True  # serve straight from static/ without collectstatic
WHITENOISE_AUTOREFRESH = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405  (silences WhiteNoise's missing-root warning)
# Text messages are kept in memory (kernel.sms.LocmemSmsBackend.outbox), as Django keeps e-mails.
SMS_BACKEND = "kernel.sms.LocmemSmsBackend"
