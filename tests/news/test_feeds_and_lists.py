"""Feeds are valid XML with public items only; list pages read in a constant number of
queries; filters and search narrow the lists."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.enums import Audience, DocumentKind, Status

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.django_db
def test_rss_feed_is_valid_xml_with_public_items_only(client, make_news, priority):
    public = make_news("Ouverte à tous")
    public.priorities.add(priority)
    make_news("Pour les partenaires", audience=Audience.PARTNERS)
    make_news("Brouillon", status=Status.DRAFT)

    response = client.get("/actualites/rss/")

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314
    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Ouverte à tous"]
    assert items[0].findtext("link") == f"http://testserver/actualites/{public.slug}/"
    assert items[0].findtext("category") == "Jeunesse"
    assert items[0].findtext("description") == public.summary


@pytest.mark.django_db
def test_atom_feed_is_valid_xml_with_public_items_only(partner_client, make_news):
    make_news("Ouverte à tous")
    make_news("Pour les partenaires", audience=Audience.PARTNERS)

    response = partner_client.get("/actualites/atom/")

    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == f"{ATOM}feed"
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["Ouverte à tous"]


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


LISTS = [
    "/actualites/",
    "/actualites/?priorite=jeunesse",
    "/actualites/rss/",
    "/documents/",
    "/documents/?q=document&type=guide",
    "/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_list_queries_do_not_grow_with_items(
    client, partner, make_news, make_document, priority, territory, url, who
):
    if who == "partner":
        client.force_login(partner)

    def add(number):
        for item in (
            make_news(f"Actualité {number}"),
            make_document(f"Document {number}"),
            make_news(f"Réservée {number}", audience=Audience.PARTNERS),
        ):
            item.priorities.add(priority)
            item.territories.add(territory)

    add(1)
    one = count(client, url)
    for number in range(2, 7):
        add(number)
    assert count(client, url) == one


@pytest.mark.django_db
def test_editor_desk_queries_do_not_grow(organiser_client, make_news, make_document):
    make_news()
    make_document()
    one = count(organiser_client, "/actualites/redaction/")
    for _ in range(5):
        make_news(status=Status.DRAFT)
        make_document(status=Status.UNPUBLISHED)
    assert count(organiser_client, "/actualites/redaction/") == one


@pytest.mark.django_db
def test_neighbourhood_section_queries_do_not_grow(client, make_news, make_document, territory):
    url = f"/quartiers/{territory.slug}/"
    make_news().territories.add(territory)
    make_document().territories.add(territory)
    one = count(client, url)
    for _ in range(5):
        make_news().territories.add(territory)
        make_document().territories.add(territory)
    assert count(client, url) == one


@pytest.mark.django_db
def test_news_list_filters_by_priority_and_territory(client, make_news, priority, territory):
    make_news("Jeunesse ici").priorities.add(priority)
    make_news("Au quartier").territories.add(territory)
    make_news("Autre chose")

    by_priority = client.get("/actualites/?priorite=jeunesse").text
    by_territory = client.get(f"/actualites/?territoire={territory.slug}").text
    unknown = client.get("/actualites/?priorite=supprimee")

    assert "Jeunesse ici" in by_priority
    assert "Au quartier" not in by_priority
    assert "Au quartier" in by_territory
    assert "Jeunesse ici" not in by_territory
    assert unknown.status_code == 200
    assert "Autre chose" in unknown.text  # an unknown value is ignored
    assert "error-summary" not in unknown.text


@pytest.mark.django_db
def test_library_search_and_filters(client, make_document, priority, territory):
    import datetime

    make_document("Bilan chiffré", kind=DocumentKind.REPORT, date=datetime.date(2025, 3, 1))
    easy = make_document("Le contrat en facile à lire", easy_read=True)
    easy.territories.add(territory)
    guide = make_document("Guide pratique", summary="Aller vers les habitants.")
    guide.priorities.add(priority)

    def titles(query: str) -> set[str]:
        page = client.get(f"/documents/?{query}").text
        return {
            t
            for t in ("Bilan chiffré", "Le contrat en facile à lire", "Guide pratique")
            if t in page
        }

    assert titles("q=habitants") == {"Guide pratique"}
    assert titles("q=BILAN+chiffr%C3%A9") == {"Bilan chiffré"}
    assert titles("type=report") == {"Bilan chiffré"}
    assert titles("falc=on") == {"Le contrat en facile à lire"}
    assert titles("priorite=jeunesse") == {"Guide pratique"}
    assert titles(f"territoire={territory.slug}") == {"Le contrat en facile à lire"}
    assert titles("annee=2025") == {"Bilan chiffré"}
    assert titles("annee=1999&type=inconnu") == {
        "Bilan chiffré",
        "Le contrat en facile à lire",
        "Guide pratique",
    }


@pytest.mark.django_db
def test_news_list_is_paginated(client, make_news):
    for number in range(12):
        make_news(f"Nouvelle numéro {number:02d}")

    first = client.get("/actualites/").text
    second = client.get("/actualites/?page=2").text

    assert first.count('class="card news-card"') == 10
    assert second.count('class="card news-card"') == 2
    assert 'rel="next"' in first
