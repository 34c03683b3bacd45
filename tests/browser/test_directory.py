"""The directory's main journeys: search and filter, profiles, upkeep, moderation."""

import importlib
import re

import pytest
from django.apps import apps
from django.utils import formats, translation
from playwright.sync_api import expect

from contrat_ville.models import Territory, User
from partners.enums import ActorStatus, MembershipRole
from partners.models import Competence, Membership, Public
from partners.services import actor_contacts_set, actor_create

from .axe import assert_no_axe_violations
from .journeys import log_in

# Data migrations whose rows the tests need. A live-server test empties every table
# when it ends, so a test that runs after another one would find no territory.
REFERENCE_SEEDS = (
    "contrat_ville.migrations.0003_seed_territories",
    "partners.migrations.0003_seed_taxonomy",
)
SEARCH_LABEL = "Rechercher une structure, une compétence, un mot"
YOUTH_CENTRE = "Maison des jeunes du Biollay"
CONTACT_NAME = "Lucie Fontaine"
CONTACT_EMAIL = "lucie.fontaine@mdj-biollay.test"


@pytest.fixture
def reference_data(transactional_db):
    """Territories, themes, competences and publics, as the migrations seed them."""
    for module in REFERENCE_SEEDS:
        importlib.import_module(module).seed(apps, None)


def make_actor(
    name,
    *,
    summary,
    territories=(),
    competences=(),
    publics=(),
    status=ActorStatus.PUBLISHED,
    **fields,
):
    """Build an actor through the service, so its search fields are filled as in real use."""
    return actor_create(
        by=None,
        data={"name": name, "kind": "association", "summary": summary, **fields},
        territories=[Territory.objects.get(slug=s) for s in territories],
        competences=[Competence.objects.get(slug=s) for s in competences],
        publics=[Public.objects.get(slug=s) for s in publics],
        status=status,
    )


@pytest.fixture
def youth_centre(reference_data):
    """Four published actors: two youth ones in two neighbourhoods, two family ones.

    Returns the youth centre of Biollay - Bellevue, which has a contact person.
    """
    actor = make_actor(
        YOUTH_CENTRE,
        summary="Accueil libre, sorties et chantiers pour les 11-17 ans du quartier.",
        territories=["biollay-bellevue"],
        competences=["accueil-jeunes"],
        publics=["jeunes"],
        town="Chambéry",
    )
    actor_contacts_set(
        by=None,
        actor=actor,
        contacts=[
            {
                "name": CONTACT_NAME,
                "function": "Coordinatrice",
                "email": CONTACT_EMAIL,
                "phone": "04 79 00 11 22",
            }
        ],
    )
    make_actor(
        "Espace jeunes des Hauts",
        summary="Animations et soutien aux projets des adolescents des Hauts de Chambéry.",
        territories=["hauts-de-chambery"],
        competences=["accueil-jeunes"],
        publics=["jeunes"],
    )
    make_actor(
        "Café des parents",
        summary="Un lieu d'échange entre parents, avec une puéricultrice une fois par mois.",
        territories=["biollay-bellevue"],
        competences=["parentalite"],
        publics=["familles"],
    )
    make_actor(
        "Centre social des Combes",
        summary="Activités familiales, aide aux démarches et accueil de loisirs.",
        territories=["chambery"],
        competences=["parentalite"],
        publics=["familles"],
    )
    return actor


def result_count(page):
    return page.locator("#result-count")


def result_names(page) -> list[str]:
    """Names of the listed actors, sorted: the ranking may differ between databases."""
    return sorted(page.locator(".actor-list").get_by_role("heading", level=3).all_inner_texts())


def search(page, words: str) -> None:
    page.get_by_label(SEARCH_LABEL).fill(words)
    page.get_by_role("button", name="Rechercher", exact=True).click()


def territory_option(page, name: str):
    return page.get_by_role("group", name="Territoire").get_by_label(name)


def verified_on(actor) -> str:
    with translation.override("fr"):
        return formats.date_format(actor.last_verified_on, "j F Y")


def expect_public_profile(page, actor) -> None:
    """The youth centre's profile as someone who may not see contact persons."""
    expect(page.get_by_role("heading", level=1)).to_have_text(YOUTH_CENTRE)
    expect(page.get_by_text(f"Vérifié le {verified_on(actor)}")).to_be_visible()
    expect(page.get_by_role("region", name="Où la structure agit")).to_contain_text(
        "Biollay - Bellevue"
    )
    competences = page.get_by_role("region", name="Compétences")
    expect(competences.get_by_role("heading", level=3)).to_have_text("Jeunesse")
    expect(competences.get_by_role("listitem")).to_have_text(["Accueil et animation jeunesse"])
    expect(page.get_by_role("region", name="Personnes contact")).to_contain_text(
        "Les personnes contact sont visibles des partenaires connectés."
    )
    expect(page.get_by_text(CONTACT_NAME)).to_have_count(0)
    expect(page.get_by_text(CONTACT_EMAIL)).to_have_count(0)


def test_directory_resident_searches_filters_and_opens_a_profile(page, youth_centre):
    page.goto("/annuaire/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des partenaires")
    expect(result_count(page)).to_have_text("4 acteurs")
    assert_no_axe_violations(page)

    # htmx updates the results in place: a value set on the window survives.
    page.evaluate("window.stillTheSamePage = true")
    search(page, "jeunesse")

    expect(page).to_have_url(re.compile(r"[?&]q=jeunesse(&|$)"))
    expect(result_count(page)).to_have_text("2 acteurs")
    assert result_names(page) == ["Espace jeunes des Hauts", YOUTH_CENTRE]
    assert_no_axe_violations(page)

    territory_option(page, "Biollay - Bellevue").check()

    expect(result_count(page)).to_have_text("1 acteur")
    expect(page).to_have_url(re.compile(r"[?&]territoire=biollay-bellevue(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]q=jeunesse(&|$)"))
    assert result_names(page) == [YOUTH_CENTRE]
    # The box was swapped with the region: keyboard users keep their place.
    expect(territory_option(page, "Biollay - Bellevue")).to_be_checked()
    expect(territory_option(page, "Biollay - Bellevue")).to_be_focused()
    expect(page.get_by_role("list", name="Filtres appliqués").get_by_role("link")).to_have_text(
        [
            "Retirer le filtre : « jeunesse »",
            "Retirer le filtre : Biollay - Bellevue",
            "Tout effacer",
        ]
    )
    assert page.evaluate("window.stillTheSamePage") is True
    assert_no_axe_violations(page)

    page.get_by_role("link", name=YOUTH_CENTRE).click()

    expect(page).to_have_url(re.compile(r"/annuaire/maison-des-jeunes-du-biollay/$"))
    expect_public_profile(page, youth_centre)
    assert_no_axe_violations(page)


def test_directory_without_javascript_gives_the_same_results_and_shareable_links(
    new_page, youth_centre
):
    page = new_page(java_script_enabled=False)
    page.goto("/annuaire/")
    expect(result_count(page)).to_have_text("4 acteurs")

    search(page, "jeunesse")

    expect(page).to_have_url(re.compile(r"[?&]q=jeunesse(&|$)"))
    expect(result_count(page)).to_have_text("2 acteurs")
    assert result_names(page) == ["Espace jeunes des Hauts", YOUTH_CENTRE]

    # Without JavaScript the filters stay folded until asked for, and a ticked box
    # changes nothing until the form is sent.
    expect(territory_option(page, "Biollay - Bellevue")).to_be_hidden()
    page.get_by_text("Filtrer", exact=True).click()
    territory_option(page, "Biollay - Bellevue").check()
    expect(result_count(page)).to_have_text("2 acteurs")
    page.get_by_role("button", name="Appliquer les filtres").click()

    expect(result_count(page)).to_have_text("1 acteur")
    expect(page).to_have_url(re.compile(r"[?&]territoire=biollay-bellevue(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]q=jeunesse(&|$)"))
    assert result_names(page) == [YOUTH_CENTRE]

    shared = new_page(java_script_enabled=False)
    shared.goto(page.url)

    expect(result_count(shared)).to_have_text("1 acteur")
    assert result_names(shared) == [YOUTH_CENTRE]
    expect(shared.get_by_label(SEARCH_LABEL)).to_have_value("jeunesse")
    shared.get_by_text("Filtrer (1)", exact=True).click()
    expect(territory_option(shared, "Biollay - Bellevue")).to_be_checked()

    shared.get_by_role("link", name=YOUTH_CENTRE).click()

    expect_public_profile(shared, youth_centre)


def test_directory_partner_sees_contact_persons(page, youth_centre, demo_accounts):
    log_in(page, "cotech@demo.test")

    page.goto(f"/annuaire/{youth_centre.slug}/")

    contacts = page.get_by_role("region", name="Personnes contact")
    expect(contacts.get_by_role("listitem")).to_have_count(1)
    expect(contacts.get_by_role("listitem")).to_contain_text(f"{CONTACT_NAME}, Coordinatrice")
    expect(contacts.get_by_role("link", name=CONTACT_EMAIL)).to_have_attribute(
        "href", f"mailto:{CONTACT_EMAIL}"
    )
    expect(page.get_by_role("link", name="Modifier la fiche")).to_have_count(0)
    assert_no_axe_violations(page)


