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


def test_roles_organiser_gives_a_college_and_the_person_sees_it(
    new_page, live_server, demo_accounts, settings
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    organiser = new_page()
    log_in(organiser, ORGANISER_EMAIL)

    organiser.goto("/roles/")
    organiser.get_by_label("Rechercher une personne").fill("habitant")
    organiser.get_by_role("button", name="Filtrer").click()
    organiser.get_by_role("link", name="Modifier les rôles de Hugo Habitant").click()
    organiser.get_by_label("Conseil citoyen").check()
    assert_no_axe_violations(organiser)
    organiser.get_by_role("button", name="Enregistrer les rôles").click()

    expect(organiser.get_by_role("status")).to_contain_text("Rôles de Hugo Habitant mis à jour.")
    expect(organiser.get_by_role("table")).to_contain_text("Rôle attribué : Conseil citoyen")

    resident = new_page()
    log_in(resident, "habitant@demo.test")
    expect(resident.locator("p", has_text="Vos rôles :").locator(".tag")).to_have_text(
        ["Conseil citoyen", "Représentant des habitants"]
    )
