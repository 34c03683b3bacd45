"""Cancelling from the manage link asks first; a cancelled registration's page offers
neither the correction form nor the calendar file, and its link corrects nothing."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from events.enums import RegistrationStatus
from events.models import Registration
from tests.events.test_public import FORM, manage_url, post_form

pytestmark = pytest.mark.django_db


def cancel_url(registration) -> str:
    return reverse("events:manage_cancel", args=[registration.token])


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(attrs.get("action", ""))
        if tag == "a":
            self.links.append(attrs.get("href", ""))


def parse(response) -> Page:
    page = Page()
    page.feed(response.text)
    return page


@pytest.fixture
def registration(client, edition) -> Registration:
    post_form(client, edition)
    return Registration.objects.get()


def test_the_manage_page_links_to_the_confirmation_page(client, registration):
    page = parse(client.get(manage_url(registration)))
    assert cancel_url(registration) in page.links
    # Cancelling is no longer one click away: no form posts there.
    assert cancel_url(registration) not in page.forms


def test_the_confirmation_page_says_what_happens_and_asks(client, registration):
    response = client.get(cancel_url(registration))
    assert response.status_code == 200
    assert "Votre place sera aussitôt donnée à la première personne de la liste" in response.text
    assert "Oui, annuler mon inscription" in response.text
    assert manage_url(registration) in parse(response).links  # "Non, garder mon inscription"
    assert 'name="confirm" value="yes"' in response.text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_waiting_person_is_told_they_leave_the_queue(client, registration):
    Registration.objects.filter(pk=registration.pk).update(
        status=RegistrationStatus.WAITING, queued_at=registration.created_at
    )
    response = client.get(cancel_url(registration))
    assert "Vous quitterez la liste d'attente" in response.text


def test_posting_the_confirmation_cancels(client, registration):
    response = client.post(cancel_url(registration), {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == manage_url(registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.cancelled_at is not None


@pytest.mark.parametrize("data", [{}, {"confirm": ""}, {"confirm": "no"}])
def test_a_post_without_the_confirmation_only_asks(client, registration, data):
    # The older one-click form of a page still open in a tab.
    response = client.post(cancel_url(registration), data)
    assert response.status_code == 200
    assert "Oui, annuler mon inscription" in response.text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_cancelled_registration_page_has_no_form_and_no_calendar(client, registration):
    client.post(cancel_url(registration), {"confirm": "yes"})
    response = client.get(manage_url(registration))
    assert response.status_code == 200
    page = parse(response)
    ics = reverse("events:edition_ics", args=[registration.edition.year])
    assert ics not in page.links
    # The language switcher's form is the page's only one.
    assert page.forms == [reverse("set_language")]
    assert "Cette inscription est annulée." in response.text
    assert "Annulée le " in response.text
    # Registration is open: the person may come back; and erase their data.
    assert reverse("events:register", args=[registration.edition.year]) in page.links
    assert reverse("events:manage_erase", args=[registration.token]) in page.links
    assert cancel_url(registration) not in page.links


def test_a_cancelled_registration_cannot_be_corrected(client, registration):
    client.post(cancel_url(registration), {"confirm": "yes"})
    response = client.post(manage_url(registration), {**FORM, "first_name": "Quelqu'un"})
    assert response.status_code == 409
    assert "elle ne peut plus être modifiée" in response.text
    registration.refresh_from_db()
    assert (registration.first_name, registration.status) == ("Awa", "cancelled")


def test_the_confirmation_page_of_a_cancelled_registration_leads_back(client, registration):
    client.post(cancel_url(registration), {"confirm": "yes"})
    response = client.get(cancel_url(registration))
    assert response.status_code == 302
    assert response["Location"] == manage_url(registration)


def test_a_wrong_token_is_404_for_the_confirmation(client, edition):
    assert client.get(reverse("events:manage_cancel", args=["x" * 43])).status_code == 404
    assert (
        client.post(
            reverse("events:manage_cancel", args=["x" * 43]), {"confirm": "yes"}
        ).status_code
        == 404
    )


def test_one_registrations_token_never_cancels_another(client, registration, make_registration):
    other = make_registration(registration.edition)
    client.post(cancel_url(registration), {"confirm": "yes"})
    other.refresh_from_db()
    assert other.status == RegistrationStatus.CONFIRMED
    # The confirmation page names only the token's own registration.
    response = client.get(cancel_url(other))
    assert other.full_name in response.text
    assert registration.full_name not in response.text