def test_directory_member_keeps_the_profile_up_to_date(page, youth_centre, demo_accounts):
    Membership.objects.create(
        actor=youth_centre,
        user=User.objects.get(email="association@demo.test"),
        role=MembershipRole.ADMIN,
    )
    log_in(page, "association@demo.test")
    page.goto(f"/annuaire/{youth_centre.slug}/")

    page.get_by_role("link", name="Modifier la fiche").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Modifier la fiche {YOUTH_CENTRE}")
    assert_no_axe_violations(page)
    summary = page.get_by_label("Présentation courte")
    expect(summary).to_have_value(youth_centre.summary)
    summary.fill("Accueil libre, sorties, chantiers et aide aux devoirs pour les 11-17 ans.")
    page.get_by_role("button", name="Enregistrer la fiche").click()

    expect(page).to_have_url(re.compile(rf"/annuaire/{youth_centre.slug}/$"))
    expect(page.get_by_role("status")).to_have_text("La fiche est enregistrée.")
    expect(page.locator(".lead")).to_have_text(
        "Accueil libre, sorties, chantiers et aide aux devoirs pour les 11-17 ans."
    )

    page.get_by_role("button", name="Les informations sont toujours à jour").click()

    expect(page.get_by_role("status")).to_have_text("Merci, la fiche est marquée à jour.")


def test_directory_member_sees_errors_next_to_fields_and_keeps_what_was_typed(
    page, youth_centre, demo_accounts
):
    Membership.objects.create(
        actor=youth_centre,
        user=User.objects.get(email="association@demo.test"),
        role=MembershipRole.ADMIN,
    )
    log_in(page, "association@demo.test")
    page.goto(f"/annuaire/{youth_centre.slug}/modifier/")

    page.get_by_label("Adresse :", exact=True).fill("12 rue du Biollay")
    siret = page.get_by_label("Numéro SIRET")
    siret.fill("12345678901234")
    page.get_by_role("button", name="Enregistrer la fiche").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        "Numéro SIRET\u00a0: Ce numéro SIRET n'existe pas : vérifiez les chiffres "
        "(clé de contrôle invalide)."
    )
    expect(siret).to_have_attribute("aria-invalid", "true")
    expect(siret).to_have_accessible_description(
        "Ce numéro SIRET n'existe pas : vérifiez les chiffres (clé de contrôle invalide)."
    )
    expect(siret).to_have_value("12345678901234")
    expect(page.get_by_label("Adresse :", exact=True)).to_have_value("12 rue du Biollay")
    expect(page.get_by_label("Adresse :", exact=True)).not_to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page)

    youth_centre.refresh_from_db()
    assert (youth_centre.siret, youth_centre.address) == ("", "")


