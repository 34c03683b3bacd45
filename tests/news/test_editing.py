"""Who writes: organisers and editors. Everyone else gets a 403 (or the login page), and
every creation, edit, publication and withdrawal goes to the journal."""

import pytest

from contrat_ville.audit import describe
from contrat_ville.enums import Role
from contrat_ville.models import AuditLogEntry
from news.enums import Audience, AuditAction, Status
from news.models import Document, NewsItem
from tests.factories import UserFactory

NEWS_DATA = {
    "title": "Nouvelle permanence",
    "date": "2026-03-01",
    "summary": "Une permanence chaque jeudi.",
    "body": "Le **jeudi** matin.",
    "audience": "public",
}


def editor_urls(news: NewsItem, document: Document) -> list[tuple[str, str]]:
    return [
        ("get", "/actualites/redaction/"),
        ("get", "/actualites/redaction/ajouter/"),
        ("post", "/actualites/redaction/ajouter/"),
        ("get", f"/actualites/redaction/{news.pk}/"),
        ("post", f"/actualites/redaction/{news.pk}/"),
        ("post", f"/actualites/redaction/{news.pk}/publier/"),
        ("post", f"/actualites/redaction/{news.pk}/retirer/"),
        ("get", "/documents/ajouter/"),
        ("post", "/documents/ajouter/"),
        ("get", f"/documents/gestion/{document.pk}/"),
        ("post", f"/documents/gestion/{document.pk}/publier/"),
        ("post", f"/documents/gestion/{document.pk}/retirer/"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "roles", [[Role.COTECH], [Role.FACILITATOR], [Role.JUROR], [Role.CONSEIL_CITOYEN], []]
)
def test_non_editors_cannot_write(client, make_news, make_document, roles):
    news = make_news(status=Status.DRAFT)
    document = make_document(status=Status.DRAFT)
    client.force_login(UserFactory(roles=roles))

    for method, url in editor_urls(news, document):
        response = getattr(client, method)(url, NEWS_DATA if method == "post" else None)
        assert response.status_code == 403, url
    news.refresh_from_db()
    assert news.status == Status.DRAFT
    assert NewsItem.objects.count() == 1
    assert AuditLogEntry.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client, make_news, make_document):
    for method, url in editor_urls(make_news(), make_document()):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_editor_role_is_a_partner_role(editor):
    assert editor.has_perm("news.edit")
    assert editor.has_perm("contrat_ville.view_partner_area")
    assert not editor.has_perm("contrat_ville.manage_roles")


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["editor_client", "organiser_client"])
def test_editors_and_organisers_write_publish_and_unpublish(request, fixture, priority):
    client = request.getfixturevalue(fixture)

    response = client.post(
        "/actualites/redaction/ajouter/", {**NEWS_DATA, "priorities": [priority.pk]}
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert (item.status, item.slug, list(item.priorities.all())) == (
        Status.DRAFT,
        "nouvelle-permanence",
        [priority],
    )
    assert client.get("/").status_code == 200
    assert "Nouvelle permanence" not in client.get("/actualites/").text

    client.post(f"/actualites/redaction/{item.pk}/publier/")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert item.published_at is not None
    assert "Nouvelle permanence" in client.get("/actualites/").text

    client.post(
        f"/actualites/redaction/{item.pk}/",
        {**NEWS_DATA, "title": "Permanence du jeudi", "audience": "partners"},
    )
    client.post(f"/actualites/redaction/{item.pk}/retirer/")
    item.refresh_from_db()
    assert (item.title, item.audience, item.status) == (
        "Permanence du jeudi",
        Audience.PARTNERS,
        Status.UNPUBLISHED,
    )
    assert list(AuditLogEntry.objects.order_by("id").values_list("action", "target_label")) == [
        (AuditAction.NEWS_CREATED, "Nouvelle permanence"),
        (AuditAction.NEWS_PUBLISHED, "Nouvelle permanence"),
        (AuditAction.NEWS_UPDATED, "Permanence du jeudi"),
        (AuditAction.NEWS_UNPUBLISHED, "Permanence du jeudi"),
    ]


@pytest.mark.django_db
def test_journal_words_the_edit_with_its_fields(organiser_client, organiser, make_news):
    item = make_news("Ancien titre")

    organiser_client.post(f"/actualites/redaction/{item.pk}/", {**NEWS_DATA, "title": "Neuf"})

    entry = AuditLogEntry.objects.get(action=AuditAction.NEWS_UPDATED)
    assert entry.actor == organiser
    assert entry.data["changes"]["title"] == ["Ancien titre", "Neuf"]
    assert describe(entry).startswith(f"{organiser.get_full_name()} a modifié l'actualité Neuf :")
    assert "titre" in describe(entry)


@pytest.mark.django_db
def test_an_unchanged_form_writes_no_journal_entry(organiser_client, make_news):
    item = make_news(**{k: v for k, v in NEWS_DATA.items() if k not in ("date", "title")})
    data = {**NEWS_DATA, "title": item.title, "date": item.date.isoformat()}

    organiser_client.post(f"/actualites/redaction/{item.pk}/", data)

    assert AuditLogEntry.objects.count() == 0


@pytest.mark.django_db
def test_documents_publish_edit_unpublish_go_to_the_journal(organiser_client, pdf_bytes):
    from .conftest import upload

    organiser_client.post(
        "/documents/ajouter/",
        {
            "kind": "call",
            "title": "Appel à projets",
            "date": "2026-02-01",
            "summary": "Déposez vos projets.",
            "audience": "partners",
            "file": upload("appel.pdf", pdf_bytes),
        },
    )
    document = Document.objects.get()
    organiser_client.post(f"/documents/gestion/{document.pk}/publier/")
    organiser_client.post(
        f"/documents/gestion/{document.pk}/",
        {
            "kind": "call",
            "title": "Appel à projets 2026",
            "date": "2026-02-01",
            "summary": "Déposez vos projets.",
            "audience": "partners",
            "easy_read": "on",
        },
    )
    organiser_client.post(f"/documents/gestion/{document.pk}/retirer/")

    document.refresh_from_db()
    assert (document.title, document.easy_read, document.status) == (
        "Appel à projets 2026",
        True,
        Status.UNPUBLISHED,
    )
    assert document.file  # kept when the form sent no new file
    entries = list(AuditLogEntry.objects.order_by("id"))
    assert [entry.action for entry in entries] == [
        AuditAction.DOCUMENT_CREATED,
        AuditAction.DOCUMENT_PUBLISHED,
        AuditAction.DOCUMENT_UPDATED,
        AuditAction.DOCUMENT_UNPUBLISHED,
    ]
    assert describe(entries[1]).endswith(
        "a publié le document Appel à projets. Lecteurs : partenaires seulement."
    )


@pytest.mark.django_db
def test_publishing_twice_says_so_and_writes_once(organiser_client, make_news):
    item = make_news()

    response = organiser_client.post(f"/actualites/redaction/{item.pk}/publier/", follow=True)

    assert "C&#x27;est déjà publié." in response.text
    assert AuditLogEntry.objects.count() == 0


@pytest.mark.django_db
def test_replacing_a_file_by_a_link_needs_clearing_it(organiser_client, make_document, pdf_bytes):
    document = make_document(content=pdf_bytes)
    data = {
        "kind": "guide",
        "title": document.title,
        "date": "2026-02-01",
        "summary": "s",
        "audience": "public",
        "url": "https://example.org/ailleurs",
    }

    kept = organiser_client.post(f"/documents/gestion/{document.pk}/", data)
    cleared = organiser_client.post(
        f"/documents/gestion/{document.pk}/", {**data, "file-clear": "on"}
    )

    assert kept.status_code == 200
    assert "cochez « Effacer »" in kept.text
    assert cleared.status_code == 302
    document.refresh_from_db()
    assert (document.file.name, document.url, document.file_label) == (
        "",
        "https://example.org/ailleurs",
        "",
    )


@pytest.mark.django_db
def test_slugs_stay_unique_and_avoid_the_desk_addresses(organiser_client):
    for title in ("Rédaction", "Rédaction", "RSS"):
        organiser_client.post("/actualites/redaction/ajouter/", {**NEWS_DATA, "title": title})

    assert sorted(NewsItem.objects.values_list("slug", flat=True)) == [
        "redaction-2",
        "redaction-3",
        "rss-2",
    ]
