"""Never overbook a training session, nor an organisation's share of it: concurrent
sign-ups on PostgreSQL (the rencontre's own race is in test_concurrency)."""

import threading

import pytest
from django.db import connection

from events.enums import RegistrationStatus
from events.models import Registration
from events.services import OrganisationFull, registration_create
from tests.factories import SessionFactory

from .conftest import person

pytestmark = pytest.mark.postgresql


def race(edition, people: list[dict]) -> tuple[list[str], list[str]]:
    """Everyone signs up at the same instant; returns the refusals and the other errors."""
    barrier = threading.Barrier(len(people))
    refused, errors = [], []

    def sign_up(data):
        try:
            barrier.wait()
            registration_create(edition=edition, data=data)
        except OrganisationFull as error:
            refused.append(str(error))
        except Exception as error:  # any other failure is the finding
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(data,)) for data in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return refused, errors


def counts(edition) -> tuple[int, int]:
    rows = Registration.objects.filter(edition=edition)
    return (
        rows.filter(status=RegistrationStatus.CONFIRMED).count(),
        rows.filter(status=RegistrationStatus.WAITING).count(),
    )


def test_concurrent_sign_ups_to_a_session_never_exceed_capacity(transactional_db):
    for _round in range(2):
        session = SessionFactory(capacity=3)
        people = [person(email=f"p{n}@example.org", organisation="") for n in range(10)]
        assert race(session, people) == ([], [])
        assert counts(session) == (3, 7)
        queued = list(
            Registration.objects.filter(edition=session, status=RegistrationStatus.WAITING)
            .order_by("queued_at", "pk")
            .values_list("queued_at", flat=True)
        )
        assert len(queued) == 7


def test_concurrent_colleagues_never_exceed_their_organisation_share(transactional_db, make_actor):
    actor = make_actor("Centre social du Biollay")
    for _round in range(2):
        session = SessionFactory(capacity=10, per_organisation_limit=2)
        people = [person(email=f"c{n}@example.org", actor=actor) for n in range(6)]
        refused, errors = race(session, people)
        assert errors == []
        assert len(refused) == 4
        assert Registration.objects.filter(edition=session, actor=actor).count() == 2
        assert counts(session) == (2, 0)


def test_concurrent_colleagues_by_typed_name_never_exceed_their_share(transactional_db):
    session = SessionFactory(capacity=10, per_organisation_limit=2)
    people = [
        person(email=f"c{n}@example.org", organisation=name)
        for n, name in enumerate(
            ["Régie de quartier", "RÉGIE DE QUARTIER", "régie de quartier"] * 2
        )
    ]
    refused, errors = race(session, people)
    assert errors == []
    assert len(refused) == 4
    assert counts(session) == (2, 0)
