"""PostgreSQL unreachable → 503 with Retry-After, not a 500 with a traceback in the log.

During a database restart or failover every request that touches the database fails to
connect. That is an outage the client should wait out, so the answer is 503 Service Unavailable
with ``Retry-After`` (settings.DATABASE_OUTAGE_RETRY_AFTER), an HTML page with nothing internal
on it, or JSON under /api/. When the database is back the next request reconnects by itself:
at CONN_MAX_AGE=0 each request opens its own connection, and with persistent connections
CONN_HEALTH_CHECKS replaces a dead one before use.

Only a failure of the connection counts: an OperationalError on a live connection (a
serialization failure, a lock timeout, a statement timeout) is a bug or a conflict, and stays a
500 that gets logged and looked at.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def database_unreachable() -> bool:
    """Whether any configured database has no working connection right now."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:  # the connect itself failed
            return True
        try:
            if not conn.is_usable():
                return True
        except Exception:  # is_usable() of some backends raises on a broken socket
            return True
    return False


def outage_response(request) -> HttpResponse:
    retry_after = str(settings.DATABASE_OUTAGE_RETRY_AFTER)
    message = _("The platform's database cannot be reached at the moment. Nothing you sent was lost "
                "or half-saved; please try again in a minute.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # Rendered without the request: context processors and the user would query the database.
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response


def _is_outage(exception) -> bool:
    return isinstance(exception, InterfaceError) or (
        isinstance(exception, OperationalError) and database_unreachable())


def _note_outage(sender, request=None, **kwargs) -> None:
    """``got_request_exception``: Django turns an exception raised in a middleware below this one
    (the session, the user, the second factor all query the database) into a 500 response before
    it reaches us; mark the request so __call__ can answer 503 instead."""
    import sys

    exception = sys.exc_info()[1]
    if request is not None and exception is not None and _is_outage(exception):
        request._database_outage = type(exception).__name__


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        from django.core.signals import got_request_exception

        self.get_response = get_response
        got_request_exception.connect(_note_outage, dispatch_uid="ankang_database_outage")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_database_outage", None):
            return self._outage(request, request._database_outage)
        return response

    def process_exception(self, request, exception):
        if _is_outage(exception):
            return self._outage(request, type(exception).__name__)
        return None

    @staticmethod
    def _outage(request, what: str) -> HttpResponse:
        log.error("database unreachable: answering 503 to %s %s (%s)", request.method, request.path, what)
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        return outage_response(request)
