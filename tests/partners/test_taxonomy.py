"""Organisers' pages for the competence taxonomy and the publics."""

import pytest
from data_inclusion.schema import v1
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrat_ville.models import AuditLogEntry
from partners import search
from partners.enums import AuditAction
from partners.models import Actor, Competence, Public, Theme


def field_errors(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def taxonomy_urls():
    return [
        reverse("partners:taxonomy"),
        reverse("partners:theme_create"),
        reverse("partners:theme_edit", args=[Theme.objects.get(slug="sante").pk]),
        reverse("partners:competence_create"),
        reverse("partners:competence_edit", args=[Competence.objects.get(slug="acces-soins").pk]),
        reverse("partners:public_create"),
        reverse("partners:public_edit", args=[Public.objects.get(slug="jeunes").pk]),
    ]


def snapshot():
    return (
        list(Theme.objects.values_list("pk", "name", "slug", "order")),
        list(Competence.objects.values_list("pk", "theme", "name", "slug", "di_thematiques")),
        list(Public.objects.values_list("pk", "name", "slug", "is_data_inclusion")),
        AuditLogEntry.objects.count(),
    )


def competence_data(competence: Competence, **changes) -> dict:
    data = {
        "theme": competence.theme_id,
        "name": competence.name,
        "slug": competence.slug,
        "order": competence.order,
        "di_thematiques": competence.di_thematiques,
    }
    return {**data, **changes}


# --- the seeded codes are official ------------------------------------------------


def test_seeded_competence_codes_are_data_inclusion_thematiques(db):
    official = {t.value for t in v1.Thematique}
    seeded = {
        code
        for codes in Competence.objects.values_list("di_thematiques", flat=True)
        for code in codes.split()
    }

    assert len(seeded) > 20
    assert seeded - official == set()


def test_seeded_data_inclusion_publics_are_data_inclusion_publics(db):
    official = {p.value for p in v1.Public}
    seeded = set(Public.objects.filter(is_data_inclusion=True).values_list("slug", flat=True))

    assert len(seeded) > 5
    assert seeded - official == set()


# --- permissions --------------------------------------------------------------


def test_taxonomy_pages_send_anonymous_visitors_to_login(client, db):
    for url in taxonomy_urls():
        response = client.get(url)

        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("fixture", ["partner", "no_role_user"])
def test_taxonomy_pages_forbidden_to_non_organisers(client, db, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    before = snapshot()

    for url in taxonomy_urls():
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "Piraté", "order": "1"}).status_code == 403

    assert snapshot() == before


def test_taxonomy_pages_open_to_organisers(organiser_client):
    for url in taxonomy_urls():
        assert organiser_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name", ["partners:theme_edit", "partners:competence_edit", "partners:public_edit"]
)
def test_taxonomy_edit_unknown_is_404(organiser_client, name):
    assert organiser_client.get(reverse(name, args=[999999])).status_code == 404


# --- the overview -------------------------------------------------------------


def test_taxonomy_lists_themes_competences_publics_with_actor_counts(organiser_client, make_actor):
    make_actor("Centre de santé", competences=["acces-soins", "sante-mentale"], publics=["jeunes"])
    make_actor("Maison des jeunes", competences=["acces-soins"], publics=["jeunes", "familles"])

    response = organiser_client.get(reverse("partners:taxonomy"))

    assert response.status_code == 200
    themes = list(response.context["themes"])
    assert [t.slug for t in themes] == list(Theme.objects.values_list("slug", flat=True))
    sante = next(t for t in themes if t.slug == "sante")
    assert [(c.slug, c.actor_count) for c in sante.competences.all()] == [
        ("acces-soins", 2),
        ("sante-mentale", 1),
        ("addictions", 0),
    ]
    counts = {p.slug: p.actor_count for p in response.context["publics"]}
    assert (counts["jeunes"], counts["familles"], counts["seniors"]) == (2, 1, 0)
    assert "<code>sante--acces-aux-soins</code>" in response.content.decode()


def test_taxonomy_query_count_does_not_grow(organiser_client, make_actor):
    Actor.objects.all().delete()
    Competence.objects.all().delete()
    Theme.objects.all().delete()
    Public.objects.all().delete()

    def add(index: int) -> None:
        theme = Theme.objects.create(name=f"Thème {index}", slug=f"theme-{index}")
        Competence.objects.create(theme=theme, name=f"Compétence {index}", slug=f"c-{index}")
        Public.objects.create(name=f"Public {index}", slug=f"p-{index}")
        make_actor(f"Acteur {index}", competences=[f"c-{index}"], publics=[f"p-{index}"])

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = organiser_client.get(reverse("partners:taxonomy"))
        assert response.status_code == 200
        return len(queries), len(response.context["themes"]), len(response.context["publics"])

    add(0)
    with_one = count_queries()
    for index in range(1, 6):
        add(index)
    with_several = count_queries()

    assert (with_one[1:], with_several[1:]) == ((1, 1), (6, 6))
    assert with_several[0] == with_one[0]


# --- themes -------------------------------------------------------------------


