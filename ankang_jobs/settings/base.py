"""Settings shared by every environment; everything that differs comes from the environment.

The embedded default (no variables set) is SQLite under ``var/`` and Celery running tasks
eagerly in-process with a local-memory cache, so a newcomer needs nothing but Python. Setting
``DATABASE_URL`` and ``CELERY_BROKER_URL`` (or ``REDIS_URL``) switches to PostgreSQL and Redis.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"  # ignored by git: SQLite file, uploads, logs of the embedded default

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# Only the embedded default and the tests may fall back to this key; production.py refuses it.
INSECURE_DEV_SECRET_KEY = "dev-only-insecure-key-ankang-jobs-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Marks the demo dataset in every page header; off in production.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

INSTALLED_APPS = [
    "accounts.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "axes",  # login lockout (after the project's apps would be too late for its checks)
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The project's apps, bottom to top as the layers in README "Architecture" (which says why each
    # exists; lint-imports enforces the order).
    "kernel",
    "accounts",
    "audit",
    "outbox",
    "divisions",
    "tasks",
    "targets",
    "reports",
    "communities",
    "brands",
    "api",
    "imports",
    "dashboards",
    "packs",
    "assessments",
    "my_work",
    "operations",
    "seeding",
]

MIDDLEWARE = [
    # First, so a database outage anywhere below is a 503 with Retry-After, not a 500.
    "kernel.db_outage.DatabaseUnavailableMiddleware",
    # Then: every response, error pages included, carries X-Request-ID and the log records name it.
    "kernel.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kernel.middleware.ContentSecurityPolicyMiddleware",
    "kernel.middleware.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kernel.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle and absolute session limits, right after the session's user is known.
    "accounts.middleware.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Privileged roles must pass the second factor before anything else.
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records request.user as the author of every history row (the audit trail).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a locked-out login into the same page as a wrong password (accounts/security.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ankang_jobs.urls"
WSGI_APPLICATION = "ankang_jobs.wsgi.application"
ASGI_APPLICATION = "ankang_jobs.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kernel.context_processors.platform",
                "accounts.context_processors.roles",
                "reports.context_processors.reporting",
                "packs.context_processors.packs",
                "tasks.context_processors.plan_switcher",
                "assessments.context_processors.assessments",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if "DATABASE_URL" not in env.ENVIRON:
    VAR_DIR.mkdir(exist_ok=True)  # the embedded default's SQLite file lives here
DATABASES["default"]["ATOMIC_REQUESTS"] = True  # a request applies whole or not at all
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A persistent connection is checked before a request reuses it, so after a PostgreSQL restart
# the first request reconnects instead of failing on a dead socket (no effect at CONN_MAX_AGE=0).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# While PostgreSQL is unreachable pages answer 503 with this Retry-After (seconds): see
# ankang_jobs/db_outage.py and docs/operations.md.
DATABASE_OUTAGE_RETRY_AFTER = env.int("DATABASE_OUTAGE_RETRY_AFTER", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "my_work:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Password rules (docs/security.md says where they depart from OWASP ASVS and why).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ["username", "full_name", "email"]}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes (docs/security.md "Lockout and throttle"): 5 failures for one username from one
# address lock that username from that address for 30 minutes, so an outsider cannot lock a user
# out from their usual address; and 20 failures from one address, whatever the usernames, lock that
# address (a throttle on password spraying; accounts/security.py LoginThrottleHandler). Counts are
# kept in PostgreSQL (the database handler), so they hold while Redis is down. A locked-out login
# gets exactly the page a wrong password gets (AXES_LOCKOUT_CALLABLE), so it tells an attacker nothing.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.UserWithRolesBackend"]
AXES_HANDLER = "accounts.security.LoginThrottleHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_ENABLE_ADMIN = False  # accounts/admin.py shows lockouts to the security administrator only
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_VERBOSE = False  # our own security log records lockouts (ankang.security)
# axes stores a failure's form fields; "password" is always masked. A wrong old password on the
# password-change page is a failure too (accounts/views.py): its fields are masked as well.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "old_password", "new_password1", "new_password2",
                             "csrfmiddlewaretoken"]
# The client's address: behind TRUSTED_PROXY_COUNT reverse proxies, from X-Forwarded-For; one rule
# for the lockout, the API's rate limit and the security log (kernel/addresses.py). 0 here (the
# embedded default has no proxy); production.py makes it 1, the documented reverse proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "kernel.addresses.client_ip"
SILENCED_SYSTEM_CHECKS: list[str] = []
# Sessions: logged out after 30 minutes without a request and 12 hours after logging in,
# whatever happens in between (accounts/middleware.py).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
# TOTP second factor for the privileged roles (accounts/roles.py: SECOND_FACTOR_ROLES). On in
# production (production.py), off on the embedded default so demo accounts log in with a password.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = "安康市就业工作平台"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Language and time. Chinese first; English selectable through the language switch.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"  # quarters and deadlines are computed in local dates
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Redis: one URL may serve as broker and cache; either variable switches Celery off eager mode.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://"  # never contacted in eager mode; stops kombu guessing "localhost"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="" if CELERY_TASK_ALWAYS_EAGER else CELERY_BROKER_URL) or None
# Surviving a worker's death (docs/operations.md "Faults"): a job is acknowledged only when it
# has finished, and a worker killed mid-job (SIGKILL, OOM) has the job rejected back to the
# queue, so another worker runs it again; every job is idempotent. With Redis as the broker an
# unacknowledged job is redelivered after the visibility timeout, which must exceed the longest
# job (else a job still running is delivered a second time): the longest is the nightly full
# roll-up at province scale, about 5 s cold (docs/benchmarks.md), and a 50,000-row import, a
# few minutes; an hour leaves room for a slow day. Redelivery after a lost worker waits for it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Jobs record what they did in the database (RollupRun, ImportBatch); nobody reads Celery's
# results. Ignoring them also keeps a send from subscribing to the result in Redis, which with
# Redis down retried for 20 s and then failed the request (found by tests/platform/test_faults.py).
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
BROKER_VISIBILITY_TIMEOUT = env.int("BROKER_VISIBILITY_TIMEOUT", default=3600)
# Every call to the broker is bounded (docs/operations.md "A hung broker"): connecting, and waiting
# for an answer. A broker that accepts connections but never answers (a hung Redis, a half-open
# connection through a firewall) used to hold a publish — and the request that committed the job —
# forever. The worker waits for jobs with BRPOP of 1 s, well inside this.
BROKER_TIMEOUT = env.float("BROKER_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": BROKER_TIMEOUT,  # a broker that is down must not hold a request for long
    "socket_timeout": BROKER_TIMEOUT,  # nor one that is hung
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": BROKER_TIMEOUT, "socket_timeout": BROKER_TIMEOUT}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = BROKER_TIMEOUT
# Publishing from the beat job and `manage.py outbox_relay`: retry briefly, then the outbox keeps the
# job. The relay right after a request's commit makes one attempt, without these retries (outbox/).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    # Nightly full roll-up: a safety net behind the incremental recomputes after each approval.
    "targets-nightly-rollup": {"task": "targets.rollup", "schedule": crontab(hour=2, minute=30),
                               "kwargs": {"trigger": "nightly"}},
    # 督办: due-in-3-days and overdue reminders, each morning.
    "reports-daily-reminders": {"task": "reports.reminders", "schedule": crontab(hour=8, minute=0)},
    # 督办: leaders' instructions due within INSTRUCTION_REMINDER_DAYS, and overdue ones, each morning.
    "reports-instruction-reminders": {"task": "reports.instruction_reminders",
                                      "schedule": crontab(hour=8, minute=2)},
    # Jobs written to the outbox while Redis was down go out within a minute of its return.
    "outbox-relay": {"task": "outbox.relay", "schedule": 60.0},
    # Sent jobs are kept OUTBOX_KEEP_DAYS for inspection, then deleted (pending ones never).
    "outbox-prune": {"task": "outbox.prune", "schedule": crontab(hour=3, minute=15)},
    # Callbacks: failed deliveries retried once their backoff has passed; period events each morning.
    # Notifications by e-mail and text message: failed deliveries retried once their back-off has passed.
    "reports-notification-deliveries-retry": {"task": "reports.notification_deliveries_retry", "schedule": 60.0},
    "api-webhooks-retry": {"task": "api.webhooks_retry", "schedule": 60.0},
    "api-period-events": {"task": "api.period_events", "schedule": crontab(hour=8, minute=5)},
}
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)
# 督办: the units addressed by a leader's instruction are reminded this many days before its deadline.
INSTRUCTION_REMINDER_DAYS = 3

# The cache degrades when Redis is down (ankang_jobs/cache.py): a miss on read, nothing on write,
# so pages, logins and submissions keep working and rate limits let requests through.
CACHES = {
    "default": (
        {"BACKEND": "kernel.cache.DegradingRedisCache", "LOCATION": REDIS_URL or CELERY_BROKER_URL,
         "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
        if (REDIS_URL or CELERY_BROKER_URL).startswith(("redis://", "rediss://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Template fragments that depend only on the code, the language and a reader's roles (the
    # navigation menu in base.html): each process renders them once and keeps them in its memory.
    # A deployment restarts the processes, which is the only time they change.
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                  "TIMEOUT": 24 * 3600, "OPTIONS": {"MAX_ENTRIES": 1000}},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication",
                                       "rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.PlatformAutoSchema",
    # JSON only, read strictly (a key repeated in one object is refused: api/parsers.py). The schema
    # then advertises application/json alone, so a generated client cannot pick a multipart body.
    "DEFAULT_PARSER_CLASSES": ["api.parsers.StrictJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"client": env.str("API_RATE_LIMIT", default="600/min")},
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # DRF's own address rule agrees with kernel/addresses.py
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
}
# Callbacks (api/webhooks.py): HTTPS only in production; a receiver answers within the timeout or
# the attempt fails; failed attempts are retried after base × 2^(n−1) seconds, up to MAX_ATTEMPTS per
# event; after DISABLE_AFTER failures in a row the callback is disabled and the office told.
WEBHOOK_REQUIRE_HTTPS = env.bool("WEBHOOK_REQUIRE_HTTPS", default=not DEBUG)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=60)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_DISABLE_AFTER = env.int("WEBHOOK_DISABLE_AFTER", default=10)
WEBHOOK_CLOSING_DAYS = env.int("WEBHOOK_CLOSING_DAYS", default=3)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=2 * 1024 * 1024)  # ~20,000 figures
SPECTACULAR_SETTINGS = {
    # ASCII: client generators derive the package's name from the title (ankang-jobs-client)
    "TITLE": "Ankang Jobs Client",
    "DESCRIPTION": "安康市高质量充分就业市创建工作平台 API. REST API v1 for the ten counties' systems, the "
                   "departments' systems and the city's own tools. See docs/api.md for keys, idempotency, "
                   "incremental sync, callbacks and the versioning policy. Every error answers "
                   "{\"detail\": str, \"errors\": {...}} (the Error component).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs need a session or an API key, like the API (API_DOCS_PUBLIC=1 opens them).
    "SERVE_PERMISSIONS": (["rest_framework.permissions.AllowAny"] if env.bool("API_DOCS_PUBLIC", default=False)
                          else ["rest_framework.permissions.IsAuthenticated"]),
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "divisions.models.Region.Kind",
        "DepartmentKindEnum": "tasks.models.Department.Kind",
        "IndicatorKindEnum": "targets.models.Indicator.Kind",
        "TaskKindEnum": "tasks.models.Task.Kind",
        # named here, not by drf-spectacular's collision rules, so generated clients keep their names
        "ReviewStateEnum": "reports.models.ReviewState",
        "SelfStatusEnum": "reports.models.SelfStatus",
        "SnapshotStatusEnum": "targets.models.Snapshot.Status",
        "ValueStatusEnum": "targets.models.IndicatorValue.Status",
    },
}

# Quarterly reporting: a return is due this many days after its quarter ends, and entry closes
# this many days after the quarter ends (later changes need an exception or a correction).
REPORT_DUE_DAYS = env.int("REPORT_DUE_DAYS", default=10)
REPORT_ENTRY_WINDOW_DAYS = env.int("REPORT_ENTRY_WINDOW_DAYS", default=20)

# E-mail for notifications: printed to the console on the embedded default; EMAIL_URL
# (e.g. smtp+tls://user:password@mail.example:587) sets a real server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="安康市就业工作平台 <noreply@localhost>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Outside deliveries of notifications (e-mail, SMS: reports/deliveries.py, docs/notifications.md):
# through the outbox, never in the request; a failed attempt is retried after base × 2^(n−1)
# seconds, up to NOTIFY_MAX_ATTEMPTS, then recorded as failed in the delivery log the office reads.
NOTIFY_RETRY_BASE_SECONDS = env.int("NOTIFY_RETRY_BASE_SECONDS", default=60)
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=5)
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10.0)  # seconds: a hung SMTP server fails the attempt
# SMS (kernel/sms.py): the backend class; with SMS_GATEWAY_URL set, the generic HTTP-JSON gateway.
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_BACKEND = env.str("SMS_BACKEND", default="kernel.sms.HttpJsonSmsBackend" if SMS_GATEWAY_URL
                      else "kernel.sms.ConsoleSmsBackend")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_AUTH_HEADER = env.str("SMS_GATEWAY_AUTH_HEADER", default="Authorization")
SMS_GATEWAY_AUTH_SCHEME = env.str("SMS_GATEWAY_AUTH_SCHEME", default="Bearer")
SMS_GATEWAY_TIMEOUT_SECONDS = env.float("SMS_GATEWAY_TIMEOUT_SECONDS", default=5.0)
# The JSON body posted, as JSON text: {phone}, {text}, {id}, {timestamp} are filled in.
SMS_GATEWAY_BODY = env.json("SMS_GATEWAY_BODY", default={"phone": "{phone}", "text": "{text}", "id": "{id}"})
# Success: HTTP 2xx and, if a field is named (dotted path into the JSON answer), one of these values.
SMS_GATEWAY_SUCCESS_FIELD = env.str("SMS_GATEWAY_SUCCESS_FIELD", default="")
SMS_GATEWAY_SUCCESS_VALUES = env.list("SMS_GATEWAY_SUCCESS_VALUES", default=["0", "ok", "OK", "true", "True"])
SMS_GATEWAY_ID_FIELD = env.str("SMS_GATEWAY_ID_FIELD", default="id")  # the gateway's message id in its answer
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "outbox-sms"))
SMS_MAX_CHARS = env.int("SMS_MAX_CHARS", default=300)  # longer texts are cut, ending with …

# Task 8's tier counts: does a community holding a higher tier count toward the lower tiers'
# targets too? Yes by default — each higher tier requires the one below, so a provincial
# community is also one of the city's 1,500 municipal ones. Shown on every count.
CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER = env.bool("CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER", default=True)

# Task 8's certification pipeline: the review steps an application passes, in order (any of
# town, county, city; the city's step, which certifies, must be last), and how long a
# certification holds before its periodic review (复核) is due.
CERTIFICATION_REVIEW_STEPS = env.list("CERTIFICATION_REVIEW_STEPS", default=["town", "county", "city"])
CERTIFICATION_VALIDITY_YEARS = env.int("CERTIFICATION_VALIDITY_YEARS", default=3)

IMPORT_EXPORT_SKIP_ADMIN_ACTION_EXPORT_UI = False
IMPORT_EXPORT_USE_TRANSACTIONS = True  # an import applies whole or not at all

# Excel/CSV imports (imports/, docs/imports.md): limits checked by the file gate before parsing.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_ZIP_MAX_ENTRIES = env.int("IMPORT_ZIP_MAX_ENTRIES", default=1000)
IMPORT_ZIP_MAX_UNCOMPRESSED = env.int("IMPORT_ZIP_MAX_UNCOMPRESSED", default=100 * 1024 * 1024)
IMPORT_ZIP_MAX_RATIO = env.int("IMPORT_ZIP_MAX_RATIO", default=100)  # per entry, for entries above 1 MB
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
# Confirmed imports changing more rows than this run as a Celery job with a progress bar.
IMPORT_ASYNC_ROWS = env.int("IMPORT_ASYNC_ROWS", default=500)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Uploads: a request body (other than files) above 10 MB is refused; a file above 2.5 MB goes to a
# temporary file rather than memory; evidence files are capped by EVIDENCE_MAX_BYTES; at most
# 1,000 form fields and 20 files per request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (ankang_jobs/middleware.py): scripts and styles from the platform only.
# Inline style attributes stay allowed: Bootstrap markup and ECharts' tooltips set them, and a style
# cannot run code; inline scripts and event handlers are refused (tests/platform/test_security_headers.py).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
                           "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

# Security events (ankang.security: logins, failures, lockouts, denied access, exports, imports,
# approvals, key changes) are JSON lines with the request id; everything else is plain text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kernel.security_log.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
                   "json": {"()": "kernel.security_log.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
                 "security": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                "axes": {"level": "WARNING"},  # its INFO lines repeat what ankang.security records
                "ankang.security": {"handlers": ["security"], "level": "INFO", "propagate": False}},
}

PLATFORM_NAME = _("Ankang High-Quality Full-Employment City Platform")
