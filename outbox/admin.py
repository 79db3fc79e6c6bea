from django.contrib import admin

from accounts.admin_site import ReadOnlyAdmin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """What waits for the broker; the relay alone changes these rows."""

    list_display = ["pk", "job", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["job", ("sent_at", admin.EmptyFieldListFilter)]
