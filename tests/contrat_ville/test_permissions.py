import pytest
from django.contrib.auth.models import AnonymousUser

from contrat_ville.enums import COLLEGES, Role
from tests.factories import UserFactory

PERMISSIONS = [
    "contrat_ville.view_partner_area",
    "contrat_ville.manage_roles",
    "contrat_ville.view_audit_log",
]


def granted(user) -> list[str]:
    return [perm for perm in PERMISSIONS if user.has_perm(perm)]


def test_anonymous_visitor_has_no_permission():
    assert granted(AnonymousUser()) == []


def test_account_without_role_has_no_permission(db):
    assert granted(UserFactory()) == []


@pytest.mark.parametrize("college", sorted(COLLEGES))
def test_each_college_is_a_partner_without_staff_rights(db, college):
    assert granted(UserFactory(roles=[college])) == ["contrat_ville.view_partner_area"]


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.JUROR])
def test_facilitators_and_jurors_are_partners_without_staff_rights(db, role):
    assert granted(UserFactory(roles=[role])) == ["contrat_ville.view_partner_area"]


def test_organiser_has_every_core_permission(db):
    assert granted(UserFactory(roles=[Role.ORGANISER])) == PERMISSIONS


def test_deactivated_organiser_loses_every_permission(db):
    assert granted(UserFactory(roles=[Role.ORGANISER], is_active=False)) == []


def test_roles_are_read_once_per_user_object(db, django_assert_num_queries):
    user = UserFactory(roles=[Role.ORGANISER, Role.COPIL])

    with django_assert_num_queries(1):
        granted(user)
        granted(user)
