import datetime

from django.utils import timezone

from contrat_ville.demo import seed_accounts
from contrat_ville.enums import COLLEGES
from events.demo import next_edition_date, seed_editions
from events.enums import EditionStatus, RegistrationStatus
from events.models import Edition, Registration
from partners.demo import seed_actors


def test_demo_has_the_2024_edition_and_an_open_next_one(db):
    seed_accounts()
    seed_actors()
    seed_editions()
    first = Edition.objects.get(year=2024)
    assert (first.date, first.venue_name, first.group_count) == (
        datetime.date(2024, 10, 15),
        "Le Scarabée",
        17,
    )
    confirmed = first.registrations.filter(status=RegistrationStatus.CONFIRMED)
    assert confirmed.count() == 142
    # Every college of the contract was in the room, as the article says.
    assert set(COLLEGES) <= set(confirmed.values_list("college", flat=True))
    assert confirmed.filter(checked_in_at__isnull=False).count() > 120

    upcoming = Edition.objects.exclude(year=2024).get()
    assert upcoming.date > timezone.localdate()
    assert upcoming.status == EditionStatus.OPEN
    assert upcoming.registration_is_open()
    assert 0 < upcoming.registrations.count() < upcoming.capacity


def test_demo_is_idempotent_and_keeps_real_registrations(db):
    seed_accounts()
    seed_editions()
    upcoming = Edition.objects.exclude(year=2024).get()
    Registration.objects.create(
        edition=upcoming,
        first_name="Vraie",
        last_name="Personne",
        email="vraie@example.org",
        college="habitant",
        status=RegistrationStatus.CONFIRMED,
    )
    before = Registration.objects.count()
    seed_editions()
    assert Registration.objects.count() == before
    assert Registration.objects.filter(email="vraie@example.org").exists()


def test_next_edition_is_at_least_a_month_ahead():
    assert next_edition_date(datetime.date(2026, 11, 26)) == datetime.date(2027, 10, 15)
    assert next_edition_date(datetime.date(2027, 3, 1)) == datetime.date(2027, 10, 15)
    assert next_edition_date(datetime.date(2027, 9, 20)) == datetime.date(2028, 10, 15)
