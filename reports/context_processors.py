from accounts.roles import Role

from .models import Notification


def reporting(request):
    """The unread notifications' count and which reporting menu entries the user's roles open."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    unread = Notification.objects.for_user(user).filter(read_at__isnull=True).count() if signed_in else 0
    return {
        "unread_notifications": unread,
        "can_see_returns": signed_in and user.has_role(Role.CITY_ADMIN, Role.LEADER, Role.COUNTY_OFFICER),
        "can_see_task_reports": signed_in and user.has_role(Role.CITY_ADMIN, Role.LEADER, Role.DEPT_OFFICER),
    }
