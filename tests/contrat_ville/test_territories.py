"""Organisers' pages for the territories: list, add, edit."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import partners.receivers  # noqa: F401  (connects the re-index; also done by PartnersConfig)
from contrat_ville.enums import AuditAction, TerritoryKind
from contrat_ville.models import AuditLogEntry, Territory
from contrat_ville.signals import territory_changed
from partners import search
from partners.models import Actor
from partners.services import actor_create

VALID = {"kind": "qva", "code": "", "name": "Centre-ville", "slug": "", "order": "60"}


def territory_urls():
    biollay = Territory.objects.get(slug="biollay-bellevue")
    return [
        reverse("territories"),
        reverse("territory_create"),
        reverse("territory_edit", args=[biollay.pk]),
    ]


def make_actor(name: str, territories) -> Actor:
    return actor_create(
        by=None,
        data={"name": name, "kind": "association", "summary": "Accueil de tous les habitants."},
        territories=territories,
        status="published",
    )


def field_errors(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- permissions --------------------------------------------------------------


def test_territory_pages_send_anonymous_visitors_to_login(client, db):
    for url in territory_urls():
        response = client.get(url)

        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("fixture", ["partner", "no_role_user"])
def test_territory_pages_forbidden_to_non_organisers(client, db, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    before = list(Territory.objects.values_list("pk", "name", "code"))

    for url in territory_urls():
        assert client.get(url).status_code == 403
        assert client.post(url, {**VALID, "name": "Piraté"}).status_code == 403

    assert list(Territory.objects.values_list("pk", "name", "code")) == before
    assert AuditLogEntry.objects.count() == 0


def test_territory_pages_open_to_organisers(organiser_client):
    for url in territory_urls():
        assert organiser_client.get(url).status_code == 200


def test_territories_in_navigation_of_organisers_only(organiser_client, partner):
    partner_client = Client()
    partner_client.force_login(partner)

    organiser_keys = [i["key"] for i in organiser_client.get("/").context["nav_items"]]
    partner_keys = [i["key"] for i in partner_client.get("/").context["nav_items"]]

    assert "territories" in organiser_keys
    assert "territories" not in partner_keys


# --- list -----------------------------------------------------------------------


def test_territories_lists_every_kind_in_display_order(organiser_client):
    Territory.objects.create(kind="qva", name="Centre-ville", slug="centre-ville", order=30)

    response = organiser_client.get(reverse("territories"))

    rows = [(t.name, t.kind, t.code) for t in response.context["territories"]]
    assert rows == [
        ("Biollay - Bellevue", "qpv", "QN07301M"),
        ("Les Hauts de Chambéry", "qpv", "QN07302M"),
        ("Centre-ville", "qva", ""),
        ("Chambéry", "commune", "73065"),
        ("Grand Chambéry (toute l'agglomération)", "epci", "200069110"),
    ]
    assert "<caption>" in response.content.decode()


def test_territories_query_count_does_not_grow(organiser_client):
    Territory.objects.all().delete()
    Territory.objects.create(kind="qpv", code="QN07301M", name="Biollay", slug="biollay")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = organiser_client.get(reverse("territories"))
        assert response.status_code == 200
        return len(queries), len(response.context["territories"])

    with_one = count_queries()
    for index in range(5):
        Territory.objects.create(kind="qva", name=f"Quartier {index}", slug=f"quartier-{index}")
    with_several = count_queries()

    assert (with_one[1], with_several[1]) == (1, 6)
    assert with_several[0] == with_one[0]


# --- add ------------------------------------------------------------------------


def test_territory_create_qva_without_code_makes_slug_and_audit(organiser_client, organiser):
    response = organiser_client.post(reverse("territory_create"), VALID)

    assert response.status_code == 302
    assert response.url == reverse("territories")
    territory = Territory.objects.get(name="Centre-ville")
    assert (territory.kind, territory.code, territory.slug, territory.order) == (
        "qva",
        "",
        "centre-ville",
        60,
    )
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id, entry.target_label, entry.data) == (
        organiser,
        AuditAction.TERRITORY_CREATED,
        str(territory.pk),
        "Centre-ville",
        {"kind": "qva", "code": "", "slug": "centre-ville"},
    )


def test_territory_create_normalises_the_code(organiser_client):
    response = organiser_client.post(
        reverse("territory_create"),
        {**VALID, "kind": "qpv", "code": " qn07303m ", "name": "Le Laurier"},
    )

    assert response.status_code == 302
    assert Territory.objects.get(name="Le Laurier").code == "QN07303M"


@pytest.mark.parametrize(
    ("kind", "code"),
    [("qpv", "QN07303M"), ("commune", "73008"), ("commune", "2A004"), ("epci", "200 041 010")],
)
def test_territory_create_accepts_official_code_formats(organiser_client, kind, code):
    response = organiser_client.post(
        reverse("territory_create"), {**VALID, "kind": kind, "code": code, "name": "Ailleurs"}
    )

    assert response.status_code == 302
    assert Territory.objects.get(name="Ailleurs").code == code.replace(" ", "")


def test_territory_create_slug_taken_gets_a_suffix(organiser_client):
    organiser_client.post(reverse("territory_create"), {**VALID, "name": "Chambéry"})

    assert Territory.objects.filter(name="Chambéry").count() == 2
    assert Territory.objects.get(name="Chambéry", kind="qva").slug == "chambery-2"


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        ("qpv", "QP073001", "Un code QPV s'écrit QN, 5 chiffres et une lettre, comme QN07301M."),
        ("qpv", "QN0730M", "Un code QPV s'écrit QN, 5 chiffres et une lettre, comme QN07301M."),
        (
            "commune",
            "7306",
            "Un code INSEE de commune compte 5 caractères, comme 73065 (2A004 en Corse).",
        ),
        (
            "epci",
            "20006911",
            "Le SIREN d'une intercommunalité compte 9 chiffres, comme 200069110.",
        ),
        (
            "qva",
            "QVA01",
            "Un quartier de veille active ou un secteur local n'a pas de code officiel : "
            "laissez ce champ vide.",
        ),
    ],
)
def test_territory_create_rejects_bad_code_next_to_the_field(organiser_client, kind, code, message):
    before = Territory.objects.count()

    response = organiser_client.post(
        reverse("territory_create"), {**VALID, "kind": kind, "code": code}
    )

    assert response.status_code == 200
    assert field_errors(response, "code") == [message]
    assert response.context["form"].non_field_errors() == []
    assert 'aria-describedby="id_code_helptext id_code_error"' in response.content.decode()
    assert (Territory.objects.count(), AuditLogEntry.objects.count()) == (before, 0)


def test_territory_create_duplicate_code_is_a_field_error(organiser_client):
    before = Territory.objects.count()

    response = organiser_client.post(
        reverse("territory_create"), {**VALID, "kind": "qpv", "code": "qn07301m", "name": "Bis"}
    )

    assert response.status_code == 200
    assert field_errors(response, "code") == ["« Biollay - Bellevue » porte déjà ce code."]
    assert response.context["form"].non_field_errors() == []
    assert (Territory.objects.count(), AuditLogEntry.objects.count()) == (before, 0)


def test_territory_same_code_allowed_for_another_kind(organiser_client):
    # The constraint is per kind; only QPVs have QN codes, but nothing else forbids it.
    response = organiser_client.post(
        reverse("territory_create"), {**VALID, "kind": "commune", "code": "73008", "name": "B"}
    )

    assert response.status_code == 302
    assert Territory.objects.filter(code="73008").count() == 1


def test_territory_create_duplicate_slug_is_a_field_error(organiser_client):
    response = organiser_client.post(reverse("territory_create"), {**VALID, "slug": "chambery"})

    assert response.status_code == 200
    assert field_errors(response, "slug") == [
        "Cet identifiant est déjà pris : choisissez-en un autre ou laissez vide."
    ]
    assert Territory.objects.filter(name="Centre-ville").count() == 0


def test_territory_create_empty_name_is_a_field_error(organiser_client):
    before = Territory.objects.count()

    response = organiser_client.post(reverse("territory_create"), {**VALID, "name": "  "})

    assert response.status_code == 200
    assert field_errors(response, "name") == ["Ce champ est obligatoire."]
    assert (Territory.objects.count(), AuditLogEntry.objects.count()) == (before, 0)


def test_territory_create_unknown_kind_is_a_field_error(organiser_client):
    response = organiser_client.post(
        reverse("territory_create"), {**VALID, "kind": "quartier", "order": "-3"}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "order"}


def test_territory_form_says_never_to_invent_a_code(organiser_client):
    response = organiser_client.get(reverse("territory_create"))

    assert "laissez vide s'il n'y a pas de code officiel ; n'inventez jamais de code" in (
        response.content.decode()
    )


# --- edit -----------------------------------------------------------------------


def test_territory_edit_unknown_is_404(organiser_client):
    assert organiser_client.get(reverse("territory_edit", args=[999999])).status_code == 404


def test_territory_edit_renames_with_audit_and_history(organiser_client, organiser):
    territory = Territory.objects.get(slug="biollay-bellevue")
    url = reverse("territory_edit", args=[territory.pk])

    response = organiser_client.post(
        url,
        {"kind": "qpv", "code": "QN07301M", "name": "Biollay", "slug": "biollay", "order": "10"},
    )

    assert response.status_code == 302
    territory.refresh_from_db()
    assert (territory.name, territory.slug, territory.code) == ("Biollay", "biollay", "QN07301M")
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id, entry.data) == (
        organiser,
        AuditAction.TERRITORY_UPDATED,
        str(territory.pk),
        {
            "changes": {
                "name": ["Biollay - Bellevue", "Biollay"],
                "slug": ["biollay-bellevue", "biollay"],
            }
        },
    )
    page = organiser_client.get(url).content.decode()
    assert "nom : « Biollay - Bellevue » devient « Biollay »" in page


def test_territory_edit_empty_slug_is_made_from_the_new_name(organiser_client):
    territory = Territory.objects.get(slug="hauts-de-chambery")

    organiser_client.post(
        reverse("territory_edit", args=[territory.pk]),
        {"kind": "qpv", "code": "QN07302M", "name": "Les Hauts", "slug": "", "order": "20"},
    )

    territory.refresh_from_db()
    assert (territory.name, territory.slug) == ("Les Hauts", "les-hauts")


def test_territory_edit_without_change_writes_nothing(organiser_client):
    territory = Territory.objects.get(slug="chambery")

    response = organiser_client.post(
        reverse("territory_edit", args=[territory.pk]),
        {"kind": "commune", "code": "73065", "name": "Chambéry", "slug": "chambery", "order": "50"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["Aucun changement."]
    assert AuditLogEntry.objects.count() == 0


def test_territory_edit_to_a_taken_code_is_a_field_error(organiser_client):
    territory = Territory.objects.get(slug="hauts-de-chambery")

    response = organiser_client.post(
        reverse("territory_edit", args=[territory.pk]),
        {"kind": "qpv", "code": "QN07301M", "name": "Les Hauts", "slug": "", "order": "20"},
    )

    assert response.status_code == 200
    assert field_errors(response, "code") == ["« Biollay - Bellevue » porte déjà ce code."]
    # The page still names the territory as stored, not as typed.
    assert response.context["name"] == "Les Hauts de Chambéry"
    territory.refresh_from_db()
    assert (territory.name, territory.code) == ("Les Hauts de Chambéry", "QN07302M")
    assert AuditLogEntry.objects.count() == 0


def test_territory_rename_reindexes_the_search_of_its_actors(
    organiser_client, django_capture_on_commit_callbacks
):
    biollay = Territory.objects.get(slug="biollay-bellevue")
    inside = make_actor("Maison de quartier", [biollay])
    elsewhere = make_actor("Club de foot", [Territory.objects.get(slug="chambery")])
    Actor.objects.filter(pk=elsewhere.pk).update(search_text="left alone")

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            reverse("territory_edit", args=[biollay.pk]),
            {
                "kind": "qpv",
                "code": "QN07301M",
                "name": "Quartier Sud Émeraude",
                "slug": "biollay-bellevue",
                "order": "10",
            },
        )

    assert response.status_code == 302
    inside.refresh_from_db()
    elsewhere.refresh_from_db()
    assert search.normalise("Quartier Sud Émeraude") in inside.search_text
    assert "biollay" not in inside.search_text
    assert "Quartier Sud Émeraude" in inside.search_keywords
    assert elsewhere.search_text == "left alone"


def test_territory_changed_is_sent_after_commit_with_the_fields(
    organiser, django_capture_on_commit_callbacks
):
    from contrat_ville.services import territory_update

    heard = []

    def listener(sender, *, territory, fields, **kwargs):
        heard.append((territory.pk, fields))

    territory = Territory.objects.get(slug="chambery")
    territory_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            territory_update(by=organiser, territory=territory, data={"order": 55})
            assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks() as unchanged:
            territory_update(by=organiser, territory=territory, data={"order": 55})
    finally:
        territory_changed.disconnect(listener)

    assert heard == [(territory.pk, ["order"])]
    assert unchanged == []


def test_territory_changed_receiver_failure_keeps_the_change(
    organiser, django_capture_on_commit_callbacks, caplog
):
    from contrat_ville.services import territory_update

    def broken(sender, **kwargs):
        raise RuntimeError("index down")

    territory = Territory.objects.get(slug="chambery")
    territory_changed.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            territory_update(by=organiser, territory=territory, data={"name": "Chambéry-le-Vieux"})
    finally:
        territory_changed.disconnect(broken)

    territory.refresh_from_db()
    assert territory.name == "Chambéry-le-Vieux"
    assert "territory_changed receiver" in caplog.text


def test_territory_kinds_cover_the_code_formats():
    from contrat_ville.enums import LOCAL_TERRITORY_KINDS
    from contrat_ville.forms import TERRITORY_CODE_FORMATS

    assert set(TERRITORY_CODE_FORMATS) | LOCAL_TERRITORY_KINDS == set(TerritoryKind)
