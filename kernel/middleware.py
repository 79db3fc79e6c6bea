import re
import uuid

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware

from .security_log import request_id_var, security_event


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user picked English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language
    browser on a government PC would show English. Here only the language cookie (set by the
    switch) can move a page away from LANGUAGE_CODE (zh-hans).
    """

    def process_request(self, request):
        # The API is for machines: there Accept-Language: en asks for English messages.
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id: the reverse proxy's X-Request-ID when it sends a sane one, a new
    one otherwise. Log records (kernel.security_log) and error pages name it, and the response
    returns it, so a user's "request id" on an error page leads to the log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
            if response.status_code in (401, 403) or (response.status_code == 404 and _signed_in(request)):
                # every refusal, whichever layer made it (views, admin, DRF, CSRF, the second factor);
                # and every 404 a signed-in user or API client gets: the platform answers 404 for
                # another unit's object as for a missing one (it says nothing of what exists), so a
                # probe across counties shows here, with the path it tried
                security_event("access_denied", request=request, outcome="denied", status=response.status_code)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


def _signed_in(request) -> bool:
    """Whether the request came from someone the platform knows (a session or an API key, which
    DRF puts on the request as its user)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Django 5.2 has no CSP of
    its own). The policy is settings.CONTENT_SECURITY_POLICY; a view may set its own header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RefuseNulBytesMiddleware:
    """A NUL character (code 0) in the path, the query string or a form field is refused with 400
    before any view runs: PostgreSQL text cannot hold one and psycopg2 refuses to send it, so a
    filter like ``?county=%00`` would otherwise end in a server error (found by the API's
    schemathesis run). The message is in the user's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http.multipartparser import MultiPartParserError
        from django.utils.translation import gettext as _

        if request.path.startswith("/api/"):
            # the API checks after authentication (an anonymous caller gets its 401 first), in its
            # own format: api/views.py
            return self.get_response(request)
        fields = list(request.GET.lists())
        # form fields of the pages (the API parses its own JSON bodies and checks them itself)
        if request.method == "POST" and request.content_type in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                fields += list(request.POST.lists())
            except MultiPartParserError:
                return HttpResponseBadRequest(_("The form could not be read."), content_type="text/plain; charset=utf-8")
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values) for key, values in fields):
            return HttpResponseBadRequest(_("The request contains a NUL character (code 0), which no field can hold."),
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)
