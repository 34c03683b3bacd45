import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from contrat_ville.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from contrat_ville.enums import Role
from contrat_ville.models import AuditLogEntry, RoleAssignment, User
from tests.factories import UserFactory

DEMO_EMAILS = {
    "organisateur@demo.test": {"organiser"},
    "animateur@demo.test": {"facilitator"},
    "jury@demo.test": {"juror"},
    "copil@demo.test": {"copil"},
    "cotech@demo.test": {"cotech"},
    "association@demo.test": {"porteur_projet"},
    "conseil-citoyen@demo.test": {"conseil_citoyen"},
    "habitant@demo.test": {"representant_habitants"},
}


def demo_state():
    """The roles of the accounts one can log in with (the workshops' demo adds
    fictitious jurors whose password is unusable)."""
    return {
        user.email: {a.role for a in user.role_assignments.all()}
        for user in User.objects.prefetch_related("role_assignments")
        if user.has_usable_password()
    }


def test_seed_demo_refuses_with_debug_off(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert User.objects.count() == 0


def test_seed_demo_creates_one_verified_account_per_role(db, settings):
    settings.DEBUG = True

    call_command("seed_demo")

    assert demo_state() == DEMO_EMAILS
    assert {a.email for a in DEMO_ACCOUNTS} == set(DEMO_EMAILS)
    for user in User.objects.all():
        if user.email in DEMO_EMAILS:
            assert user.check_password(DEMO_PASSWORD)
            assert EmailAddress.objects.get(user=user).verified is True
        else:
            assert not user.has_usable_password()
            assert not EmailAddress.objects.filter(user=user).exists()


def test_seed_demo_is_idempotent_and_restores_demo_state(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    jury = User.objects.get(email="jury@demo.test")
    jury.set_password("changé-pendant-la-démo")
    jury.save()
    RoleAssignment.objects.create(user=jury, role=Role.COPIL)

    call_command("seed_demo")

    assert demo_state() == DEMO_EMAILS
    assert User.objects.get(email="jury@demo.test").check_password(DEMO_PASSWORD)
    assert EmailAddress.objects.count() == len(DEMO_EMAILS)


def test_grant_role_gives_and_removes_a_role_with_audit(db, capsys):
    user = UserFactory(email="premiere@example.test")

    call_command("grant_role", "Premiere@example.test", "organiser")
    call_command("grant_role", "premiere@example.test", "copil")
    call_command("grant_role", "premiere@example.test", "copil", "--remove")

    assert set(user.role_assignments.values_list("role", flat=True)) == {"organiser"}
    assert list(AuditLogEntry.objects.order_by("id").values_list("action", "actor_label")) == [
        ("role.assigned", "système"),
        ("role.assigned", "système"),
        ("role.removed", "système"),
    ]
    assert capsys.readouterr().out.splitlines()[-1] == "premiere@example.test: copil removed"


def test_grant_role_unknown_account_is_an_error(db):
    with pytest.raises(CommandError, match="No account"):
        call_command("grant_role", "personne@example.test", "organiser")


def test_grant_role_refuses_to_remove_the_last_organiser(db):
    UserFactory(email="seule@example.test", roles=[Role.ORGANISER])

    with pytest.raises(CommandError, match="dernier organisateur"):
        call_command("grant_role", "seule@example.test", "organiser", "--remove")
