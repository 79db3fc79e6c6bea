from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import RoleScopedAdmin, RoleScopedInline

from .models import Department, DepartmentAlias, Plan, Responsibility, Section, Task, TaskMeasure
from .services import plan_period_problems


class SectionInline(RoleScopedInline, admin.TabularInline):
    model = Section
    fields = ["order", "key", "ordinal", "title", "kind", "parent"]
    extra = 0
    show_change_link = True


class TaskInline(RoleScopedInline, admin.TabularInline):
    """The plan's tasks; each task's lead and co-responsible units are edited on its own page."""

    model = Task
    fields = ["number", "title", "section", "kind"]
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":  # the plan's own sections only
            kwargs["queryset"] = Section.objects.filter(plan_id=request.resolver_match.kwargs.get("object_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PlanAdminForm(forms.ModelForm):
    """A plan's period follows the successor-plan import's rule (tasks.services.plan_period_problems):
    whole quarters, no overlap with another plan of the same series."""

    def clean(self):
        cleaned = super().clean()
        code, start, end = cleaned.get("code"), cleaned.get("period_start"), cleaned.get("period_end")
        if code and start and end:
            for problem in plan_period_problems(code=code, start=start, end=end, exclude_pk=self.instance.pk):
                self.add_error("period_start", problem)
        return cleaned


@admin.register(Plan)
class PlanAdmin(RoleScopedAdmin):
    form = PlanAdminForm
    list_display = ["doc_number", "title", "issuer", "issue_date", "period_start", "period_end", "cloned_from"]
    search_fields = ["doc_number", "title", "code"]
    date_hierarchy = "issue_date"
    inlines = [SectionInline, TaskInline]
    readonly_fields = ["cloned_from"]


@admin.register(Section)
class SectionAdmin(RoleScopedAdmin):
    list_display = ["__str__", "plan", "kind", "order"]
    list_filter = ["plan", "kind"]
    search_fields = ["title", "text"]


class ResponsibilityInline(RoleScopedInline, admin.TabularInline):
    model = Responsibility
    fields = ["order", "department", "role"]
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(Task)
class TaskAdmin(RoleScopedAdmin):
    autocomplete_fields = ["section"]
    list_display = ["number", "title", "lead_department", "co_departments"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "section", "kind", "responsibilities__department"]
    search_fields = ["title", "clause", "responsibilities__department__name"]
    inlines = [ResponsibilityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_departments()

    @admin.display(description=_("lead unit"))
    def lead_department(self, task: Task):
        return task.lead or "—"

    @admin.display(description=_("co-responsible units"))
    def co_departments(self, task: Task):
        co = [r.department.name for r in task.responsibilities.all() if r.role == Responsibility.Role.CO]
        return "、".join(co) or "—"


class AliasInline(RoleScopedInline, admin.TabularInline):
    model = DepartmentAlias
    extra = 0


@admin.register(Department)
class DepartmentAdmin(RoleScopedAdmin):
    list_display = ["name", "name_en", "kind", "region", "chain", "members_list", "aliases_list", "led_tasks"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "full_name", "chain", "aliases__name"]
    filter_horizontal = ["members"]
    inlines = [AliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region").prefetch_related(
            "aliases", "responsibilities__task", "members")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """The group's members are chosen by name and chain (市工信局（新型材料）)."""
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "members" and field is not None:
            field.label_from_instance = lambda department: department.name_with_chain
        return field

    @admin.display(description=_("members (their chains)"))
    def members_list(self, dept: Department):
        members = sorted(dept.members.all(), key=lambda m: (m.order, m.name))
        return "、".join(m.name_with_chain for m in members) or "—"

    @admin.display(description=_("aliases"))
    def aliases_list(self, dept: Department):
        return "、".join(a.name for a in dept.aliases.all()) or "—"

    @admin.display(description=_("tasks led / co-responsible"))
    def led_tasks(self, dept: Department):
        rows = sorted(dept.responsibilities.all(), key=lambda r: r.task.number)
        return format_html_join("、", "{}{}", ((r.task.number, "★" if r.role == "lead" else "") for r in rows)) or "—"


@admin.register(Responsibility)
class ResponsibilityAdmin(RoleScopedAdmin):
    list_display = ["task", "order", "department", "role"]
    list_filter = ["role", "task__plan", "department"]
    search_fields = ["department__name", "task__title"]
    list_select_related = ["task", "department"]


@admin.register(DepartmentAlias)
class DepartmentAliasAdmin(RoleScopedAdmin):
    list_display = ["name", "department", "name_en"]
    search_fields = ["name", "department__name"]


@admin.register(TaskMeasure)
class TaskMeasureAdmin(RoleScopedAdmin):
    list_display = ["task", "order", "name", "unit", "kind", "period", "target_value", "target_span"]
    list_filter = ["task__plan", "kind", "period", "reporting_units"]
    search_fields = ["name", "clause", "code"]
    list_select_related = ["task"]
    filter_horizontal = ["reporting_units"]
    autocomplete_fields = ["numerator", "denominator"]
