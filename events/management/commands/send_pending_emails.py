from django.core.management.base import BaseCommand

from events.services import emails_send
from events.services.emails import MAX_ATTEMPTS


class Command(BaseCommand):
    help = (
        "Send the rencontre's e-mails that are still pending or that failed "
        f"(up to {MAX_ATTEMPTS} attempts each). Safe to run from cron every few minutes."
    )

    def handle(self, *args, **options):
        sent, failed = emails_send()
        self.stdout.write(f"{sent} sent, {failed} failed")
        if failed:
            # Non-zero so cron or a monitor notices; the failures stay queued.
            raise SystemExit(1)
