""" "Mon quartier" in a real browser: a resident on a phone finds their neighbourhood, with and
without JavaScript; the map is drawn from our own files only; an organiser loads a perimeter
and uploads a contour on a desktop."""

import json
import re

import pytest
from playwright.sync_api import expect
from shapely.geometry import shape

from contrat_ville.models import Territory
from neighbourhoods.services import perimeter_load, perimeter_plan

from .axe import assert_no_axe_violations
from .journeys import log_in
from .test_residents import PHONE, SMALL_PHONE, assert_fits

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def perimeter(transactional_db):
    perimeter_load(by=None, plan=perimeter_plan(epci="200069110"))


def _inside(code: str) -> tuple[float, float]:
    contour = Territory.objects.get(code=code).contour
    point = shape({"type": "MultiPolygon", "coordinates": contour}).representative_point()
    return point.x, point.y


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_resident_finds_their_neighbourhood_from_the_home_page(new_page, perimeter, viewport):
    page = new_page(viewport=viewport)
    page.goto("/")
    page.get_by_role("link", name="Mon quartier").last.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon quartier")
    # JavaScript runs: the SVG map became a Leaflet map, drawn from our static files only.
    expect(page.locator(".leaflet-container")).to_have_count(1)
    assert_no_axe_violations(page)
    assert_fits(page)

    lon, lat = _inside("QN07302M")
    page.get_by_label("Votre adresse ou votre rue").fill(f"{lat:.5f}, {lon:.5f}")
    page.get_by_role("button", name="Chercher").click()

    answer = page.get_by_text("Cette adresse est dans le quartier « Les Hauts de Chambéry »")
    expect(answer).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("Voir la page du quartier Les Hauts", re.I)).click()

    # The national file says "Les Hauts De Chambéry"; the seeded row, "de": either may be here.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Les Hauts de Chambéry", re.IGNORECASE)
    )
    expect(page.get_by_text("Un quartier prioritaire est un quartier")).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)


def test_without_javascript_the_map_is_an_svg_with_links(new_page, perimeter):
    page = new_page(viewport=SMALL_PHONE, java_script_enabled=False)
    page.goto("/quartiers/")

    svg = page.locator("figure svg")
    expect(svg).to_be_visible()
    expect(page.locator(".leaflet-container")).to_have_count(0)
    area = svg.get_by_role("link", name=re.compile("Biollay - Bellevue"))
    expect(area).to_have_count(1)
    assert_fits(page)

    # Each area is a link the keyboard reaches.
    area.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Biollay - Bellevue")
    assert_fits(page)


def test_finder_says_so_when_an_address_is_outside_every_neighbourhood(new_page, perimeter):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto("/quartiers/trouver/")
    page.get_by_label("Votre adresse ou votre rue").fill("45.5646, 5.9178")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_text("n'est dans aucun quartier prioritaire")).to_be_visible()
    page.get_by_label("Votre adresse ou votre rue").fill("12 rue du Biollay")
    page.get_by_role("button", name="Chercher").click()
    # The address service is off here: said next to the field, and what was typed stays.
    expect(page.get_by_label("Votre adresse ou votre rue")).to_have_value("12 rue du Biollay")
    expect(page.get_by_text("La recherche par adresse n'est pas activée").first).to_be_visible()


@pytest.mark.parametrize("path", ["/quartiers/", "/quartiers/biollay-bellevue/"])
def test_the_svg_map_passes_axe(new_page, perimeter, path):
    """The map as a browser without JavaScript gets it (axe itself needs JavaScript: the
    page keeps it, only the map's enhancement is kept from loading)."""
    page = new_page(viewport=SMALL_PHONE)
    page.route(re.compile(r".*/(map|leaflet)[^/]*\.js$"), lambda route: route.abort())
    page.goto(path)
    expect(page.locator("figure svg")).to_be_visible()
    expect(page.locator(".leaflet-container")).to_have_count(0)
    assert_no_axe_violations(page)
    assert_fits(page)


def test_organiser_loads_a_perimeter_and_uploads_a_contour(
    new_page, demo_accounts, tmp_path, settings
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    page = new_page(viewport=DESKTOP)
    log_in(page, "organisateur@demo.test")
    page.goto("/quartiers/perimetre/")
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name=re.compile("^Intercommunalité")).fill("Chambéry")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("link", name="CA du Grand Chambéry").click()
    expect(page.get_by_text("38 communes")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Charger CA du Grand Chambéry").click()
    expect(page.get_by_text("Périmètre chargé")).to_be_visible()

    page.goto("/territoires/ajouter/")
    page.get_by_label("Type").select_option(label="Quartier de veille active (QVA)")
    page.get_by_role("textbox", name=re.compile("^Nom")).fill("Le Covet")
    page.get_by_role("button", name="Ajouter le territoire").click()
    page.goto("/quartiers/perimetre/")
    page.get_by_role("link", name="Déposer un contour Le Covet").click()

    bad = tmp_path / "faux.geojson"
    bad.write_text(json.dumps({"type": "Point", "coordinates": [5.9, 45.5]}))
    page.get_by_label("Fichier du contour (GeoJSON)").set_input_files(bad)
    page.get_by_role("button", name="Enregistrer le contour").click()
    field = page.get_by_label("Fichier du contour (GeoJSON)")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page)

    good = tmp_path / "covet.geojson"
    ring = [[5.93, 45.56], [5.935, 45.56], [5.935, 45.565], [5.93, 45.565], [5.93, 45.56]]
    good.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    page.get_by_label("Fichier du contour (GeoJSON)").set_input_files(good)
    page.get_by_role("button", name="Enregistrer le contour").click()
    expect(page.get_by_text("Contour de « Le Covet » enregistré.")).to_be_visible()
