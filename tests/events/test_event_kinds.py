"""The database refuses an event that breaks the rules of its kind, whatever the code does."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from contract.models import Body
from events.enums import EventKind
from events.models import EventDay
from tests.factories import SessionFactory, TrainingFactory


@pytest.fixture
def body(db):
    return Body.objects.create(
        kind="cotech", name="Comité technique", slug="cotech", role="Prépare le COPIL."
    )


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_valid_session_and_meeting_are_accepted(make_edition, body):
    session = SessionFactory()
    meeting = make_edition(kind=EventKind.MEETING, body=body, year=2030)
    assert session.training is not None
    assert meeting.body == body


def test_a_training_session_needs_its_training(make_edition):
    refused(lambda: make_edition(kind=EventKind.TRAINING, training=None))


def test_only_a_session_has_a_training(make_edition):
    training = TrainingFactory()
    for kind in (EventKind.RENCONTRE, EventKind.MEETING, EventKind.WORKSHOP):
        refused(lambda kind=kind: make_edition(kind=kind, training=training))


def test_only_a_meeting_has_a_body(make_edition, body):
    refused(lambda: make_edition(kind=EventKind.WORKSHOP, body=body))
    refused(lambda: make_edition(kind=EventKind.RENCONTRE, body=body))
    refused(lambda: SessionFactory(body=body))


def test_per_organisation_limit_cannot_be_zero(db):
    refused(lambda: SessionFactory(per_organisation_limit=0))
    assert SessionFactory(per_organisation_limit=1).per_organisation_limit == 1


def test_one_rencontre_a_year_but_other_events_share_the_year(make_edition):
    rencontre = make_edition(year=2032)
    refused(lambda: make_edition(year=2032))
    session = SessionFactory(year=2032, date=rencontre.date)
    workshop = make_edition(kind=EventKind.WORKSHOP, year=2032)
    assert {session.year, workshop.year} == {2032}


def test_an_event_day_must_end_after_it_starts(db):
    session = SessionFactory()
    day = session.date + datetime.timedelta(days=7)
    refused(
        lambda: EventDay.objects.create(
            edition=session,
            date=day,
            starts_at=datetime.time(14, 0),
            ends_at=datetime.time(9, 0),
        )
    )
    refused(
        lambda: EventDay.objects.create(
            edition=session,
            date=day,
            starts_at=datetime.time(14, 0),
            ends_at=datetime.time(14, 0),
        )
    )


def test_an_event_day_is_there_once(db):
    session = SessionFactory()
    day = session.date + datetime.timedelta(days=7)
    times = {"starts_at": datetime.time(9, 0), "ends_at": datetime.time(12, 0)}
    EventDay.objects.create(edition=session, date=day, **times)
    refused(lambda: EventDay.objects.create(edition=session, date=day, **times))
    # Another session may have the same date.
    assert EventDay.objects.create(edition=SessionFactory(), date=day, **times).pk
