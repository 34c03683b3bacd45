"""The rencontre's main journeys: register through the form, fill the waiting
list, cancel and see the promotion; check people in on the day."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import expect

from events.enums import EditionStatus, RegistrationStatus
from events.models import Edition, Registration

from .axe import assert_no_axe_violations
from .journeys import log_in


@pytest.fixture
def edition(transactional_db):
    return Edition.objects.create(
        year=2031,
        title="Rencontre des partenaires 2031",
        date=timezone.localdate() + datetime.timedelta(days=60),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(17, 0),
        venue_name="Le Scarabée",
        venue_address="Chambéry",
        capacity=2,
        status=EditionStatus.OPEN,
    )


def register(page, first_name, last_name, *, listed=False):
    page.goto("/rencontres/2031/inscription/")
    page.get_by_label("Prénom").fill(first_name)
    page.get_by_label("Nom :", exact=True).fill(last_name)
    page.get_by_label("Adresse e-mail").fill(f"{slugify(first_name)}@example.org")
    page.get_by_label("Structure").fill("Centre social du Biollay")
    page.get_by_label("Vous venez en tant que").select_option(label="Conseil citoyen")
    page.get_by_label("Oui").check()
    if listed:
        page.get_by_label("Je souhaite figurer sur la liste des participants").check()
    page.get_by_label("J'ai lu la notice de confidentialité de l'inscription").check()
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_load_state()
    # The page says to read the e-mail, which carries the status and the manage link.
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci ! Regardez vos e-mails")
    address = f"{slugify(first_name)}@example.org"
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return re.search(r"https?://[^/\s]+(/rencontres/inscription/\S+)", message.body).group(1)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_register_fill_waiting_list_cancel_and_promotion(new_page, edition, javascript):
    page = new_page(java_script_enabled=javascript)
    page.goto("/rencontres/2031/")
    expect(page.get_by_text("Il reste 2 places.")).to_be_visible()
    page.get_by_role("link", name="S'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("S'inscrire à la rencontre")
    if javascript:
        assert_no_axe_violations(page)

    # A mistake first: the error is next to the field and nothing typed is lost.
    page.get_by_label("Prénom").fill("Awa")
    page.get_by_role("button", name="M'inscrire").click()
    expect(
        page.get_by_text("Cochez cette case pour confirmer que vous avez lu la notice.", exact=True)
    ).to_be_visible()
    expect(page.get_by_label("Prénom")).to_have_value("Awa")
    if javascript:
        assert_no_axe_violations(page)

    first = register(page, "Awa", "Diop")
    if javascript:
        assert_no_axe_violations(page)
    page.goto(first)
    expect(page.get_by_text("Votre place est confirmée.")).to_be_visible()
    if javascript:
        assert_no_axe_violations(page)
    register(page, "Bruno", "Martin")
    waiting_url = register(page, "Chloé", "Nguyen")
    expect(page.get_by_text("La rencontre est complète")).to_be_visible()
    page.goto(waiting_url)
    expect(
        page.get_by_text("Vous êtes sur la liste d'attente, en position 1.", exact=True)
    ).to_be_visible()
    assert Registration.objects.get(email="chloe@example.org").status == RegistrationStatus.WAITING

    # Awa cancels from her manage link: Chloé gets the seat at once.
    page.goto(first)
    page.get_by_role("link", name="Annuler mon inscription").click()
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(page.get_by_text("Cette inscription est annulée.")).to_be_visible()
    page.goto(waiting_url)
    expect(page.get_by_text("Votre place est confirmée.")).to_be_visible()
    assert list(
        Registration.objects.filter(status=RegistrationStatus.CONFIRMED)
        .order_by("last_name")
        .values_list("first_name", flat=True)
    ) == ["Bruno", "Chloé"]


def test_organiser_checks_a_person_in_twice(page, demo_accounts, edition, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    Registration.objects.create(
        edition=edition,
        first_name="Awa",
        last_name="Diop",
        email="awa@example.org",
        college="conseil_citoyen",
        status=RegistrationStatus.CONFIRMED,
    )
    log_in(page, "organisateur@demo.test")
    page.goto("/rencontres/2031/accueil/")
    page.get_by_label("Nom ou structure").fill("diop")
    page.get_by_role("button", name="Chercher").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name=re.compile("^Noter l'arrivée")).click()
    expect(
        page.get_by_text(re.compile(r"Awa Diop : arrivée enregistrée à \d+ h \d\d\."))
    ).to_be_visible()
    arrived = Registration.objects.get().checked_in_at
    assert arrived is not None

    # The badge's QR code opens the same person; a second tap changes nothing.
    page.goto(f"/rencontres/2031/accueil/{Registration.objects.get().checkin_code}/")
    expect(page.get_by_text(re.compile(r"Arrivée déjà notée à \d+ h \d\d\."))).to_be_visible()
    assert_no_axe_violations(page)
    assert Registration.objects.get().checked_in_at == arrived


def test_organiser_pages_have_no_axe_violation(page, demo_accounts, edition, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    edition.programme.create(starts_at=datetime.time(9, 15), title="Ouverture", kind="plenary")
    for number, status in enumerate(["confirmed", "confirmed", "waiting", "cancelled"]):
        Registration.objects.create(
            edition=edition,
            first_name=f"Prénom{number}",
            last_name=f"Nom{number}",
            email=f"p{number}@example.org",
            college="conseil_citoyen",
            status=status,
            queued_at=timezone.now() if status == "waiting" else None,
        )
    log_in(page, "organisateur@demo.test")
    for path in (
        "/rencontres/",
        "/rencontres/2031/",
        "/rencontres/2031/participants/",
        "/rencontres/2031/gestion/",
        "/rencontres/2031/gestion/inscriptions/",
        "/rencontres/2031/gestion/inscriptions/ajouter/",
        f"/rencontres/2031/gestion/inscriptions/{Registration.objects.first().pk}/",
        "/rencontres/2031/gestion/parametres/",
        "/rencontres/2031/gestion/programme/",
        "/rencontres/2031/gestion/copier/",
        "/rencontres/2031/gestion/inviter/",
        "/rencontres/2031/gestion/import/",
        "/rencontres/2031/accueil/sur-place/",
        "/rencontres/comparaison/",
        "/rencontres/nouvelle/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert_no_axe_violations(page)
