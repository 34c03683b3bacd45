"""Writes on the contract's actions, one transaction each, every change journaled.

The journal is the core's (``audit_log_record``), with the action as target: a change of
status, of budget (the two totals and the funders' lines) or of indicators is one entry each,
with who and when, and ``data["changes"] = {field: [old, new]}`` for the fields changed.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contrat_ville.models import User
from contrat_ville.services import ServiceError, audit_log_record

from .enums import ActionStatus, AuditAction, Funder
from .models import LAST_YEAR, Action, Funding, Indicator
from .permissions import allowed_statuses

# The fields a form or an import sets on the action itself.
CONTENT_FIELDS = (
    "title",
    "reference",
    "carrier",
    "priority",
    "objective",
    "summary",
    "start_date",
    "end_date",
)
BUDGET_FIELDS = ("budget_planned", "budget_actual", "amounts_confidential")
RELATIONS = ("partners", "territories", "publics")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


def _apply(action: Action, data: dict, names: Iterable[str]) -> dict:
    changes = {}
    for name in names:
        if name not in data:
            continue
        value = data[name]
        field = Action._meta.get_field(name)
        if field.is_relation:
            # Compared by key: a new action has no carrier to read yet.
            old_pk = getattr(action, field.attname)
            if old_pk != (value.pk if value is not None else None):
                old = getattr(action, name) if old_pk is not None else None
                changes[name] = [_text(old), _text(value)]
                setattr(action, name, value)
            continue
        old = getattr(action, name)
        if name in ("budget_planned", "budget_actual") and value is not None:
            value = Decimal(value).quantize(Decimal("0.01"))
        if old != value:
            changes[name] = [_text(old), _text(value)]
            setattr(action, name, value)
    return changes


def _set_relations(action: Action, relations: dict) -> dict:
    changes = {}
    for name in RELATIONS:
        if name not in relations or relations[name] is None:
            continue
        manager = getattr(action, name)
        wanted = list(relations[name])
        before = sorted(str(item) for item in manager.all())
        after = sorted(str(item) for item in wanted)
        if before != after:
            manager.set(wanted)
            changes[name] = [", ".join(before), ", ".join(after)]
    return changes


def _fundings_text(rows) -> list[str]:
    lines = []
    for row in rows:
        funder = row["funder"]
        label = str(Funder(funder).label) if funder in Funder.values else str(funder)
        label += f" ({row['name']})" if row.get("name") else ""
        actual = "" if row.get("actual") is None else f" / {_text(row['actual'])}"
        lines.append(f"{label} : {_text(row['planned'])}{actual}")
    return sorted(lines)


def _set_fundings(action: Action, rows: list[dict] | None) -> dict:
    """Replace the funders' lines by ``rows`` ({funder, name, planned, actual})."""
    if rows is None:
        return {}
    before = _fundings_text(action.fundings.values("funder", "name", "planned", "actual"))
    after = _fundings_text(rows)
    if before == after:
        return {}
    action.fundings.all().delete()
    Funding.objects.bulk_create(
        Funding(
            action=action,
            funder=row["funder"],
            name=row.get("name", ""),
            planned=row["planned"],
            actual=row.get("actual"),
        )
        for row in rows
    )
    return {"fundings": ["; ".join(before), "; ".join(after)]}


def _indicators_text(rows) -> list[str]:
    def one(row):
        target = _text(row.get("target")) or "—"
        achieved = _text(row.get("achieved")) or "—"
        return f"{row['label']} ({row['unit']}) : {achieved} / {target}"

    return [one(row) for row in rows]


def _set_indicators(action: Action, rows: list[dict] | None) -> dict:
    """Replace the indicators by ``rows`` ({label, unit, target, achieved, comment})."""
    if rows is None:
        return {}
    before_rows = list(action.indicators.values("label", "unit", "target", "achieved", "comment"))
    if [{**r, "comment": r.get("comment", "")} for r in rows] == before_rows:
        return {}
    action.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(
            action=action,
            label=row["label"],
            unit=row["unit"],
            target=row.get("target"),
            achieved=row.get("achieved"),
            comment=row.get("comment", ""),
            position=position,
        )
        for position, row in enumerate(rows)
    )
    return {
        "indicators": ["; ".join(_indicators_text(before_rows)), "; ".join(_indicators_text(rows))]
    }


