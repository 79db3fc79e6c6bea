"""Session limits and the second factor, applied to every request after authentication."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.security_log import security_event

from .roles import SECOND_FACTOR_ROLES
from .stash import form_stash

STARTED = "auth_started_at"
LAST_SEEN = "auth_last_seen_at"
# last-seen is written at most this often, so a busy page does not save its session on every request
TOUCH_EVERY_SECONDS = 60
# the idle warning's status check (accounts.views.session_status): asking how long is left does
# not count as activity; its POST ("stay signed in") does
SESSION_STATUS_PATH = "/accounts/session/"


def session_start(session) -> None:
    """Called at login: both clocks start now."""
    now = timezone.now().timestamp()
    session[STARTED] = now
    session[LAST_SEEN] = now


class SessionLimitsMiddleware:
    """Logs a user out after SESSION_IDLE_TIMEOUT seconds without a request and
    SESSION_ABSOLUTE_TIMEOUT seconds after logging in, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                username = user.get_username()
                # a form posted after the idle logout is kept for the page — only the platform's own
                # form (its CSRF token checked, with the cookie, before the session goes)
                keep = (request.method == "POST" and not request.path.startswith("/api/")
                        and CsrfViewMiddleware(self.get_response).process_view(request, None, (), {}) is None)
                logout(request)
                security_event("session_expired", request=request, reason=expired, username=username)
                if keep:
                    form_stash(request)  # shown back on the page once the user has signed in again
                if request.path.startswith(("/api/", SESSION_STATUS_PATH)):
                    return JsonResponse({"detail": _("Your session has ended. Please log in again.")}, status=401)
                return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str:
        session = request.session
        now = timezone.now().timestamp()
        started, last_seen = session.get(STARTED), session.get(LAST_SEEN)
        if started is None or last_seen is None:  # a session from before these limits: starts now
            session_start(session)
            return ""
        if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
            return "idle"
        if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
            return "absolute"
        if request.path == SESSION_STATUS_PATH and request.method != "POST":
            return ""
        if now - last_seen >= TOUCH_EVERY_SECONDS or request.path == SESSION_STATUS_PATH:
            session[LAST_SEEN] = now
        return ""


# Reachable before the second factor: logging in and out, the second factor's own pages, the
# language switch, static files and the health check.
_OPEN_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/otp/", "/i18n/", "/static/", "/healthz")


def second_factor_required(user) -> bool:
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.has_role(*SECOND_FACTOR_ROLES)


class SecondFactorRequiredMiddleware:
    """With OTP_REQUIRED on, a user holding a privileged role (roles.SECOND_FACTOR_ROLES) reaches
    nothing but the TOTP pages until they pass the second factor in this session. API key clients
    authenticate inside DRF, after this, and are never asked (a key is their factor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (second_factor_required(user) and not user.is_verified()
                and not request.path.startswith(_OPEN_PREFIXES)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("A second factor is required: log in again on the website.")},
                                    status=403)
            return redirect_to_login(request.get_full_path(), reverse("accounts:otp-verify"))
        return self.get_response(request)
