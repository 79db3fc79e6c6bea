from django.contrib import admin

from accounts.admin_site import ReadOnlyAdmin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "state", "created_by", "created_at", "scope_region", "period"]
    list_filter = ["kind", "state"]
    search_fields = ["file_name", "file_sha256", "created_by__username"]
    exclude = ["preview"]
