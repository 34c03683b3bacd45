"""Every way in: password, code by e-mail, password reset, sign-up with
verification, and the second factor."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from contrat_ville.enums import Role
from contrat_ville.models import User
from tests.factories import TEST_PASSWORD, UserFactory
from tests.pages import page_for

SIGNUP = {
    "email": "inscrite@example.test",
    "first_name": "Inès",
    "last_name": "Durand",
    "password1": TEST_PASSWORD,
    "password2": TEST_PASSWORD,
}


def logged_in_user_id(client):
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def code_in(message) -> str:
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE).group(1)


def test_login_with_password_logs_in_verified_user(client, db):
    user = UserFactory(email="marie@example.test")

    response = client.post(
        reverse("account_login"), {"login": "Marie@Example.test", "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert logged_in_user_id(client) == user.pk


def test_login_with_wrong_password_is_refused_next_to_the_form(client, db):
    UserFactory(email="marie@example.test")

    response = client.post(
        reverse("account_login"), {"login": "marie@example.test", "password": "pas-le-bon"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert logged_in_user_id(client) is None


def test_login_requires_verified_email(client, db, django_capture_on_commit_callbacks):
    UserFactory(email="nouveau@example.test", verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"), {"login": "nouveau@example.test", "password": TEST_PASSWORD}
        )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert logged_in_user_id(client) is None
    assert [m.to for m in mail.outbox] == [["nouveau@example.test"]]


def test_signup_needs_the_emailed_link_before_login(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert logged_in_user_id(client) is None
    user = User.objects.get(email="inscrite@example.test")
    assert user.full_name == "Inès Durand"
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1

    confirm = client.get(link_in(mail.outbox[0]))
    assert confirm.status_code == 200
    client.post(link_in(mail.outbox[0]))

    assert EmailAddress.objects.get(user=user).verified is True
    assert logged_in_user_id(client) == user.pk


def test_signup_without_a_name_is_refused_next_to_the_field(client, db):
    response = client.post(
        reverse("account_signup"),
        {key: value for key, value in SIGNUP.items() if key not in {"first_name", "last_name"}},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"first_name", "last_name"}
    assert response.context["form"]["email"].value() == "inscrite@example.test"
    assert not User.objects.exists()


def test_signup_gives_no_role(client, db):
    client.post(reverse("account_signup"), SIGNUP)

    assert User.objects.get(email="inscrite@example.test").role_assignments.count() == 0


def test_login_by_code_sent_by_email(client, db, django_capture_on_commit_callbacks):
    user = UserFactory(email="sans-mot-de-passe@example.test", password=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_request_login_code"), {"email": "sans-mot-de-passe@example.test"}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["sans-mot-de-passe@example.test"]]
    assert "Contrat de Ville" in mail.outbox[0].body

    response = client.post(reverse("account_confirm_login_code"), {"code": code_in(mail.outbox[0])})

    assert response.status_code == 302
    assert logged_in_user_id(client) == user.pk


def test_login_by_code_refuses_a_wrong_code(client, db):
    UserFactory(email="sans-mot-de-passe@example.test")
    client.post(reverse("account_request_login_code"), {"email": "sans-mot-de-passe@example.test"})

    response = client.post(reverse("account_confirm_login_code"), {"code": "AAAAAA"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert logged_in_user_id(client) is None


def test_password_reset_by_emailed_link(client, db, django_capture_on_commit_callbacks):
    user = UserFactory(email="oubli@example.test")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "oubli@example.test"})
    assert [m.to for m in mail.outbox] == [["oubli@example.test"]]
    response = client.get(link_in(mail.outbox[0]), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"password1": "nouveau-mot-de-passe-7", "password2": "nouveau-mot-de-passe-7"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nouveau-mot-de-passe-7")


def test_password_reset_for_unknown_address_sends_no_reset_link(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "inconnu@example.test"})

    # allauth answers the same way to avoid revealing who has an account.
    assert response.status_code == 302
    assert all("oubli" not in m.body for m in mail.outbox)
    # It tells the address that it has no account, as it would send a link to a known one.
    assert [m.to for m in mail.outbox] == [["inconnu@example.test"]]


def test_login_with_totp_asks_the_code_after_the_password(client, db):
    user = UserFactory(email="prudente@example.test")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    response = client.post(
        reverse("account_login"), {"login": "prudente@example.test", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302
    assert logged_in_user_id(client) == user.pk


def test_rate_limit_stops_repeated_failed_logins(client, db, settings):
    assert getattr(settings, "ACCOUNT_RATE_LIMITS", None) is not False
    UserFactory(email="cible@example.test")
    wrong = {"login": "cible@example.test", "password": "faux"}
    for _ in range(5):
        client.post(reverse("account_login"), wrong)

    response = client.post(
        reverse("account_login"), {"login": "cible@example.test", "password": TEST_PASSWORD}
    )

    assert logged_in_user_id(client) is None
    assert response.status_code in {200, 429}


# --- second factor required for organisers ------------------------------------


@pytest.fixture
def organiser_without_totp(client, settings, db):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = True
    user = UserFactory(roles=[Role.ORGANISER])
    # A real login: allauth asks for the password again on security pages
    # when the login is not recent, which force_login would not record.
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    return user


@pytest.mark.parametrize("url_name", ["home", "roles", "audit_log"])
def test_organiser_without_totp_is_sent_to_set_it_up(client, organiser_without_totp, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_organiser_without_totp_can_set_it_up_without_redirect_loop(client, organiser_without_totp):
    # allauth asks for the password once more before enabling a second factor.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(response.url, {"password": TEST_PASSWORD})

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    assert response.context["form"].fields.keys() == {"code"}


def test_organiser_without_totp_can_still_reach_account_pages(client, organiser_without_totp):
    assert client.get(reverse("account_email")).status_code == 200
    assert client.get(reverse("privacy")).status_code == 200


def test_organiser_with_totp_reaches_organiser_pages(client, organiser_without_totp):
    TOTP.activate(organiser_without_totp, generate_totp_secret())

    assert client.get(reverse("roles")).status_code == 200
    assert Authenticator.objects.filter(user=organiser_without_totp).count() == 1


def test_partner_without_totp_is_not_asked_for_it(client, settings, partner):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = True
    client.force_login(partner)

    assert client.get(reverse("home")).status_code == 200


def test_organiser_totp_requirement_off_in_debug(client, settings, organiser):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    client.force_login(organiser)

    assert client.get(reverse("roles")).status_code == 200


class CountingHasher(MD5PasswordHasher):
    """Counts the passwords hashed: the costly part of a sign-up (PBKDF2 in production)."""

    count = 0

    def encode(self, password, salt):
        CountingHasher.count += 1
        return super().encode(password, salt)


def test_signup_answers_and_works_the_same_for_a_known_address(
    client, db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PASSWORD_HASHERS = ["tests.contrat_ville.test_auth.CountingHasher"]
    UserFactory(email="connue@example.test")
    outcomes = {}
    for email in ("connue@example.test", "nouvelle@example.test"):
        CountingHasher.count = 0
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("account_signup"), {**SIGNUP, "email": email})
        page = page_for(client.get(response["Location"]).text, email)
        outcomes[email] = (response.status_code, response["Location"], page, CountingHasher.count)
        assert [m.to for m in mailoutbox] == [[email]]
        client.logout()
    assert outcomes["connue@example.test"] == outcomes["nouvelle@example.test"]
    assert outcomes["nouvelle@example.test"][3] == 1
