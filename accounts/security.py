"""Login events: the session clocks, the security log, and axes' lockout response."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpResponseForbidden

from kernel.security_log import security_event

from .middleware import session_start


def lockout_response(request, original_response=None, credentials=None):
    """A locked-out username gets exactly the page a wrong password gets (the login form with the
    same error), so the response says nothing about the lockout. axes calls this."""
    if original_response is not None:
        return original_response
    return HttpResponseForbidden()


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    session_start(request.session)
    security_event("login", request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # credentials holds the password: only the username is logged.
    security_event("login_failed", request=request, outcome="failed", username=str(credentials.get("username", ""))[:150])


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and request is not None:
        security_event("logout", request=request, user=user)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    security_event("login_locked_out", request=request, outcome="locked", username=str(username or "")[:150])
