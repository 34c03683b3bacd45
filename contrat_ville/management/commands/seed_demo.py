from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from contrat_ville.demo import scale_options, seed_all


def _dest(option: str) -> str:
    return "scale_" + option.replace("-", "_")


class Command(BaseCommand):
    help = "Creates the demo accounts and data (idempotent). Refuses to run when DEBUG is off."

    def add_arguments(self, parser):
        # Apps register these from AppConfig.ready(), which runs before any command parses.
        for scale in scale_options():
            parser.add_argument(
                f"--{scale.option}",
                type=int,
                metavar="N",
                dest=_dest(scale.option),
                help=scale.help,
            )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: demo accounts share a published "
                "password. Set DEBUG=1 on a development machine."
            )
        counts = {scale: options.get(_dest(scale.option)) for scale in scale_options()}
        for scale, count in counts.items():
            if count is not None and count < 0:
                raise CommandError(f"--{scale.option} must be a positive number.")
        for summary in seed_all():
            self.stdout.write(self.style.SUCCESS(summary))
        # Volume comes last: the showcase data counts towards the N asked for.
        for scale, count in counts.items():
            if count is not None:
                self.stdout.write(self.style.SUCCESS(scale.handler(count, self._progress)))

    def _progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
