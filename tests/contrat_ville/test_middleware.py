"""The core's middleware: control characters refused in every query string."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("name", ["partners:directory", "home", "roles", "audit_log"])
def test_query_with_nul_is_a_400_everywhere(organiser_client, name):
    response = organiser_client.get(reverse(name), {"q": "a\x00b"})
    assert response.status_code == 400
    assert "Demande incorrecte" in response.text


def test_query_with_nul_is_a_400_for_anonymous_visitors(client, db):
    assert client.get(reverse("partners:directory"), {"q": "\x00"}).status_code == 400
