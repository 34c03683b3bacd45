from django.core.management.base import BaseCommand, CommandError

from events.services import registrations_purge


class Command(BaseCommand):
    help = (
        "Anonymise the registrations of editions held more than N months ago: names, "
        "contact details, organisation and needs are erased; college, neighbourhood, status "
        "and check-in time stay for the year-on-year counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            required=True,
            metavar="MONTHS",
            help="Editions held at least this many months ago (e.g. 12).",
        )

    def handle(self, *args, older_than: int, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 month.")
        result = registrations_purge(older_than_months=older_than)
        if not result:
            self.stdout.write("No edition is old enough.")
        for year, count in result.items():
            self.stdout.write(f"{year}: {count} registrations anonymised")
