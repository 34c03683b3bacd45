import pytest
from django.contrib.auth.models import AnonymousUser

from contrat_ville.enums import Role
from partners.models import Membership
from tests.factories import UserFactory


@pytest.fixture
def actor(make_actor):
    return make_actor("Structure A")


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([], False),
        ([Role.REPRESENTANT_HABITANTS], True),
        ([Role.COTECH], True),
        ([Role.JUROR], True),
        ([Role.ORGANISER], True),
    ],
)
def test_contacts_are_for_partners(actor, roles, expected):
    assert UserFactory(roles=roles).has_perm("partners.view_contacts", actor) is expected


def test_contacts_hidden_from_anonymous(actor):
    assert AnonymousUser().has_perm("partners.view_contacts", actor) is False


def test_members_see_their_own_contacts_without_a_role(actor):
    user = UserFactory()
    Membership.objects.create(actor=actor, user=user)

    assert user.has_perm("partners.view_contacts", actor) is True


def test_change_actor_only_for_its_members_and_organisers(actor, make_actor):
    other = make_actor("Structure B")
    member = UserFactory(roles=[Role.COTECH])
    Membership.objects.create(actor=actor, user=member)
    organiser = UserFactory(roles=[Role.ORGANISER])

    assert member.has_perm("partners.change_actor", actor) is True
    assert member.has_perm("partners.change_actor", other) is False
    assert organiser.has_perm("partners.change_actor", other) is True
    assert AnonymousUser().has_perm("partners.change_actor", actor) is False


def test_request_membership_for_logged_in_non_members(actor):
    member, stranger = UserFactory(), UserFactory()
    Membership.objects.create(actor=actor, user=member)

    assert stranger.has_perm("partners.request_membership", actor) is True
    assert member.has_perm("partners.request_membership", actor) is False
    assert AnonymousUser().has_perm("partners.request_membership", actor) is False


@pytest.mark.parametrize("perm", ["partners.moderate", "partners.manage_taxonomy"])
def test_moderation_is_for_organisers_only(db, perm):
    assert UserFactory(roles=[Role.ORGANISER]).has_perm(perm) is True
    assert UserFactory(roles=[Role.COPIL, Role.COTECH, Role.FACILITATOR]).has_perm(perm) is False
