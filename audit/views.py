from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.scoping import can_read_audit
from kernel.exports import respond

from .display import readable_events
from .exports import events_table
from .models import AuditEvent


@login_required
@require_safe
def event_list(request):
    """The audit trail, newest first; anyone but an auditor gets a plain 404."""
    if not can_read_audit(request.user):
        raise Http404
    events = AuditEvent.objects.for_user(request.user)
    model = request.GET.get("model", "")
    if model:
        events = events.filter(model=model)
    response = respond(request, {"events": lambda: events_table(events)}, "")
    if response is not None:
        return response
    page = Paginator(events.select_related("actor"), 50).get_page(request.GET.get("page"))
    page.object_list = readable_events(page.object_list)
    models_seen = (AuditEvent.objects.for_user(request.user)
                   .values_list("model", "model_verbose_name").distinct().order_by("model"))
    return render(request, "audit/event_list.html", {"page": page, "model": model, "models_seen": models_seen})
