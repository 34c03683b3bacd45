"""Writes of the contract's pages: priorities with their objectives, bodies.

One transaction each, every write journaled. Slugs are unique in the database; a clash
caught there (two organisers saving at once) comes back as a ServiceError, never a 500.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from contrat_ville.models import User
from contrat_ville.services import ServiceError, audit_log_record

from .enums import AuditAction
from .models import Body, Objective, Priority

PRIORITY_FIELDS = ("title", "slug", "summary", "description")
BODY_FIELDS = ("kind", "name", "slug", "role", "description", "directory_code")
OBJECTIVE_FIELDS = ("title", "description", "position")
POSITION_STEP = 10


@dataclass(frozen=True)
class ObjectiveRow:
    """One row of the objectives' formset: ``pk`` None for a new one."""

    pk: int | None
    title: str
    description: str = ""
    position: int = 0
    delete: bool = False


def _changes(instance, data: dict, fields: Sequence[str]) -> dict[str, list]:
    changes = {}
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            changes[name] = [getattr(instance, name), data[name]]
            setattr(instance, name, data[name])
    return changes


def _save(instance, message: str) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ServiceError(message) from error


def _next_position(model) -> int:
    return (model.objects.aggregate(top=Max("position"))["top"] or 0) + POSITION_STEP


def _objectives_write(priority: Priority, rows: Sequence[ObjectiveRow]) -> dict[str, int]:
    """Create, change and delete the priority's objectives; counts of each."""
    counts = {"added": 0, "changed": 0, "removed": 0}
    existing = {o.pk: o for o in priority.objectives.select_for_update()}
    for row in rows:
        if row.pk is not None and row.pk not in existing:
            raise ServiceError(_("Cet objectif n'appartient pas à cette priorité."))
        if row.pk is None:
            if row.delete or not row.title.strip():
                continue
            Objective.objects.create(
                priority=priority,
                title=row.title.strip(),
                description=row.description,
                position=row.position,
            )
            counts["added"] += 1
            continue
        objective = existing[row.pk]
        if row.delete:
            objective.delete()
            counts["removed"] += 1
            continue
        values = {
            "title": row.title.strip(),
            "description": row.description,
            "position": row.position,
        }
        if not values["title"]:
            raise ServiceError(_("Un objectif a besoin d'un intitulé."))
        if _changes(objective, values, OBJECTIVE_FIELDS):
            objective.save()
            counts["changed"] += 1
    return counts


def _priority_clash() -> str:
    return _("Une autre priorité a déjà cette adresse de page : choisissez-en une autre.")


def priority_create(
    *, by: User | None, data: dict, objectives: Sequence[ObjectiveRow] = ()
) -> Priority:
    with transaction.atomic():
        priority = Priority(**{k: data[k] for k in PRIORITY_FIELDS if k in data})
        priority.position = _next_position(Priority)
        _save(priority, _priority_clash())
        counts = _objectives_write(priority, objectives)
        audit_log_record(
            actor=by,
            action=AuditAction.PRIORITY_CREATED,
            target=priority,
            data={"objectives": counts["added"]},
        )
    return priority


def priority_update(
    *, by: User | None, priority: Priority, data: dict, objectives: Sequence[ObjectiveRow] = ()
) -> Priority:
    """Save the priority and its objectives; journaled only when something changed."""
    with transaction.atomic():
        stored = Priority.objects.select_for_update().get(pk=priority.pk)
        changes = _changes(stored, data, PRIORITY_FIELDS)
        if changes:
            _save(stored, _priority_clash())
        counts = _objectives_write(stored, objectives)
        if changes or any(counts.values()):
            audit_log_record(
                actor=by,
                action=AuditAction.PRIORITY_UPDATED,
                target=stored,
                data={"changes": changes, "objectives": counts},
            )
    return stored


def priority_delete(*, by: User | None, priority: Priority) -> None:
    """Remove the priority, its objectives and its tags on actors and projects."""
    with transaction.atomic():
        label, pk = str(priority), priority.pk
        actors = priority.actors.count()
        projects = priority.projects.count()
        priority.delete()
        audit_log_record(
            actor=by,
            action=AuditAction.PRIORITY_DELETED,
            target_label=label,
            data={"id": pk, "actors": actors, "projects": projects},
        )


def _move(model, instance, offset: int) -> bool:
    """Swap ``instance`` with its neighbour in the list; positions renumbered 10, 20…"""
    rows = list(model.objects.select_for_update().order_by("position", *model._meta.ordering[1:]))
    index = next((i for i, row in enumerate(rows) if row.pk == instance.pk), None)
    if index is None:
        raise ServiceError(_("Cet élément n'existe plus."))
    target = index + offset
    if not 0 <= target < len(rows):
        return False
    rows[index], rows[target] = rows[target], rows[index]
    for number, row in enumerate(rows, start=1):
        if row.position != number * POSITION_STEP:
            row.position = number * POSITION_STEP
            row.save(update_fields=["position"])
    return True


def priority_move(*, by: User | None, priority: Priority, offset: int) -> bool:
    """Move the priority up (-1) or down (+1) the contract's list. False at either end."""
    with transaction.atomic():
        moved = _move(Priority, priority, offset)
        if moved:
            audit_log_record(
                actor=by,
                action=AuditAction.PRIORITY_MOVED,
                target=priority,
                data={"offset": offset},
            )
    return moved


def body_create(*, by: User | None, data: dict) -> Body:
    with transaction.atomic():
        body = Body(**{k: data[k] for k in BODY_FIELDS if k in data})
        body.directory_code = body.directory_code or None
        body.position = _next_position(Body)
        _save(body, _body_clash())
        audit_log_record(actor=by, action=AuditAction.BODY_CREATED, target=body)
    return body


def _body_clash() -> str:
    return _(
        "Une autre instance a déjà cette adresse de page ou cette instance de l'annuaire : "
        "choisissez-en une autre."
    )


def body_update(*, by: User | None, body: Body, data: dict) -> Body:
    with transaction.atomic():
        stored = Body.objects.select_for_update().get(pk=body.pk)
        values = dict(data)
        if "directory_code" in values:
            values["directory_code"] = values["directory_code"] or None
        changes = _changes(stored, values, BODY_FIELDS)
        if changes:
            _save(stored, _body_clash())
            audit_log_record(
                actor=by, action=AuditAction.BODY_UPDATED, target=stored, data={"changes": changes}
            )
    return stored


def body_delete(*, by: User | None, body: Body) -> None:
    """Remove a body. One that has meetings in the calendar is kept: they name it."""
    label, pk = str(body), body.pk
    try:
        with transaction.atomic():
            body.delete()
            audit_log_record(
                actor=by, action=AuditAction.BODY_DELETED, target_label=label, data={"id": pk}
            )
    except ProtectedError as error:
        raise ServiceError(
            _(
                "Cette instance a des réunions dans le calendrier : supprimez ou rattachez "
                "ailleurs ces réunions d'abord."
            )
        ) from error


def body_move(*, by: User | None, body: Body, offset: int) -> bool:
    with transaction.atomic():
        moved = _move(Body, body, offset)
        if moved:
            audit_log_record(
                actor=by, action=AuditAction.BODY_MOVED, target=body, data={"offset": offset}
            )
    return moved
