"""Never overbook: concurrent sign-ups for the last seats on PostgreSQL.

The first test is the guarantee. The second runs the same race with the
edition lock replaced by a plain read, and shows the race is real: without
the lock the same scenario overbooks, so the first test can fail.
"""

import threading
import time

import pytest
from django.db import connection

from events.enums import RegistrationStatus
from events.models import Edition, Registration
from events.services import registration_create
from events.services import registrations as registration_services

from .conftest import person

pytestmark = pytest.mark.postgresql
CAPACITY = 5
PEOPLE = 30


def race(edition) -> list[str]:
    barrier = threading.Barrier(PEOPLE)
    errors = []

    def sign_up(number):
        try:
            barrier.wait()
            registration_create(edition=edition, data=person(email=f"p{number}@example.org"))
        except Exception as error:  # any failure is the finding
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def counts(edition) -> tuple[int, int]:
    rows = Registration.objects.filter(edition=edition)
    return (
        rows.filter(status=RegistrationStatus.CONFIRMED).count(),
        rows.filter(status=RegistrationStatus.WAITING).count(),
    )


def test_concurrent_sign_ups_never_exceed_capacity(transactional_db, make_edition):
    for _round in range(3):
        edition = make_edition(capacity=CAPACITY)
        assert race(edition) == []
        assert counts(edition) == (CAPACITY, PEOPLE - CAPACITY)
        # The waiting list is a strict order: positions 1..25, no ties.
        queued = list(
            Registration.objects.filter(edition=edition, status=RegistrationStatus.WAITING)
            .order_by("queued_at", "pk")
            .values_list("pk", flat=True)
        )
        assert len(set(queued)) == PEOPLE - CAPACITY


def test_without_the_lock_the_same_race_overbooks(transactional_db, make_edition, monkeypatch):
    def no_lock(edition):
        return Edition.objects.get(pk=edition.pk)

    real_count = registration_services._confirmed_count

    def slow_count(edition):
        # Widen the window between counting and inserting, as a loaded server would.
        count = real_count(edition)
        time.sleep(0.05)
        return count

    monkeypatch.setattr(registration_services, "_lock_edition", no_lock)
    monkeypatch.setattr(registration_services, "_confirmed_count", slow_count)
    edition = make_edition(capacity=CAPACITY)
    assert race(edition) == []
    confirmed, _waiting = counts(edition)
    assert confirmed > CAPACITY
