from pathlib import Path

from django.core.management.base import BaseCommand

from divisions.services import DIVISIONS_FILE, divisions_load


class Command(BaseCommand):
    help = "Load Ankang's administrative divisions (NBS 2023 codes) from the project's CSV. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DIVISIONS_FILE)

    def handle(self, *args, file: Path, **options):
        summary = divisions_load(path=file)
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("divisions loaded" if summary.changed else "divisions unchanged"))
