"""The outbox: every e-mail the portal owes is a row first, then a send.

A row is written in the transaction that makes the e-mail owed and sent once it commits; a
failed send is recorded on the row (state, attempts, error) and retried by
``python manage.py send_pending_emails``. Nothing that sending does can undo the write, raise
into the request, or hold it long:

- SMTP is given ``EMAIL_TIMEOUT`` seconds (short: 5 by default);
- after a failure, requests stop trying for ``OUTBOX_PAUSE_SECONDS``: their rows wait for the
  retry command, so a slow or absent server costs one request a wait, not every request.

Apps plug their own outboxes in (``register``): each says how to send its pending rows. The
core's own is ``AccountEmail``, for allauth's e-mails (``contrat_ville.adapters``).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .enums import EmailState
from .models import AccountEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
_PAUSE_KEY = "outbox:smtp-paused"


@dataclass(frozen=True)
class Outbox:
    name: str
    # Sends every row still owed (pending or failed under MAX_ATTEMPTS); returns (sent, failed).
    send_pending: Callable[[], tuple[int, int]]


_OUTBOXES: dict[str, Outbox] = {}


def register(name: str, send_pending: Callable[[], tuple[int, int]]) -> None:
    _OUTBOXES[name] = Outbox(name, send_pending)


def outboxes() -> list[Outbox]:
    return list(_OUTBOXES.values())


def send_all_pending() -> tuple[int, int]:
    """What ``send_pending_emails`` does: every outbox's owed rows, SMTP pause or not."""
    sent = failed = 0
    for outbox in outboxes():
        done, missed = outbox.send_pending()
        sent, failed = sent + done, failed + missed
    return sent, failed


def paused() -> bool:
    """True while requests leave their e-mails to the retry command (SMTP failed lately)."""
    return bool(cache.get(_PAUSE_KEY))


def after_commit(send: Callable[[], object]) -> None:
    """Send once the surrounding transaction commits, unless SMTP failed lately."""

    def attempt():
        if paused():
            return
        send()

    transaction.on_commit(attempt)


def deliver(row, build: Callable[[], EmailMessage], *, on_sent: dict | None = None) -> bool:
    """Build and send ``row``'s message; record the outcome on the row. False on failure.

    ``on_sent``: more columns to set once sent (an account e-mail forgets its secret)."""
    model = type(row)
    attempts = row.attempts + 1
    try:
        build().send()
    except Exception as error:  # any SMTP, network or rendering error: record it, keep going
        logger.warning(
            "E-mail %s %s to %s failed: %s", model.__name__, row.pk, row.recipient, error
        )
        model.objects.filter(pk=row.pk).update(
            state=EmailState.FAILED, attempts=attempts, last_error=str(error)[:1000]
        )
        cache.set(_PAUSE_KEY, True, settings.OUTBOX_PAUSE_SECONDS)
        return False
    model.objects.filter(pk=row.pk).update(
        state=EmailState.SENT,
        attempts=attempts,
        last_error="",
        sent_at=timezone.now(),
        **(on_sent or {}),
    )
    return True


def owed(queryset):
    """The rows of an outbox still to send: not sent, and under the attempt limit."""
    return queryset.exclude(state=EmailState.SENT).filter(attempts__lt=MAX_ATTEMPTS)


# -- account e-mails -----------------------------------------------------------------


def account_email_queue(*, template: str, message: EmailMessage, expires_in: int) -> AccountEmail:
    """Record an account e-mail rendered by allauth and send it after commit."""
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"),
            "",
        )
    row = AccountEmail.objects.create(
        template=template[:100],
        recipient=", ".join(message.to),
        from_email=message.from_email or "",
        subject=message.subject[:255],
        body=message.body,
        html_body=html,
        expires_at=timezone.now() + timezone.timedelta(seconds=expires_in),
    )
    after_commit(lambda: _account_send(row))
    return row


def _account_message(row: AccountEmail) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email or None,
        to=[address.strip() for address in row.recipient.split(",")],
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    return message


def _account_send(row: AccountEmail) -> bool:
    return deliver(row, lambda: _account_message(row), on_sent={"body": "", "html_body": ""})


def account_emails_send(*, ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Send the owed account e-mails that have not expired; forget the text of expired ones."""
    now = timezone.now()
    AccountEmail.objects.filter(expires_at__lte=now).exclude(body="", html_body="").update(
        body="", html_body=""
    )
    queryset = owed(AccountEmail.objects.filter(expires_at__gt=now))
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    sent = failed = 0
    for row in queryset.order_by("created_at", "pk"):
        if _account_send(row):
            sent += 1
        else:
            failed += 1
    return sent, failed
