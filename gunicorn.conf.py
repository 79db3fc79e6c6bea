# gunicorn reads this file from the working directory (the image's /app, the tests' checkout).
# The access log never holds a secret sent in a URL or a header: kernel/gunicorn_logging.py.
logger_class = "kernel.gunicorn_logging.RedactingLogger"
