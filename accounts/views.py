from __future__ import annotations

import base64
import time
from urllib.parse import urlencode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kernel.security_log import security_event

from .forms import StaySignedInForm, TokenForm
from .middleware import LAST_SEEN
from .security import PASSWORD_CHANGE


class LoginView(auth_views.LoginView):
    """Django's login: it gives the session a new key (no session fixation)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password ends the user's other sessions: each session stores a hash of the
    password and AuthenticationMiddleware logs out any whose hash no longer matches; this one is
    kept (update_session_auth_hash).

    A wrong old password is a failed login (issue 15, finding 8): it is counted by the login's own
    lockout (django-axes with ``LoginThrottleHandler``: the username from that address, and the
    address over all usernames) and logged (``password_change_failed``). Once that lockout holds,
    the session ends and the user must sign in again, which the same lockout refuses — so a stolen
    session cannot guess the password any faster than the login page allows."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("my_work:home")

    def _credentials(self) -> dict:
        return {"username": self.request.user.get_username(), PASSWORD_CHANGE: True}

    def _locked_out(self):
        security_event("password_change_locked", request=self.request, outcome="locked")
        logout(self.request)
        return redirect(settings.LOGIN_URL)

    def post(self, request, *args, **kwargs):
        if AxesProxyHandler.is_locked(request, self._credentials()):
            return self._locked_out()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            user_login_failed.send(sender=__name__, credentials=self._credentials(), request=self.request)
            if getattr(self.request, "axes_locked_out", False) or AxesProxyHandler.is_locked(
                    self.request, self._credentials()):
                self.request.axes_locked_out = False  # answered here: log in again, not axes' page
                return self._locked_out()
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        security_event("password_changed", request=self.request)
        messages.success(self.request, _("Your password was changed. Your other sessions have been logged out."))
        return response


def _next(request, target: str | None = None) -> str:
    """Where to go after the second factor: ``target`` (the form's), else ?next=, if it is on this
    site; else 我的工作."""
    target = target or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("my_work:home")


def _after(request, view: str) -> str:
    """The URL of ``view`` (setup or verification), carrying where to go afterwards."""
    return f"{reverse(view)}?{urlencode({'next': _next(request)})}"


def _posted_token(request) -> tuple[str, str | None]:
    """The code and the next page from the form; a malformed code is a wrong code."""
    form = TokenForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["token"], form.cleaned_data["next"]
    return "", form.cleaned_data.get("next")


def _qr_data_uri(url: str) -> str:
    """The enrolment QR code, made here (no third-party service sees the secret)."""
    svg = segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def otp_setup(request):
    """Enrolment: a new TOTP secret shown as a QR code and as text; confirmed by the first code.
    A user who already has a confirmed device verifies instead (a security administrator resets
    a lost one)."""
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect(_after(request, "accounts:otp-verify"))
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="TOTP", confirmed=False)
    error, target = "", None
    if request.method == "POST":
        token, target = _posted_token(request)
        if token and device.verify_token(token):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            security_event("otp_enrolled", request=request)
            return redirect(_next(request, target))
        error = _("The code is wrong or has expired. Enter the current six-digit code.")
        security_event("otp_failed", request=request, outcome="failed", step="setup")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/otp_setup.html", {
        "qr": _qr_data_uri(device.config_url), "secret": secret, "error": error, "next": _next(request, target)})


@login_required
def otp_verify(request):
    """The second factor for this session."""
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(_after(request, "accounts:otp-setup"))
    error, target = "", None
    if request.method == "POST":
        token, target = _posted_token(request)
        for device in devices if token else []:
            if device.verify_token(token):
                otp_login(request, device)
                security_event("otp_verified", request=request)
                return redirect(_next(request, target))
        error = _("The code is wrong or has expired. Enter the current six-digit code.")
        security_event("otp_failed", request=request, outcome="failed", step="verify")
    return render(request, "accounts/otp_verify.html", {"error": error, "next": _next(request, target)})


@login_required
def session_status(request):
    """The idle warning's endpoint (static/js/keep_work.js): GET says how many seconds are left
    before the idle logout without counting as activity; POST ("stay signed in") resets the idle
    clock. A session that idled out answers 401 (accounts.middleware); the signed-out are sent to the
    login page, as everywhere.

    django-session-security would do this, but it configures itself with an inline script (refused
    by the Content-Security-Policy) and replaces the platform's own idle and absolute limits; this
    endpoint reuses them (accounts.middleware.SessionLimitsMiddleware)."""
    if request.method == "POST":
        if not StaySignedInForm(request.POST).is_valid():
            return JsonResponse({}, status=400)
    elif request.method not in ("GET", "HEAD"):
        return JsonResponse({}, status=405)
    last_seen = request.session.get(LAST_SEEN) or time.time()
    remaining = max(0, int(settings.SESSION_IDLE_TIMEOUT - (time.time() - last_seen)))
    return JsonResponse({"remaining": remaining, "timeout": settings.SESSION_IDLE_TIMEOUT})
