from playwright.sync_api import expect

from .axe import assert_no_axe_violations
from .journeys import log_in

ORGANISER_EMAIL = "organisateur@demo.test"


def test_roles_page_organiser_has_no_axe_violation(page, live_server, demo_accounts, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    log_in(page, ORGANISER_EMAIL)

    page.goto("/roles/")

    expect(page).to_have_url(f"{live_server.url}/roles/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rôles des personnes")
    assert_no_axe_violations(page)
