# gunicorn reads this file from the working directory (the image's /app, the tests' checkout).
# The access log never holds a secret sent in a URL or a header: kernel/gunicorn_logging.py.
#
# Worker class and counts (docs/performance.md "Serving"): a request here is a few milliseconds
# of Python between waits on PostgreSQL and Redis (a cached dashboard: two cache reads and the
# session; a county's push: a transaction of a few statements). Threads overlap those waits
# without a process each, so ``gthread``: one process per core (+1, so one process's GIL pause or
# garbage collection leaves the cores busy) × GUNICORN_THREADS threads. More processes than
# cores only queue behind one another for the CPU and each holds its own memory (~150 MB) and
# database connections; async workers would need every library to cooperate (psycopg2 does not).
# Each thread keeps its own persistent database connection (CONN_MAX_AGE in the settings:
# production 60 s), so a web process holds at most GUNICORN_THREADS connections: size PostgreSQL's
# max_connections as web processes × workers × threads + Celery workers + a margin.
import multiprocessing
import os

logger_class = "kernel.gunicorn_logging.RedactingLogger"

worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# keep-alive lets a browser (or the reverse proxy) reuse its connection for the next request
keepalive = 5
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # the longest request: an export or import confirm
graceful_timeout = 30
# recycle a process now and then (a slow leak in any library never grows without bound); the
# jitter stops every process restarting at once
max_requests = 5000
max_requests_jitter = 500
