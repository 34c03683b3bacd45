import pytest

from contrat_ville.enums import Role
from events.enums import RegistrationStatus
from tests.events.conftest import (  # noqa: F401  (the rencontre's factories)
    edition,
    make_edition,
    make_registration,
    qpv,
)
from tests.factories import UserFactory
from tests.partners.conftest import make_actor  # noqa: F401
from workgroups.models import Seat, Workgroup


@pytest.fixture
def facilitator(db):
    return UserFactory(roles=[Role.FACILITATOR], email="animateur@example.test")


@pytest.fixture
def other_facilitator(db):
    return UserFactory(roles=[Role.FACILITATOR], email="animatrice@example.test")


@pytest.fixture
def juror_user(db):
    return UserFactory(roles=[Role.JUROR], email="jure@example.test")


@pytest.fixture
def make_groups(db):
    """make_groups(edition, count) -> the edition's groups 1..count."""

    def make(edition, count: int = 5) -> list[Workgroup]:
        return [
            Workgroup.objects.create(
                edition=edition, number=number, name=f"Groupe {number}", room=f"Salle {number}"
            )
            for number in range(1, count + 1)
        ]

    return make


@pytest.fixture
def seat(db):
    """seat(workgroup, registration, pinned=False) -> Seat."""

    def make(workgroup, registration, pinned: bool = False) -> Seat:
        return Seat.objects.create(workgroup=workgroup, registration=registration, pinned=pinned)

    return make


@pytest.fixture
def confirmed(make_registration):
    """confirmed(edition, **fields) -> a confirmed registration."""

    def make(edition, **fields):
        return make_registration(edition, status=RegistrationStatus.CONFIRMED, **fields)

    return make