def test_theme_create_makes_slug_and_audit(organiser_client, organiser):
    response = organiser_client.post(
        reverse("partners:theme_create"), {"name": "Petite enfance", "slug": "", "order": "130"}
    )

    assert response.status_code == 302
    assert response.url == reverse("partners:taxonomy")
    theme = Theme.objects.get(name="Petite enfance")
    assert (theme.slug, theme.order) == ("petite-enfance", 130)
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_type, entry.target_id, entry.data) == (
        organiser,
        AuditAction.TAXONOMY_CHANGED,
        "partners.theme",
        str(theme.pk),
        {"object": "theme", "created": True},
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "order": "1"}, "name", "Ce champ est obligatoire."),
        ({"name": "santé", "order": "1"}, "name", "Une thématique porte déjà ce nom."),
        (
            {"name": "Nouveau", "slug": "sante", "order": "1"},
            "slug",
            "Cet identifiant est déjà pris : choisissez-en un autre ou laissez vide.",
        ),
        ({"name": "Nouveau", "slug": "pas un slug", "order": "1"}, "slug", None),
        ({"name": "Nouveau", "order": "beaucoup"}, "order", None),
    ],
)
def test_theme_create_bad_input_is_a_field_error(organiser_client, data, field, message):
    before = snapshot()

    response = organiser_client.post(reverse("partners:theme_create"), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    if message:
        assert field_errors(response, field) == [message]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert snapshot() == before


def test_theme_rename_reindexes_actors_of_its_competences(organiser_client, organiser, make_actor):
    actor = make_actor("Centre de santé", competences=["sante-mentale"])
    other = make_actor("Club de foot", competences=["pratique-sportive"])
    Actor.objects.filter(pk=other.pk).update(search_text="left alone")
    theme = Theme.objects.get(slug="sante")

    response = organiser_client.post(
        reverse("partners:theme_edit", args=[theme.pk]),
        {"name": "Santé et bien-être", "slug": "sante", "order": theme.order},
    )

    assert response.status_code == 302
    actor.refresh_from_db()
    other.refresh_from_db()
    assert search.normalise("Santé et bien-être") in actor.search_text
    assert other.search_text == "left alone"
    entry = AuditLogEntry.objects.get(action=AuditAction.TAXONOMY_CHANGED)
    assert entry.data == {
        "object": "theme",
        "created": False,
        "changes": {"name": ["Santé", "Santé et bien-être"]},
    }


def test_theme_edit_without_change_writes_nothing(organiser_client):
    theme = Theme.objects.get(slug="sante")

    response = organiser_client.post(
        reverse("partners:theme_edit", args=[theme.pk]),
        {"name": "Santé", "slug": "sante", "order": theme.order},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["Aucun changement."]
    assert AuditLogEntry.objects.count() == 0


# --- competences ----------------------------------------------------------------


def test_competence_create_cleans_codes_and_records_audit(organiser_client, organiser):
    theme = Theme.objects.get(slug="sante")

    response = organiser_client.post(
        reverse("partners:competence_create"),
        {
            "theme": theme.pk,
            "name": "Nutrition",
            "slug": "",
            "order": "9",
            "di_thematiques": (
                " sante--acces-aux-soins\nSANTE--sante-mentale  sante--acces-aux-soins "
            ),
        },
    )

    assert response.status_code == 302
    competence = Competence.objects.get(name="Nutrition")
    assert (competence.theme, competence.slug, competence.order, competence.di_thematiques) == (
        theme,
        "nutrition",
        9,
        "sante--acces-aux-soins sante--sante-mentale",
    )
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.target_type, entry.data) == (
        organiser,
        "partners.competence",
        {"object": "competence", "created": True},
    )


def test_competence_create_preselects_the_theme_from_the_link(organiser_client):
    theme = Theme.objects.get(slug="sante")
    url = reverse("partners:competence_create")

    with_theme = organiser_client.get(url, {"theme": theme.pk})
    garbage = organiser_client.get(url, {"theme": "abc"})

    assert with_theme.context["form"]["theme"].value() == str(theme.pk)
    assert garbage.status_code == 200
    assert garbage.context["form"]["theme"].value() is None


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (
            "sante-acces-aux-soins",
            "Code mal formé : sante-acces-aux-soins. Un code s'écrit catégorie--sous-catégorie, "
            "en minuscules, sans accent, comme sante--acces-aux-soins.",
        ),
        (
            "sante--acces-aux-soins santé--accès",
            "Code mal formé : santé--accès. Un code s'écrit catégorie--sous-catégorie, "
            "en minuscules, sans accent, comme sante--acces-aux-soins.",
        ),
    ],
)
def test_competence_bad_data_inclusion_code_is_a_field_error(organiser_client, codes, message):
    before = snapshot()
    theme = Theme.objects.get(slug="sante")

    response = organiser_client.post(
        reverse("partners:competence_create"),
        {"theme": theme.pk, "name": "Nutrition", "order": "9", "di_thematiques": codes},
    )

    assert response.status_code == 200
    assert field_errors(response, "di_thematiques") == [message]
    assert list(response.context["form"].errors) == ["di_thematiques"]
    assert snapshot() == before


