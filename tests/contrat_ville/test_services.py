import pytest

from contrat_ville.enums import Role
from contrat_ville.models import AuditLogEntry, RoleAssignment
from contrat_ville.selectors import user_roles
from contrat_ville.services import ServiceError, audit_log_record, user_roles_set
from tests.factories import UserFactory


def test_user_roles_set_returns_changes_and_refreshes_cached_roles(organiser, partner):
    assert user_roles(partner) == {"cotech"}

    added, removed = user_roles_set(actor=organiser, user=partner, roles={"copil", "juror"})

    assert (added, removed) == ({"copil", "juror"}, {"cotech"})
    assert user_roles(partner) == {"copil", "juror"}


def test_user_roles_set_without_change_writes_nothing(organiser, partner):
    assert user_roles_set(actor=organiser, user=partner, roles={"cotech"}) == (set(), set())
    assert AuditLogEntry.objects.count() == 0


def test_user_roles_set_unknown_role_writes_nothing(organiser, partner):
    with pytest.raises(ServiceError):
        user_roles_set(actor=organiser, user=partner, roles={"cotech", "roi"})

    assert list(RoleAssignment.objects.filter(user=partner).values_list("role", flat=True)) == [
        "cotech"
    ]
    assert AuditLogEntry.objects.count() == 0


def test_user_roles_set_allows_removing_an_organiser_when_another_remains(organiser):
    other = UserFactory(roles=[Role.ORGANISER])

    user_roles_set(actor=organiser, user=other, roles=set())

    assert user_roles(other) == frozenset()


def test_user_roles_set_inactive_organiser_does_not_count_as_remaining(organiser):
    UserFactory(roles=[Role.ORGANISER], is_active=False)

    with pytest.raises(ServiceError):
        user_roles_set(actor=organiser, user=organiser, roles=set())


def test_audit_log_record_keeps_the_actor_email_as_text(organiser, partner):
    entry = audit_log_record(actor=organiser, action="role.assigned", target=partner)
    organiser.delete()
    entry.refresh_from_db()

    assert (entry.actor_id, entry.actor_label, entry.target_type, entry.target_id) == (
        None,
        "orga@example.test",
        "contrat_ville.user",
        str(partner.pk),
    )
    assert entry.action_label == "Rôle attribué"


def test_role_assignment_is_unique_per_user_and_role(partner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=partner, role=Role.COTECH)


def test_user_email_is_unique_whatever_the_case(db):
    from django.db import IntegrityError, transaction

    UserFactory(email="casse@example.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="CASSE@example.test")
