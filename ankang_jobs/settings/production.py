"""Production: refuses to start unless it is configured like production.

Refuses: no SECRET_KEY (or the development key), DEBUG on, Celery eager (no broker), SQLite.
TLS is terminated by the reverse proxy in front of gunicorn, which sets X-Forwarded-Proto.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CELERY_TASK_ALWAYS_EAGER, DATABASES, DEBUG, INSECURE_DEV_SECRET_KEY, SECRET_KEY, env

problems = []
if not SECRET_KEY or SECRET_KEY == INSECURE_DEV_SECRET_KEY:
    problems.append("SECRET_KEY is not set")
if DEBUG:
    problems.append("DEBUG is on")
if CELERY_TASK_ALWAYS_EAGER:
    problems.append("Celery would run eagerly: set CELERY_BROKER_URL or REDIS_URL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    problems.append("DATABASE_URL points at SQLite: production runs on PostgreSQL")
if problems:
    raise ImproperlyConfigured("Production settings refuse to start: " + "; ".join(problems))

DEMO_MODE = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# One reverse proxy in front of gunicorn (README "Production"): the client's address is the last
# in its X-Forwarded-For (kernel/addresses.py). Set it to the number of proxies if there are more.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT  # noqa: F405
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check speaks plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # The platform runs on a closed government network under hostnames browsers' public HSTS
    # preload list cannot hold, so W021 ("not preloaded") cannot be acted on there.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The second factor for privileged roles is on in production unless explicitly switched off.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)
