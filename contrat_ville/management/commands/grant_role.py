from django.core.management.base import BaseCommand, CommandError

from contrat_ville.enums import Role
from contrat_ville.models import User
from contrat_ville.selectors import user_roles
from contrat_ville.services import ServiceError, user_roles_set


class Command(BaseCommand):
    help = (
        "Gives a role to an existing account, e.g. the first organiser of a new "
        "installation. Roles: " + ", ".join(Role.values)
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--remove", action="store_true", help="remove the role instead")

    def handle(self, *args, email, role, remove, **options):
        try:
            user = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            raise CommandError(f"No account with the e-mail address {email}.") from None
        roles = set(user_roles(user))
        roles = roles - {role} if remove else roles | {role}
        try:
            added, removed = user_roles_set(actor=None, user=user, roles=roles)
        except ServiceError as error:
            raise CommandError(str(error)) from None
        change = "removed" if removed else "granted" if added else "unchanged"
        self.stdout.write(f"{user.email}: {role} {change}")
