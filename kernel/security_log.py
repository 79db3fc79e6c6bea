"""Security events as structured log records: one JSON line each, with the request id.

``security_event("login_failed", username=...)`` is the one way to write one. Fields whose names
suggest a secret (password, token, key, secret, otp, session, cookie) are never written, whatever
the caller passes: a log is read by more people than the database is.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re

from .addresses import client_ip

logger = logging.getLogger("ankang.security")

# Set by RequestIdMiddleware for the duration of a request; "-" outside requests (jobs, commands).
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_SECRET_NAME = re.compile(r"pass|token|key|secret|otp|session|cookie|credential|authorization", re.IGNORECASE)
REDACTED = "[redacted]"


# an API key as the platform issues them (api/services.py): 8 hex characters, a dot, the secret
_API_KEY = re.compile(r"\b[0-9a-f]{8}\.[A-Za-z0-9_-]{20,}")


def redact_query(query: str) -> str:
    """A query string with the value of every parameter whose name suggests a secret, and
    anything shaped like an API key, replaced by ``[redacted]`` (an API key sent in the URL is
    refused, but the URL is still written to access logs). The rest is kept as it was sent."""
    from urllib.parse import unquote_plus

    if not query:
        return query
    parts = []
    for part in query.split("&"):
        name, sep, value = part.partition("=")
        if _SECRET_NAME.search(unquote_plus(name)):
            parts.append(f"{name}{sep}{REDACTED}" if sep else part)
        elif _API_KEY.search(unquote_plus(value)) or _API_KEY.search(unquote_plus(name)):
            parts.append(f"{name}{sep}{REDACTED}" if sep else REDACTED)
        else:
            parts.append(part)
    return "&".join(parts)


def redact_url(url: str) -> str:
    """A URL (or path) with its query string redacted as :func:`redact_query` does."""
    if not url or "?" not in url:
        return url
    head, _sep, query = url.partition("?")
    fragment = ""
    if "#" in query:
        query, fragment = query.split("#", 1)
        fragment = "#" + fragment
    return f"{head}?{redact_query(query)}{fragment}"


def _clean(fields: dict) -> dict:
    return {name: (REDACTED if _SECRET_NAME.search(name) else value) for name, value in fields.items()}


def security_event(event: str, *, request=None, user=None, outcome: str = "ok", **fields) -> None:
    """Log one security event. ``request`` adds the client address and path; ``user`` the username."""
    record = {"event": event, "outcome": outcome}
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        record["user"] = user.get_username()
    if request is not None:
        record["ip"] = client_ip(request)  # the client, behind the trusted proxies (as the lockout sees it)
        record["method"] = request.method
        record["path"] = request.path
    record.update(_clean(fields))
    logger.info(event, extra={"security": record})


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, request id, then the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        security = getattr(record, "security", None)
        if isinstance(security, dict):
            out.update(security)
        else:
            out["message"] = record.getMessage()
        if record.exc_info:
            out["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else ""
        return json.dumps(out, ensure_ascii=False, default=str)


def security_event_on_commit(event: str, **kwargs) -> None:
    """``security_event`` once the surrounding transaction commits (an approval that rolls back
    did not happen)."""
    from django.db import transaction

    transaction.on_commit(lambda: security_event(event, **kwargs))
