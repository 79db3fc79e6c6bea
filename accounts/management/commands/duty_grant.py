from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import SEPARATED_DUTIES
from accounts.services import role_grant, role_revoke


class Command(BaseCommand):
    help = ("Grant (or with --revoke remove) one of the three separated duties (三员分立) from the server: how the "
            "first security administrator is made on a new installation. In the platform only the security "
            "administrator grants them.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(SEPARATED_DUTIES))
        parser.add_argument("--revoke", action="store_true", help="remove the duty instead")

    def handle(self, *args, username: str, role: str, revoke: bool, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no account named {username!r}")
        held = user.role_assignments.filter(role=role).exists()
        try:
            if revoke:
                role_revoke(user=user, role=role, revoked_by=None)
            else:
                role_grant(user=user, role=role, granted_by=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if held == revoke:
            self.stdout.write(f"{username}: {role} {'removed' if revoke else 'granted'}")
        else:
            self.stdout.write(f"{username}: nothing to change")
