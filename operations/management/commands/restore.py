from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import restore


class Command(BaseCommand):
    help = ("Restore a backup made by `backup` into an EMPTY database on the same server with pg_restore, "
            "then compare row counts and checksums with the backup's manifest. See docs/operations.md.")

    def add_arguments(self, parser):
        parser.add_argument("dump", help="the .dump file written by `manage.py backup`")
        parser.add_argument("--database", required=True,
                            help="the database to restore into: empty (no tables); never the one in use")
        parser.add_argument("--create", action="store_true", help="create the database first if it does not exist")

    def handle(self, *args, **options):
        from django.conf import settings

        if options["database"] == settings.DATABASES["default"]["NAME"]:
            raise CommandError("refusing to restore over the database in use; restore into a new one, check it, "
                               "then point DATABASE_URL at it")
        try:
            restored, differences = restore(Path(options["dump"]), target=options["database"],
                                            create=options["create"])
        except Exception as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        if differences:
            raise CommandError("restored, but it differs from the backup's manifest:\n" + "\n".join(differences))
        checks = ", ".join(f"{k} {v['rows']} rows md5 {v['md5'][:12]}" for k, v in restored["checksums"].items())
        self.stdout.write(f"restored into {options['database']}: {len(restored['tables'])} tables, counts and "
                          f"checksums match the manifest ({checks})")
