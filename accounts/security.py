"""Login events: the session clocks, the security log, axes' lockout response, and the
per-address throttle on top of axes' lockout."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpResponseForbidden

from kernel.security_log import security_event

from .middleware import session_start

# A failed login's credentials carry this key when the failure was a wrong old password on the
# password-change page (accounts/views.py): counted by the same lockout, logged under its own name.
PASSWORD_CHANGE = "password_change"


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, plus a throttle per address (docs/security.md "Lockout and
    throttle"). axes locks a username from one address (AXES_LOCKOUT_PARAMETERS = username and
    address together), which an outsider elsewhere cannot use against a user; that alone would let
    one address try four passwords on every username (spraying). So an address whose failed logins
    within the cool-off, over all usernames, reach LOGIN_ADDRESS_FAILURE_LIMIT is refused too, with
    the same page, until they age out or the security administrator deletes its rows. A successful
    login clears that user's failures from that address (AXES_RESET_ON_SUCCESS), so a busy office
    behind one NAT address is not throttled by its own typos."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.address_throttled(request)

    @staticmethod
    def address_throttled(request) -> bool:
        limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        address = getattr(request, "axes_ip_address", None)
        if limit <= 0 or not address:
            return False
        failures = (AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
                    .aggregate(n=Sum("failures_since_start"))["n"] or 0)
        throttled = failures >= limit
        if throttled:
            request.login_address_throttled = True
        return throttled


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
    username = str(credentials.get("username", ""))[:150]
    if credentials.get(PASSWORD_CHANGE):
        security_event("password_change_failed", request=request, outcome="failed", username=username)
    elif request is not None and getattr(request, "login_address_throttled", False):
        security_event("login_throttled", request=request, outcome="throttled", username=username)
    else:
        security_event("login_failed", request=request, outcome="failed", username=username)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and request is not None:
        security_event("logout", request=request, user=user)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    security_event("login_locked_out", request=request, outcome="locked", username=str(username or "")[:150])
