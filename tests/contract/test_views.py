"""The contract's pages: public reading, organisers' editing, nothing leaking."""

from html import unescape

import pytest
from django.urls import reverse

from contract.enums import AuditAction
from contract.models import Body, Priority
from contrat_ville.models import AuditLogEntry
from events.enums import EditionStatus
from partners.enums import ActorStatus
from workgroups.enums import JuryPhase
from workgroups.models import ProjectSheet, Workgroup, WorkshopSettings

INDEX = reverse("contract:index")
MANAGE = reverse("contract:manage")


def text(response) -> str:
    return unescape(response.content.decode())


# -- public pages ----------------------------------------------------------------------


@pytest.mark.django_db
def test_contract_page_is_public_with_priorities_objectives_bodies_and_territories(
    client, make_priority, make_body
):
    make_priority(title="Jeunesse", objectives=("Aller vers les jeunes",))
    make_body(name="Comité de pilotage (COPIL)", role="Il décide des financements.")
    response = client.get(INDEX)
    assert response.status_code == 200
    page = text(response)
    for expected in (
        "Jeunesse",
        "Aller vers les jeunes",
        "Comité de pilotage (COPIL)",
        "Il décide des financements.",
        reverse("glossary"),
        reverse("neighbourhoods:detail", kwargs={"slug": "biollay-bellevue"}),
    ):
        assert expected in page
    assert "Contenu de démonstration" not in page
    assert MANAGE not in page


@pytest.mark.django_db
def test_contract_page_shows_the_signatories_of_the_portal_identity(client):
    from contrat_ville.identity import signatory_create

    signatory_create(by=None, data={"name": "Préfecture de la Savoie", "url": "", "order": 1})
    assert "Préfecture de la Savoie" in text(client.get(INDEX))


@pytest.mark.django_db
def test_demo_content_is_announced_as_such(client, make_priority, make_body):
    priority = make_priority(is_demo=True)
    body = make_body(is_demo=True)
    for url in (INDEX, priority.get_absolute_url(), body.get_absolute_url()):
        assert "Contenu de démonstration" in text(client.get(url))


