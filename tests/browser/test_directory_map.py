"""The directory's maps in a real browser, on the demo's data: the map page with and without
JavaScript, a profile's map, a neighbourhood's actors; axe, no sideways scrolling, nothing
loaded from another host, no inline code (the fixtures of tests/browser check the last two)."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from contrat_ville.demo import seed_accounts
from neighbourhoods.demo import seed_perimeter
from partners.demo import seed_actors

from .axe import assert_no_axe_violations
from .test_residents import PHONE, SMALL_PHONE, assert_fits

DESKTOP = {"width": 1366, "height": 900}
# A live-server test empties every table when it ends: the reference rows come back here.
REFERENCE_SEEDS = (
    "contrat_ville.migrations.0003_seed_territories",
    "partners.migrations.0003_seed_taxonomy",
)


@pytest.fixture
def directory(transactional_db):
    for module in REFERENCE_SEEDS:
        importlib.import_module(module).seed(apps, None)
    seed_accounts()
    seed_perimeter()
    seed_actors()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_map_page_from_the_list_keeps_the_search(new_page, directory, viewport):
    page = new_page(viewport=viewport)
    page.goto("/annuaire/?territoire=biollay-bellevue")
    page.get_by_role("link", name="Carte", exact=True).click()

    expect(page).to_have_url(re.compile(r"/annuaire/carte/\?territoire=biollay-bellevue$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte de l'annuaire")
    expect(page.locator(".leaflet-container")).to_have_count(1)
    expect(page.get_by_text(re.compile(r"^\d+ structures sur la carte$"))).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)

    page.get_by_role("link", name="Liste", exact=True).click()
    expect(page).to_have_url(re.compile(r"/annuaire/\?territoire=biollay-bellevue$"))


def test_without_javascript_the_map_page_is_an_svg_with_links(new_page, directory):
    page = new_page(viewport=SMALL_PHONE, java_script_enabled=False)
    page.goto("/annuaire/carte/")

    svg = page.locator("figure svg")
    expect(svg).to_be_visible()
    expect(page.locator(".leaflet-container")).to_have_count(0)
    assert_fits(page)
    # The filters work as a plain form.
    page.get_by_text("Filtrer").click()
    page.get_by_label("Situés dans le territoire (leur adresse)").check()
    page.get_by_label(re.compile(r"^Les Hauts de Chambéry")).check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"acteurs=situes"))
    marker = svg.get_by_role("link", name="Centre social des Hauts de Chambéry")
    expect(marker).to_have_count(1)
    marker.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre social des Hauts de Chambéry")
    expect(page.get_by_text("Son adresse est dans le quartier prioritaire")).to_be_visible()
    assert_fits(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_profile_map_and_neighbourhood_actors_pass_axe(new_page, directory, viewport):
    page = new_page(viewport=viewport)
    page.goto("/annuaire/maison-des-jeunes-du-biollay/")

    expect(page.get_by_role("heading", name="Sur la carte")).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)

    page.locator(".actor-location__where").get_by_role("link", name="Biollay - Bellevue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Biollay - Bellevue")
    expect(page.get_by_role("heading", name="Les acteurs du quartier")).to_be_visible()
    # Each theme opens on a tap; the youth centre is under "Jeunesse".
    page.locator("summary", has_text="Jeunesse").click()
    expect(page.get_by_role("link", name="Maison des jeunes du Biollay").first).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)
