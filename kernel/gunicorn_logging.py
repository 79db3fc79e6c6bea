"""gunicorn's access log without secrets (gunicorn.conf.py sets it as ``logger_class``).

The API refuses a key sent in the URL (it reads keys from the Authorization header only), but
gunicorn would still write the URL, key and all, to its access log. Here the request line, the
query string, the referrer and every environ variable of the log line go through
kernel.security_log's redaction, and headers whose names suggest a secret (Authorization, Cookie,
X-Api-Key…) are never written, whatever ``access_log_format`` asks for.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from .security_log import _SECRET_NAME, REDACTED, redact_query, redact_url


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = (f"{environ.get('REQUEST_METHOD')} {redact_url(environ.get('RAW_URI', ''))} "
                      f"{environ.get('SERVER_PROTOCOL')}")
        atoms["q"] = redact_query(environ.get("QUERY_STRING") or "")
        atoms["f"] = redact_url(atoms.get("f") or "-")
        for name, value in list(atoms.items()):
            if not (name.startswith("{") and isinstance(value, str)):
                continue
            if _SECRET_NAME.search(name):
                atoms[name] = REDACTED
            elif name in ("{raw_uri}e", "{http_referer}e", "{referer}i"):
                atoms[name] = redact_url(value)
            elif name == "{query_string}e":
                atoms[name] = redact_query(value)
        return atoms