@pytest.mark.django_db
def test_priority_page_lists_published_actors_only(client, make_priority, make_actor):
    priority = make_priority(title="Jeunesse", objectives=("Aller vers les jeunes",))
    published = make_actor("Maison des jeunes")
    pending = make_actor("Association en attente", status=ActorStatus.PENDING)
    archived = make_actor("Association fermée", status=ActorStatus.ARCHIVED)
    for actor in (published, pending, archived):
        actor.priorities.add(priority)
    response = client.get(priority.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "Aller vers les jeunes" in page
    assert "Maison des jeunes" in page
    assert "Association en attente" not in page
    assert "Association fermée" not in page


@pytest.fixture
def tagged_project(make_edition, make_priority):
    """A project sheet of a 2031 workshop, tagged with a priority; results not published."""
    priority = make_priority(title="Jeunesse")
    edition = make_edition()
    group = Workgroup.objects.create(edition=edition, number=3, name="Groupe 3")
    sheet = ProjectSheet.objects.create(workgroup=group, title="Cap sur le permis")
    sheet.priorities.add(priority)
    return priority, WorkshopSettings.objects.create(edition=edition)


@pytest.mark.django_db
def test_priority_page_shows_projects_as_the_gallery_does(
    client, partner, organiser, tagged_project, settings
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    priority, workshop = tagged_project
    url = priority.get_absolute_url()
    # Before the results: organisers only.
    assert "Cap sur le permis" not in text(client.get(url))
    client.force_login(partner)
    assert "Cap sur le permis" not in text(client.get(url))
    client.force_login(organiser)
    assert "Cap sur le permis" in text(client.get(url))
    # Published: partners; the public only if the gallery is open to it.
    workshop.phase = JuryPhase.PUBLISHED
    workshop.save()
    client.force_login(partner)
    assert "Cap sur le permis" in text(client.get(url))
    client.logout()
    assert "Cap sur le permis" not in text(client.get(url))
    workshop.gallery_public = True
    workshop.save()
    assert "Cap sur le permis" in text(client.get(url))


@pytest.mark.django_db
def test_unknown_priority_and_body_are_404(client):
    assert client.get(reverse("contract:priority", kwargs={"slug": "nulle"})).status_code == 404
    assert client.get(reverse("contract:body", kwargs={"slug": "nulle"})).status_code == 404


@pytest.mark.django_db
def test_body_page_shows_published_members_and_meetings_that_are_not_drafts(
    client, make_body, make_actor, make_meeting
):
    body = make_body(name="COTECH", directory_code="cotech", role="Il prépare les décisions.")
    make_actor("Centre social du Biollay", bodies=["cotech"])
    make_actor("Structure en attente", bodies=["cotech"], status=ActorStatus.PENDING)
    make_actor("Mission locale", bodies=["copil"])
    make_meeting(body, days=20, title="COTECH de printemps")
    make_meeting(body, days=-40, title="COTECH d'hiver", status=EditionStatus.CLOSED)
    make_meeting(body, days=60, title="COTECH en préparation", status=EditionStatus.DRAFT)
    response = client.get(body.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "Il prépare les décisions." in page
    assert "Centre social du Biollay" in page
    assert "Structure en attente" not in page
    assert "Mission locale" not in page
    assert "COTECH en préparation" not in page
    # Coming first, then past.
    assert page.index("COTECH de printemps") < page.index("COTECH d'hiver")


@pytest.mark.django_db
def test_body_without_directory_code_has_no_members(client, make_body, make_actor):
    body = make_body(directory_code=None)
    make_actor("Centre social", bodies=["cotech"])
    response = client.get(body.get_absolute_url())
    assert "Centre social" not in text(response)


# -- query counts ----------------------------------------------------------------------


def _count(client, url, django_assert_max_num_queries=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_contract_page_queries_do_not_grow_with_priorities_and_bodies(
    client, make_priority, make_body
):
    make_priority()
    make_body()
    one = _count(client, INDEX)
    for _ in range(4):
        make_priority(objectives=("Un", "Deux", "Trois"))
        make_body()
    assert _count(client, INDEX) == one


@pytest.mark.django_db
def test_priority_page_queries_do_not_grow_with_actors_and_projects(
    client, make_priority, make_actor, make_edition
):
    priority = make_priority(objectives=("Un",))
    edition = make_edition()
    WorkshopSettings.objects.create(edition=edition, phase=JuryPhase.PUBLISHED, gallery_public=True)

    def add(number):
        make_actor(f"Structure {number}").priorities.add(priority)
        group = Workgroup.objects.create(edition=edition, number=number)
        ProjectSheet.objects.create(workgroup=group, title=f"Projet {number}").priorities.add(
            priority
        )

    add(1)
    url = priority.get_absolute_url()
    one = _count(client, url)
    for number in range(2, 6):
        add(number)
    assert _count(client, url) == one


@pytest.mark.django_db
def test_body_page_queries_do_not_grow_with_members_and_meetings(
    client, make_body, make_actor, make_meeting
):
    body = make_body(directory_code="copil")
    make_actor("Structure 1", bodies=["copil"])
    make_meeting(body, days=10)
    one = _count(client, body.get_absolute_url())
    for number in range(2, 6):
        make_actor(f"Structure {number}", bodies=["copil"])
        make_meeting(body, days=10 * number)
        make_meeting(body, days=-10 * number)
    assert _count(client, body.get_absolute_url()) == one


# -- who may edit ----------------------------------------------------------------------


def _edit_urls(priority: Priority, body: Body) -> list[str]:
    return [
        MANAGE,
        reverse("contract:priority_create"),
        reverse("contract:priority_edit", kwargs={"pk": priority.pk}),
        reverse("contract:priority_delete", kwargs={"pk": priority.pk}),
        reverse("contract:body_create"),
        reverse("contract:body_edit", kwargs={"pk": body.pk}),
        reverse("contract:body_delete", kwargs={"pk": body.pk}),
    ]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_for_editing(client, make_priority, make_body):
    priority, body = make_priority(), make_body()
    for url in _edit_urls(priority, body):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("account_login") in response["Location"]
    response = client.post(reverse("contract:priority_delete", kwargs={"pk": priority.pk}))
    assert response.status_code == 302
    assert Priority.objects.filter(pk=priority.pk).exists()


@pytest.mark.django_db
def test_partners_may_not_edit_the_contract(client, partner, make_priority, make_body):
    priority, body = make_priority(), make_body()
    client.force_login(partner)
    for url in _edit_urls(priority, body):
        assert client.get(url).status_code == 403, url
    for name, obj in (("priority_delete", priority), ("body_delete", body)):
        assert client.post(reverse(f"contract:{name}", kwargs={"pk": obj.pk})).status_code == 403
    response = client.post(
        reverse("contract:priority_move", kwargs={"pk": priority.pk}), {"direction": "up"}
    )
    assert response.status_code == 403
    assert Priority.objects.filter(pk=priority.pk).exists()
    assert Body.objects.filter(pk=body.pk).exists()
    assert AuditLogEntry.objects.count() == 0
    # Nor do they see the editing links on the public pages.
    assert MANAGE not in text(client.get(INDEX))


@pytest.mark.django_db
def test_organisers_see_every_editing_page(organiser_client, make_priority, make_body):
    priority, body = make_priority(), make_body()
    for url in _edit_urls(priority, body):
        assert organiser_client.get(url).status_code == 200, url
    assert MANAGE in text(organiser_client.get(INDEX))


def _priority_post(**overrides) -> dict:
    data = {
        "title": "Santé",
        "slug": "sante",
        "summary": "Faciliter l'accès aux soins.",
        "description": "",
        "objectives-TOTAL_FORMS": "2",
        "objectives-INITIAL_FORMS": "0",
        "objectives-MIN_NUM_FORMS": "0",
        "objectives-MAX_NUM_FORMS": "30",
        "objectives-0-title": "Ouvrir ses droits",
        "objectives-0-description": "",
        "objectives-0-position": "10",
        "objectives-1-title": "",
        "objectives-1-description": "",
        "objectives-1-position": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_organiser_adds_a_priority_with_an_objective(organiser_client):
    response = organiser_client.post(reverse("contract:priority_create"), _priority_post())
    assert response.status_code == 302
    priority = Priority.objects.get(slug="sante")
    assert list(priority.objectives.values_list("title", flat=True)) == ["Ouvrir ses droits"]
    assert AuditLogEntry.objects.get().action == AuditAction.PRIORITY_CREATED


@pytest.mark.django_db
def test_a_taken_slug_gets_a_message_next_to_the_field(organiser_client, make_priority):
    make_priority(slug="sante")
    response = organiser_client.post(reverse("contract:priority_create"), _priority_post())
    assert response.status_code == 200
    assert "Une autre priorité a déjà cette adresse de page" in text(response)
    assert Priority.objects.count() == 1


@pytest.mark.django_db
def test_too_long_or_missing_values_get_messages_not_errors(organiser_client):
    response = organiser_client.post(
        reverse("contract:priority_create"),
        _priority_post(title="x" * 151, slug="", **{"objectives-0-title": "y" * 251}),
    )
    assert response.status_code == 200
    assert Priority.objects.count() == 0
    form = response.context["form"]
    assert set(form.errors) == {"title", "slug"}
    assert set(response.context["formset"].forms[0].errors) == {"title"}


@pytest.mark.django_db
def test_a_tampered_objective_id_never_touches_another_priority(organiser_client, make_priority):
    priority = make_priority(objectives=())
    other = make_priority(objectives=("Pas à toi",))
    stolen = other.objectives.get()
    response = organiser_client.post(
        reverse("contract:priority_edit", kwargs={"pk": priority.pk}),
        _priority_post(
            slug=priority.slug,
            **{
                "objectives-TOTAL_FORMS": "1",
                "objectives-INITIAL_FORMS": "1",
                "objectives-0-id": str(stolen.pk),
                "objectives-0-title": "Volé",
                "objectives-0-position": "10",
            },
        ),
    )
    # Django's formset reads the row as a new objective of this priority: the other
    # priority's objective is neither changed nor moved.
    assert response.status_code == 302
    stolen.refresh_from_db()
    assert (stolen.priority, stolen.title) == (other, "Pas à toi")
    assert list(priority.objectives.values_list("title", flat=True)) == ["Volé"]


@pytest.mark.django_db
def test_organiser_edits_reorders_and_deletes(organiser_client, make_priority):
    first, second = make_priority(objectives=("Un",)), make_priority()
    objective = first.objectives.get()
    url = reverse("contract:priority_edit", kwargs={"pk": first.pk})
    response = organiser_client.post(
        url,
        _priority_post(
            title="Renommée",
            slug=first.slug,
            **{
                "objectives-TOTAL_FORMS": "1",
                "objectives-INITIAL_FORMS": "1",
                "objectives-0-id": str(objective.pk),
                "objectives-0-priority": str(first.pk),
                "objectives-0-title": "Un, reformulé",
                "objectives-0-position": "10",
            },
        ),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title == "Renommée"
    assert first.objectives.get().title == "Un, reformulé"

    move = reverse("contract:priority_move", kwargs={"pk": second.pk})
    assert organiser_client.post(move, {"direction": "up"}).status_code == 302
    assert list(Priority.objects.values_list("pk", flat=True)) == [second.pk, first.pk]
    assert organiser_client.post(move, {"direction": "sideways"}).status_code == 400

    delete = reverse("contract:priority_delete", kwargs={"pk": first.pk})
    assert organiser_client.post(delete).status_code == 302
    assert list(Priority.objects.all()) == [second]


@pytest.mark.django_db
def test_organiser_adds_a_body_linked_to_the_directory(organiser_client, make_body):
    data = {
        "kind": "cotech",
        "name": "Comité technique",
        "slug": "cotech",
        "role": "Il prépare les décisions du comité de pilotage.",
        "description": "",
        "directory_code": "cotech",
    }
    assert organiser_client.post(reverse("contract:body_create"), data).status_code == 302
    assert Body.objects.get(slug="cotech").directory_code == "cotech"
    # The same directory body twice, or an unknown code: messages next to the field.
    response = organiser_client.post(
        reverse("contract:body_create"), {**data, "slug": "cotech-bis"}
    )
    assert response.context["form"].errors.keys() == {"directory_code"}
    response = organiser_client.post(
        reverse("contract:body_create"), {**data, "slug": "autre", "directory_code": "inconnu"}
    )
    assert response.context["form"].errors.keys() == {"directory_code"}


@pytest.mark.django_db
def test_a_body_with_meetings_is_kept_with_a_message(organiser_client, make_body, make_meeting):
    body = make_body()
    make_meeting(body)
    response = organiser_client.post(
        reverse("contract:body_delete", kwargs={"pk": body.pk}), follow=True
    )
    assert response.status_code == 200
    assert "réunions dans le calendrier" in text(response)
    assert Body.objects.filter(pk=body.pk).exists()


@pytest.mark.django_db
def test_the_nav_offers_le_contrat_to_everyone(client):
    assert f'href="{INDEX}"' in text(client.get(reverse("home")))
