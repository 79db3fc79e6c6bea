"""Pages of notifications that leave the platform: a person's channels, the office's delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import access
from .deliveries import message_text
from .forms import NotificationPreferenceForm
from .models import Channel, NotificationDelivery, NotificationPreference
from .services import notification_preferences_save

DELIVERIES_PER_PAGE = 50


@login_required
def notification_settings_view(request):
    """Everyone's own channels: the platform always; e-mail and text messages when chosen."""
    user = request.user
    preference = NotificationPreference.objects.filter(user=user).first()
    errors, status = [], 200
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST)
        if form.is_valid():
            try:
                notification_preferences_save(user=user, **form.cleaned_data)
            except ValidationError as exc:
                errors, status = exc.messages, 400
            else:
                messages.success(request, _("Your notification channels are saved."))
                return redirect("reports:notification-settings")
        else:
            errors, status = form.error_lines(), 400
    else:
        form = NotificationPreferenceForm(initial={
            "email": user.email, "mobile": preference.mobile if preference else "",
            "email_all": preference.email_all if preference else False,
            "email_kinds": preference.email_kinds if preference else [],
            "sms_all": preference.sms_all if preference else False,
            "sms_kinds": preference.sms_kinds if preference else []})
    return render(request, "reports/notification_settings.html", {"form": form, "errors": errors}, status=status)


@login_required
@require_safe
def deliveries_view(request):
    """The office's delivery log: every e-mail and text message, its text, state, attempts and error."""
    if not access.reads_delivery_log(request.user):
        raise Http404
    deliveries = (NotificationDelivery.objects.for_user(request.user)
                  .select_related("notification__recipient").order_by("-created_at", "-pk"))
    counts = dict(deliveries.order_by().values_list("state").annotate(n=Count("pk")))
    state = request.GET.get("state", "")
    if state in NotificationDelivery.State.values:
        deliveries = deliveries.filter(state=state)
    else:
        state = ""
    channel = request.GET.get("channel", "")
    if channel in Channel.values:
        deliveries = deliveries.filter(channel=channel)
    else:
        channel = ""
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(delivery, message_text(delivery)) for delivery in page]
    return render(request, "reports/deliveries.html", {
        "page": page, "rows": rows, "state": state, "channel": channel,
        "states": [(value, label, counts.get(value, 0)) for value, label in NotificationDelivery.State.choices],
        "channels": Channel.choices})
