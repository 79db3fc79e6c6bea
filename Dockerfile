# Production image: gunicorn (web), Celery worker and Celery beat all run from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=ankang_jobs.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

WORKDIR /app
# pg_dump and pg_restore for `manage.py backup` / `restore` (docs/operations.md); Debian's
# client is at least the server's major version (15), which pg_dump requires.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --disable-pip-version-check -r requirements.txt

COPY . .
# collectstatic needs production settings to import; these values exist only for this step.
RUN SECRET_KEY=collectstatic-only-not-a-secret-000000000000000000000 \
    DATABASE_URL=postgres://build@localhost/build CELERY_BROKER_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --no-input -v0

RUN useradd --system --uid 10001 --home-dir /app app \
    && mkdir -p /app/media /var/lib/celery \
    && chown -R app /app/media /var/lib/celery
USER app
EXPOSE 8000
CMD ["gunicorn", "ankang_jobs.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
