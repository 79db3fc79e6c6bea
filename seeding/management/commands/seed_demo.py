from django.core.management.base import BaseCommand, CommandError

from seeding.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_seed
from seeding.demo.annual import demo_annual_seed
from seeding.demo.api import demo_api_seed
from seeding.demo.assessment import demo_assessment_seed
from seeding.demo.brands import demo_brands_seed
from seeding.demo.certification import demo_applications_seed, demo_certifications_seed, demo_profiles_seed
from seeding.demo.figures import demo_values_seed
from seeding.demo.measures import demo_measures_seed
from seeding.demo.notifications import demo_notification_channels_seed
from seeding.demo.packs import demo_pack_seed
from seeding.demo.reporting import demo_returns_seed, demo_review_steps_seed, demo_task_reports_seed
from seeding.demo.successor import demo_successor_seed
from seeding.demo.supervision import demo_instructions_seed
from targets.rollup import rollup


class Command(BaseCommand):
    help = "Create the labelled demo accounts (one per role). Refuses unless DEMO_MODE is on."

    def handle(self, *args, **options):
        try:
            users = demo_accounts_seed()
            admin = next(u for u in users if u.username == "demo_admin")
            created = demo_values_seed(approver=admin)
            # the demo successor plan 【演示】2026–2030, imported from its sample workbook: before the
            # returns (its new indicator's figures are in them) and the task reports (2026's are on its tasks)
            successor = demo_successor_seed(admin=admin)
            certified = demo_certifications_seed()
            demo_profiles_seed()
            demo_returns_seed(admin=admin)
            brands = demo_brands_seed(admin=admin)
            demo_task_reports_seed(admin=admin)
            measured = demo_measures_seed(admin=admin, lead_user=next(u for u in users if u.username == "demo_lead"))
            demo_applications_seed(users={u.username: u for u in users})
            # channels first: the instructions' notifications go out by e-mail and SMS (the delivery log)
            demo_notification_channels_seed(users={u.username: u for u in users})
            demo_instructions_seed(users={u.username: u for u in users})
            demo_review_steps_seed(admin=admin)  # last of the reporting: every sent record has its steps
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if successor is not None:
            self.stdout.write(f"Demo successor plan {successor.code}: {successor.title} ({successor.period_text}), "
                              f"{successor.tasks.count()} tasks, {successor.targets.count()} targets")
        self.stdout.write(f"Demo task measures: {measured} figures created")
        run = rollup(trigger="seed_demo")
        self.stdout.write(f"Demo figures: {created} values, {certified} certifications and {brands} labour brands "
                          f"created; roll-up {run.status} "
                          f"({run.created} snapshots created, {run.updated} updated)")
        pack = demo_pack_seed(admin=admin)  # after the roll-up: the pack reads the snapshots
        if pack is not None:
            self.stdout.write(f"Quarterly report pack {pack.quarter_label} v{pack.version}: {pack.state}")
        by_name = {u.username: u for u in users}
        assessment = demo_assessment_seed(drafter=admin, checker=by_name["demo_admin2"])  # after the roll-up too
        if assessment is not None:
            self.stdout.write(f"Final assessment {assessment.doc_number} v{assessment.version}: "
                              f"{assessment.state}, files {assessment.files_state}")
        for annual in demo_annual_seed(drafter=admin, checker=by_name["demo_admin2"]):  # after the roll-up
            self.stdout.write(f"Annual assessment {annual.year} {annual.doc_number} v{annual.version}: "
                              f"{annual.state}, files {annual.files_state}")
        # last: after every other demo change, so no review event of the seeding reaches the callback
        demo_api = demo_api_seed(admin=admin)
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for a in DEMO_ACCOUNTS:
            self.stdout.write(f"  {a.username:<14} {a.role:<16} {a.note}")
        self.stdout.write("Demo API keys and callback (shown once: a new run of seed_demo issues new ones; "
                          "docs/api.md, README Quickstart):")
        for line in demo_api.lines():
            self.stdout.write(line)
