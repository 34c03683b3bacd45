"""The living design page /design/: organisers only, or any logged-in person with DEBUG."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template import Context, Template
from django.urls import reverse

from contrat_ville.colours import contrast_ratio
from contrat_ville.design import colour_tokens
from contrat_ville.enums import Role
from tests.factories import UserFactory

DESIGN_URL = "/design/"
STATIC_CSS = Path(django_settings.BASE_DIR) / "static" / "css"
COMPONENT_CLASSES = [
    "button--secondary",
    "button--danger",
    "button-row",
    "field--error",
    "field__error",
    "field__help",
    "error-summary",
    "alert--info",
    "alert--success",
    "alert--warning",
    "alert--error",
    "badge--success",
    "badge--warning",
    "badge--danger",
    "badge--info",
    "badge--neutral",
    "table-scroll",
    "table--stacked",
    "card__title",
    "card__meta",
    "tag",
    "chips",
    "chip",
    "empty-state",
    "pagination",
    "breadcrumb",
    "disclosure",
]


def test_design_url_is_named_design():
    assert reverse("design") == DESIGN_URL


def test_design_anonymous_goes_to_login(client, db, settings):
    settings.DEBUG = False

    response = client.get(DESIGN_URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={DESIGN_URL}"


def test_design_anonymous_goes_to_login_even_with_debug(client, db, settings):
    settings.DEBUG = True

    response = client.get(DESIGN_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", [Role.COTECH, Role.FACILITATOR, Role.JUROR, Role.CONSEIL_CITOYEN])
def test_design_refused_to_a_partner_who_is_not_an_organiser(client, db, settings, role):
    settings.DEBUG = False
    client.force_login(UserFactory(roles=[role]))

    response = client.get(DESIGN_URL)

    assert response.status_code == 403


def test_design_refused_to_an_account_without_role(client, no_role_user, settings):
    settings.DEBUG = False
    client.force_login(no_role_user)

    assert client.get(DESIGN_URL).status_code == 403


def test_design_opens_to_any_logged_in_person_with_debug(client, no_role_user, settings):
    settings.DEBUG = True
    client.force_login(no_role_user)

    assert client.get(DESIGN_URL).status_code == 200


def test_design_organiser_sees_every_component(organiser_client, settings):
    settings.DEBUG = False

    response = organiser_client.get(DESIGN_URL)

    assert response.status_code == 200
    classes = set(re.findall(r'class="([^"]+)"', response.content.decode()))
    used = {name for attribute in classes for name in attribute.split()}
    assert [name for name in COMPONENT_CLASSES if name not in used] == []


def test_design_shows_each_colour_token_with_its_contrast(organiser_client):
    response = organiser_client.get(DESIGN_URL)

    text = response.content.decode()
    assert "<code>--color-primary</code>" in text
    assert "<code>#1d4e89</code> ·\n          8,4:1 sur blanc" in text


def test_design_only_accepts_get(organiser_client):
    assert organiser_client.post(DESIGN_URL).status_code == 405


def test_contrast_ratio_matches_wcag_examples():
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast_ratio("#ffffff", "#ffffff"), 2) == 1.0
    # WCAG's reference grey: #767676 is the lightest grey passing 4.5:1 on white.
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54


def test_colour_tokens_read_from_tokens_css():
    tokens = {token.name: token.value for token in colour_tokens()}

    assert tokens["color-primary"] == "#1d4e89"
    assert {"color-primary-soft", "color-on-primary", "color-danger-soft"} <= tokens.keys()


def test_text_colour_tokens_pass_aa_on_white_and_on_their_soft_tint():
    tokens = {token.name: token.value for token in colour_tokens()}
    text_tokens = ["primary", "primary-strong", "text", "text-muted", "success", "warning"]
    text_tokens += ["danger", "info", "neutral"]

    too_pale = [
        name
        for name in text_tokens
        if contrast_ratio(tokens[f"color-{name}"], "#ffffff") < 4.5
        or (
            f"color-{name}-soft" in tokens
            and contrast_ratio(tokens[f"color-{name}"], tokens[f"color-{name}-soft"]) < 4.5
        )
    ]
    assert too_pale == []


def test_every_colour_token_has_a_swatch_on_the_design_page():
    design_css = (STATIC_CSS / "design.css").read_text()

    missing = [t.name for t in colour_tokens() if f".swatch--{t.name} " not in design_css]
    assert missing == []


def test_site_css_writes_no_colour_outside_the_tokens():
    site_css = (STATIC_CSS / "site.css").read_text()

    assert re.findall(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|hsl)a?\(", site_css) == []


def test_status_badge_gives_each_registration_status_its_colour_and_word():
    template = Template('{% load status_badges %}{% status_badge "registration" status label %}')

    rendered = [
        template.render(Context({"status": status, "label": label}))
        for status, label in [("confirmed", "Confirmée"), ("waiting", "Liste d'attente")]
    ]
    assert rendered == [
        '<span class="badge badge--success">Confirmée</span>',
        '<span class="badge badge--warning">Liste d&#x27;attente</span>',
    ]


def test_status_badge_unknown_status_is_neutral_with_its_label():
    template = Template('{% load status_badges %}{% status_badge "actor" "nouveau" "Nouveau" %}')

    assert template.render(Context()) == '<span class="badge badge--neutral">Nouveau</span>'
