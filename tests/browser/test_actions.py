"""The contract's actions in a browser: a carrier proposes an action with its funders and
indicators, on a phone and on a desktop; an organiser validates it; a resident then finds it
in the list and in the year's bilan, without an account. No axe violation, nothing wider
than the screen."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contract.demo import seed_contract
from contrat_ville.demo import seed_accounts
from contrat_ville.models import User
from partners.enums import ActorKind, ActorStatus
from partners.models import Membership
from partners.services import actor_create

from .axe import assert_no_axe_violations
from .journeys import log_in
from .test_residents import assert_fits, open_menu_link

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture
def carrier(transactional_db, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    seed_accounts()
    seed_contract()
    actor = actor_create(
        by=None,
        data={
            "name": "Maison des jeunes du Biollay",
            "kind": ActorKind.ASSOCIATION,
            "summary": "Accueil des jeunes le soir et pendant les vacances.",
        },
        status=ActorStatus.PUBLISHED,
    )
    Membership.objects.create(actor=actor, user=User.objects.get(email="association@demo.test"))
    return actor


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_carrier_proposes_organiser_validates_resident_reads(new_page, carrier, viewport):
    year = timezone.localdate().year
    page = new_page(viewport=VIEWPORTS[viewport])
    log_in(page, "association@demo.test")
    open_menu_link(page, "Actions et bilan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les actions du contrat")
    page.get_by_role("link", name="Proposer une action").click()
    assert_no_axe_violations(page)
    assert_fits(page)

    page.get_by_label("Intitulé").fill("Séjour montagne construit par les jeunes")
    page.get_by_label("Description courte").fill(
        "Les jeunes préparent un séjour de trois jours : budget, menus, itinéraire."
    )
    page.get_by_label("Priorité du contrat").select_option(index=1)
    page.get_by_label("Budget prévu (euros)").fill("8 000")
    page.locator("#id_fundings-0-funder").select_option(label="État")
    page.locator("#id_fundings-0-planned").fill("4 000 €")
    page.locator("#id_indicators-0-label").fill("Jeunes partis")
    page.locator("#id_indicators-0-unit").select_option(label="jeunes")
    page.locator("#id_indicators-0-target").fill("12")
    # A negative amount is said next to its field, and what was typed stays.
    page.locator("#id_fundings-1-funder").select_option(label="Commune")
    page.locator("#id_fundings-1-planned").fill("-50")
    page.get_by_role("button", name="Proposer l'action").click()
    expect(page.get_by_text("Un montant ne peut pas être négatif.").first).to_be_visible()
    expect(page.get_by_label("Intitulé")).to_have_value("Séjour montagne construit par les jeunes")
    assert_no_axe_violations(page)
    page.locator("#id_fundings-1-planned").fill("1 500")
    page.get_by_role("button", name="Proposer l'action").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Séjour montagne construit par les jeunes"
    )
    expect(page.get_by_text("Cette action est proposée")).to_be_visible()
    expect(page.get_by_text("8\u00a0000\u00a0€")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Commune"))).to_contain_text("1\u00a0500\u00a0€")
    assert_no_axe_violations(page)
    assert_fits(page)
    url = page.url

    organiser = new_page(viewport=VIEWPORTS[viewport])
    log_in(organiser, "organisateur@demo.test")
    organiser.goto(url)
    organiser.get_by_role("button", name="Programmée").click()
    expect(organiser.get_by_text("L'action est maintenant « Programmée ».")).to_be_visible()
    expect(
        organiser.get_by_role("heading", level=2, name="Journal des modifications")
    ).to_be_visible()
    assert_no_axe_violations(organiser)

    resident = new_page(viewport=VIEWPORTS[viewport])
    resident.goto("/actions/")
    resident.get_by_role("link", name="Séjour montagne construit par les jeunes").click()
    expect(resident.get_by_text("Programmée").first).to_be_visible()
    # The amounts of one action are for partners; the bilan gives the totals.
    expect(resident.get_by_text("8\u00a0000\u00a0€")).to_have_count(0)
    resident.get_by_role("link", name=f"Le bilan {year}").first.click()
    expect(resident.get_by_role("heading", level=1)).to_contain_text(str(year))
    expect(resident.get_by_text("8\u00a0000").first).to_be_visible()
    assert_no_axe_violations(resident)
    assert_fits(resident)
