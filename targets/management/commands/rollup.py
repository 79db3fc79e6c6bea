from django.core.management.base import BaseCommand

from targets.rollup import rollup


class Command(BaseCommand):
    help = "Recompute every snapshot (or those of the given indicators) from approved values."

    def add_arguments(self, parser):
        parser.add_argument("--indicator", action="append", dest="codes", help="indicator code; repeatable")

    def handle(self, *args, codes=None, **options):
        run = rollup(indicator_codes=codes, trigger="command")
        self.stdout.write(self.style.SUCCESS(
            f"roll-up {run.status}: {run.created} created, {run.updated} updated, {run.unchanged} unchanged"))
