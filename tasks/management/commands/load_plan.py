from pathlib import Path

from django.core.management.base import BaseCommand

from communities.services import tiers_ensure
from tasks.services import PLAN_2022_FILE, government_units_ensure, plan_load


class Command(BaseCommand):
    help = "Load a plan (default: 安政办发〔2022〕11号) from its data file. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=PLAN_2022_FILE)

    def handle(self, *args, file: Path, **options):
        plan, summary = plan_load(path=file)
        gov = government_units_ensure()
        tiers_ensure(gov)
        for line in summary.lines() + gov.lines():
            self.stdout.write(line)
        changed = summary.changed or gov.changed
        self.stdout.write(self.style.SUCCESS(f"{plan}: {'loaded' if changed else 'unchanged'}"))
