"""A Celery worker started by the tests: the test settings, but really consuming from Redis."""

from .test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False

# The fault drill's naive control (tests/platform/test_faults.py): a worker without reject-on-worker-lost,
# to prove the drill sees a lost job. Never set outside that test.
if __import__("os").environ.get("DRILL_NAIVE_WORKER") == "1":
    CELERY_TASK_REJECT_ON_WORKER_LOST = False

# The two-of-everything drill (tests/platform/test_two_of_everything.py) restores unacknowledged
# jobs every second (kombu's default sweep is 10 × 10 s), so a killed worker's job reaches the other
# worker soon after the drill's short visibility timeout (BROKER_VISIBILITY_TIMEOUT). Drill only.
if __import__("os").environ.get("DRILL_FAST_RESTORE") == "1":
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
                                       "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
