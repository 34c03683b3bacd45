"""Partners-only news and documents never reach anonymous visitors, or accounts without a
role: not in lists, pages, files, images, feeds, search, the home page or "Mon quartier".
Drafts and withdrawn items reach nobody but the editors."""

import pytest
from django.core.files.base import ContentFile

from news.enums import Audience, Status

from .conftest import png_bytes

SECRET = "Réunion confidentielle du COPIL"
PUBLIC = "Fête de quartier ouverte"


@pytest.fixture
def items(make_news, make_document, pdf_bytes, territory, priority):
    public = make_news(PUBLIC)
    secret = make_news(SECRET, audience=Audience.PARTNERS)
    secret.image = ContentFile(png_bytes(), name="photo.png")
    secret.image_alt = "Une photo"
    secret.save()
    draft = make_news("Brouillon en cours", status=Status.DRAFT)
    withdrawn = make_news("Nouvelle retirée", status=Status.UNPUBLISHED)
    public_doc = make_document("Guide public", content=pdf_bytes)
    secret_doc = make_document(
        "Compte rendu confidentiel", audience=Audience.PARTNERS, content=pdf_bytes
    )
    draft_doc = make_document("Document brouillon", status=Status.DRAFT, content=pdf_bytes)
    for item in (public, secret, draft, withdrawn, public_doc, secret_doc, draft_doc):
        item.territories.add(territory)
        item.priorities.add(priority)
    return {
        "public": public,
        "secret": secret,
        "draft": draft,
        "withdrawn": withdrawn,
        "public_doc": public_doc,
        "secret_doc": secret_doc,
        "draft_doc": draft_doc,
    }


HIDDEN_NEWS = ("secret", "draft", "withdrawn")
HIDDEN_FROM_PARTNERS = ("draft", "withdrawn", "draft_doc")


def lists(client, territory):
    return "".join(
        client.get(url).text
        for url in (
            "/",
            "/actualites/",
            f"/actualites/?territoire={territory.slug}",
            "/actualites/?priorite=jeunesse",
            "/actualites/rss/",
            "/actualites/atom/",
            "/documents/",
            "/documents/?q=confidentiel",
            f"/documents/?territoire={territory.slug}&priorite=jeunesse",
            f"/quartiers/{territory.slug}/",
        )
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "no_role"])
def test_partners_only_and_unpublished_items_reach_no_public_page(
    client, items, territory, no_role_user, who
):
    if who == "no_role":
        client.force_login(no_role_user)
    pages = lists(client, territory)

    assert PUBLIC in pages
    assert "Guide public" in pages
    for title in (SECRET, "Brouillon en cours", "Nouvelle retirée"):
        assert title not in pages
    assert "Compte rendu confidentiel" not in pages
    assert "Document brouillon" not in pages


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "no_role"])
def test_partners_only_and_unpublished_pages_and_files_are_404(client, items, no_role_user, who):
    if who == "no_role":
        client.force_login(no_role_user)
    for key in HIDDEN_NEWS:
        slug = items[key].slug
        assert client.get(f"/actualites/{slug}/").status_code == 404
    assert client.get(f"/actualites/{items['secret'].slug}/image").status_code == 404
    for key in ("secret_doc", "draft_doc"):
        slug = items[key].slug
        assert client.get(f"/documents/{slug}/").status_code == 404
        assert client.get(f"/documents/{slug}/fichier").status_code == 404


@pytest.mark.django_db
def test_partners_read_partners_only_items_but_no_drafts(partner_client, items, territory):
    secret, secret_doc = items["secret"], items["secret_doc"]

    assert partner_client.get(f"/actualites/{secret.slug}/").status_code == 200
    assert partner_client.get(f"/actualites/{secret.slug}/image").status_code == 200
    assert partner_client.get(f"/documents/{secret_doc.slug}/").status_code == 200
    file = partner_client.get(f"/documents/{secret_doc.slug}/fichier")
    assert file.status_code == 200
    assert file["Cache-Control"] == "private, no-store"
    assert SECRET in partner_client.get("/actualites/").text
    assert SECRET in partner_client.get("/").text
    assert "Compte rendu confidentiel" in partner_client.get("/documents/?q=confidentiel").text
    for key in HIDDEN_FROM_PARTNERS:
        url = items[key].get_absolute_url()
        assert partner_client.get(url).status_code == 404


@pytest.mark.django_db
def test_feeds_and_mon_quartier_stay_public_for_partners(partner_client, items, territory):
    for url in ("/actualites/rss/", "/actualites/atom/", f"/quartiers/{territory.slug}/"):
        page = partner_client.get(url).text
        assert PUBLIC in page
        assert SECRET not in page
        assert "Compte rendu confidentiel" not in page


@pytest.mark.django_db
def test_editors_preview_drafts(editor_client, items):
    response = editor_client.get(items["draft"].get_absolute_url())

    assert response.status_code == 200
    assert "Aperçu : cette actualité n'est pas en ligne" in response.text
    assert editor_client.get(f"/documents/{items['draft_doc'].slug}/fichier").status_code == 200


@pytest.mark.django_db
def test_public_files_may_be_cached(client, items):
    response = client.get(f"/documents/{items['public_doc'].slug}/fichier")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="guide-public.pdf"'
    assert response["Cache-Control"] == "public, max-age=3600"