def _journal(by, action: Action, content: dict, budget: dict, indicators: dict) -> None:
    if content:
        audit_log_record(
            actor=by, action=AuditAction.ACTION_UPDATED, target=action, data={"changes": content}
        )
    if budget:
        audit_log_record(
            actor=by, action=AuditAction.ACTION_BUDGET, target=action, data={"changes": budget}
        )
    if indicators:
        audit_log_record(
            actor=by,
            action=AuditAction.ACTION_INDICATORS,
            target=action,
            data={"changes": indicators},
        )


def _check(action: Action) -> None:
    if action.objective_id and action.objective.priority_id != action.priority_id:
        raise ServiceError(_("Cet objectif n'appartient pas à la priorité choisie."))
    if action.year > LAST_YEAR:
        raise ServiceError(_("L'année dépasse %(last)s.") % {"last": LAST_YEAR})


def _save(action: Action) -> None:
    try:
        with transaction.atomic():
            action.save()
    except IntegrityError:
        raise ServiceError(
            _("Une action de %(year)s porte déjà le numéro de dossier « %(reference)s ».")
            % {"year": action.year, "reference": action.reference}
        ) from None


@transaction.atomic
def action_create(
    *,
    by: User | None,
    year: int,
    data: dict,
    relations: dict | None = None,
    fundings: list[dict] | None = None,
    indicators: list[dict] | None = None,
    status: str = ActionStatus.PROPOSED,
    is_demo: bool = False,
    **links,
) -> Action:
    """A new action. Carriers propose; organisers (and imports) may create it programmed."""
    action = Action(year=year, status=status, created_by=by if by and by.pk else None)
    action.is_demo = is_demo
    for name, value in links.items():  # previous, pitch
        setattr(action, name, value)
    _apply(action, data, CONTENT_FIELDS + BUDGET_FIELDS)
    if status != ActionStatus.PROPOSED:
        action.status_changed_at = timezone.now()
    _check(action)
    _save(action)
    _set_relations(action, relations or {})
    _set_fundings(action, fundings)
    _set_indicators(action, indicators)
    audit_log_record(
        actor=by,
        action=AuditAction.ACTION_CREATED,
        target=action,
        data={"year": year, "status": status},
    )
    return action


