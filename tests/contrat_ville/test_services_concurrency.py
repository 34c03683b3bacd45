"""The PostgreSQL path of the row locks in user_roles_set."""

import threading

import pytest
from django.db import connection

from contrat_ville.enums import Role
from contrat_ville.models import RoleAssignment
from contrat_ville.services import ServiceError, user_roles_set
from tests.factories import UserFactory

pytestmark = pytest.mark.postgresql
ROUNDS = 10


def remove_at_once(users) -> list[str]:
    """Each thread removes the organiser role of one user, all starting together."""
    barrier = threading.Barrier(len(users))
    outcomes = []

    def remove(user):
        try:
            barrier.wait()
            user_roles_set(actor=None, user=user, roles=set())
            outcomes.append("removed")
        except ServiceError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=remove, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_concurrent_removals_never_leave_the_portal_without_organiser(transactional_db):
    for _ in range(ROUNDS):
        RoleAssignment.objects.all().delete()
        users = [UserFactory(roles=[Role.ORGANISER]) for _ in range(3)]

        outcomes = remove_at_once(users)

        assert outcomes == ["refused", "removed", "removed"]
        assert RoleAssignment.objects.filter(role=Role.ORGANISER).count() == 1


def test_concurrent_edits_of_one_person_do_not_collide(transactional_db):
    person = UserFactory()
    barrier = threading.Barrier(4)
    errors = []

    def give(role):
        try:
            barrier.wait()
            user_roles_set(actor=None, user=person, roles={Role.COPIL, role})
        except Exception as error:  # any failure is the finding
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=give, args=(role,))
        for role in (Role.COTECH, Role.JUROR, Role.CONSEIL_CITOYEN, Role.FACILITATOR)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    roles = set(RoleAssignment.objects.filter(user=person).values_list("role", flat=True))
    assert len(roles) == 2
    assert Role.COPIL in roles
