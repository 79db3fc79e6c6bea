from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_seed


class Command(BaseCommand):
    help = "Create the labelled demo accounts (one per role). Refuses unless DEMO_MODE is on."

    def handle(self, *args, **options):
        try:
            demo_accounts_seed()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for a in DEMO_ACCOUNTS:
            self.stdout.write(f"  {a.username:<14} {a.role:<16} {a.note}")
