"""The public information pages (privacy, legal notice, accessibility) and the error pages."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

MISSING = "l'exploitant de cette installation doit la compléter"
# tests.settings marks unknown template variables with this text.
INVALID = "INVALID_TEMPLATE_VARIABLE"

EMPTY_OPERATOR = {
    "name": "Agglomération Témoin",
    "address": "",
    "publication_director": "",
    "contact_email": "",
    "dpo_email": "",
    "host": "",
}
FULL_OPERATOR = {
    "name": "Agglomération Témoin",
    "address": "1 rue des Essais\n73000 Chambéry",
    "publication_director": "Camille Directrice",
    "contact_email": "contact@example.test",
    "dpo_email": "dpo@example.test",
    "host": "Hébergeur Témoin, 2 place des Tests, 69000 Lyon",
}

PAGES = [
    ("privacy", "Données personnelles"),
    ("legal_notice", "Mentions légales"),
    ("accessibility", "Déclaration d'accessibilité"),
]
PAGE_NAMES = [name for name, _title in PAGES]


class _AssetCollector(HTMLParser):
    """Collects every URL the browser would load by itself (not plain links)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"img", "script", "iframe", "source", "audio", "video"} and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


@pytest.fixture
def empty_operator(settings):
    settings.PORTAL_OPERATOR = dict(EMPTY_OPERATOR)


@pytest.fixture
def full_operator(settings):
    settings.PORTAL_OPERATOR = dict(FULL_OPERATOR)


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "title"), PAGES)
def test_public_page_anonymous_visitor_gets_200_with_title(client, url_name, title):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assertContains(response, f"<h1>{title}</h1>", html=True)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGE_NAMES)
@pytest.mark.parametrize("operator", [EMPTY_OPERATOR, FULL_OPERATOR], ids=["empty", "full"])
def test_public_page_operator_set_shows_operator_name(client, settings, url_name, operator):
    settings.PORTAL_OPERATOR = dict(operator)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assertContains(response, "Agglomération Témoin")
    assertNotContains(response, INVALID)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGE_NAMES)
def test_public_page_logged_in_user_gets_200(client, django_user_model, url_name):
    user = django_user_model.objects.create_user(email="partenaire@example.test", password="x")
    client.force_login(user)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assertNotContains(response, INVALID)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGE_NAMES)
def test_public_page_loads_nothing_from_other_hosts(client, full_operator, url_name):
    parser = _AssetCollector()
    parser.feed(client.get(reverse(url_name)).content.decode())

    assert parser.urls
    assert [url for url in parser.urls if not url.startswith("/")] == []


@pytest.mark.django_db
def test_legal_notice_operator_set_shows_every_detail(client, full_operator):
    response = client.get(reverse("legal_notice"))

    assertContains(response, "1 rue des Essais<br>73000 Chambéry")
    assertContains(response, "Camille Directrice")
    assertContains(response, "Hébergeur Témoin, 2 place des Tests, 69000 Lyon")
    assertContains(response, 'href="mailto:contact@example.test"')
    assertNotContains(response, MISSING)


@pytest.mark.django_db
def test_legal_notice_operator_empty_asks_installer_to_fill_in(client, empty_operator):
    response = client.get(reverse("legal_notice"))

    assertContains(response, MISSING, count=4)
    for variable in (
        "PORTAL_OPERATOR_ADDRESS",
        "PORTAL_CONTACT_EMAIL",
        "PORTAL_PUBLICATION_DIRECTOR",
        "PORTAL_HOST_NAME",
    ):
        assertContains(response, f"<code>{variable}</code>", count=1)
    assertNotContains(response, "<address>")


@pytest.mark.django_db
def test_legal_notice_links_to_privacy_and_accessibility_pages(client):
    response = client.get(reverse("legal_notice"))

    assertContains(response, f'href="{reverse("privacy")}"')
    assertContains(response, f'href="{reverse("accessibility")}"')


@pytest.mark.django_db
def test_privacy_page_operator_set_shows_dpo_email(client, full_operator):
    response = client.get(reverse("privacy"))

    assertContains(response, 'href="mailto:dpo@example.test"', count=2)
    assertNotContains(response, MISSING)


