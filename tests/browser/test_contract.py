"""A resident, without an account, on a phone: from the home page, through the menu, to
the contract's priorities, then one priority's page and one body's page. No axe violation,
nothing wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from contract.demo import seed_contract
from contrat_ville.demo import seed_accounts
from partners.demo import seed_actors

from .axe import assert_no_axe_violations
from .test_residents import assert_fits, open_menu_link

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def contract(transactional_db):
    seed_accounts()
    seed_contract()
    seed_actors()


def test_resident_reads_the_priorities_and_opens_one(new_page, contract):
    page = new_page(viewport=PHONE)
    page.goto("/")

    open_menu_link(page, "Le contrat").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Le contrat de ville, en clair")
    expect(page).to_have_url(re.compile(r"/contrat/$"))
    expect(page.get_by_text("Contenu de démonstration")).to_be_visible()
    priorities = page.get_by_role("region", name="Les priorités du contrat")
    expect(priorities.get_by_role("heading", level=3)).to_have_count(7)
    assert_no_axe_violations(page)
    assert_fits(page)

    priorities.get_by_role("link", name="Jeunesse").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Jeunesse")
    expect(page.get_by_role("heading", name="Ses objectifs")).to_be_visible()
    expect(page.get_by_role("link", name="Mission locale jeunes de Chambéry")).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)

    page.get_by_role("link", name="Le contrat", exact=True).first.click()
    page.get_by_role("link", name="Comité technique (COTECH)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Comité technique (COTECH)")
    expect(page.get_by_role("heading", name="Les structures qui y siègent")).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)
