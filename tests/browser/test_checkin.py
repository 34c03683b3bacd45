"""Check-in on the day, on a phone: the search at the top, five people in sight, big targets."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.enums import EditionStatus, RegistrationStatus
from events.models import Edition, Registration

from .axe import assert_no_axe_violations
from .journeys import log_in

PHONE = {"width": 390, "height": 844}
SMALLEST = {"width": 320, "height": 640}
TARGET = 44
ORGANISATIONS = [
    "Centre social du Biollay",
    "Mission locale jeunes de Chambéry",
    "",
    "Conseil citoyen des Hauts de Chambéry",
]


@pytest.fixture
def edition(transactional_db):
    return Edition.objects.create(
        year=2031,
        title="Rencontre des partenaires 2031",
        date=timezone.localdate(),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(17, 0),
        venue_name="Le Scarabée",
        venue_address="Chambéry",
        capacity=40,
        status=EditionStatus.OPEN,
    )


@pytest.fixture
def guests(edition):
    """Eight confirmed Martins, one already there, with organisations of all lengths."""
    people = [
        Registration.objects.create(
            edition=edition,
            first_name=first_name,
            last_name="Martin",
            email=f"{first_name.lower()}.martin@example.org",
            college="conseil_citoyen",
            organisation=ORGANISATIONS[number % len(ORGANISATIONS)],
            status=RegistrationStatus.CONFIRMED,
        )
        for number, first_name in enumerate(
            ["Alix", "Camille", "Dominique", "Eden", "Maxime", "Noa", "Sacha", "Yannick"]
        )
    ]
    Registration.objects.filter(pk=people[1].pk).update(checked_in_at=timezone.now())
    return people


@pytest.fixture
def host(new_page, demo_accounts, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False

    def open_as_host(viewport):
        page = new_page(viewport=viewport)
        log_in(page, "organisateur@demo.test")
        return page

    return open_as_host


def search(page, words):
    page.get_by_label("Nom ou structure").fill(words)
    page.get_by_role("button", name="Chercher").click()
    expect(page.locator(".checkin-row")).not_to_have_count(0)


def test_checkin_on_a_phone_shows_five_people_above_the_fold(host, guests):
    page = host(PHONE)
    page.goto("/rencontres/2031/accueil/")
    search_box = page.get_by_label("Nom ou structure")
    # The search comes first: nothing but the title above it.
    assert search_box.bounding_box()["y"] < page.locator(".checkin-counter").bounding_box()["y"]
    search(page, "martin")

    rows = page.locator(".checkin-row")
    expect(rows).to_have_count(8)
    visible = [
        box
        for box in (row.bounding_box() for row in rows.all())
        if box["y"] + box["height"] <= PHONE["height"]
    ]
    assert len(visible) >= 5, f"{len(visible)} people above the fold"

    # Touch targets: the search, its button, every "Noter l'arrivée" and every name.
    targets = [search_box, page.get_by_role("button", name="Chercher")]
    targets += page.get_by_role("button", name=re.compile("^Noter l'arrivée")).all()
    targets += page.locator(".checkin-row__who").all()
    assert len(targets) == 2 + 7 + 8
    for target in targets:
        box = target.bounding_box()
        assert box["height"] >= TARGET, (target, box)
        assert box["width"] >= TARGET, (target, box)

    camille = rows.filter(has_text="Camille")
    expect(camille.locator(".badge")).to_have_text(re.compile(r"^Présence notée à \d+ h \d\d$"))
    expect(camille.get_by_role("button")).to_have_count(0)
    expect(rows.filter(has_text="Alix").locator(".badge")).to_have_count(0)
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Noter l'arrivée : Alix Martin").click()

    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"Alix Martin : arrivée enregistrée à \d+ h \d\d\.")
    )
    # Back on the same search, ready for the next person.
    expect(page.get_by_label("Nom ou structure")).to_have_value("martin")
    expect(rows.filter(has_text="Alix").locator(".badge")).to_have_text(
        re.compile(r"^Présence notée à")
    )
    assert Registration.objects.get(first_name="Alix").checked_in_at is not None


def test_checkin_at_320_px_does_not_scroll_sideways(host, guests):
    page = host(SMALLEST)
    page.goto("/rencontres/2031/accueil/?q=martin")
    expect(page.locator(".checkin-row")).to_have_count(8)
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALLEST["width"]

    page.get_by_role("link", name=re.compile("^Martin Alix")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Alix Martin")
    expect(page.get_by_text("Inscription confirmée")).to_be_visible()
    button = page.get_by_role("button", name="Enregistrer l'arrivée")
    assert button.bounding_box()["height"] >= TARGET
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALLEST["width"]
    assert_no_axe_violations(page)
