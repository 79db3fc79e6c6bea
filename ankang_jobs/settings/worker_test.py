"""A Celery worker started by the tests: the test settings, but really consuming from Redis."""

from .test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False

# The fault drill's naive control (tests/platform/test_faults.py): a worker without reject-on-worker-lost,
# to prove the drill sees a lost job. Never set outside that test.
if __import__("os").environ.get("DRILL_NAIVE_WORKER") == "1":
    CELERY_TASK_REJECT_ON_WORKER_LOST = False
