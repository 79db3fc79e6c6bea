"""Receivers of lower layers' signals that end in a notification."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.roles import Role

from .models import Notification
from .notifications import notify


def audit_role_changed(sender, *, user, role, change, actor, holders_before, assignment_id, **kwargs) -> None:
    """Every auditor who held the audit role before the change is told of any grant or removal of
    it (三员分立: nobody becomes an auditor, or stops being one, without the auditors knowing).
    Written in the change's transaction; e-mailed after its commit."""
    if role != Role.AUDITOR or not holders_before:
        return
    with translation.override(settings.LANGUAGE_CODE):  # stored text, read later in the platform
        by = actor.get_username() if actor is not None else _("an operator on the server")
        if change == "granted":
            title = _("%(user)s was made an auditor") % {"user": user}
        else:
            title = _("%(user)s is no longer an auditor") % {"user": user}
        body = _("Changed by %(by)s. If you did not expect this change, report it to the security administrator.") % {
            "by": by}
    notify(users=holders_before, kind=Notification.Kind.SECURITY, key=f"audit-role:{change}:{assignment_id}",
           title=title, body=body)
