"""E-mails owed to participants, through the core's outbox (``contrat_ville.outbox``):
queued in the writing transaction, sent after commit, retried by ``send_pending_emails``.
A failed send is recorded on the row and never undoes the write that queued it."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from contrat_ville import outbox
from contrat_ville.enums import EmailState
from news.enums import Status as DocumentStatus

from ..enums import EmailKind, RegistrationStatus
from ..models import Edition, OutboundEmail, Registration

# The .ics travels with every e-mail that gives someone a seat.
_WITH_CALENDAR = {
    EmailKind.CONFIRMATION,
    EmailKind.PROMOTION,
    EmailKind.MANAGE_LINK,
    EmailKind.ALREADY_REGISTERED,
}


def absolute_url(path: str) -> str:
    return settings.PORTAL_BASE_URL + path


def manage_url(registration: Registration) -> str:
    return absolute_url(reverse("events:manage", kwargs={"token": registration.token}))


def checkin_url(registration: Registration) -> str:
    return absolute_url(registration.edition.url("checkin_person", code=registration.checkin_code))


def emails_queue(
    *,
    kind: str,
    edition: Edition,
    registration: Registration | None = None,
    recipient: str = "",
    as_saved: bool = False,
) -> OutboundEmail:
    """Record the e-mail and send it once the surrounding transaction commits.

    ``as_saved``: the edition and registration in hand are exactly what the
    transaction wrote and nothing changes them before it commits (a sign-up): the
    e-mail is rendered from them instead of being read again with both."""
    email = OutboundEmail.objects.create(
        kind=kind,
        edition=edition,
        registration=registration,
        recipient=recipient or registration.email,
    )
    if as_saved:
        outbox.after_commit(lambda: _send(email))
    else:
        outbox.after_commit(lambda: emails_send(ids=[email.pk]))
    return email


def _render(email: OutboundEmail) -> EmailMessage:
    from ..calendar import edition_ics
    from ..qrcodes import qr_png

    registration = email.registration
    edition = email.edition
    context = {
        "edition": edition,
        "registration": registration,
        "site_name": settings.PORTAL_SITE_NAME,
        "manage_url": manage_url(registration) if registration else "",
        "checkin_url": checkin_url(registration) if registration else "",
        "edition_url": absolute_url(edition.get_absolute_url()),
        "register_url": absolute_url(edition.url("register")),
        "position": None,
        "survey_url": absolute_url(
            reverse("events:manage_survey", kwargs={"token": registration.token})
        )
        if registration
        else "",
        "documents": [
            f"{document.title} : {absolute_url(document.get_absolute_url())}"
            for document in edition.documents.filter(status=DocumentStatus.PUBLISHED)
        ]
        if email.kind == EmailKind.CERTIFICATE
        else [],
    }
    if registration is not None and registration.status == RegistrationStatus.WAITING:
        from ..selectors import waiting_position

        context["position"] = waiting_position(registration)
        # Kept as selectors.with_waiting_position would annotate it: the sign-up page,
        # which holds the same object after commit, says it without counting again.
        registration.waiting_position = context["position"]
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"events/email/{email.kind}_subject.txt", context)
        body = render_to_string(f"events/email/{email.kind}.txt", context)
    message = EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=body,
        to=[email.recipient],
    )
    seated = registration is not None and registration.status == RegistrationStatus.CONFIRMED
    if email.kind in _WITH_CALENDAR and seated:
        message.attach(
            f"{edition.calendar_name}.ics", edition_ics(edition), "text/calendar; method=PUBLISH"
        )
        message.attach(
            f"qr-accueil-{edition.file_stem}.png", qr_png(context["checkin_url"]), "image/png"
        )
    if email.kind == EmailKind.CERTIFICATE and registration is not None:
        from ..certificates import certificate_pdf

        message.attach(
            f"attestation-{edition.file_stem}.pdf", certificate_pdf(registration), "application/pdf"
        )
    return message


def emails_send(*, ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Send the given e-mails (default: every one still owed, under the attempt limit).
    Returns (sent, failed)."""
    queryset = OutboundEmail.objects.select_related(
        "edition", "registration", "registration__edition"
    )
    if ids is None:
        queryset = outbox.owed(queryset)
    else:
        queryset = queryset.exclude(state=EmailState.SENT).filter(pk__in=list(ids))
    sent = failed = 0
    for email in queryset.order_by("created_at", "pk"):
        if email.registration is not None and email.registration.anonymised_at is not None:
            # Erased meanwhile: nothing left to say, nobody to say it to.
            OutboundEmail.objects.filter(pk=email.pk).delete()
            continue
        if _send(email):
            sent += 1
        else:
            failed += 1
    return sent, failed


def _send(email: OutboundEmail) -> bool:
    """Send one e-mail and record the outcome on its row; False when sending failed."""
    return outbox.deliver(email, lambda: _render(email))
