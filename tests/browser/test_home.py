from playwright.sync_api import expect

from .axe import assert_no_axe_violations
from .journeys import log_in

ORGANISER_EMAIL = "organisateur@demo.test"


def test_home_anonymous_has_no_axe_violation(page):
    page.goto("/")

    assert_no_axe_violations(page)


def test_home_organiser_has_no_axe_violation(page, live_server, demo_accounts, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    log_in(page, ORGANISER_EMAIL)
    expect(page).to_have_url(f"{live_server.url}/")

    assert_no_axe_violations(page)


def test_home_language_switch_to_english_sets_html_lang(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    language_form = page.locator("form", has=page.locator("select[name=language]"))
    language_form.locator("select[name=language]").select_option("en")
    language_form.locator("button[type=submit]").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
