import re

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrat_ville.enums import AuditAction, Role, TerritoryKind
from contrat_ville.models import AuditLogEntry, RoleAssignment, Territory
from contrat_ville.services import audit_log_record
from tests.factories import UserFactory

# --- /healthz -----------------------------------------------------------------


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert (response.status_code, response.content) == (200, b"ok\n")


def test_healthz_answers_503_when_the_database_fails(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patch:  # undone before the db fixture tears down
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")

    assert (response.status_code, response.content) == (503, b"database unavailable\n")


# --- home and navigation ------------------------------------------------------


def test_home_anonymous_offers_login_and_no_staff_links(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert reverse("account_login") in response.content.decode()
    assert [item["key"] for item in response.context["nav_items"]] == [
        "home",
        "directory",
        "contract",
        "news",
        "documents",
        "neighbourhoods",
        "actions",
        "rencontres",
        "trainings",
        "ateliers",
    ]


def test_home_partner_sees_role_but_not_organiser_links(client, partner):
    client.force_login(partner)

    response = client.get("/")

    assert [item["key"] for item in response.context["nav_items"]] == [
        "home",
        "directory",
        "contract",
        "news",
        "documents",
        "neighbourhoods",
        "actions",
        "rencontres",
        "trainings",
        "ateliers",
        "history",
    ]
    assert [str(label) for label in response.context["my_roles"]] == [str(Role.COTECH.label)]
    assert reverse("roles") not in response.content.decode()


def test_home_organiser_sees_roles_and_journal(organiser_client):
    response = organiser_client.get("/")

    assert [item["key"] for item in response.context["nav_items"]] == [
        "home",
        "directory",
        "contract",
        "news",
        "documents",
        "neighbourhoods",
        "actions",
        "rencontres",
        "trainings",
        "ateliers",
        "directory_moderation",
        "news_editor",
        "territories",
        "perimeter",
        "roles",
        "history",
        "identity",
        "audit",
    ]
    assert reverse("roles") in response.content.decode()


def test_home_in_english_after_language_switch(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get("/")

    assert '<html lang="en">' in response.content.decode()
    assert "<h1>The partners' portal of the City Contract (Contrat de Ville)</h1>" in (
        response.content.decode().replace("&#x27;", "'")
    )


# --- /roles/ ------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["partner", "no_role_user"])
def test_roles_page_forbidden_to_non_organisers(client, db, request, fixture):
    client.force_login(request.getfixturevalue(fixture))

    assert client.get(reverse("roles")).status_code == 403


def test_roles_page_lists_people_with_their_roles(organiser_client, partner):
    response = organiser_client.get(reverse("roles"))

    assert response.status_code == 200
    people = {p.email: [a.role for a in p.role_assignments.all()] for p in response.context["page"]}
    assert people == {"orga@example.test": ["organiser"], "cotech@example.test": ["cotech"]}


def test_roles_page_filters_by_name_and_role(organiser_client, partner, no_role_user):
    by_role = organiser_client.get(reverse("roles"), {"role": "cotech"})
    by_name = organiser_client.get(reverse("roles"), {"q": "sans-role"})
    without = organiser_client.get(reverse("roles"), {"role": "none"})

    assert [p.email for p in by_role.context["page"]] == ["cotech@example.test"]
    assert [p.email for p in by_name.context["page"]] == ["sans-role@example.test"]
    assert [p.email for p in without.context["page"]] == ["sans-role@example.test"]


def test_roles_page_rejects_unknown_role_filter_without_error(organiser_client, partner):
    response = organiser_client.get(reverse("roles"), {"role": "pirate"})

    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert len(response.context["page"]) == 2


def test_roles_page_query_count_does_not_grow_with_people(organiser_client, organiser):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = organiser_client.get(reverse("roles"))
        assert response.status_code == 200
        return len(queries)

    with_one = count_queries()
    for index in range(6):
        UserFactory(roles=[Role.COPIL, Role.JUROR] if index % 2 else [])
    with_several = count_queries()

    assert with_several == with_one


# --- /roles/<id>/ -------------------------------------------------------------


def test_user_roles_edit_forbidden_to_partners(client, partner, no_role_user):
    client.force_login(partner)
    url = reverse("user_roles_edit", args=[no_role_user.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"colleges": ["copil"]}).status_code == 403
    assert RoleAssignment.objects.filter(user=no_role_user).count() == 0


def test_user_roles_edit_unknown_person_is_404(organiser_client):
    assert organiser_client.get(reverse("user_roles_edit", args=[999999])).status_code == 404


def test_user_roles_edit_assigns_and_removes_with_audit(organiser_client, organiser, partner):
    url = reverse("user_roles_edit", args=[partner.pk])

    response = organiser_client.post(
        url, {"colleges": ["copil", "conseil_citoyen"], "portal_roles": ["juror"]}
    )

    assert response.status_code == 302
    assert set(RoleAssignment.objects.filter(user=partner).values_list("role", flat=True)) == {
        "copil",
        "conseil_citoyen",
        "juror",
    }
    entries = AuditLogEntry.objects.filter(target_id=str(partner.pk)).order_by("action", "id")
    assert [(e.actor_id, e.action, e.data["role"]) for e in entries] == [
        (organiser.pk, AuditAction.ROLE_ASSIGNED, "conseil_citoyen"),
        (organiser.pk, AuditAction.ROLE_ASSIGNED, "copil"),
        (organiser.pk, AuditAction.ROLE_ASSIGNED, "juror"),
        (organiser.pk, AuditAction.ROLE_REMOVED, "cotech"),
    ]
    page = organiser_client.get(url).content.decode()
    assert "Rôle retiré" in page


def test_user_roles_edit_refuses_unknown_role_and_keeps_roles(organiser_client, partner):
    url = reverse("user_roles_edit", args=[partner.pk])

    response = organiser_client.post(url, {"colleges": ["pirate"]})

    assert response.status_code == 200
    assert "colleges" in response.context["form"].errors
    assert list(RoleAssignment.objects.filter(user=partner).values_list("role", flat=True)) == [
        "cotech"
    ]
    assert AuditLogEntry.objects.count() == 0


def test_user_roles_edit_ties_a_group_to_its_error(organiser_client, partner):
    url = reverse("user_roles_edit", args=[partner.pk])

    page = organiser_client.post(url, {"colleges": ["pirate"]}).content.decode()

    # A screen reader entering the group of checkboxes hears its error, not only its help.
    fieldset = re.search(r"(<fieldset[^>]*>)\s*<legend>Collège", page)[1]
    described_by = re.search(r'aria-describedby="([^"]*)"', fieldset)[1].split()
    assert "id_colleges_error" in described_by
    assert re.search(r'<ul class="errorlist" id="id_colleges_error">', page)
    for other in re.findall(r"<fieldset[^>]*>", page):
        if other != fieldset:
            assert "_error" not in other


def test_user_roles_edit_refuses_to_remove_the_last_organiser(organiser_client, organiser):
    url = reverse("user_roles_edit", args=[organiser.pk])

    response = organiser_client.post(url, {"colleges": ["copil"]})

    assert response.status_code == 200
    assert "dernier organisateur" in response.content.decode()
    assert set(RoleAssignment.objects.filter(user=organiser).values_list("role", flat=True)) == {
        "organiser"
    }
    assert AuditLogEntry.objects.count() == 0


# --- /journal/ ----------------------------------------------------------------


def test_audit_log_forbidden_to_partners(client, partner):
    client.force_login(partner)

    assert client.get(reverse("audit_log")).status_code == 403


def test_audit_log_lists_and_filters_entries(organiser_client, organiser, partner):
    audit_log_record(
        actor=organiser, action=AuditAction.ROLE_ASSIGNED, target=partner, data={"role": "copil"}
    )
    audit_log_record(
        actor=organiser, action=AuditAction.ROLE_REMOVED, target=partner, data={"role": "cotech"}
    )

    everything = organiser_client.get(reverse("audit_log"))
    removed = organiser_client.get(reverse("audit_log"), {"action": "role.removed"})

    assert [e.action for e in everything.context["page"]] == ["role.removed", "role.assigned"]
    assert [e.data for e in removed.context["page"]] == [{"role": "cotech"}]


def test_audit_log_query_count_does_not_grow_with_entries(organiser_client, organiser, partner):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert organiser_client.get(reverse("audit_log")).status_code == 200
        return len(queries)

    audit_log_record(actor=organiser, action=AuditAction.ROLE_ASSIGNED, target=partner)
    with_one = count_queries()
    for _ in range(8):
        audit_log_record(actor=organiser, action=AuditAction.ROLE_REMOVED, target=partner)
    with_several = count_queries()

    assert with_several == with_one


def test_home_stays_french_for_an_english_browser(client, db):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})

    assert '<html lang="fr">' in response.content.decode()


def test_language_cookie_with_unknown_language_falls_back_to_french(client, db):
    client.cookies["django_language"] = "de"

    response = client.get("/")

    assert '<html lang="fr">' in response.content.decode()


# --- /accounts/profil/ --------------------------------------------------------


def test_profile_lets_a_person_correct_their_name(client, no_role_user):
    client.force_login(no_role_user)

    response = client.post(reverse("profile"), {"first_name": " Inès ", "last_name": "Durand"})

    assert response.status_code == 302
    no_role_user.refresh_from_db()
    assert (no_role_user.first_name, no_role_user.last_name) == ("Inès", "Durand")


def test_profile_keeps_what_was_typed_when_a_field_is_too_long(client, no_role_user):
    client.force_login(no_role_user)

    response = client.post(reverse("profile"), {"first_name": "Inès", "last_name": "x" * 151})

    assert response.status_code == 200
    assert response.context["form"]["first_name"].value() == "Inès"
    assert "last_name" in response.context["form"].errors
    no_role_user.refresh_from_db()
    assert no_role_user.first_name != "Inès"


def test_profile_only_edits_the_logged_in_person(client, no_role_user, partner):
    client.force_login(no_role_user)

    client.post(
        reverse("profile"), {"first_name": "Pirate", "last_name": "Pirate", "id": partner.pk}
    )

    partner.refresh_from_db()
    assert partner.first_name != "Pirate"


def test_audit_log_shows_changes_readably(organiser_client, organiser):
    territory = Territory.objects.filter(kind=TerritoryKind.QPV).first()
    audit_log_record(
        actor=organiser,
        action="territory.updated",
        target=territory,
        target_label="Biollay",
        data={"changes": {"name": ["Biollay", "Biollay - Bellevue"]}, "fields": ["name", "code"]},
    )

    body = organiser_client.get(reverse("audit_log")).content.decode()

    assert "nom : « Biollay » → « Biollay - Bellevue »" in body
    assert "fields" not in body
    assert "{&#x27;" not in body
