from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from audit.grants import APPEND_ONLY_TABLES, grant_statements


class Command(BaseCommand):
    help = ("PostgreSQL only: create or update the application's database role — every table read/write, "
            "the audit trail read and append only. Run as the owner, after migrate.")

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="the login role gunicorn and Celery connect as")
        parser.add_argument("--password", default="", help="set the role's password (or leave it as it is)")

    def handle(self, *args, role: str, password: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("db_grants is for PostgreSQL (SQLite has no roles)")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, database = cursor.fetchone()
            if owner == role:
                raise CommandError("the application role must not be the owner that runs migrations")
            with transaction.atomic():
                for statement in grant_statements(role=role, owner=owner, database=database, password=password or None):
                    cursor.execute(statement)
        self.stdout.write(f"Role {role}: read/write on {database}'s tables; "
                          f"{', '.join(APPEND_ONLY_TABLES)} SELECT and INSERT only.")
