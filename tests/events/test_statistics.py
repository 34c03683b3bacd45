"""Year over year: the editions compared by college and by neighbourhood."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contrat_ville.models import Territory
from events.enums import College, EditionStatus, RegistrationStatus

URL = reverse("events:comparison")


def rows_of(table: list[dict]) -> list[tuple]:
    return [(row["label"], row["counts"]) for row in table]


# --- permissions --------------------------------------------------------------


def test_comparison_sends_anonymous_visitors_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


def test_comparison_forbidden_without_a_role(client, no_role_user, make_edition):
    make_edition()
    client.force_login(no_role_user)

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("fixture", ["partner", "organiser"])
def test_comparison_open_to_partners_and_organisers(client, request, fixture, settings, db):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    client.force_login(request.getfixturevalue(fixture))

    assert client.get(URL).status_code == 200


# --- the numbers --------------------------------------------------------------


def test_comparison_counts_confirmed_by_college_and_neighbourhood(
    client, partner, make_edition, make_registration, qpv
):
    hauts = Territory.objects.get(slug="hauts-de-chambery")
    first = make_edition(year=2031, status=EditionStatus.ARCHIVED, capacity=10)
    second = make_edition(year=2032, status=EditionStatus.OPEN, capacity=10)
    draft = make_edition(year=2033, status=EditionStatus.DRAFT, capacity=10)
    now = timezone.now()
    # 2031: three confirmed (one anonymised by the purge, one checked in), a cancellation.
    make_registration(first, college=College.COPIL, territory=qpv, checked_in_at=now)
    make_registration(first, college=College.COPIL, territory=None)
    make_registration(
        first,
        college=College.HABITANT,
        territory=qpv,
        email="",
        first_name="",
        last_name="",
        anonymised_at=now,
    )
    make_registration(first, college=College.AUTRE, status=RegistrationStatus.CANCELLED)
    # 2032: two confirmed, both checked in, one waiting.
    make_registration(second, college=College.HABITANT, territory=hauts, checked_in_at=now)
    make_registration(second, college=College.COPIL, territory=qpv, checked_in_at=now)
    make_registration(second, college=College.AUTRE, status=RegistrationStatus.WAITING)
    # A draft edition is not compared.
    make_registration(draft, college=College.COTECH)
    client.force_login(partner)

    response = client.get(URL)

    comparison = response.context["comparison"]
    assert comparison["years"] == [2031, 2032]
    assert comparison["totals"] == [3, 2]
    assert comparison["checked_in"] == [1, 2]
    assert rows_of(comparison["by_college"]) == [
        ("COPIL — élus et préfecture", [2, 1]),
        ("Habitant", [1, 1]),
    ]
    assert rows_of(comparison["by_territory"]) == [
        ("Biollay - Bellevue", [2, 1]),
        ("Les Hauts de Chambéry", [0, 1]),
        ("—", [1, 0]),
    ]
    html = response.content.decode()
    assert html.count("<caption>") == 3
    assert '<th scope="row">Habitant</th><td>1</td><td>1</td>' in html
    assert '<th scope="row">Places confirmées</th><td>3</td><td>2</td>' in html
    assert '<th scope="row">Présents (arrivée enregistrée)</th><td>1</td><td>2</td>' in html
    assert "2033" not in html


def test_comparison_with_one_edition(client, partner, edition, make_registration):
    make_registration(edition, college=College.CONSEIL_CITOYEN)
    client.force_login(partner)

    response = client.get(URL)

    comparison = response.context["comparison"]
    assert (comparison["years"], comparison["totals"]) == ([edition.year], [1])
    assert rows_of(comparison["by_college"]) == [("Conseil citoyen", [1])]
    assert f'<th scope="col">{edition.year}</th>' in response.content.decode()


def test_comparison_with_an_edition_without_participants(client, partner, edition):
    client.force_login(partner)

    html = client.get(URL).content.decode()

    assert html.count("Aucune personne confirmée.") == 2


def test_comparison_without_editions(client, partner, make_edition):
    make_edition(status=EditionStatus.DRAFT)
    client.force_login(partner)

    response = client.get(URL)

    assert response.status_code == 200
    assert "Aucune édition publiée pour l'instant : rien à comparer." in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert "<table>" not in response.content.decode()


def test_comparison_query_count_does_not_grow(
    client, partner, make_edition, make_registration, qpv
):
    client.force_login(partner)
    first = make_edition(year=2031, capacity=500)
    make_registration(first, territory=qpv)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        return len(queries)

    count_queries()  # warm the per-process caches (roles, sessions)
    with_one = count_queries()
    second = make_edition(year=2032, capacity=500)
    colleges = list(College.values)
    for number in range(30):
        make_registration(
            first if number % 2 else second,
            college=colleges[number % len(colleges)],
            territory=qpv if number % 3 else None,
            checked_in_at=timezone.now() if number % 4 else None,
        )
    with_several = count_queries()

    assert with_several == with_one
