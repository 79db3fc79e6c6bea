"""Demo channels (issue 18, part 5): a few demo accounts receive their notifications by e-mail and
text message too. Seeded before the demo instructions, so the notifications those make go out:
on the embedded default to files (var/outbox-mail/, var/outbox-sms/), and every one is in the
office's delivery log (/reports/deliveries/). Addresses are fictional: the ``.example`` domain is
reserved and the numbers are 【演示】 placeholders."""

from __future__ import annotations

from django.conf import settings

from reports.services import notification_preferences_save

# username → (e-mail, mobile, e-mail for every kind, e-mail kinds, SMS for every kind, SMS kinds)
DEMO_CHANNELS = {
    "demo_admin": ("demo_admin@ankang.example", "13800000001", True, [], False, ["supervision", "extension"]),
    "demo_lead": ("demo_lead@ankang.example", "13800000002", False, ["instruction", "returned", "overdue"], False,
                  ["instruction"]),
    "demo_dept": ("demo_dept@ankang.example", "", True, [], False, []),
    "demo_hanbin": ("demo_hanbin@ankang.example", "13800000004", False, ["returned", "approved"], True, []),
    "demo_shiquan": ("", "13800000005", False, [], False, ["supervision", "returned", "overdue"]),
}


def demo_notification_channels_seed(*, users: dict) -> int:
    """Set the demo accounts' channels (idempotent: an unchanged choice writes nothing)."""
    if not settings.DEMO_MODE:
        raise RuntimeError("demo channels are only set with DEMO_MODE on (never in production)")
    for username, (email, mobile, email_all, email_kinds, sms_all, sms_kinds) in DEMO_CHANNELS.items():
        notification_preferences_save(user=users[username], email=email, mobile=mobile, email_all=email_all,
                                      email_kinds=email_kinds, sms_all=sms_all, sms_kinds=sms_kinds)
    return len(DEMO_CHANNELS)
