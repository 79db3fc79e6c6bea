"""Signals of the accounts app, for the layers above it (accounts imports none of them)."""

from django.dispatch import Signal

# One of the three separated duties was granted or removed. Sent inside the change's transaction
# by accounts.services (role_grant, role_revoke) with: user (whose duty), role, change
# ("granted" or "revoked"), actor (who did it; None for the operator), holders_before (the active
# users who held the role before the change) and assignment_id. reports.receivers notifies the
# existing auditors of any change to the audit role.
duty_changed = Signal()
