import datetime
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from communities.services import tiers_ensure
from reports.services import periods_generate
from tasks.services import PLAN_2022_FILE, government_units_ensure, plan_load


class Command(BaseCommand):
    help = "Load a plan (default: 安政办发〔2022〕11号) from its data file. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=PLAN_2022_FILE)

    def handle(self, *args, file: Path, **options):
        plan, summary = plan_load(path=file)
        gov = government_units_ensure()
        tiers_ensure(gov)
        # reporting periods: the plan's quarters, and on to the end of next year (the plan has
        # ended; its final assessment and the next plan's first returns still need periods)
        today = timezone.localdate()
        periods = periods_generate(start=plan.period_start,
                                   end=max(plan.period_end, datetime.date(today.year + 1, 12, 31)))
        for line in summary.lines() + gov.lines() + periods.lines():
            self.stdout.write(line)
        changed = summary.changed or gov.changed
        self.stdout.write(self.style.SUCCESS(f"{plan}: {'loaded' if changed else 'unchanged'}"))
