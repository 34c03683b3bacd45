"""Registration writes: sign up, correct, cancel, erase, check in, promote.

Never overbook: every write that can change who holds a seat takes the
edition's row lock first (``_lock_edition``), then counts and writes inside the
same transaction. On PostgreSQL two sign-ups for the last seat queue on that
lock; SQLite serialises writers anyway (``transaction_mode: IMMEDIATE``).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contrat_ville.models import User
from contrat_ville.services import ServiceError, audit_log_record

from ..enums import Audience, AuditAction, EmailKind, RegistrationSource, RegistrationStatus
from ..models import Edition, OutboundEmail, Registration, new_checkin_code, new_token
from ..signals import registration_cancelled
from .emails import emails_queue, emails_send

# Fields a person may set on their own registration (and organisers too).
PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "actor",
    "organisation",
    "college",
    "territory",
    "accessibility_needs",
    "dietary_needs",
    "image_consent",
    "listed",
)


class DuplicateRegistration(ServiceError):
    def __init__(self, existing: Registration):
        super().__init__(_("Cette adresse e-mail est déjà inscrite à cette édition."))
        self.existing = existing


class RegistrationClosed(ServiceError):
    pass


class OrganisationFull(ServiceError):
    """The organisation already has the seats the organisers allow it."""


class PartnersOnly(ServiceError):
    """An event for the contract's partners, and the person is not logged in as one."""


