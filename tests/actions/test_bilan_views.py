"""The bilan's pages and CSV: who reads which version, what never leaks, the 404s, the
query counts, and the link from the rencontre's edition page."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.enums import ActionStatus, Funder, IndicatorUnit
from actions.models import Action
from events.enums import EditionStatus, EventKind
from events.models import Edition
from tests.actions.test_bilan import rencontre_of

# A3's amount, as the page would write it: it must reach the organisers only.
SECRET = "15\xa0000,00\xa0€"
SECRET_CSV = "15000,00"
OPEN = "12\xa0000,00\xa0€"


@pytest.fixture
def year_2025(make_action, actor_a, actor_b, priority, qpv_one, qpv_two, youth):
    before = make_action(
        actor_a, title="Chantier jeunes", year=2024, status=ActionStatus.DONE,
        budget_planned="10000", budget_actual="9000",
    )  # fmt: skip
    make_action(
        actor_a, title="Chantier jeunes", status=ActionStatus.DONE, priority=priority,
        territories=[qpv_one], publics=[youth], budget_planned="12000", budget_actual="11000",
        previous=before, fundings=[(Funder.STATE, "12000", "11000")],
        indicators=[("Jeunes accompagnés", IndicatorUnit.YOUNG, "20", "25")],
    )  # fmt: skip
    make_action(
        actor_b, title="Médiation de nuit", status=ActionStatus.PROGRAMMED, priority=priority,
        territories=[qpv_two], budget_planned="15000", amounts_confidential=True,
        fundings=[(Funder.EPCI, "15000", None)],
    )  # fmt: skip
    make_action(actor_b, title="Atelier vélo", status=ActionStatus.PROPOSED)


def _page(client, year=2025, query=""):
    return client.get(reverse("bilan:year", kwargs={"year": year}) + query)


def _csv(client, year=2025, query=""):
    return client.get(reverse("bilan:csv", kwargs={"year": year, "same_year": year}) + query)


# -- who reads what -----------------------------------------------------------------


def test_bilan_page_public_for_anonymous_without_confidential_amounts(client, year_2025):
    response = _page(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Le bilan des actions 2025</h1>" in html
    assert OPEN in html
    assert SECRET not in html
    assert "Les montants d'une action sont confidentiels" in html
    # Aggregates only: no action list, no proposal, no version switch.
    assert "Médiation de nuit" not in html
    assert "Atelier vélo" not in html
    assert "Voir la version publique" not in html
    assert 'class="bar-chart"' in html


def test_bilan_page_partner_reads_the_actions_without_confidential_amounts(
    client, partner, year_2025
):
    client.force_login(partner)
    html = _page(client).content.decode()
    assert "Vous lisez la version des partenaires" in html
    assert "Médiation de nuit" in html
    assert SECRET not in html
    assert "confidentiel" in html
    assert "proposition en attente" in html
    assert "Atelier vélo" not in html  # proposals are counted, never listed
    mediation = Action.objects.get(title="Médiation de nuit")
    assert f'<a href="{reverse("actions:detail", kwargs={"pk": mediation.pk})}">' in html
    assert f'href="{reverse("bilan:year", kwargs={"year": 2025})}?version=public"' in html


def test_bilan_page_member_of_a_carrier_reads_the_partners_version(client, member_b, year_2025):
    client.force_login(member_b)
    html = _page(client).content.decode()
    assert "Vous lisez la version des partenaires" in html
    assert SECRET not in html


def test_bilan_page_organiser_reads_the_confidential_amounts(organiser_client, year_2025):
    html = _page(organiser_client).content.decode()
    assert "Vous lisez la version des organisateurs" in html
    assert SECRET in html
    assert "27\xa0000,00\xa0€" in html  # 12 000 + 15 000


def test_bilan_page_organiser_asks_for_the_public_version(organiser_client, year_2025):
    html = _page(organiser_client, query="?version=public").content.decode()
    assert "Vous lisez la version publique" in html
    assert SECRET not in html
    assert "Médiation de nuit" not in html
    assert "Revenir à la version complète" in html
    # The documents keep the version asked for.
    assert (
        f"{reverse('bilan:csv', kwargs={'year': 2025, 'same_year': 2025})}?version=public" in html
    )
    assert (
        f"{reverse('bilan:pdf', kwargs={'year': 2025, 'same_year': 2025})}?version=public" in html
    )


def test_bilan_page_anonymous_cannot_ask_for_a_fuller_version(client, year_2025):
    html = _page(client, query="?version=organisers").content.decode()
    assert SECRET not in html
    assert "Médiation de nuit" not in html


def test_bilan_page_links_the_documents(client, year_2025):
    html = _page(client).content.decode()
    for name in ("pdf", "odt", "csv"):
        assert reverse(f"bilan:{name}", kwargs={"year": 2025, "same_year": 2025}) in html


# -- years --------------------------------------------------------------------------


@pytest.mark.parametrize("year", [1999, 2101, 99999])
def test_bilan_page_out_of_range_is_404(client, db, year):
    assert _page(client, year=year).status_code == 404
    assert _csv(client, year=year).status_code == 404


def test_bilan_page_of_a_year_without_programme_says_so(client, year_2025):
    response = _page(client, year=2023)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aucune action n'est programmée pour 2023." in html
    assert f'href="{reverse("bilan:year", kwargs={"year": 2025})}"' in html
    assert f'href="{reverse("bilan:year", kwargs={"year": 2024})}"' in html


def test_bilan_page_links_the_years_before_and_after(client, year_2025):
    html = _page(client, year=2024).content.decode()
    assert "Bilan 2025 →" in html
    assert "← Bilan" not in html
    html = _page(client, year=2025).content.decode()
    assert "← Bilan 2024" in html
    assert "Bilan 2026 →" not in html


def test_bilan_page_compares_with_the_year_before(client, year_2025):
    html = _page(client).content.decode()
    assert "Ce qui a changé depuis 2024" in html
    assert "1 action de 2024 reconduite" in html
    assert "1 action nouvelle" in html
    assert "0 actions de 2024 arrêtées" in html


def test_bilan_index_redirects_to_the_latest_year(client, year_2025):
    response = client.get(reverse("bilan:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("bilan:year", kwargs={"year": 2025})


def test_bilan_index_keeps_the_public_version_asked_for(organiser_client, year_2025):
    response = organiser_client.get(reverse("bilan:index") + "?version=public")
    assert response["Location"] == reverse("bilan:year", kwargs={"year": 2025}) + "?version=public"


def test_bilan_index_without_any_programme_says_so(client, make_action, actor_a):
    make_action(actor_a, status=ActionStatus.PROPOSED)
    response = client.get(reverse("bilan:index"))
    assert response.status_code == 200
    assert "Pas encore de bilan." in response.content.decode()


# -- the CSV ------------------------------------------------------------------------


def test_bilan_csv_public_leaves_the_confidential_amounts_out(client, year_2025):
    response = _csv(client)
    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bilan-2025.csv"'
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "Rubrique;Libellé;Nombre;Prévu (euros);Réalisé (euros)"
    assert "Ensemble;Actions menées (réalisées ou en cours);2;12000,00;11000,00" in lines
    assert "Priorité;Emploi et insertion;2;12000,00;11000,00" in lines
    assert "Financeur;État;1;12000,00;11000,00" in lines
    assert SECRET_CSV not in text
    assert "Médiation de nuit" not in text


def test_bilan_csv_partners_lists_the_actions_without_confidential_amounts(
    client, partner, year_2025
):
    client.force_login(partner)
    response = _csv(client)
    text = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="bilan-2025-partenaires.csv"'
    assert "Action;Médiation de nuit;;;" in text.splitlines()
    assert SECRET_CSV not in text


def test_bilan_csv_organisers_add_them_and_may_ask_for_the_public_one(organiser_client, year_2025):
    text = _csv(organiser_client).content.decode()
    assert "Priorité;Emploi et insertion;2;27000,00;11000,00" in text.splitlines()
    assert SECRET_CSV in text
    response = _csv(organiser_client, query="?version=public")
    assert response["Content-Disposition"] == 'attachment; filename="bilan-2025.csv"'
    assert SECRET_CSV not in response.content.decode()


def test_bilan_csv_with_another_year_in_its_name_is_404(client, year_2025):
    url = reverse("bilan:csv", kwargs={"year": 2025, "same_year": 2024})
    assert client.get(url).status_code == 404


# -- queries ------------------------------------------------------------------------


def _many(make_action, carrier, priority, territories, publics, count, year=2025):
    for number in range(count):
        make_action(
            carrier, title=f"Action {number:02}", year=year, status=ActionStatus.DONE,
            priority=priority,
            territories=territories, publics=publics, budget_planned="1000",
            budget_actual="900",
            fundings=[(Funder.STATE, "600", "500"), (Funder.EPCI, "400", None)],
            indicators=[("Personnes", IndicatorUnit.PEOPLE, "10", "12")],
        )  # fmt: skip


@pytest.mark.parametrize("who", ["anonymous", "partner", "organiser"])
def test_bilan_page_makes_a_constant_number_of_queries(
    client, make_action, actor_a, priority, qpv_one, qpv_two, youth, partner, organiser,
    settings, who,
):  # fmt: skip
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    if who != "anonymous":
        client.force_login(partner if who == "partner" else organiser)
    _many(make_action, actor_a, priority, [qpv_one], [youth], 1)
    _page(client)  # warm the caches (identity, navigation)
    cache.clear()  # the bilan is cached: measure it computed, each time
    with CaptureQueriesContext(connection) as one:
        assert _page(client).status_code == 200
    _many(make_action, actor_a, priority, [qpv_one, qpv_two], [youth], 19)
    cache.clear()
    with CaptureQueriesContext(connection) as twenty:
        html = _page(client).content.decode()
    assert len(twenty) == len(one)
    if who != "anonymous":
        assert "Action 18" in html


def test_bilan_cached_until_an_action_of_the_year_changes(
    client, make_action, actor_a, priority, django_assert_num_queries
):
    from actions.selectors.bilan import bilan_cached

    action = make_action(actor_a, priority=priority, budget_planned="1000")
    assert bilan_cached(2025).planned == Decimal("1000.00")
    with django_assert_num_queries(1):  # the stamp only
        assert bilan_cached(2025).planned == Decimal("1000.00")
    action.budget_planned = Decimal("2500")
    action.save()
    assert bilan_cached(2025).planned == Decimal("2500.00")
    action.delete()
    assert bilan_cached(2025).programme == 0


def test_bilan_csv_makes_a_constant_number_of_queries(
    client, make_action, actor_a, priority, qpv_one, youth
):
    _many(make_action, actor_a, priority, [qpv_one], [youth], 1)
    with CaptureQueriesContext(connection) as one:
        _csv(client)
    _many(make_action, actor_a, priority, [qpv_one], [youth], 19)
    with CaptureQueriesContext(connection) as twenty:
        _csv(client)
    assert len(twenty) == len(one)


# -- the rencontre's edition page ---------------------------------------------------


def test_edition_page_links_the_bilan_of_the_year_before(client, year_2025):
    rencontre_of(2025)
    html = client.get(reverse("events:edition", kwargs={"year": 2025})).content.decode()
    assert "Le bilan des actions 2024" in html
    assert f'href="{reverse("bilan:year", kwargs={"year": 2024})}"' in html


def test_edition_page_without_programme_the_year_before_has_no_link(client, year_2025):
    rencontre_of(2024)  # 2023 has no programme
    html = client.get(reverse("events:edition", kwargs={"year": 2024})).content.decode()
    assert "Le bilan des actions" not in html


def test_edition_link_only_for_the_rencontre(client, year_2025):
    meeting = Edition.objects.create(
        kind=EventKind.WORKSHOP, year=2025, title="Atelier thématique",
        date=datetime.date(2025, 3, 4), starts_at=datetime.time(14, 0),
        ends_at=datetime.time(16, 0), venue_name="Maison des associations", capacity=20,
        status=EditionStatus.OPEN,
    )  # fmt: skip
    html = client.get(meeting.url("edition")).content.decode()
    assert "Le bilan des actions" not in html


def test_edition_page_link_costs_one_query_whatever_the_actions(
    client, make_action, actor_a, priority, qpv_one, youth
):
    rencontre_of(2025)
    url = reverse("events:edition", kwargs={"year": 2025})
    _many(make_action, actor_a, priority, [qpv_one], [youth], 1, year=2024)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _many(make_action, actor_a, priority, [qpv_one], [youth], 19, year=2024)
    with CaptureQueriesContext(connection) as twenty:
        html = client.get(url).content.decode()
    assert len(twenty) == len(one)
    assert "Le bilan des actions 2024" in html


def test_bilan_page_escapes_what_people_typed(client, partner, make_action, actor_a):
    make_action(actor_a, title='<script>alert("x")</script> & Cie', status=ActionStatus.DONE)
    client.force_login(partner)
    html = _page(client).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie" in html


def test_bilan_page_lists_fifty_actions_and_links_the_rest(
    client, make_action, actor_a, priority, partner
):
    for number in range(53):
        make_action(actor_a, title=f"Action {number:02}", priority=priority)
    client.force_login(partner)
    html = _page(client).content.decode()
    assert "Action 49" in html
    assert "Action 50" not in html
    assert "Voir les 53 actions dans la liste" in html
