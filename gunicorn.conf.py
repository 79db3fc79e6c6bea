# gunicorn reads this file from the working directory (the image's /app, the tests' checkout).
# The access log never holds a secret sent in a URL or a header: kernel/gunicorn_logging.py.
#
# Worker class and counts (docs/performance.md "Serving"): measured, not guessed. A request here
# is a few milliseconds of Python between waits on PostgreSQL and Redis, but a county's push holds
# the interpreter for ~15 ms of Python at a time: threads of one process then queue behind it for
# the GIL, and a leader's cached dashboard (~8 ms) waits for someone else's push. The load test
# (benchmarks/load.py, 50 clients on 2 cores) served 141.7 requests/s with 5 single-threaded
# processes against 118.3 with 3 processes × 4 threads (pushes p95 936 against 859 ms, dashboards
# p50 12 against 36 ms). So: 2 × cores + 1 processes (gunicorn's own advice; ~150 MB each) of one
# thread each, still ``gthread`` (it keeps idle keep-alive connections off the worker) — and
# GUNICORN_WORKERS / GUNICORN_THREADS to size it on the real server. Async workers would need every
# library to cooperate (psycopg2 does not). Each thread keeps its own persistent database
# connection (CONN_MAX_AGE in the settings: production 60 s): size PostgreSQL's max_connections as
# web machines × workers × threads + Celery workers + a margin.
import multiprocessing
import os

logger_class = "kernel.gunicorn_logging.RedactingLogger"

worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# keep-alive lets a browser (or the reverse proxy) reuse its connection for the next request
keepalive = 5
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # the longest request: an export or import confirm
graceful_timeout = 30
# recycle a process now and then (a slow leak in any library never grows without bound); the
# jitter stops every process restarting at once
max_requests = 5000
max_requests_jitter = 500
