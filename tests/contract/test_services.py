"""Writes of the contract: one transaction each, journaled, never half-written."""

import pytest

from contract.enums import AuditAction
from contract.models import Body, Objective, Priority
from contract.services import (
    ObjectiveRow,
    body_create,
    body_delete,
    body_move,
    body_update,
    priority_create,
    priority_delete,
    priority_move,
    priority_update,
)
from contrat_ville.models import AuditLogEntry
from contrat_ville.services import ServiceError

DATA = {"title": "Jeunesse", "slug": "jeunesse", "summary": "Aider les jeunes.", "description": ""}


def actions() -> list[str]:
    return list(AuditLogEntry.objects.order_by("pk").values_list("action", flat=True))


@pytest.mark.django_db
def test_priority_create_writes_the_priority_its_objectives_and_a_journal_entry(organiser):
    priority = priority_create(
        by=organiser,
        data=DATA,
        objectives=[
            ObjectiveRow(pk=None, title="Aller vers les jeunes", position=20),
            ObjectiveRow(pk=None, title="Soutenir leurs projets", position=10),
            ObjectiveRow(pk=None, title="", position=30),  # an empty extra form
        ],
    )
    assert list(priority.objectives.values_list("title", flat=True)) == [
        "Soutenir leurs projets",
        "Aller vers les jeunes",
    ]
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.actor, entry.data) == (
        AuditAction.PRIORITY_CREATED,
        organiser,
        {"objectives": 2},
    )


@pytest.mark.django_db
def test_priority_create_with_a_taken_slug_writes_nothing(organiser, make_priority):
    make_priority(slug="jeunesse")
    with pytest.raises(ServiceError, match="adresse de page"):
        priority_create(by=organiser, data=DATA, objectives=[ObjectiveRow(pk=None, title="Un")])
    assert Priority.objects.count() == 1
    assert Objective.objects.count() == 1
    assert actions() == []


@pytest.mark.django_db
def test_priority_update_changes_adds_and_removes_objectives(organiser, make_priority):
    priority = make_priority(objectives=("Garder", "Retirer"))
    keep, remove = priority.objectives.order_by("position")
    priority_update(
        by=organiser,
        priority=priority,
        data={**DATA, "title": "Jeunesse et engagement"},
        objectives=[
            ObjectiveRow(pk=keep.pk, title="Gardé et reformulé", position=10),
            ObjectiveRow(pk=remove.pk, title=remove.title, position=20, delete=True),
            ObjectiveRow(pk=None, title="Nouveau", position=30),
        ],
    )
    priority.refresh_from_db()
    assert priority.title == "Jeunesse et engagement"
    assert list(priority.objectives.values_list("title", flat=True)) == [
        "Gardé et reformulé",
        "Nouveau",
    ]
    entry = AuditLogEntry.objects.get()
    assert entry.action == AuditAction.PRIORITY_UPDATED
    assert entry.data["objectives"] == {"added": 1, "changed": 1, "removed": 1}


@pytest.mark.django_db
def test_priority_update_refuses_an_objective_of_another_priority(organiser, make_priority):
    priority = make_priority()
    other = make_priority(objectives=("Pas à toi",))
    stolen = other.objectives.get()
    with pytest.raises(ServiceError):
        priority_update(
            by=organiser,
            priority=priority,
            data={"title": "Changé"},
            objectives=[ObjectiveRow(pk=stolen.pk, title="Volé", delete=True)],
        )
    priority.refresh_from_db()
    assert priority.title != "Changé"
    assert Objective.objects.filter(pk=stolen.pk, title="Pas à toi").exists()


@pytest.mark.django_db
def test_priority_update_without_change_journals_nothing(organiser, make_priority):
    priority = make_priority()
    priority_update(by=organiser, priority=priority, data={"title": priority.title})
    assert actions() == []


@pytest.mark.django_db
def test_priority_move_swaps_neighbours_and_stops_at_the_ends(organiser, make_priority):
    first, second, third = make_priority(), make_priority(), make_priority()
    assert priority_move(by=organiser, priority=third, offset=-1) is True
    assert list(Priority.objects.values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    assert priority_move(by=organiser, priority=first, offset=-1) is False
    assert actions() == [AuditAction.PRIORITY_MOVED]


@pytest.mark.django_db
def test_priority_delete_is_journaled_with_its_label(organiser, make_priority):
    priority = make_priority(title="Santé")
    priority_delete(by=organiser, priority=priority)
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.target_label) == (AuditAction.PRIORITY_DELETED, "Santé")
    assert Priority.objects.count() == 0


BODY = {
    "kind": "cotech",
    "name": "Comité technique",
    "slug": "cotech",
    "role": "Il prépare les décisions.",
    "description": "",
    "directory_code": "",
}


@pytest.mark.django_db
def test_body_create_stores_no_directory_code_as_null(organiser):
    body = body_create(by=organiser, data=BODY)
    assert body.directory_code is None
    assert actions() == [AuditAction.BODY_CREATED]
    # A second body without a code is fine: NULLs do not clash.
    body_create(by=organiser, data={**BODY, "slug": "cotech-2"})


@pytest.mark.django_db
def test_body_update_with_a_taken_slug_is_refused(organiser, make_body):
    make_body(slug="copil")
    body = make_body(slug="cotech")
    with pytest.raises(ServiceError):
        body_update(by=organiser, body=body, data={"slug": "copil"})
    body.refresh_from_db()
    assert body.slug == "cotech"
    assert actions() == []


@pytest.mark.django_db
def test_body_with_meetings_cannot_be_deleted(organiser, make_body, make_meeting):
    body = make_body()
    make_meeting(body)
    with pytest.raises(ServiceError, match="réunions"):
        body_delete(by=organiser, body=body)
    assert Body.objects.filter(pk=body.pk).exists()
    assert actions() == []


@pytest.mark.django_db
def test_body_delete_and_move_are_journaled(organiser, make_body):
    first, second = make_body(), make_body()
    body_move(by=organiser, body=second, offset=-1)
    body_delete(by=organiser, body=first)
    assert actions() == [AuditAction.BODY_MOVED, AuditAction.BODY_DELETED]
    assert list(Body.objects.all()) == [second]


@pytest.mark.django_db
def test_journal_entries_read_as_sentences(organiser, make_priority):
    from contrat_ville.audit import describe

    priority = priority_create(by=organiser, data=DATA, objectives=[ObjectiveRow(None, "Un")])
    priority_update(by=organiser, priority=priority, data={"title": "Jeunes"})
    created, updated = AuditLogEntry.objects.order_by("pk")
    assert "a ajouté la priorité Jeunesse, avec 1 objectif" in describe(created)
    assert "a modifié la priorité Jeunes" in describe(updated)