def test_directory_proposed_actor_is_listed_once_an_organiser_publishes_it(
    new_page, reference_data, demo_accounts, settings
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    name = "Jardin partagé des Hauts"
    resident = new_page()
    log_in(resident, "habitant@demo.test")
    resident.goto("/annuaire/proposer/")

    resident.get_by_label("Nom :", exact=True).fill(name)
    resident.get_by_label("Type de structure").select_option(label="Association")
    resident.get_by_label("Présentation courte").fill(
        "Un jardin cultivé par les habitants, ouvert à tous le samedi matin."
    )
    resident.get_by_role("button", name="Proposer la structure").click()

    expect(resident.get_by_role("status")).to_have_text(
        f"Merci ! La fiche « {name} » sera visible dans l'annuaire dès qu'un "
        "organisateur l'aura validée."
    )
    expect(resident.get_by_role("heading", level=1)).to_have_text(name)

    visitor = new_page()
    visitor.goto("/annuaire/")
    expect(visitor.locator(".actor-list")).to_have_text(
        "Aucun acteur ne correspond. Essayez un autre mot ou retirez un filtre."
    )
    expect(visitor.get_by_role("link", name=name)).to_have_count(0)

    organiser = new_page()
    log_in(organiser, "organisateur@demo.test")
    organiser.goto("/annuaire/moderation/")

    pending = organiser.get_by_role("table", name="Fiches en attente de validation")
    expect(pending.get_by_role("row")).to_have_count(2)
    expect(pending.get_by_role("row").nth(1)).to_contain_text("Hugo Habitant")
    assert_no_axe_violations(organiser)
    pending.get_by_role("button", name=f"Publier {name}").click()

    expect(organiser.get_by_role("status")).to_have_text(f"« {name} » : Publié.")
    expect(pending).to_contain_text("Aucune fiche en attente.")

    visitor.reload()
    expect(result_count(visitor)).to_have_text("1 acteur")
    visitor.get_by_role("link", name=name).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(name)


PHONE = {"width": 390, "height": 844}
FIRST_RESULT = ".actor-list h3 a"


def tab_stops_until(page, selector: str, limit: int = 40) -> int:
    """How many presses of Tab, from the top of the page, bring focus to `selector`."""
    page.locator("body").focus()
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return presses
    raise AssertionError(f"{selector} not reached in {limit} presses of Tab")


def test_directory_on_a_phone_shows_results_before_filters(new_page, youth_centre):
    page = new_page(viewport=PHONE)
    page.goto("/annuaire/?q=jeunesse&territoire=biollay-bellevue")

    filters = page.locator("#directory-filters")
    expect(filters.locator("summary")).to_have_text("Filtrer (1)")
    expect(filters).not_to_have_attribute("open", "")
    expect(territory_option(page, "Biollay - Bellevue")).to_be_hidden()
    first = page.locator(FIRST_RESULT).first
    expect(first).to_have_text(YOUTH_CENTRE)
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    chips = page.get_by_role("list", name="Filtres appliqués").get_by_role("link")
    expect(chips).to_have_text(
        [
            "Retirer le filtre : « jeunesse »",
            "Retirer le filtre : Biollay - Bellevue",
            "Tout effacer",
        ]
    )
    assert_no_axe_violations(page)

    # The skip link lands on the count; the next Tab is the first result.
    page.locator("body").focus()
    skip = page.get_by_role("link", name="Aller aux résultats")
    while not page.evaluate("e => e === document.activeElement", skip.element_handle()):
        page.keyboard.press("Tab")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(result_count(page)).to_be_focused()
    page.keyboard.press("Tab")
    expect(first).to_be_focused()

    # A chip removes its filter, and only it.
    page.get_by_role("link", name="Retirer le filtre : Biollay - Bellevue").click()
    expect(result_count(page)).to_have_text("2 acteurs")
    expect(page.locator("#directory-filters summary")).to_have_text("Filtrer")
    expect(page.get_by_label(SEARCH_LABEL)).to_have_value("jeunesse")


def test_directory_on_a_phone_has_few_tab_stops_before_the_first_result(new_page, youth_centre):
    page = new_page(viewport=PHONE)
    page.goto("/annuaire/")
    expect(result_count(page)).to_have_text("4 acteurs")

    # The site header's own stops, then: skip link, search, its button, "Filtrer", the map
    # view's "Carte", result.
    assert tab_stops_until(page, FIRST_RESULT) <= 9


def test_directory_first_filter_click_after_typing_is_not_lost(page, youth_centre):
    page.goto("/annuaire/")
    expect(result_count(page)).to_have_text("4 acteurs")

    # Typing, then ticking a box at once: the box's request used to be dropped while the
    # one sent by the search field was in flight.
    page.get_by_label(SEARCH_LABEL).fill("jeunesse")
    territory_option(page, "Biollay - Bellevue").check()

    expect(result_count(page)).to_have_text("1 acteur")
    expect(page).to_have_url(re.compile(r"[?&]q=jeunesse(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]territoire=biollay-bellevue(&|$)"))
    assert result_names(page) == [YOUTH_CENTRE]
    expect(territory_option(page, "Biollay - Bellevue")).to_be_checked()
    expect(page.locator("#directory-filters summary")).to_have_text("Filtrer (1)")
    expect(page.get_by_label(SEARCH_LABEL)).to_have_value("jeunesse")


def test_directory_back_from_a_profile_keeps_the_search_and_filters(page, youth_centre):
    page.goto("/annuaire/")
    page.get_by_label(SEARCH_LABEL).fill("jeunesse")
    expect(result_count(page)).to_have_text("2 acteurs")
    territory_option(page, "Biollay - Bellevue").check()
    expect(result_count(page)).to_have_text("1 acteur")

    page.get_by_role("link", name=YOUTH_CENTRE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(YOUTH_CENTRE)
    page.go_back()

    expect(page).to_have_url(re.compile(r"/annuaire/\?"))
    expect(page.get_by_label(SEARCH_LABEL)).to_have_value("jeunesse")
    expect(territory_option(page, "Biollay - Bellevue")).to_be_checked()
    expect(result_count(page)).to_have_text("1 acteur")
    assert result_names(page) == [YOUTH_CENTRE]