@pytest.mark.django_db
def test_privacy_page_only_contact_email_set_uses_it_for_requests(client, settings):
    settings.PORTAL_OPERATOR = {**EMPTY_OPERATOR, "contact_email": "contact@example.test"}

    response = client.get(reverse("privacy"))

    assertContains(response, 'href="mailto:contact@example.test"', count=1)
    assertContains(response, "<code>PORTAL_DPO_EMAIL</code>", count=1)
    assertNotContains(response, "<code>PORTAL_CONTACT_EMAIL</code>")


@pytest.mark.django_db
def test_privacy_page_operator_empty_asks_installer_to_fill_in(client, empty_operator):
    response = client.get(reverse("privacy"))

    assertContains(response, MISSING, count=2)
    assertContains(response, "<code>PORTAL_DPO_EMAIL</code>", count=1)
    assertContains(response, "<code>PORTAL_CONTACT_EMAIL</code>", count=1)
    assertNotContains(response, "mailto:")


@pytest.mark.django_db
def test_privacy_page_anonymous_visitor_sees_rights_and_cnil(client):
    response = client.get(reverse("privacy"))

    assertContains(response, 'href="https://www.cnil.fr/fr/plaintes"')
    assertContains(response, f'href="{reverse("account_email")}"')
    assertContains(response, f'href="{reverse("account_change_password")}"')


@pytest.mark.django_db
def test_accessibility_page_operator_set_shows_contact_email(client, full_operator):
    response = client.get(reverse("accessibility"))

    assertContains(response, "est non conforme")
    assertContains(response, "26 novembre 2026")
    assertContains(response, 'href="mailto:contact@example.test"', count=1)
    assertNotContains(response, MISSING)


@pytest.mark.django_db
def test_accessibility_page_operator_empty_asks_installer_to_fill_in(client, empty_operator):
    response = client.get(reverse("accessibility"))

    assertContains(response, MISSING, count=1)
    assertContains(response, "<code>PORTAL_CONTACT_EMAIL</code>", count=1)
    assertContains(response, "Libre réponse 71120, 75342 Paris CEDEX 07")


@pytest.mark.django_db
def test_error_404_unknown_url_anonymous_gets_page_not_redirect(client):
    # LoginRequiredMiddleware acts on resolved views only: an unknown URL is a 404 for everyone.
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertContains(response, "<h1>Page introuvable</h1>", status_code=404, html=True)
    assertContains(response, f'href="{reverse("home")}"', status_code=404)
    assertNotContains(response, INVALID, status_code=404)


@pytest.mark.django_db
def test_error_404_unknown_url_logged_in_gets_page(client, django_user_model):
    user = django_user_model.objects.create_user(email="partenaire@example.test", password="x")
    client.force_login(user)

    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertContains(response, "<h1>Page introuvable</h1>", status_code=404, html=True)
    assertNotContains(response, INVALID, status_code=404)


@pytest.mark.django_db
def test_error_403_user_without_role_is_told_to_ask_an_organiser(client, django_user_model):
    user = django_user_model.objects.create_user(email="sans-role@example.test", password="x")
    client.force_login(user)

    response = client.get(reverse("roles"))

    assert response.status_code == 403
    assertTemplateUsed(response, "403.html")
    assertContains(response, "<h1>Accès refusé</h1>", status_code=403, html=True)
    assertContains(response, "vos rôles ne vous donnent pas accès", status_code=403)
    assertContains(response, "demandez à un organisateur", status_code=403)
    assertNotContains(response, INVALID, status_code=403)


@pytest.mark.django_db
def test_error_400_disallowed_host_gets_page(client):
    response = client.get("/", HTTP_HOST="hote-inconnu.example")

    assert response.status_code == 400
    assertTemplateUsed(response, "400.html")
    assertContains(response, "<h1>Demande incorrecte</h1>", status_code=400, html=True)
    assertNotContains(response, INVALID, status_code=400)


def test_error_500_renders_standalone_without_context():
    html = render_to_string("500.html")

    assert html.startswith("<!DOCTYPE html>")
    assert 'lang="fr"' in html
    assert "<title>Erreur du serveur</title>" in html
    assert 'href="/static/css/site.css"' in html
    assert 'href="/"' in html
    assert INVALID not in html
