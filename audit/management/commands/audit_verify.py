from django.core.management.base import BaseCommand, CommandError

from audit.chain import verify
from audit.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; name the first broken link (exit status 1 if any)."

    def handle(self, *args, **options):
        head = AuditChainHead.objects.filter(pk=1).first()
        events = AuditEvent.objects.order_by("id").iterator(chunk_size=5000)
        count = AuditEvent.objects.count()
        for link in verify(events, head.last_hash if head else ""):
            event = AuditEvent.objects.filter(pk=link.event_id).first() if link.event_id else None
            where = (f"audit event #{event.pk} ({event.occurred_at:%Y-%m-%d %H:%M:%S}, {event.actor_username or '-'}, "
                     f"{event.model} {event.object_pk})" if event else "the start of the trail")
            raise CommandError(f"Audit chain broken at {where}: {link.reason}")
        self.stdout.write(f"Audit chain intact: {count} events, head {head.last_hash[:16] if head else '-'}…")
