"""Every ``next`` the portal reads sends people to this site only.

The first test finds, in the source, each place that reads a ``next`` parameter; each must
be one this file attacks, so a new one cannot slip in untested. The others send each of
those views (and allauth's, and the language switch) addresses crafted to leave the site.
"""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse

from contrat_ville.enums import Role
from tests.factories import TEST_PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("contrat_ville", "partners", "events", "workgroups")
READS_NEXT = re.compile(r"""(GET|POST|REQUEST)(\.get\(|\[)\s*["']next["']|REDIRECT_FIELD_NAME""")
# Each reader of ``next`` in the source, and the test below that attacks it.
ATTACKED = {
    "contrat_ville/admin_site.py": "test_admin_login_never_leaves_the_site",
    "events/views/checkin.py": "test_check_in_back_link_stays_on_the_check_in",
    "events/views/management.py": "test_cancel_back_link_stays_in_the_edition_management",
    "partners/views/moderation.py": "test_moderation_back_link_is_a_name_not_an_address",
}
EVIL = [
    "https://evil.example/x",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(1)",
]


def stays(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


def test_every_reader_of_next_is_attacked_here():
    readers = {
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if READS_NEXT.search(path.read_text(encoding="utf-8"))
    }
    assert readers == set(ATTACKED)
    assert all(name in globals() for name in ATTACKED.values())


@pytest.fixture
def staff_client(client, db, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("target", EVIL)
def test_admin_login_never_leaves_the_site(staff_client, target):
    response = staff_client.get(reverse("admin:login"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_admin_login_keeps_a_local_next(staff_client):
    response = staff_client.get(reverse("admin:login"), {"next": "/admin/contrat_ville/user/"})
    assert response["Location"] == "/admin/contrat_ville/user/"


def test_admin_login_sends_anonymous_visitors_to_the_portal_login(client, db):
    # Where they land after logging in: test_portal_login_then_admin_login_chain_…
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert response["Location"].startswith(f"{reverse('account_login')}?next=/admin/login/")


def test_admin_for_a_logged_in_non_staff_user_is_a_403_not_a_loop(client, partner):
    client.force_login(partner)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


@pytest.mark.parametrize("staff", [True, False])
def test_portal_login_then_admin_login_chain_never_leaves_the_site(client, db, settings, staff):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    UserFactory(email="chaine@example.test", is_staff=staff)
    chained = "/admin/login/?next=https://evil.example/"
    response = client.post(
        f"{reverse('account_login')}?next={quote(chained)}",
        {"login": "chaine@example.test", "password": TEST_PASSWORD},
        follow=True,
    )
    assert all(stays(location) for location, _status in response.redirect_chain)
    assert response.status_code == (200 if staff else 403)


@pytest.mark.parametrize("target", EVIL)
def test_portal_login_never_leaves_the_site(client, db, target):
    UserFactory(email="quelquun@example.test")
    response = client.post(
        reverse("account_login"),
        {"login": "quelquun@example.test", "password": TEST_PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", EVIL)
def test_logout_and_language_switch_never_leave_the_site(client, partner, target):
    client.force_login(partner)
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert stays(response["Location"])
    response = client.post(reverse("account_logout"), {"next": target})
    assert stays(response["Location"])


@pytest.mark.parametrize("target", EVIL)
def test_cancel_back_link_stays_in_the_edition_management(
    organiser_client, edition, make_registration, target
):
    registration = make_registration(edition)
    response = organiser_client.post(
        reverse("events:registration_cancel", args=[edition.year, registration.pk]),
        {"next": target},
    )
    assert response["Location"] == reverse("events:registrations", args=[edition.year])


def test_cancel_back_link_keeps_a_management_page(organiser_client, edition, make_registration):
    registration = make_registration(edition)
    back = reverse("events:registrations", args=[edition.year]) + "?q=nom&page=2"
    response = organiser_client.post(
        reverse("events:registration_cancel", args=[edition.year, registration.pk]),
        {"next": back},
    )
    assert response["Location"] == back


@pytest.mark.parametrize("target", EVIL)
def test_check_in_back_link_stays_on_the_check_in(
    organiser_client, edition, make_registration, target
):
    registration = make_registration(edition)
    response = organiser_client.post(
        reverse("events:checkin_person", args=[edition.year, registration.checkin_code]),
        {"next": target},
    )
    assert response["Location"] == reverse("events:checkin", args=[edition.year])


@pytest.mark.parametrize("target", [*EVIL, "moderation"])
def test_moderation_back_link_is_a_name_not_an_address(client, db, make_actor, target, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    client.force_login(UserFactory(roles=[Role.ORGANISER]))
    actor = make_actor("Centre social")
    response = client.post(
        reverse("partners:actor_status", args=[actor.slug]),
        {"status": actor.status, "next": target},
    )
    expected = (
        reverse("partners:moderation")
        if target == "moderation"
        else reverse("partners:actor_detail", args=[actor.slug])
    )
    assert response["Location"] == expected
