"""A partner's training journey, on a phone and on a desktop: the catalogue, a training,
a sign-up to its open session; an organiser checks them in on the day; the partner then
downloads the attendance certificate from the manage link."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contrat_ville.enums import Role
from events.enums import RegistrationStatus, TrainingStatus
from events.models import Registration
from tests.factories import TEST_PASSWORD, SessionFactory, TrainingFactory, UserFactory

from .axe import assert_no_axe_violations
from .journeys import log_in

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture
def training(transactional_db):
    training = TrainingFactory(
        title="Animer une réunion publique",
        slug="animer-une-reunion",
        theme="Participation des habitants",
        summary="Préparer, animer et restituer une réunion de quartier.",
    )
    TrainingFactory(title="Brouillon secret", status=TrainingStatus.DRAFT)
    SessionFactory(
        training=training,
        title="Animer une réunion publique",
        date=timezone.localdate() + datetime.timedelta(days=21),
        capacity=12,
    )
    return training


@pytest.fixture
def partner(transactional_db):
    return UserFactory(
        email="partenaire@example.test",
        first_name="Awa",
        last_name="Diop",
        roles=[Role.COTECH],
    )


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_partner_signs_up_is_checked_in_and_downloads_the_certificate(
    new_page, demo_accounts, training, partner, settings, viewport
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    page = new_page(viewport=viewport)
    log_in(page, partner.email, TEST_PASSWORD)

    # The catalogue: published trainings only, accessible.
    page.goto("/formations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se former ensemble")
    expect(page.get_by_text("Brouillon secret")).to_have_count(0)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Animer une réunion publique").click()

    # The training's page lists its session.
    expect(page.get_by_role("heading", level=1)).to_have_text("Animer une réunion publique")
    assert page.url.endswith("/formations/animer-une-reunion/")
    assert_no_axe_violations(page)
    page.locator(".cards .card__title a").first.click()

    # The session's page and its registration form, filled in from the account.
    page.get_by_role("link", name="S'inscrire").click()
    expect(page.get_by_label("Prénom")).to_have_value("Awa")
    expect(page.get_by_label("Adresse e-mail")).to_have_value(partner.email)
    page.get_by_label("Structure").fill("Centre social du Biollay")
    page.get_by_label("Vous venez en tant que").select_option(Role.COTECH.value)
    page.get_by_label("Oui").check()
    page.get_by_label("J'ai lu la notice de confidentialité de l'inscription").check()
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_load_state()

    # Their own address: the registration is shown at once.
    expect(page.get_by_text("Votre place est confirmée.")).to_be_visible()
    registration = Registration.objects.get()
    assert registration.user == partner
    assert registration.status == RegistrationStatus.CONFIRMED
    manage = page.url
    assert manage.endswith(f"/rencontres/inscription/{registration.token}/")
    expect(page.get_by_role("link", name=re.compile("attestation de présence"))).to_have_count(0)

    # On the day, an organiser checks them in from the reception page.
    desk = new_page(viewport=viewport)
    log_in(desk, "organisateur@demo.test")
    desk.goto(registration.edition.url("checkin"))
    desk.get_by_label("Nom ou structure").fill("diop")
    desk.get_by_role("button", name="Chercher").click()
    desk.get_by_role("button", name=re.compile("^Noter l'arrivée")).click()
    expect(
        desk.get_by_text(re.compile(r"Awa Diop : arrivée enregistrée à \d+ h \d\d\."))
    ).to_be_visible()
    registration.refresh_from_db()
    assert registration.checked_in_at is not None

    # Back on the manage link, the certificate is there to download.
    page.goto(manage)
    link = page.get_by_role("link", name="Télécharger mon attestation de présence (PDF)")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == (
        f"attestation-{registration.edition.file_stem}.pdf"
    )
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_catalogue_and_training_fit_a_small_phone(new_page, training):
    page = new_page(viewport={"width": 320, "height": 640})
    for path in ("/formations/", "/formations/animer-une-reunion/"):
        response = page.goto(path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
        assert_no_axe_violations(page)
