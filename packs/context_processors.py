from .models import can_read_packs


def packs(request):
    return {"can_read_packs": can_read_packs(getattr(request, "user", None))}
