from .access import can_see_returns, can_see_task_reports, can_see_timeliness
from .models import Notification


def reporting(request):
    """The unread notifications' count and which reporting menu entries the user's roles open."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    unread = Notification.objects.unread_count(user) if signed_in else 0
    return {
        "unread_notifications": unread,
        "can_see_returns": can_see_returns(user),
        "can_see_task_reports": can_see_task_reports(user),
        "can_see_timeliness": can_see_timeliness(user),
    }
