"""Edition writes: create, edit (capacity included), copy, programme, invitations."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contrat_ville.models import RoleAssignment, User
from contrat_ville.services import ServiceError, audit_log_record

from ..enums import AuditAction, EditionStatus, EmailKind, RegistrationStatus
from ..models import Edition, ProgrammeItem, Registration
from .emails import emails_queue
from .registrations import _lock_edition, _promote

EDITION_FIELDS = (
    "year",
    "title",
    "date",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_address",
    "description",
    "aims",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "status",
    "group_count",
)
# What the other kinds of event have beyond the rencontre's settings.
EVENT_FIELDS = (
    *EDITION_FIELDS,
    "kind",
    "training",
    "body",
    "audience",
    "per_organisation_limit",
    "online_url",
)
PROGRAMME_FIELDS = ("starts_at", "ends_at", "title", "kind", "speakers", "description")


def _year_taken() -> ServiceError:
    return ServiceError(_("Une édition existe déjà pour cette année."))


def edition_create(*, by: User | None, data: dict, programme: list[dict] | None = None) -> Edition:
    try:
        with transaction.atomic():
            edition = Edition.objects.create(**{k: data[k] for k in EVENT_FIELDS if k in data})
            for item in programme or []:
                ProgrammeItem.objects.create(
                    edition=edition, **{k: item[k] for k in PROGRAMME_FIELDS if k in item}
                )
            audit_log_record(actor=by, action=AuditAction.EDITION_CREATED, target=edition)
    except IntegrityError:
        raise _year_taken() from None
    return edition


def edition_update(*, by: User, edition: Edition, data: dict) -> list[Registration]:
    """Save the settings. A raised capacity promotes the first waiting people at
    once; a capacity below the confirmed count is refused. Returns the promoted."""
    try:
        with transaction.atomic():
            locked = _lock_edition(edition)
            confirmed = Registration.objects.filter(
                edition=locked, status=RegistrationStatus.CONFIRMED
            ).count()
            capacity = data.get("capacity", locked.capacity)
            if capacity < confirmed:
                raise ServiceError(
                    _(
                        "%(count)s personnes ont déjà une place confirmée : la capacité ne peut "
                        "pas descendre en dessous. Annulez des inscriptions d'abord."
                    )
                    % {"count": confirmed}
                )
            changes = {}
            for key in EVENT_FIELDS:
                if key in data and getattr(locked, key) != data[key]:
                    changes[key] = [str(getattr(locked, key) or ""), str(data[key] or "")]
                    setattr(locked, key, data[key])
            if not changes:
                return []
            locked.save()
            audit_log_record(
                actor=by,
                action=AuditAction.EDITION_UPDATED,
                target=locked,
                data={"changes": changes},
            )
            promoted = _promote(locked)
    except IntegrityError:
        raise _year_taken() from None
    # Keep the caller's object in step with what was saved.
    for key in EVENT_FIELDS:
        setattr(edition, key, getattr(locked, key))
    return promoted


def edition_copy(*, by: User, source: Edition, year: int, day: date) -> Edition:
    """A new draft edition with the source's settings and programme, never its registrations."""
    data = {key: getattr(source, key) for key in EDITION_FIELDS}
    data.update(
        year=year,
        date=day,
        title=source.title.replace(str(source.year), str(year)),
        status=EditionStatus.DRAFT,
        registration_opens_at=None,
        registration_closes_at=None,
    )
    programme = [
        {key: getattr(item, key) for key in PROGRAMME_FIELDS} for item in source.programme.all()
    ]
    return edition_create(by=by, data=data, programme=programme)


def programme_set(*, by: User, edition: Edition, items: list[dict]) -> None:
    """Replace the programme with ``items`` (the formset's rows, in order)."""
    with transaction.atomic():
        edition.programme.all().delete()
        ProgrammeItem.objects.bulk_create(
            ProgrammeItem(edition=edition, **{k: item[k] for k in PROGRAMME_FIELDS if k in item})
            for item in items
        )
        audit_log_record(
            actor=by,
            action=AuditAction.EDITION_UPDATED,
            target=edition,
            data={"programme": [f"{i['starts_at']:%H:%M} {i['title']}" for i in items]},
        )


def college_invite(*, by: User, edition: Edition, role: str) -> int:
    """E-mail every active member of a college a link to the registration form,
    skipping those already registered. Returns how many were invited."""
    registered = set(Registration.objects.filter(edition=edition).values_list("email", flat=True))
    emails = sorted(
        {
            email.lower()
            for email in RoleAssignment.objects.filter(role=role, user__is_active=True).values_list(
                "user__email", flat=True
            )
        }
        - registered
    )
    with transaction.atomic():
        for email in emails:
            emails_queue(kind=EmailKind.INVITATION, edition=edition, recipient=email)
        audit_log_record(
            actor=by,
            action=AuditAction.COLLEGE_INVITED,
            target=edition,
            data={"collège": role, "invitations": len(emails)},
        )
    return len(emails)


def edition_documents_set(*, by: User, edition: Edition, documents) -> None:
    """The documents shown on the event's page and sent with its certificates."""
    before = set(edition.documents.values_list("pk", flat=True))
    after = {document.pk for document in documents}
    if before == after:
        return
    with transaction.atomic():
        edition.documents.set(documents)
        audit_log_record(
            actor=by,
            action=AuditAction.EDITION_UPDATED,
            target=edition,
            data={"changes": {"documents": [len(before), len(after)]}},
        )
