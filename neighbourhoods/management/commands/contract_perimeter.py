"""Load the contract's perimeter: an EPCI, its communes and every QPV lying in them.

    python manage.py contract_perimeter --epci 200069110
    python manage.py contract_perimeter --commune 97801          # communes outside any EPCI
    python manage.py contract_perimeter --epci 200069110 --dry-run

Read from the reference files shipped with the project (docs/neighbourhoods.md); running it
again changes nothing, and territories already there keep their actors, names and addresses.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from contrat_ville.services import ServiceError
from neighbourhoods.services import perimeter_load, perimeter_plan


class Command(BaseCommand):
    help = "Load an EPCI (SIREN), its communes and their QPV with contours, idempotently."

    def add_arguments(self, parser):
        parser.add_argument("--epci", default="", help="SIREN of the EPCI, e.g. 200069110")
        parser.add_argument(
            "--commune",
            action="append",
            default=[],
            help="INSEE code of a commune to add (repeatable), e.g. 97801",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be loaded, write nothing."
        )

    def handle(self, *args, epci, commune, dry_run, **options):
        try:
            plan = perimeter_plan(epci=epci, communes=commune)
        except ServiceError as error:
            raise CommandError(str(error)) from error
        name = plan.epci.name if plan.epci else ", ".join(c.name for c in plan.communes)
        self.stdout.write(
            f"{name}: {len(plan.communes)} communes, {len(plan.qpvs)} QPV "
            f"({', '.join(q.code for q in plan.qpvs) or '-'})"
        )
        if dry_run:
            self.stdout.write(_("Essai : rien n'a été écrit."))
            return
        report = perimeter_load(by=None, plan=plan)
        for label, counter in (
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
        ):
            parts = ", ".join(f"{kind} {count}" for kind, count in sorted(counter.items()))
            self.stdout.write(f"{label}: {parts or '0'}")