@transaction.atomic
def action_update(
    *,
    by: User | None,
    action: Action,
    data: dict,
    relations: dict | None = None,
    fundings: list[dict] | None = None,
    indicators: list[dict] | None = None,
    can_mark_confidential: bool = False,
) -> Action:
    """Change what ``data`` holds; the relations, funders and indicators given replace the
    current ones. ``amounts_confidential`` is an organiser's choice only."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not can_mark_confidential:
        data = {k: v for k, v in data.items() if k != "amounts_confidential"}
    if data.get("budget_actual") is not None and action.status == ActionStatus.PROPOSED:
        raise ServiceError(_("Une action proposée n'a pas encore de budget réalisé."))
    content = _apply(action, data, CONTENT_FIELDS)
    budget = _apply(action, data, BUDGET_FIELDS)
    _check(action)
    _save(action)
    content.update(_set_relations(action, relations or {}))
    budget.update(_set_fundings(action, fundings))
    _journal(by, action, content, budget, _set_indicators(action, indicators))
    return action


@transaction.atomic
def action_status_set(*, by: User, action: Action, status: str) -> Action:
    """Move ``action`` along the workflow, if ``by`` may take that move."""
    action = Action.objects.select_for_update().select_related("carrier").get(pk=action.pk)
    if status == action.status:
        raise ServiceError(_("L'action a déjà ce statut."))
    if status not in allowed_statuses(by, action):
        raise ServiceError(
            _("Vous ne pouvez pas passer cette action de « %(old)s » à « %(new)s ».")
            % {
                "old": action.get_status_display(),
                "new": ActionStatus(status).label if status in ActionStatus.values else status,
            }
        )
    old = action.status
    action.status = status
    action.status_changed_at = timezone.now()
    action.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit_log_record(
        actor=by,
        action=AuditAction.ACTION_STATUS,
        target=action,
        data={"changes": {"status": [old, status]}},
    )
    return action


def _copy_rows(action: Action):
    fundings = [
        {"funder": f.funder, "name": f.name, "planned": f.planned, "actual": None}
        for f in action.fundings.all()
    ]
    indicators = [
        {"label": i.label, "unit": i.unit, "target": i.target, "achieved": None, "comment": ""}
        for i in action.indicators.all()
    ]
    return fundings, indicators


@transaction.atomic
def action_renew(*, by: User | None, action: Action, status: str = ActionStatus.PROPOSED) -> Action:
    """Programme ``action`` again the next year: a copy that points to it, without what
    was achieved or paid, proposed for the organisers to validate."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if Action.objects.filter(previous=action).exists():
        raise ServiceError(_("Cette action est déjà reconduite l'année suivante."))
    if action.status == ActionStatus.PROPOSED:
        raise ServiceError(_("Une action encore proposée ne peut pas être reconduite."))
    if action.year >= LAST_YEAR:
        raise ServiceError(_("L'année dépasse %(last)s.") % {"last": LAST_YEAR})
    fundings, indicators = _copy_rows(action)
    renewal = action_create(
        by=by,
        year=action.year + 1,
        data={
            **{name: getattr(action, name) for name in CONTENT_FIELDS if name != "reference"},
            "start_date": None,
            "end_date": None,
            "budget_planned": action.budget_planned,
            "amounts_confidential": action.amounts_confidential,
        },
        relations={name: list(getattr(action, name).all()) for name in RELATIONS},
        fundings=fundings,
        indicators=indicators,
        status=status,
        is_demo=action.is_demo,
        previous=action,
        pitch=None,
    )
    audit_log_record(
        actor=by,
        action=AuditAction.ACTION_RENEWED,
        target=action,
        data={"year": renewal.year, "renewal": renewal.pk},
    )
    return renewal


def _pitch_summary(sheet) -> str:
    parts = [sheet.need.strip(), sheet.actions.strip()]
    return "\n\n".join(part for part in parts if part)[:1500] or sheet.title


@transaction.atomic
def action_from_pitch(*, by: User | None, sheet, carrier, year: int | None = None) -> Action:
    """ "Du pitch à l'action": a workshop's project sheet becomes a proposed action, carried
    by ``carrier``, for the year after its rencontre, keeping the link to the sheet."""
    if Action.objects.filter(pitch=sheet).exists():
        raise ServiceError(_("Ce pitch est déjà devenu une action."))
    if not sheet.title:
        raise ServiceError(_("Ce pitch n'a pas encore de titre."))
    edition_year = sheet.workgroup.edition.year
    year = year or edition_year + 1
    priority = sheet.priorities.order_by("position").first()
    action = action_create(
        by=by,
        year=year,
        data={
            "title": sheet.title[:200],
            "carrier": carrier,
            "priority": priority,
            "summary": _pitch_summary(sheet),
            "budget_planned": Decimal(sheet.budget) if sheet.budget is not None else None,
        },
        relations={
            "partners": [actor for actor in sheet.partners.all() if actor.pk != carrier.pk],
            "territories": list(sheet.territories.all()),
        },
        indicators=[
            {"label": line.strip()[:200], "unit": "other", "target": None, "achieved": None}
            for line in sheet.indicators.splitlines()
            if line.strip()
        ][:10],
        pitch=sheet,
        is_demo=getattr(carrier, "is_demo", False),
    )
    audit_log_record(
        actor=by,
        action=AuditAction.ACTION_FROM_PITCH,
        target=action,
        data={"sheet": sheet.pk, "edition": edition_year},
    )
    return action


@transaction.atomic
def action_delete(*, by: User, action: Action) -> None:
    audit_log_record(
        actor=by,
        action=AuditAction.ACTION_DELETED,
        target=action,
        data={"year": action.year},
    )
    # The next year's copy stays, without its link.
    action.delete()
