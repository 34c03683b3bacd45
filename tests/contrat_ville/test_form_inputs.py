"""Every field of every form gets the input type and autocomplete token that help people
fill it in (phone keypad, e-mail keyboard, the browser's own name and address), and no
rendered input carries two ``type`` attributes."""

import datetime
from html.parser import HTMLParser

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.enums import EditionStatus
from events.models import Edition
from tests.contrat_ville.test_form_limits import dotted, form_classes, instances

# A field of this name is a person's or a structure's own detail: its token.
TOKENS_BY_NAME = {
    "first_name": "given-name",
    "last_name": "family-name",
    "phone": "tel",
    "organisation": "organization",
    "postcode": "postal-code",
    "postal_code": "postal-code",
    "town": "address-level2",
    "city": "address-level2",
    "address": "street-address",
}
TYPES_BY_NAME = {"phone": "tel"}


class Inputs(HTMLParser):
    """The form controls of some HTML, each with its attributes as written (a list, so
    that an attribute written twice shows)."""

    def __init__(self):
        super().__init__()
        self.controls = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "textarea", "select"):
            self.controls.append((tag, attrs))


def controls(html: str) -> list[tuple[str, list]]:
    parser = Inputs()
    parser.feed(html)
    return parser.controls


def rendered_fields(monkeypatch):
    for cls in form_classes():
        for form in instances(cls, monkeypatch):
            for name, field in form.fields.items():
                if field.widget.is_hidden:
                    continue
                yield f"{dotted(cls)}.{name}", name, field, controls(str(form[name]))


def expected_problems(name, field, found) -> list[str]:
    """What is wrong with the first control of a field, in words."""
    if not found:
        return []
    tag, attrs = found[0]
    types = [value for key, value in attrs if key == "type"]
    values = dict(attrs)
    problems = []
    if len(types) > 1:
        problems.append(f"{len(types)} type attributes")
    kind = types[0] if types else tag
    autocomplete = values.get("autocomplete")
    if isinstance(field, forms.EmailField):
        if kind != "email":
            problems.append(f"type={kind}, not email")
        if not autocomplete:
            problems.append("no autocomplete")
    if isinstance(field, forms.URLField) and kind != "url":
        problems.append(f"type={kind}, not url")
    if isinstance(field, forms.URLField) and name == "website" and autocomplete != "url":
        problems.append(f"autocomplete={autocomplete}, not url")
    if name in TYPES_BY_NAME and kind != TYPES_BY_NAME[name]:
        problems.append(f"type={kind}, not {TYPES_BY_NAME[name]}")
    if name in TOKENS_BY_NAME and autocomplete != TOKENS_BY_NAME[name]:
        problems.append(f"autocomplete={autocomplete}, not {TOKENS_BY_NAME[name]}")
    if name in ("postcode", "postal_code") and values.get("inputmode") != "numeric":
        problems.append("no numeric keypad")
    return problems


@pytest.mark.django_db
def test_every_field_has_the_right_input_type_and_autocomplete(monkeypatch):
    wrong, checked = {}, set()
    for label, name, field, found in rendered_fields(monkeypatch):
        if isinstance(field, (forms.EmailField, forms.URLField)) or name in TOKENS_BY_NAME:
            checked.add(label)
        problems = expected_problems(name, field, found)
        if problems:
            wrong[label] = problems
    assert wrong == {}
    # The walk reaches the registration, the profile, the actor form and its contacts.
    for label in (
        "events.forms.registration.RegistrationForm.phone",
        "events.forms.registration.ResendLinkForm.email",
        "contrat_ville.forms.SignupForm.first_name",
        "contrat_ville.forms.ProfileForm.last_name",
        "partners.forms.ActorForm.postcode",
        "partners.forms.ActorForm.website",
        "partners.forms.ContactPersonForm.phone",
    ):
        assert label in checked


def test_the_check_catches_a_phone_typed_as_text_and_two_types():
    class Wrong(forms.Form):
        phone = forms.CharField(max_length=30)
        email = forms.EmailField(widget=forms.TextInput)

        def __init__(self):
            super().__init__()
            # What the actor form did: the widget writes its own type="text" as well.
            self.fields["phone"].widget.attrs.update(type="tel", autocomplete="tel")

    form = Wrong()
    assert expected_problems("phone", form.fields["phone"], controls(str(form["phone"]))) == [
        "2 type attributes",
        "type=text, not tel",
    ]
    assert expected_problems("email", form.fields["email"], controls(str(form["email"]))) == [
        "type=text, not email",
        "no autocomplete",
    ]


def page_controls(client, url) -> list[tuple[str, list]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return controls(response.text)


def attributes_named(found, key):
    return {dict(attrs).get("name"): [v for k, v in attrs if k == key] for _tag, attrs in found}


@pytest.mark.django_db
def test_no_input_of_the_main_pages_has_two_type_attributes(organiser_client):
    client = Client()  # anonymous; organiser_client is the logged-in ``client`` fixture
    edition = Edition.objects.create(
        year=2041,
        title="Rencontre des partenaires 2041",
        date=timezone.localdate() + datetime.timedelta(days=60),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(17, 0),
        venue_name="Le Scarabée",
        capacity=10,
        status=EditionStatus.OPEN,
    )
    pages = [
        (client, reverse("account_login")),
        (client, reverse("account_signup")),
        (client, reverse("account_reset_password")),
        (client, reverse("events:register", args=[edition.year])),
        (organiser_client, reverse("profile")),
        (organiser_client, reverse("partners:actor_create")),
        (organiser_client, reverse("events:registration_add", args=[edition.year])),
    ]
    doubled, seen = {}, 0
    for who, url in pages:
        found = page_controls(who, url)
        seen += len(found)
        for name, types in attributes_named(found, "type").items():
            if len(types) > 1:
                doubled[f"{url} {name}"] = types
    assert doubled == {}
    assert seen > 30


@pytest.mark.django_db
def test_sign_up_and_log_in_fill_in_the_right_details(client):
    signup = page_controls(client, reverse("account_signup"))
    tokens = attributes_named(signup, "autocomplete")
    assert tokens == {
        **tokens,
        "first_name": ["given-name"],
        "last_name": ["family-name"],
        "email": ["email"],
        "password1": ["new-password"],
        "password2": ["new-password"],
    }
    login = attributes_named(page_controls(client, reverse("account_login")), "autocomplete")
    assert (login["login"], login["password"]) == (["email"], ["current-password"])
    types = attributes_named(signup, "type")
    assert (types["email"], types["password1"]) == (["email"], ["password"])
