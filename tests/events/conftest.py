import datetime
import itertools

import pytest
from django.utils import timezone

from contrat_ville.models import Territory
from events.enums import College, EditionStatus, RegistrationSource, RegistrationStatus
from events.models import Edition, Registration
from tests.partners.conftest import make_actor  # noqa: F401  (the directory's factory)


@pytest.fixture
def make_edition(db):
    years = itertools.count(2031)

    def make(**fields) -> Edition:
        defaults = {
            "year": next(years),
            "title": "Rencontre des partenaires",
            "date": timezone.localdate() + datetime.timedelta(days=60),
            "starts_at": datetime.time(9, 0),
            "ends_at": datetime.time(17, 0),
            "venue_name": "Le Scarabée",
            "venue_address": "Chambéry",
            "capacity": 3,
            "status": EditionStatus.OPEN,
        }
        defaults.update(fields)
        if "title" not in fields:
            defaults["title"] = f"Rencontre des partenaires {defaults['year']}"
        return Edition.objects.create(**defaults)

    return make


@pytest.fixture
def edition(make_edition) -> Edition:
    """An open edition with 3 seats, 60 days ahead."""
    return make_edition()


@pytest.fixture
def make_registration(db):
    """A registration written directly (no e-mail, no capacity check): for
    setting up a scene. Tests of the rules go through the services."""
    numbers = itertools.count(1)

    def make(edition: Edition, **fields) -> Registration:
        number = next(numbers)
        defaults = {
            "first_name": f"Prénom{number}",
            "last_name": f"Nom{number}",
            "email": f"personne{number}@example.org",
            "college": College.PORTEUR_PROJET,
            "status": RegistrationStatus.CONFIRMED,
            "source": RegistrationSource.ONLINE,
            "privacy_acknowledged_at": timezone.now(),
        }
        defaults.update(fields)
        if defaults["status"] == RegistrationStatus.WAITING:
            defaults.setdefault("queued_at", timezone.now())
        return Registration.objects.create(edition=edition, **defaults)

    return make


@pytest.fixture
def qpv(db) -> Territory:
    return Territory.objects.get(slug="biollay-bellevue")


def person(**overrides) -> dict:
    """The data a registration form gives the services."""
    data = {
        "first_name": "Awa",
        "last_name": "Diop",
        "email": "awa.diop@example.org",
        "phone": "",
        "actor": None,
        "organisation": "Association des habitants",
        "college": College.PORTEUR_PROJET,
        "territory": None,
        "accessibility_needs": "",
        "dietary_needs": "",
        "image_consent": True,
        "listed": False,
    }
    data.update(overrides)
    return data
