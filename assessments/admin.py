from django.contrib import admin

from accounts.admin_site import ReadOnlyAdmin, RoleScopedInline

from .models import AnnualAssessment, AssessmentScheme, DocumentTemplate, FinalAssessment, SchemeItem


@admin.register(FinalAssessment)
class FinalAssessmentAdmin(ReadOnlyAdmin):
    """Read-only: an assessment changes only through its services, and an issued one never."""

    list_display = ["__str__", "plan", "doc_number", "state", "data_cutoff", "drafted_by", "checked_by", "issued_by",
                    "issued_on", "files_state"]
    list_filter = ["state", "plan"]
    exclude = ["content"]


class SchemeItemInline(RoleScopedInline, admin.TabularInline):
    model = SchemeItem
    fields = ["order", "kind", "indicator", "name", "weight", "rule"]
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(ReadOnlyAdmin):
    """Read-only: every save of a scheme is a new version, made on its page (/assessments/annual/)
    through the service that checks the weights and the rules; a year's scheme is fixed once issued."""

    list_display = ["__str__", "year", "audience", "version", "plan", "created_by", "created_at"]
    list_filter = ["year", "audience"]
    inlines = [SchemeItemInline]


@admin.register(AnnualAssessment)
class AnnualAssessmentAdmin(ReadOnlyAdmin):
    """Read-only: computed by its job, checked and issued on its page; an issued one never changes."""

    list_display = ["__str__", "year", "doc_number", "state", "data_cutoff", "drafted_by", "checked_by", "issued_by",
                    "issued_on", "files_state"]
    list_filter = ["state", "year"]
    exclude = ["content"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ReadOnlyAdmin):
    """Read-only: replaced by an upload on the annual assessments' page (checked to open as .docx)."""

    list_display = ["name", "uploaded_by", "uploaded_at", "sha256"]
