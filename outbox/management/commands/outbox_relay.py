from django.core.management.base import BaseCommand

from outbox.services import outbox_pending, outbox_relay


class Command(BaseCommand):
    help = "Send the jobs waiting in the outbox to the broker (Celery beat also does so each minute)."

    def handle(self, *args, **options):
        sent = outbox_relay()
        self.stdout.write(f"sent {sent}, still pending {outbox_pending()}")
        return None
