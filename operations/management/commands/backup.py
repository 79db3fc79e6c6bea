from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.backup import backup, manifest_path


class Command(BaseCommand):
    help = ("Back up the PostgreSQL database with pg_dump (custom format) and write a manifest of row counts "
            "and checksums beside it. See docs/operations.md.")

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="the dump file (default: var/backups/ankang-<time>.dump)")

    def handle(self, *args, **options):
        from django.conf import settings

        path = Path(options["output"] or Path(settings.VAR_DIR) / "backups" /
                    f"ankang-{timezone.localtime():%Y%m%d-%H%M%S}.dump")
        try:
            manifest = backup(path)
        except Exception as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        checks = ", ".join(f"{k} {v['rows']}" for k, v in manifest["checksums"].items())
        self.stdout.write(f"{path} ({manifest['bytes']} bytes), manifest {manifest_path(path)}: "
                          f"{len(manifest['tables'])} tables; {checks}")
