"""Project sheets in a real browser: a facilitator's session expires while they
type, they log in again and find their text; the draft kept by the browser;
the pages pass axe."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from contrat_ville.enums import Role
from events.enums import EditionStatus
from events.models import Edition
from tests.factories import TEST_PASSWORD, UserFactory
from workgroups.enums import JuryPhase
from workgroups.models import ProjectSheet, Workgroup, WorkshopSettings

from .axe import assert_no_axe_violations
from .journeys import log_in

EDIT = "/ateliers/2031/3/modifier/"


@pytest.fixture
def group(transactional_db):
    edition = Edition.objects.create(
        year=2031,
        title="Rencontre des partenaires 2031",
        date=timezone.localdate() - datetime.timedelta(days=1),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(17, 0),
        venue_name="Le Scarabée",
        venue_address="Chambéry",
        capacity=50,
        status=EditionStatus.CLOSED,
    )
    for number in (1, 2, 3):
        Workgroup.objects.create(edition=edition, number=number, name=f"Thème {number}")
    group = Workgroup.objects.get(edition=edition, number=3)
    facilitator = UserFactory(roles=[Role.FACILITATOR], email="animateur@example.test")
    group.facilitators.add(facilitator)
    return group


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_sheet_text_survives_an_expired_session(new_page, group, javascript):
    page = new_page(java_script_enabled=javascript)
    log_in(page, "animateur@example.test", TEST_PASSWORD)
    page.goto(EDIT)
    if javascript:
        assert_no_axe_violations(page)
    page.get_by_label("Titre du projet").fill("Un local ouvert le soir")
    page.get_by_label("Âge minimum").fill("15")
    page.get_by_label("Âge maximum").fill("12")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(
        page.get_by_text("L'âge maximum doit être supérieur ou égal à l'âge minimum.", exact=True)
    ).to_be_visible()
    expect(page.get_by_label("Titre du projet")).to_have_value("Un local ouvert le soir")
    if javascript:
        assert_no_axe_violations(page)

    page.get_by_label("Âge maximum").fill("17")
    page.get_by_label("Actions").fill("Ouvrir la salle du centre social les vendredis.")
    Session.objects.all().delete()  # the session expires while the person types
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(
        page.get_by_text("Votre session a expiré : connectez-vous, votre texte vous attend.")
    ).to_be_visible()
    assert ProjectSheet.objects.count() == 0

    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill("animateur@example.test")
    form.locator("input[name=password]").fill(TEST_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(EDIT)
    expect(
        page.get_by_text(
            "Votre texte non enregistré a été restauré : vérifiez-le puis enregistrez."
        )
    ).to_be_visible()
    expect(page.get_by_label("Titre du projet")).to_have_value("Un local ouvert le soir")
    expect(page.get_by_label("Actions")).to_have_value(
        "Ouvrir la salle du centre social les vendredis."
    )
    assert ProjectSheet.objects.count() == 0
    if javascript:
        assert_no_axe_violations(page)

    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_text("La fiche projet est enregistrée.")).to_be_visible()
    sheet = ProjectSheet.objects.get()
    assert (sheet.title, sheet.age_min, sheet.age_max) == ("Un local ouvert le soir", 15, 17)
    if javascript:
        assert_no_axe_violations(page)


def test_sheet_draft_kept_by_the_browser_is_offered_back(new_page, group):
    page = new_page()
    log_in(page, "animateur@example.test", TEST_PASSWORD)
    page.goto(EDIT)
    offer = page.get_by_text("Ce navigateur a gardé un brouillon plus récent de cette fiche.")
    expect(offer).to_be_hidden()
    page.get_by_label("Titre du projet").fill("Tapé puis onglet fermé")
    page.get_by_label("Titre du projet").blur()
    page.wait_for_timeout(600)
    page.reload()
    expect(page.get_by_label("Titre du projet")).to_have_value("")
    expect(offer).to_be_visible()
    page.get_by_role("button", name="Reprendre le brouillon").click()
    expect(page.get_by_label("Titre du projet")).to_have_value("Tapé puis onglet fermé")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_text("La fiche projet est enregistrée.")).to_be_visible()
    page.goto(EDIT)
    expect(page.get_by_label("Titre du projet")).to_have_value("Tapé puis onglet fermé")
    expect(offer).to_be_hidden()


def test_gallery_and_group_page_pass_axe(new_page, group):
    ProjectSheet.objects.create(workgroup=group, title="Un local ouvert le soir", need="Un lieu.")
    WorkshopSettings.objects.create(
        edition=group.edition, phase=JuryPhase.PUBLISHED, gallery_public=True
    )
    page = new_page()
    page.goto("/ateliers/2031/projets/")
    expect(page.get_by_role("link", name="Un local ouvert le soir")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Un local ouvert le soir").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Un local ouvert le soir")
    assert_no_axe_violations(page)
    log_in(page, "animateur@example.test", TEST_PASSWORD)
    page.goto("/ateliers/2031/3/")
    expect(page.get_by_role("link", name="Modifier la fiche")).to_be_visible()
    assert_no_axe_violations(page)
