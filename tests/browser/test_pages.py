import pytest
from playwright.sync_api import expect

from .axe import assert_no_axe_violations
from .journeys import log_in


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/confidentialite/", "Données personnelles"),
        ("/mentions-legales/", "Mentions légales"),
        ("/accessibilite/", "Déclaration d'accessibilité"),
        ("/accounts/signup/", "Création de compte"),
        ("/accounts/password/reset/", "Réinitialisation du mot de passe"),
        ("/accounts/login/code/", "Envoyez-moi un code de connexion"),
    ],
)
def test_public_page_has_no_axe_violation(page, path, heading):
    page.goto(path)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_axe_violations(page)


def test_profile_page_has_no_axe_violation(page, demo_accounts):
    log_in(page, "association@demo.test")

    page.goto("/accounts/profil/")

    expect(page.get_by_label("Prénom")).to_have_value("Amina")
    assert_no_axe_violations(page)


def test_totp_setup_page_has_no_axe_violation(page, demo_accounts):
    log_in(page, "cotech@demo.test")

    page.goto("/accounts/2fa/totp/activate/")
    page.get_by_label("Mot de passe").fill("contrat-de-ville-2030")
    page.get_by_role("button", name="Confirmer").click()

    expect(page.locator("input[name=code]")).to_be_visible()
    assert_no_axe_violations(page)
