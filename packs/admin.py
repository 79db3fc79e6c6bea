from django.contrib import admin

from accounts.admin_site import ReadOnlyAdmin

from .models import ReportPack


@admin.register(ReportPack)
class ReportPackAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "requested_by", "requested_at", "snapshots_as_of", "finished_at"]
    list_filter = ["state", "year"]
    exclude = ["summary"]
