"""Writes of the events that are not the rencontre: training catalogue, sessions, meetings
and thematic workshops. Their seats, registrations and e-mails are the rencontre's engine
(``registrations``, ``editions``); this module only adds what they have of their own."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contrat_ville.models import User
from contrat_ville.services import ServiceError, audit_log_record

from ..enums import AuditAction, EventKind
from ..models import Edition, EventDay, Training
from .editions import edition_create, edition_update

TRAINING_FIELDS = (
    "title",
    "slug",
    "theme",
    "summary",
    "description",
    "public",
    "level",
    "prerequisites",
    "trainer",
    "status",
)
DAY_FIELDS = ("date", "starts_at", "ends_at")


def _slug_taken() -> ServiceError:
    return ServiceError(_("Une autre formation a déjà cette adresse : choisissez-en une autre."))


def training_create(*, by: User | None, data: dict) -> Training:
    try:
        with transaction.atomic():
            training = Training.objects.create(**{k: data[k] for k in TRAINING_FIELDS if k in data})
            audit_log_record(actor=by, action=AuditAction.TRAINING_CREATED, target=training)
    except IntegrityError:
        raise _slug_taken() from None
    return training


def training_update(*, by: User, training: Training, data: dict) -> Training:
    changes = {
        key: [str(getattr(training, key)), str(data[key])]
        for key in TRAINING_FIELDS
        if key in data and getattr(training, key) != data[key]
    }
    if not changes:
        return training
    try:
        with transaction.atomic():
            for key in changes:
                setattr(training, key, data[key])
            training.save()
            audit_log_record(
                actor=by,
                action=AuditAction.TRAINING_UPDATED,
                target=training,
                data={"changes": changes},
            )
    except IntegrityError:
        training.refresh_from_db()
        raise _slug_taken() from None
    return training


def _days_set(edition: Edition, days: list[dict]) -> None:
    edition.days.all().delete()
    EventDay.objects.bulk_create(
        [
            EventDay(edition=edition, **{k: day[k] for k in DAY_FIELDS})
            for day in sorted(days, key=lambda day: (day["date"], day["starts_at"]))
        ]
    )


def occasion_create(
    *, by: User | None, data: dict, days: list[dict] = (), training: Training | None = None
) -> Edition:
    """A training session (``training`` given), a body's meeting or a thematic workshop."""
    data = dict(data, year=data["date"].year, training=training)
    if training is not None:
        data["kind"] = EventKind.TRAINING
    with transaction.atomic():
        edition = edition_create(by=by, data=data)
        _days_set(edition, list(days))
        if training is not None:
            audit_log_record(
                actor=by,
                action=AuditAction.SESSION_CREATED,
                target=training,
                data={"session": edition.pk},
            )
    return edition


def occasion_update(*, by: User, edition: Edition, data: dict, days: list[dict]):
    """Save an event's settings and further dates; returns the people promoted from the
    waiting list when the capacity grew."""
    data = dict(data, year=data.get("date", edition.date).year)
    with transaction.atomic():
        promoted = edition_update(by=by, edition=edition, data=data)
        before = [tuple(getattr(day, k) for k in DAY_FIELDS) for day in edition.days.all()]
        after = sorted(tuple(day[k] for k in DAY_FIELDS) for day in days)
        if before != after:
            _days_set(edition, list(days))
            audit_log_record(
                actor=by,
                action=AuditAction.EDITION_UPDATED,
                target=edition,
                data={"changes": {"days": [len(before), len(after)]}},
            )
    return promoted
