from .scoping import can_read_audit, can_read_plan, is_city_admin, is_security_admin


def roles(request):
    """Which administrative menu entries the user's roles open."""
    user = getattr(request, "user", None)
    return {"is_city_admin": is_city_admin(user), "can_read_audit": can_read_audit(user),
            "can_read_plan": can_read_plan(user), "is_security_admin": is_security_admin(user)}
