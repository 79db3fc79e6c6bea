from django.core.management.base import BaseCommand, CommandError

from seeding.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_seed
from seeding.demo.brands import demo_brands_seed
from seeding.demo.certification import demo_applications_seed, demo_certifications_seed, demo_profiles_seed
from seeding.demo.figures import demo_values_seed
from seeding.demo.packs import demo_pack_seed
from seeding.demo.reporting import demo_returns_seed, demo_task_reports_seed
from targets.rollup import rollup


class Command(BaseCommand):
    help = "Create the labelled demo accounts (one per role). Refuses unless DEMO_MODE is on."

    def handle(self, *args, **options):
        try:
            users = demo_accounts_seed()
            created = demo_values_seed(approver=next(u for u in users if u.username == "demo_admin"))
            certified = demo_certifications_seed()
            demo_profiles_seed()
            admin = next(u for u in users if u.username == "demo_admin")
            demo_returns_seed(admin=admin)
            brands = demo_brands_seed(admin=admin)
            demo_task_reports_seed(admin=admin)
            demo_applications_seed(users={u.username: u for u in users})
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        run = rollup(trigger="seed_demo")
        self.stdout.write(f"Demo figures: {created} values, {certified} certifications and {brands} labour brands "
                          f"created; roll-up {run.status} "
                          f"({run.created} snapshots created, {run.updated} updated)")
        pack = demo_pack_seed(admin=admin)  # after the roll-up: the pack reads the snapshots
        if pack is not None:
            self.stdout.write(f"Quarterly report pack {pack.quarter_label} v{pack.version}: {pack.state}")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for a in DEMO_ACCOUNTS:
            self.stdout.write(f"  {a.username:<14} {a.role:<16} {a.note}")