def test_competence_same_name_in_theme_is_a_field_error(organiser_client):
    before = snapshot()
    sante = Theme.objects.get(slug="sante")

    response = organiser_client.post(
        reverse("partners:competence_create"),
        {"theme": sante.pk, "name": "santé mentale", "order": "9"},
    )

    assert response.status_code == 200
    assert field_errors(response, "name") == ["Cette thématique a déjà une compétence de ce nom."]
    assert response.context["form"].non_field_errors() == []
    assert snapshot() == before


def test_competence_same_name_in_another_theme_is_allowed(organiser_client):
    jeunesse = Theme.objects.get(slug="jeunesse")

    response = organiser_client.post(
        reverse("partners:competence_create"),
        {"theme": jeunesse.pk, "name": "Santé mentale", "order": "9"},
    )

    assert response.status_code == 302
    assert Competence.objects.get(theme=jeunesse, name="Santé mentale").slug == "sante-mentale-2"


def test_competence_unknown_theme_is_a_field_error(organiser_client):
    before = snapshot()

    response = organiser_client.post(
        reverse("partners:competence_create"), {"theme": "999999", "name": "X", "order": "1"}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["theme"]
    assert snapshot() == before


def test_competence_rename_reindexes_its_actors(organiser_client, make_actor):
    actor = make_actor("Centre de santé", competences=["sante-mentale"])
    other = make_actor("Club de foot", competences=["pratique-sportive"])
    Actor.objects.filter(pk=other.pk).update(search_text="left alone")
    competence = Competence.objects.get(slug="sante-mentale")

    response = organiser_client.post(
        reverse("partners:competence_edit", args=[competence.pk]),
        competence_data(competence, name="Souffrance psychique"),
    )

    assert response.status_code == 302
    actor.refresh_from_db()
    other.refresh_from_db()
    assert search.normalise("Souffrance psychique") in actor.search_text
    assert "Souffrance psychique" in actor.search_keywords
    assert other.search_text == "left alone"
    entry = AuditLogEntry.objects.get(action=AuditAction.TAXONOMY_CHANGED)
    assert (entry.target_id, entry.data) == (
        str(competence.pk),
        {
            "object": "competence",
            "created": False,
            "changes": {"name": ["Santé mentale", "Souffrance psychique"]},
        },
    )


def test_competence_moved_to_another_theme_reindexes_its_actors(organiser_client, make_actor):
    actor = make_actor("Centre de santé", competences=["sante-mentale"])
    competence = Competence.objects.get(slug="sante-mentale")
    jeunesse = Theme.objects.get(slug="jeunesse")

    organiser_client.post(
        reverse("partners:competence_edit", args=[competence.pk]),
        competence_data(competence, theme=jeunesse.pk),
    )

    actor.refresh_from_db()
    assert actor.search_keywords == "Santé mentale ; Jeunesse"
    entry = AuditLogEntry.objects.get(action=AuditAction.TAXONOMY_CHANGED)
    assert entry.data["changes"] == {"theme": ["Santé", "Jeunesse"]}


# --- publics --------------------------------------------------------------------


def test_public_create_with_data_inclusion_code(organiser_client, organiser):
    response = organiser_client.post(
        reverse("partners:public_create"),
        {"name": "Personnes âgées isolées", "slug": "", "order": "30"},
    )

    assert response.status_code == 302
    public = Public.objects.get(name="Personnes âgées isolées")
    assert (public.slug, public.order, public.is_data_inclusion) == (
        "personnes-agees-isolees",
        30,
        False,
    )
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.target_type, entry.data) == (
        organiser,
        "partners.public",
        {"object": "public", "created": True},
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "order": "1"}, "name", "Ce champ est obligatoire."),
        ({"name": "JEUNES", "order": "1"}, "name", "Un public porte déjà ce nom."),
        (
            {"name": "Aidants", "order": "1", "is_data_inclusion": "on"},
            "slug",
            "Pour un public data·inclusion, indiquez son code exact dans l'identifiant.",
        ),
    ],
)
def test_public_create_bad_input_is_a_field_error(organiser_client, data, field, message):
    before = snapshot()

    response = organiser_client.post(reverse("partners:public_create"), data)

    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert list(response.context["form"].errors) == [field]
    assert snapshot() == before


def test_public_rename_reindexes_its_actors(organiser_client, make_actor):
    actor = make_actor("Maison des jeunes", publics=["jeunes"])
    public = Public.objects.get(slug="jeunes")

    response = organiser_client.post(
        reverse("partners:public_edit", args=[public.pk]),
        {"name": "Adolescents", "slug": "jeunes", "order": public.order, "is_data_inclusion": "on"},
    )

    assert response.status_code == 302
    actor.refresh_from_db()
    public.refresh_from_db()
    assert (public.name, public.slug, public.is_data_inclusion) == ("Adolescents", "jeunes", True)
    assert "Adolescents" in actor.search_keywords
    assert search.normalise("Adolescents") in actor.search_text
