from .models import can_read_assessments


def assessments(request):
    return {"can_read_assessments": can_read_assessments(getattr(request, "user", None))}
