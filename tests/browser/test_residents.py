"""A resident, without an account, on a phone: from the home page, through the
menu, to the published results and projects of a rencontre; the public pages fit
a 320 px screen and have no axe violation."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.enums import EditionStatus
from events.models import Edition
from workgroups.enums import JuryPhase
from workgroups.models import ProjectSheet, Workgroup, WorkshopSettings

from .axe import assert_no_axe_violations

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}


def edition(year: int, title: str, **fields) -> Edition:
    return Edition.objects.create(
        year=year,
        title=title,
        date=datetime.date(year, 6, 12),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(17, 0),
        venue_name="Le Scarabée",
        capacity=100,
        **fields,
    )


@pytest.fixture
def published(transactional_db):
    """Last year's rencontre, its results and projects public; this year's, still
    scoring (its results must not show); and the next one, announced."""
    past = edition(2024, "Rencontre des partenaires 2024", status=EditionStatus.ARCHIVED)
    for number, (name, title) in enumerate(
        [("Mobilité", "Cap sur le permis"), ("Sport", "Sport au féminin")], start=1
    ):
        group = Workgroup.objects.create(edition=past, number=number, name=name)
        ProjectSheet.objects.create(workgroup=group, title=title, need="Des jeunes sans permis.")
    WorkshopSettings.objects.create(
        edition=past,
        phase=JuryPhase.PUBLISHED,
        results_public=True,
        gallery_public=True,
        published_at=timezone.now(),
    )
    scoring = edition(2025, "Rencontre des partenaires 2025", status=EditionStatus.CLOSED)
    Workgroup.objects.create(edition=scoring, number=1, name="Emploi")
    WorkshopSettings.objects.create(
        edition=scoring, phase=JuryPhase.SCORING, results_public=True, gallery_public=True
    )
    Edition.objects.create(
        year=2031,
        title="Rencontre des partenaires 2031",
        date=timezone.localdate() + datetime.timedelta(days=30),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(17, 0),
        venue_name="La Soierie",
        capacity=100,
        status=EditionStatus.OPEN,
    )
    return past


def open_menu_link(page, name: str):
    """The link of the main navigation, behind the menu button on a phone if there is one."""
    link = page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name=name, exact=True
    )
    if not link.is_visible():
        toggle = page.locator(
            "header button[aria-expanded], header summary, header [aria-controls]"
        ).filter(has_text=re.compile("menu", re.IGNORECASE))
        toggle.first.click()
    expect(link).to_be_visible()
    return link


def assert_fits(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def test_anonymous_resident_reaches_published_results_from_the_home_page(new_page, published):
    page = new_page(viewport=PHONE)
    page.goto("/")
    expect(page.get_by_role("link", name="La prochaine rencontre")).to_be_visible()
    assert_no_axe_violations(page)

    open_menu_link(page, "Ateliers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ateliers")
    expect(page).to_have_url(re.compile(r"/ateliers/$"))  # not the login page
    expect(page.get_by_role("link", name=re.compile("2025"))).to_have_count(0)
    assert_no_axe_violations(page)
    assert_fits(page)

    page.get_by_role("link", name="Les résultats du jury de 2024").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Résultats du jury : Rencontre des partenaires 2024"
    )
    expect(page.get_by_role("table")).to_contain_text("Cap sur le permis")
    assert_no_axe_violations(page)
    assert_fits(page)


def test_edition_page_leads_to_the_projects_of_its_workshops(new_page, published):
    page = new_page(viewport=PHONE)
    page.goto("/rencontres/2024/")

    page.get_by_role("link", name="Les projets des groupes").click()

    expect(page.get_by_role("heading", name="Sport au féminin")).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)


@pytest.mark.parametrize(
    "path",
    ["/", "/ateliers/", "/ateliers/2024/resultats/", "/ateliers/2024/projets/", "/glossaire/"],
)
def test_public_pages_fit_a_small_phone_without_axe_violation(new_page, published, path):
    page = new_page(viewport=SMALL_PHONE)
    page.goto(path)

    assert_fits(page)
    assert_no_axe_violations(page)


def test_glossary_explains_an_acronym_met_on_a_page(new_page, published):
    page = new_page(viewport=PHONE)
    page.goto("/")

    page.get_by_role("link", name="Les mots du contrat de ville").click()

    expect(page.locator("#cotech")).to_have_text("Comité technique (COTECH)")
