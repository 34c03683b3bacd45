from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from contrat_ville.demo import seed_all


class Command(BaseCommand):
    help = "Creates the demo accounts and data (idempotent). Refuses to run when DEBUG is off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: demo accounts share a published "
                "password. Set DEBUG=1 on a development machine."
            )
        for summary in seed_all():
            self.stdout.write(self.style.SUCCESS(summary))
