"""Pages that show personal data are never stored by a cache; every page says which browser
features the portal refuses."""

import pytest
from django.urls import reverse


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "name",
    [
        "events:participants",
        "events:dashboard",
        "events:registrations",
        "events:checkin",
        "events:export_csv",
        "events:export_xlsx",
        "events:attendance_pdf",
    ],
)
def test_organiser_pages_with_personal_data_are_not_stored(
    organiser_client, edition, make_registration, name
):
    make_registration(edition, listed=True)
    response = organiser_client.get(reverse(name, args=[edition.year]))
    assert response.status_code == 200
    assert no_store(response)


def test_profile_is_not_stored(client, partner):
    client.force_login(partner)
    assert no_store(client.get(reverse("profile")))


def test_manage_link_pages_are_not_stored(client, edition, make_registration):
    registration = make_registration(edition)
    for name in ("events:manage", "events:manage_erase"):
        assert no_store(client.get(reverse(name, args=[registration.token])))


def test_public_pages_may_be_stored(client, edition):
    response = client.get(reverse("events:edition", args=[edition.year]))
    assert not no_store(response)


@pytest.mark.parametrize("path", ["/", "/rencontres/", "/static/css/site.css"])
def test_every_response_has_a_permissions_policy(client, db, path):
    policy = client.get(path)["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy
