from django.conf import settings

from accounts.roles import Role
from accounts.scoping import can_read_audit, is_city_admin


def platform(request):
    """Values every page needs: the platform's name, whether this is the demo dataset, and
    which menu entries the user's roles open."""
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        from reports.models import Notification

        unread = Notification.objects.for_user(user).filter(read_at__isnull=True).count()
    return {
        "unread_notifications": unread,
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "is_city_admin": is_city_admin(user),
        "can_read_audit": can_read_audit(user),
        "can_see_returns": bool(user and user.is_authenticated and user.has_role(
            Role.CITY_ADMIN, Role.LEADER, Role.COUNTY_OFFICER)),
        "can_read_packs": _can_read_packs(user),
        "can_see_task_reports": bool(user and user.is_authenticated and user.has_role(
            Role.CITY_ADMIN, Role.LEADER, Role.DEPT_OFFICER)),
    }


def _can_read_packs(user) -> bool:
    from packs.models import can_read_packs

    return can_read_packs(user)
