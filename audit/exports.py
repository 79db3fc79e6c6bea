"""The audit trail as .xlsx / .csv for auditors, streamed: it only grows."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from kernel.exports import Table, resource_table

from .models import AuditEvent


class AuditEventResource(resources.ModelResource):
    occurred_at = fields.Field(attribute="occurred_at", column_name=gettext_lazy("When"))
    actor = fields.Field(attribute="actor_username", column_name=gettext_lazy("Who"))
    action = fields.Field(column_name=gettext_lazy("Action"))
    record_type = fields.Field(attribute="model_verbose_name", column_name=gettext_lazy("Record type"))
    object_pk = fields.Field(attribute="object_pk", column_name=gettext_lazy("Object id"))
    object_repr = fields.Field(attribute="object_repr", column_name=gettext_lazy("Record"))
    changes = fields.Field(column_name=gettext_lazy("Old → new"))
    reason = fields.Field(attribute="reason", column_name=gettext_lazy("Reason"))

    class Meta:
        model = AuditEvent
        fields = ("occurred_at", "actor", "action", "record_type", "object_pk", "object_repr", "changes", "reason")
        export_order = fields
        chunk_size = 1000

    def dehydrate_occurred_at(self, event: AuditEvent):
        return event.occurred_at  # a date-time cell, in local time (kernel.exports.cell)

    def dehydrate_action(self, event: AuditEvent) -> str:
        return str(event.get_action_display())

    def dehydrate_changes(self, event: AuditEvent) -> str:
        lines = []
        for c in event.changes or []:
            old, new = c.get("old"), c.get("new")
            lines.append(f"{c.get('label') or c.get('field')}: {'' if old is None else f'{old} → '}"
                         f"{'∅' if new is None else new}")
        return "\n".join(lines)


def events_table(queryset) -> Table:
    """``AuditEvent.objects.for_user`` as the page filters it, every row (not one page of 50)."""
    return resource_table("events", _("Audit trail"), AuditEventResource(), queryset)