def _organisation_count(edition: Edition, cleaned: dict) -> int | None:
    """How many active registrations the sign-up's organisation already has, or None
    when the person named none (a resident, nobody to count with)."""
    actor = cleaned.get("actor")
    organisation = " ".join(str(cleaned.get("organisation") or "").split())
    active = Registration.objects.filter(
        edition=edition, status__in=(RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
    )
    if actor is not None:
        return active.filter(actor=actor).count()
    if organisation:
        return active.filter(actor__isnull=True, organisation__iexact=organisation).count()
    return None


def _check_online_rules(locked: Edition, cleaned: dict, by: User | None) -> None:
    """What an online sign-up must respect beyond the dates: who may register and how many
    seats per organisation. Organisers adding someone are not bound by them."""
    if locked.audience == Audience.PARTNERS and not (
        by is not None and by.has_perm("contrat_ville.view_partner_area")
    ):
        raise PartnersOnly(
            _(
                "Cet événement est réservé aux partenaires du contrat : connectez-vous pour "
                "vous inscrire."
            )
        )
    limit = locked.per_organisation_limit
    if limit is not None:
        taken = _organisation_count(locked, cleaned)
        if taken is not None and taken >= limit:
            raise OrganisationFull(
                ngettext(
                    "Votre structure a déjà %(count)s inscrit, le nombre de places qui lui est "
                    "ouvert. Demandez à l'organisateur s'il en reste.",
                    "Votre structure a déjà %(count)s inscrits, le nombre de places qui lui est "
                    "ouvert. Demandez à l'organisateur s'il en reste.",
                    limit,
                )
                % {"count": limit}
            )


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    already: bool


def _lock_edition(edition: Edition) -> Edition:
    """Serialise seat decisions for one edition (PostgreSQL row lock)."""
    return Edition.objects.select_for_update().get(pk=edition.pk)


def _confirmed_count(edition: Edition) -> int:
    return Registration.objects.filter(edition=edition, status=RegistrationStatus.CONFIRMED).count()


def _clean(data: dict) -> dict:
    cleaned = {key: data[key] for key in PERSONAL_FIELDS if key in data}
    if "email" in cleaned:
        cleaned["email"] = cleaned["email"].strip().lower()
    for key in ("first_name", "last_name", "organisation", "phone"):
        if key in cleaned and isinstance(cleaned[key], str):
            cleaned[key] = " ".join(cleaned[key].split())
    return cleaned


def registration_create(
    *,
    edition: Edition,
    data: dict,
    by: User | None = None,
    source: str = RegistrationSource.ONLINE,
    check_in: bool = False,
) -> Registration:
    """Register one person: a seat if one is free, else the waiting list.

    A walk-in (``check_in=True``, organisers only) is already in the room: it
    is confirmed and checked in even when the edition is full.
    """
    cleaned = _clean(data)
    now = timezone.now()
    write = dict(edition=edition, cleaned=cleaned, by=by, source=source, check_in=check_in, now=now)
    try:
        # Most addresses are new: no look-up first, the unique constraint refuses
        # a duplicate. Without a savepoint, the refusal undoes this transaction (or
        # its savepoint, when nested) and the clear message is built after it.
        with transaction.atomic():
            return _registration_write(**write, take_back=False)
    except IntegrityError:
        existing = Registration.objects.filter(edition=edition, email=cleaned["email"]).first()
        if existing is None:
            raise
        if existing.status != RegistrationStatus.CANCELLED:
            raise DuplicateRegistration(existing) from None
    # Someone who cancelled signs up again: their row is taken back, under the lock.
    with transaction.atomic():
        return _registration_write(**write, take_back=True)


def _registration_write(
    *,
    edition: Edition,
    cleaned: dict,
    by: User | None,
    source: str,
    check_in: bool,
    now,
    take_back: bool,
) -> Registration:
    """registration_create's transaction: lock, count, write, queue the e-mail.
    A new address costs five statements while the seats are locked: the lock, the
    count, two inserts and the commit. ``take_back`` first reads the address's row,
    to give a cancelled registration back to the person who signs up again."""
    locked = _lock_edition(edition)
    if source == RegistrationSource.ONLINE and not locked.registration_is_open(now):
        raise RegistrationClosed(_("Les inscriptions à cette édition sont closes."))
    if source == RegistrationSource.ONLINE:
        # Under the lock: two colleagues signing up at once cannot both take the last seat
        # of their organisation.
        _check_online_rules(locked, cleaned, by)
    existing = None
    if take_back:
        existing = Registration.objects.filter(edition=locked, email=cleaned["email"]).first()
        if existing is not None and existing.status != RegistrationStatus.CANCELLED:
            raise DuplicateRegistration(existing)
    seat_free = _confirmed_count(locked) < locked.capacity
    status = RegistrationStatus.CONFIRMED if seat_free or check_in else RegistrationStatus.WAITING
    # Someone who cancelled and signs up again takes the same row back,
    # with what they typed now: a seat if one is free, else the queue's end.
    registration = existing or Registration(edition=locked)
    for key, value in dict(
        edition=locked,
        status=status,
        queued_at=now if status == RegistrationStatus.WAITING else None,
        source=source,
        privacy_acknowledged_at=now,
        user=by if source == RegistrationSource.ONLINE and by and by.is_authenticated else None,
        checked_in_at=now if check_in else None,
        checked_in_by=by if check_in else None,
        cancelled_at=None,
        **cleaned,
    ).items():
        setattr(registration, key, value)
    registration.save()
    if source != RegistrationSource.ONLINE:
        audit_log_record(
            actor=by,
            action=AuditAction.REGISTRATION_ADDED,
            target=registration,
            data={"statut": registration.get_status_display()},
        )
    seated = status == RegistrationStatus.CONFIRMED
    emails_queue(
        kind=EmailKind.CONFIRMATION if seated else EmailKind.WAITING,
        edition=locked,
        registration=registration,
        as_saved=True,
    )
    return registration


# Up to this many, an import's e-mails leave as soon as it commits; beyond,
# ``send_pending_emails`` sends them, so the upload answers in seconds.
IMPORT_SEND_NOW_LIMIT = 50


def registrations_bulk_create(
    *, edition: Edition, rows: list[dict], by: User | None, source: str
) -> list[Registration]:
    """Register many people at once (CSV import), in order: seats first, then
    the waiting list. All or nothing: one address already registered (in any
    status) refuses the whole batch. One lock, one insert, one e-mail row each."""
    now = timezone.now()
    cleaned_rows = [_clean(row) for row in rows]
    with transaction.atomic():
        locked = _lock_edition(edition)
        emails = [row["email"] for row in cleaned_rows]
        existing = (
            Registration.objects.filter(edition=locked, email__in=emails).order_by("pk").first()
        )
        if existing is not None:
            raise DuplicateRegistration(existing)
        free = max(locked.capacity - _confirmed_count(locked), 0)
        registrations = []
        for index, row in enumerate(cleaned_rows):
            seated = index < free
            registrations.append(
                Registration(
                    edition=locked,
                    status=RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITING,
                    queued_at=None if seated else now,
                    source=source,
                    privacy_acknowledged_at=None,
                    **row,
                )
            )
        try:
            with transaction.atomic():
                # Primary keys come back (RETURNING on both databases), so the
                # waiting list keeps the file's order through (queued_at, pk).
                Registration.objects.bulk_create(registrations, batch_size=500)
        except IntegrityError:
            # A duplicate arrived between the check and the insert.
            existing = (
                Registration.objects.filter(edition=locked, email__in=emails).order_by("pk").first()
            )
            if existing is None:
                raise
            raise DuplicateRegistration(existing) from None
        outbound = OutboundEmail.objects.bulk_create(
            [
                OutboundEmail(
                    kind=EmailKind.CONFIRMATION
                    if registration.status == RegistrationStatus.CONFIRMED
                    else EmailKind.WAITING,
                    edition=locked,
                    registration=registration,
                    recipient=registration.email,
                )
                for registration in registrations
            ],
            batch_size=500,
        )
        if len(outbound) <= IMPORT_SEND_NOW_LIMIT:
            ids = [email.pk for email in outbound]
            transaction.on_commit(lambda: emails_send(ids=ids))
    return registrations


def registration_update(
    *, registration: Registration, data: dict, by: User | None = None
) -> Registration:
    """Correct a registration. Changing the e-mail keeps the one-per-edition rule.

    Changes are measured against the stored row, not the object passed in (a
    bound ModelForm has already written the typed values onto it).
    """
    cleaned = _clean(data)
    try:
        with transaction.atomic():
            current = Registration.objects.select_for_update().get(pk=registration.pk)
            changes = {}
            for key, value in cleaned.items():
                old = getattr(current, key)
                if old != value:
                    changes[key] = [str(old or ""), str(value or "")]
                    setattr(current, key, value)
            if not changes:
                return current
            current.save()
            if by is not None and by.is_authenticated:
                audit_log_record(
                    actor=by,
                    action=AuditAction.REGISTRATION_UPDATED,
                    target=current,
                    data={"changes": changes},
                )
    except IntegrityError:
        raise ServiceError(_("Cette adresse e-mail est déjà inscrite à cette édition.")) from None
    return current


def _promote(edition: Edition) -> list[Registration]:
    """Give free seats to the first waiting people, in order. Caller holds the lock."""
    free = edition.capacity - _confirmed_count(edition)
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.select_for_update()
        .filter(edition=edition, status=RegistrationStatus.WAITING)
        .order_by("queued_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.queued_at = None
        registration.save(update_fields=["status", "queued_at", "updated_at"])
        emails_queue(kind=EmailKind.PROMOTION, edition=edition, registration=registration)
    return promoted


def registration_cancel(
    *, registration: Registration, by: User | None = None, notify: bool = True
) -> list[Registration]:
    """Cancel; the freed seat goes to the first waiting person. Returns who was promoted."""
    with transaction.atomic():
        edition = _lock_edition(registration.edition)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return []
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.queued_at = None
        registration.checked_in_at = None
        registration.checked_in_by = None
        registration.save()
        registration_cancelled.send(sender=Registration, registration=registration)
        if by is not None and by.is_authenticated:
            audit_log_record(
                actor=by, action=AuditAction.REGISTRATION_CANCELLED, target=registration
            )
        if notify:
            emails_queue(kind=EmailKind.CANCELLATION, edition=edition, registration=registration)
        return _promote(edition)


def registration_reinstate(*, registration: Registration, by: User) -> Registration:
    """An organiser puts a cancelled registration back: a seat if free, else the queue's end."""
    with transaction.atomic():
        edition = _lock_edition(registration.edition)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.CANCELLED:
            return registration
        now = timezone.now()
        seat_free = _confirmed_count(edition) < edition.capacity
        registration.status = (
            RegistrationStatus.CONFIRMED if seat_free else RegistrationStatus.WAITING
        )
        registration.queued_at = None if seat_free else now
        registration.cancelled_at = None
        registration.save()
        audit_log_record(
            actor=by,
            action=AuditAction.REGISTRATION_UPDATED,
            target=registration,
            data={"statut": registration.get_status_display()},
        )
        emails_queue(
            kind=EmailKind.CONFIRMATION if seat_free else EmailKind.WAITING,
            edition=edition,
            registration=registration,
        )
        return registration


def _anonymise(registration: Registration, now) -> None:
    """Blank everything that says who the person is; keep college, neighbourhood,
    status and check-in time for the counts."""
    registration.first_name = ""
    registration.last_name = ""
    registration.email = ""
    registration.phone = ""
    registration.user = None
    registration.actor = None
    registration.organisation = ""
    registration.accessibility_needs = ""
    registration.dietary_needs = ""
    registration.image_consent = False
    registration.listed = False
    registration.checked_in_by = None
    registration.token = new_token()
    registration.checkin_code = new_checkin_code()
    registration.anonymised_at = now


def registration_erase(*, registration: Registration) -> None:
    """The person's own erasure request: cancel (the seat goes on) and anonymise."""
    registration_cancel(registration=registration, notify=False)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        _anonymise(registration, timezone.now())
        registration.save()
        registration.emails.all().delete()
        audit_log_record(
            actor=None,
            action=AuditAction.REGISTRATION_ERASED,
            target=registration,
            target_label=f"{registration.edition.year} #{registration.pk}",
        )


def registration_check_in(*, registration: Registration, by: User) -> CheckIn:
    """Mark the person as arrived. Twice changes nothing and says when it was."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("edition")
            .get(pk=registration.pk)
        )
        if registration.checked_in_at is not None:
            return CheckIn(registration, already=True)
        if registration.status != RegistrationStatus.CONFIRMED:
            raise ServiceError(
                _(
                    "Cette inscription n'est pas confirmée (%(status)s) : "
                    "inscrivez la personne sur place."
                )
                % {"status": registration.get_status_display()}
            )
        registration.checked_in_at = timezone.now()
        registration.checked_in_by = by
        registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
        return CheckIn(registration, already=False)


def registration_check_in_undo(*, registration: Registration, by: User) -> None:
    Registration.objects.filter(pk=registration.pk).update(
        checked_in_at=None, checked_in_by=None, updated_at=timezone.now()
    )


def manage_link_send(*, edition: Edition, email: str) -> None:
    """ "Send my link again": the manage link to a registered address, else an e-mail saying
    there is no registration at this address. Either way one e-mail, so that neither the
    page nor the time it takes tells who is registered. How often is for the caller's rate
    limit (``manage_link:email``)."""
    email = email.strip().lower()
    registration = (
        Registration.objects.filter(edition=edition, email=email, anonymised_at__isnull=True)
        .select_related("edition")
        .first()
    )
    with transaction.atomic():
        if registration is None:
            emails_queue(kind=EmailKind.NOT_REGISTERED, edition=edition, recipient=email)
        else:
            emails_queue(kind=EmailKind.MANAGE_LINK, edition=edition, registration=registration)


def registration_reminder_send(*, registration: Registration) -> None:
    """Someone signed up with an address already registered: the e-mail tells its owner
    (status and manage link); the page that answered said no more than to a newcomer."""
    with transaction.atomic():
        emails_queue(
            kind=EmailKind.ALREADY_REGISTERED,
            edition=registration.edition,
            registration=registration,
        )


def registrations_purge(*, older_than_months: int, now=None) -> dict[int, int]:
    """Anonymise the registrations of editions held more than N months ago.
    Returns {year: rows anonymised}."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    month = today.month - older_than_months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(today.day, 28)
    cutoff = today.replace(year=year, month=month, day=day)
    result = {}
    for edition in Edition.objects.filter(date__lt=cutoff).order_by("year"):
        with transaction.atomic():
            rows = list(
                Registration.objects.select_for_update().filter(
                    edition=edition, anonymised_at__isnull=True
                )
            )
            for registration in rows:
                _anonymise(registration, now)
            Registration.objects.bulk_update(
                rows,
                [
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "user",
                    "actor",
                    "organisation",
                    "accessibility_needs",
                    "dietary_needs",
                    "image_consent",
                    "listed",
                    "checked_in_by",
                    "token",
                    "checkin_code",
                    "anonymised_at",
                ],
                batch_size=500,
            )
            edition.emails.all().delete()
            if rows:
                audit_log_record(
                    actor=None,
                    action=AuditAction.REGISTRATIONS_PURGED,
                    target=edition,
                    data={"inscriptions": len(rows)},
                )
        result[edition.year] = len(rows)
    return result
