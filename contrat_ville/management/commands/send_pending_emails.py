from django.core.management.base import BaseCommand

from contrat_ville.outbox import MAX_ATTEMPTS, send_all_pending


class Command(BaseCommand):
    help = (
        "Send every e-mail still owed (registrations, invitations, account e-mails) that is "
        f"pending or that failed (up to {MAX_ATTEMPTS} attempts each). Safe to run from cron "
        "every minute."
    )

    def handle(self, *args, **options):
        sent, failed = send_all_pending()
        self.stdout.write(f"{sent} sent, {failed} failed")
        if failed:
            # Non-zero so cron or a monitor notices; the failures stay queued.
            raise SystemExit(1)
