"""Forms that help, in a real browser: a form sent with errors names them in the page's
title and in a summary that takes the focus, whose links lead to each field, typed values
kept; cancelling a registration asks first, and its page then offers neither form nor
calendar."""

import pytest
from playwright.sync_api import expect

from events.models import Registration
from tests.factories import TEST_PASSWORD
from workgroups.models import ProjectSheet

from .axe import assert_no_axe_violations
from .journeys import log_in
from .test_rencontre import edition, register  # noqa: F401 (edition is a fixture)
from .test_workgroup_sheets import EDIT, group  # noqa: F401 (group is a fixture)

REGISTER = "/rencontres/2031/inscription/"


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def summary_links(page) -> list[str]:
    return page.locator(".error-summary a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )


def follow_each_link(page, links: list[str], *, javascript: bool) -> None:
    """Each link of the summary moves the focus to its field (a bare anchor does); the
    script also brings its label on screen."""
    for href in links:
        page.locator(f".error-summary a[href='{href}']").click()
        expect(page.locator(href)).to_be_focused()
        label = page.locator(f"label[for='{href[1:]}']")
        if javascript and label.count():
            expect(label.first).to_be_in_viewport()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_registration_errors_are_summarised_and_linked(new_page, edition, javascript):  # noqa: F811
    page = new_page(java_script_enabled=javascript)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(REGISTER)
    assert not page.title().startswith("Erreur")
    expect(page.locator(".error-summary")).to_have_count(0)
    page.get_by_label("Prénom").fill("Awa")
    page.get_by_label("Adresse e-mail").fill("awa-sans-arobase")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_load_state()

    assert page.title().startswith("Erreur : ")
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading")).to_have_text("Il y a 5 erreurs dans le formulaire")
    links = summary_links(page)
    assert links == [
        "#id_last_name",
        "#id_email",
        "#id_college",
        "#id_image_consent_0",
        "#id_privacy",
    ]
    if javascript:
        expect(summary).to_be_focused()
        assert_no_axe_violations(page)
    follow_each_link(page, links, javascript=javascript)
    # What was typed is still there.
    expect(page.get_by_label("Prénom")).to_have_value("Awa")
    expect(page.get_by_label("Adresse e-mail")).to_have_value("awa-sans-arobase")
    expect(page.get_by_label("Téléphone")).to_have_value("06 12 34 56 78")
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_project_sheet_errors_are_summarised_and_linked(new_page, group, javascript):  # noqa: F811
    page = new_page(java_script_enabled=javascript)
    log_in(page, "animateur@example.test", TEST_PASSWORD)
    page.goto(EDIT)
    page.get_by_label("Titre du projet").fill("Un local ouvert le soir")
    page.get_by_label("Âge minimum").fill("15")
    page.get_by_label("Âge maximum").fill("12")
    page.get_by_label("Budget estimé").fill("beaucoup")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_load_state()

    assert page.title().startswith("Erreur : ")
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading")).to_have_text("Il y a 2 erreurs dans le formulaire")
    assert summary_links(page) == ["#id_age_max", "#id_budget"]
    expect(summary.get_by_role("link").last).to_have_text(
        "Budget estimé (euros)\u00a0: Indiquez un montant en euros, par exemple 1 500 ou 3 k€."
    )
    if javascript:
        expect(summary).to_be_focused()
        assert_no_axe_violations(page)
    follow_each_link(page, ["#id_age_max", "#id_budget"], javascript=javascript)
    expect(page.get_by_label("Titre du projet")).to_have_value("Un local ouvert le soir")
    expect(page.get_by_label("Budget estimé")).to_have_value("beaucoup")

    # Amounts as people write them.
    page.get_by_label("Âge maximum").fill("17")
    page.get_by_label("Budget estimé").fill("1,5 k€")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_load_state()
    assert not page.title().startswith("Erreur")
    assert ProjectSheet.objects.get(workgroup=group).budget == 1500


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_cancelling_asks_first_then_offers_no_form(new_page, edition, javascript):  # noqa: F811
    page = new_page(java_script_enabled=javascript)
    link = register(page, "Awa", "Diop")
    page.goto(link)
    expect(page.get_by_text("Votre place est confirmée.")).to_be_visible()

    # Changing one's mind on the confirmation page keeps the registration.
    page.get_by_role("link", name="Annuler mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler mon inscription ?")
    expect(page.get_by_text("Votre place sera aussitôt donnée")).to_be_visible()
    if javascript:
        assert_no_axe_violations(page)
    page.get_by_role("link", name="Non, garder mon inscription").click()
    expect(page.get_by_text("Votre place est confirmée.")).to_be_visible()
    assert Registration.objects.get().status == "confirmed"

    page.get_by_role("link", name="Annuler mon inscription").click()
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Cette inscription est annulée.")).to_be_visible()
    assert Registration.objects.get().status == "cancelled"
    expect(page.get_by_role("link", name="Ajouter à mon agenda (fichier .ics)")).to_have_count(0)
    expect(page.get_by_role("button", name="Enregistrer les modifications")).to_have_count(0)
    expect(page.get_by_role("link", name="Annuler mon inscription")).to_have_count(0)
    expect(page.get_by_role("link", name="Demander l'effacement de mes données")).to_be_visible()
    if javascript:
        assert_no_axe_violations(page)
