"""A registration with errors: the page's title says so, the summary lists each error as a
link to its field, each field with an error says so to screen readers and keeps what was typed."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from events.models import Registration
from tests.events.test_public import FORM, manage_url, post_form

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.by_id, self.summary_links, self._in_summary, self.texts = {}, [], 0, {}
        self._open = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.by_id[attrs["id"]] = (tag, attrs)
        if "data-error-summary" in attrs:
            self._in_summary = 1
        elif self._in_summary and tag not in ("br", "img", "input"):
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self.summary_links.append(attrs["href"])
        if tag not in ("input", "br", "img", "meta", "link", "option"):
            self._open.append(attrs.get("id"))

    def handle_endtag(self, tag):
        if self._in_summary:
            self._in_summary -= 1
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.texts[element_id] = self.texts.get(element_id, "") + data


def parse(response) -> Page:
    page = Page()
    page.feed(response.text)
    return page


def title(response) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", response.text, re.S)[1]).strip()


def check_fields_tied_to_their_errors(page: Page, expected_links: list[str]) -> None:
    assert page.summary_links == expected_links
    for link in expected_links:
        _tag, attrs = page.by_id[link[1:]]
        if attrs.get("type") == "radio":
            # A group: its fieldset points at the message.
            continue
        assert attrs.get("aria-invalid") == "true", link
        described = attrs["aria-describedby"].split()
        assert any(page.texts.get(other, "").strip() for other in described), link


def test_a_registration_with_errors_lists_them_and_keeps_what_was_typed(client, edition):
    response = post_form(
        client,
        edition,
        first_name="",
        email="pas-une-adresse",
        phone="04 79 00 00 00",
        image_consent="",
        privacy="",
    )
    assert response.status_code == 400
    assert title(response).startswith("Erreur : ")
    page = parse(response)
    check_fields_tied_to_their_errors(
        page, ["#id_first_name", "#id_email", "#id_image_consent_0", "#id_privacy"]
    )
    assert "Il y a 4 erreurs dans le formulaire" in response.text
    assert page.by_id["id_last_name"][1]["value"] == "Diop"
    assert page.by_id["id_email"][1]["value"] == "pas-une-adresse"
    assert page.by_id["id_phone"][1]["value"] == "04 79 00 00 00"
    assert page.by_id["id_phone"][1]["type"] == "tel"
    assert response.text.count('class="error-summary"') == 1
    assert Registration.objects.count() == 0


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client, edition):
    response = client.get(reverse("events:register", args=[edition.year]))
    assert "data-error-summary" not in response.text
    assert not title(response).startswith("Erreur")


def test_the_manage_form_with_errors_has_the_summary(client, edition):
    post_form(client, edition)
    registration = Registration.objects.get()
    response = client.post(manage_url(registration), {**FORM, "email": "faux"})
    assert response.status_code == 400
    assert title(response).startswith("Erreur : ")
    check_fields_tied_to_their_errors(parse(response), ["#id_email"])
    assert "form-errors" not in response.text


def test_the_organisers_form_with_errors_has_the_summary(organiser_client, edition):
    response = organiser_client.post(
        reverse("events:registration_add", args=[edition.year]), {**FORM, "last_name": ""}
    )
    assert response.status_code in (200, 400)
    assert title(response).startswith("Erreur : ")
    check_fields_tied_to_their_errors(parse(response), ["#id_last_name"])
    assert "form-errors" not in response.text
