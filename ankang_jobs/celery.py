"""The Celery application.

Name clash, decided once: the domain app ``tasks/`` holds the plan's 19 tasks, so Celery jobs
live in each app's ``jobs.py`` (never ``tasks.py``) and are discovered with
``related_name="jobs"``. Every job gets an explicit, stable ``name=``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankang_jobs.settings.dev")

app = Celery("ankang_jobs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
