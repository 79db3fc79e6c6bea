"""A Celery worker started by the tests: the test settings, but really consuming from Redis."""

from .test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
