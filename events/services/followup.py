"""After an event: certificates to those who came, and their anonymous survey answers."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contrat_ville.models import User
from contrat_ville.services import ServiceError, audit_log_record

from ..enums import AuditAction, EmailKind
from ..models import SURVEY_SCORES, Edition, OutboundEmail, Registration, SurveyResponse
from .emails import emails_queue


def certificate_recipients(edition: Edition):
    """Who came and has not been sent their certificate yet."""
    sent = OutboundEmail.objects.filter(edition=edition, kind=EmailKind.CERTIFICATE).values(
        "registration_id"
    )
    return (
        Registration.objects.filter(
            edition=edition, checked_in_at__isnull=False, anonymised_at__isnull=True
        )
        .exclude(pk__in=sent)
        .order_by("pk")
    )


@transaction.atomic
def certificates_send(*, edition: Edition, by: User) -> int:
    """Queue the certificate e-mail (PDF, survey link, documents) to everyone who came,
    once per person: sending again only reaches those checked in since."""
    recipients = list(certificate_recipients(edition).select_for_update())
    for registration in recipients:
        emails_queue(kind=EmailKind.CERTIFICATE, edition=edition, registration=registration)
    if recipients:
        audit_log_record(
            actor=by,
            action=AuditAction.CERTIFICATES_SENT,
            target=edition,
            data={"attestations": len(recipients)},
        )
    return len(recipients)


def survey_open(registration: Registration, now=None) -> bool:
    """The survey opens to someone who came, once the event is over."""
    now = now or timezone.now()
    return registration.checked_in_at is not None and registration.edition.ends <= now


def survey_answer(*, registration: Registration, data: dict) -> SurveyResponse:
    """Store one answer with no link back to the person; mark only that they answered."""
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.survey_answered:
            raise ServiceError(_("Vous avez déjà répondu à ce questionnaire : merci !"))
        if not survey_open(locked):
            raise ServiceError(_("Le questionnaire s'ouvre à la fin de l'événement."))
        response = SurveyResponse.objects.create(
            edition_id=locked.edition_id,
            comment=data.get("comment", ""),
            **{name: data[name] for name in SURVEY_SCORES},
        )
        locked.survey_answered = True
        locked.save(update_fields=["survey_answered", "updated_at"])
    registration.survey_answered = True
    return response
