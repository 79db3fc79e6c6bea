from pathlib import Path

from django.core.management.base import BaseCommand

from seeding.plan import plan_reference_load
from tasks.services import PLAN_2022_FILE


class Command(BaseCommand):
    help = "Load a plan (default: 安政办发〔2022〕11号) from its data file. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=PLAN_2022_FILE)

    def handle(self, *args, file: Path, **options):
        plan, summary, lines, units_changed = plan_reference_load(path=file)
        for line in lines:
            self.stdout.write(line)
        changed = summary.changed or units_changed
        self.stdout.write(self.style.SUCCESS(f"{plan}: {'loaded' if changed else 'unchanged'}"))
