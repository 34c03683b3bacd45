"""The actions' section of a neighbourhood's page ("Mon quartier")."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.enums import ActionStatus
from actions.neighbourhood import ACTIONS_SHOWN, actions_context

HEADING = "Les actions du contrat de ville dans ce quartier"


def _page(client, territory) -> str:
    response = client.get(reverse("neighbourhoods:detail", kwargs={"slug": territory.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_neighbourhood_lists_the_validated_actions_of_the_territory(
    client, make_action, actor_a, actor_b, qpv_one, qpv_two
):
    done = make_action(
        actor_a, title="Chantier jeunes", year=2024, status=ActionStatus.DONE,
        territories=[qpv_one], budget_planned="12345",
    )  # fmt: skip
    running = make_action(
        actor_b, title="Soutien scolaire", status=ActionStatus.RUNNING,
        territories=[qpv_one, qpv_two],
    )  # fmt: skip
    make_action(
        actor_a, title="Atelier proposé", status=ActionStatus.PROPOSED, territories=[qpv_one]
    )
    make_action(
        actor_a, title="Fête abandonnée", status=ActionStatus.ABANDONED, territories=[qpv_one]
    )
    make_action(actor_a, title="Ailleurs", territories=[qpv_two])
    html = _page(client, qpv_one)
    assert HEADING in html
    assert (
        f'<a href="{reverse("actions:detail", kwargs={"pk": running.pk})}">Soutien scolaire</a>'
        in html
    )
    assert (
        f'<a href="{reverse("actions:detail", kwargs={"pk": done.pk})}">Chantier jeunes</a>' in html
    )
    assert "Portée par Association Bêta, en 2025" in html
    assert "Portée par Association Alpha, en 2024" in html
    assert "En cours" in html
    assert "Réalisée" in html
    # The newest year first, then by title.
    assert html.index("Soutien scolaire") < html.index("Chantier jeunes")
    assert f'href="{reverse("bilan:year", kwargs={"year": 2025})}"' in html
    assert f'href="{reverse("bilan:year", kwargs={"year": 2024})}"' in html
    for hidden in ("Atelier proposé", "Fête abandonnée", "Ailleurs", "12\xa0345", "12345"):
        assert hidden not in html


def test_neighbourhood_section_stays_off_without_actions(client, make_action, actor_a, qpv_one):
    make_action(actor_a, status=ActionStatus.PROPOSED, territories=[qpv_one])
    assert HEADING not in _page(client, qpv_one)


def test_neighbourhood_proposal_stays_off_even_for_its_carrier_and_organisers(
    client, make_action, actor_a, member_a, organiser, qpv_one, settings
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    make_action(
        actor_a, title="Atelier proposé", status=ActionStatus.PROPOSED, territories=[qpv_one]
    )
    for user in (member_a, organiser):
        client.force_login(user)
        assert "Atelier proposé" not in _page(client, qpv_one)


def test_neighbourhood_shows_the_most_recent_and_says_so(client, make_action, actor_a, qpv_one, rf):
    for number in range(ACTIONS_SHOWN + 2):
        make_action(actor_a, title=f"Action {number:02}", territories=[qpv_one])
    html = _page(client, qpv_one)
    assert f"Voici les {ACTIONS_SHOWN} plus récentes." in html
    assert "Action 11" in html
    assert "Action 12" not in html


def test_neighbourhood_context_makes_one_query(
    make_action, actor_a, qpv_one, rf, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    make_action(actor_a, territories=[qpv_one])
    with django_assert_num_queries(1):
        context = actions_context(qpv_one, request)
    assert [action.carrier.name for action in context["actions"]] == ["Association Alpha"]


def test_neighbourhood_page_makes_a_constant_number_of_queries(
    client, make_action, actor_a, actor_b, qpv_one, member_a
):
    client.force_login(member_a)
    make_action(actor_a, territories=[qpv_one])
    _page(client, qpv_one)  # warm the caches
    with CaptureQueriesContext(connection) as one:
        _page(client, qpv_one)
    for number in range(19):
        make_action(
            actor_b if number % 2 else actor_a, title=f"Action {number:02}",
            year=2024 + number % 3, territories=[qpv_one],
        )  # fmt: skip
    with CaptureQueriesContext(connection) as twenty:
        html = _page(client, qpv_one)
    assert len(twenty) == len(one)
    assert "Association Bêta" in html
