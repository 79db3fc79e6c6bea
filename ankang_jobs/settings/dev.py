"""The embedded default: a developer's or a demo machine. DEBUG on unless told otherwise."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
DEMO_MODE = env.bool("DEMO_MODE", default=True)
# No manifest in development: static files are served straight from static/.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True  # serve straight from static/ without collectstatic
WHITENOISE_AUTOREFRESH = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405  (silences WhiteNoise's missing-root warning)
# base.py decides this before DEBUG is turned on here: the embedded default accepts a plain-http
# callback (the demo's receiver on 127.0.0.1); production keeps requiring HTTPS (DEBUG off there).
WEBHOOK_REQUIRE_HTTPS = env.bool("WEBHOOK_REQUIRE_HTTPS", default=not DEBUG)
# Outgoing messages of the embedded default go to files a newcomer can read (README, "Notifications"):
# e-mails to var/outbox-mail/ (Django's file backend), text messages to var/outbox-sms/.
if not env.str("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "outbox-mail")  # noqa: F405
if not env.str("SMS_BACKEND", default="") and not SMS_GATEWAY_URL:  # noqa: F405
    SMS_BACKEND = "kernel.sms.FileSmsBackend"
