import re

import pytest
from playwright.sync_api import expect

from contrat_ville.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

from .axe import assert_no_axe_violations
from .journeys import log_in

ORGANISER_EMAIL = "organisateur@demo.test"
HABITANT_EMAIL = "habitant@demo.test"
# A line of the e-mail made of the code alone, e.g. "4KQ-7ZD".
LOGIN_CODE = re.compile(r"^\s*([A-Z0-9]+(?:-[A-Z0-9]+)*)\s*$", re.MULTILINE)


def expect_logged_in_home(page, live_server, account) -> None:
    expect(page).to_have_url(f"{live_server.url}/")
    roles = page.locator("p", has_text="Vos rôles :").locator(".tag")
    expect(roles).to_have_text([str(role.label) for role in account.roles])
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def account_for(email: str):
    return next(account for account in DEMO_ACCOUNTS if account.email == email)


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda account: account.email)
def test_login_with_password_lands_on_home_with_role(
    page, live_server, demo_accounts, settings, account
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False

    log_in(page, account.email)

    expect_logged_in_home(page, live_server, account)


def test_login_organiser_with_mfa_required_lands_on_totp_setup(
    page, live_server, demo_accounts, settings
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = True

    log_in(page, ORGANISER_EMAIL)

    # allauth (MFA_REAUTHENTICATION_REQUIRED, on by default) asks for the password again
    # before an authenticator is added, even right after the login.
    expect(page).to_have_url(
        f"{live_server.url}/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    expect(page.locator("input[name=code]")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")


def test_login_wrong_password_shows_error_and_stays_logged_out(page, live_server, demo_accounts):
    log_in(page, HABITANT_EMAIL, password="pas-le-bon-mot-de-passe")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("form .errorlist")).to_have_text(
        "L\u2019adresse e-mail ou le mot de passe sont incorrects."
    )
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    page.goto("/")
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()
    expect(page.get_by_text("Vos rôles :")).to_have_count(0)


def test_login_by_code_lands_on_home(page, live_server, demo_accounts, mailoutbox):
    page.goto("/accounts/login/code/")
    form = page.locator("form", has=page.locator("input[name=email]"))
    form.locator("input[name=email]").fill(HABITANT_EMAIL)
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/code/confirm/")
    assert [message.to for message in mailoutbox] == [[HABITANT_EMAIL]]
    code = LOGIN_CODE.search(mailoutbox[0].body)
    assert code is not None, mailoutbox[0].body
    form = page.locator("form", has=page.locator("input[name=code]"))
    form.locator("input[name=code]").fill(code.group(1))
    form.locator("button[type=submit]").first.click()

    expect_logged_in_home(page, live_server, account_for(HABITANT_EMAIL))


def test_login_without_javascript_lands_on_home(new_page, live_server, demo_accounts):
    page = new_page(java_script_enabled=False)

    log_in(page, HABITANT_EMAIL)

    expect_logged_in_home(page, live_server, account_for(HABITANT_EMAIL))


def test_login_page_has_no_axe_violation(page):
    page.goto("/accounts/login/")

    assert_no_axe_violations(page)
