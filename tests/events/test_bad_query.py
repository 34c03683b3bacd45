"""NUL and other control characters in a query string: a clear 400, on both databases."""

import pytest
from django.urls import reverse

from events.models import Registration


@pytest.mark.parametrize("name", ["events:checkin", "events:registrations"])
@pytest.mark.parametrize("query", ["a\x00b", "\x1b[2J", "a\x7f"])
def test_searches_refuse_control_characters(organiser_client, edition, name, query):
    response = organiser_client.get(reverse(name, args=[edition.year]), {"q": query})
    assert response.status_code == 400
    assert "Demande incorrecte" in response.text


@pytest.mark.parametrize("name", ["events:checkin", "events:registrations"])
def test_searches_refuse_control_characters_in_a_parameter_name(organiser_client, edition, name):
    url = reverse(name, args=[edition.year])
    assert organiser_client.get(f"{url}?q%00=1").status_code == 400


def test_searches_still_find_with_tabs_and_accents(organiser_client, edition, make_registration):
    make_registration(edition, last_name="Bérénice")
    response = organiser_client.get(
        reverse("events:checkin", args=[edition.year]), {"q": "bérénice\t"}
    )
    assert response.status_code == 200
    assert [r.last_name for r in response.context["results"]] == ["Bérénice"]
    assert Registration.objects.count() == 1
