from django.contrib import admin

from accounts.admin_site import ReadOnlyAdmin

from .models import FinalAssessment


@admin.register(FinalAssessment)
class FinalAssessmentAdmin(ReadOnlyAdmin):
    """Read-only: an assessment changes only through its services, and an issued one never."""

    list_display = ["__str__", "plan", "doc_number", "state", "data_cutoff", "drafted_by", "checked_by", "issued_by",
                    "issued_on", "files_state"]
    list_filter = ["state", "plan"]
    exclude = ["content"]
