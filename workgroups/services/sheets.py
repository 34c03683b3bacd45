"""Project sheet writes: a group's facilitators (or the organisers) save what
the group built, as often as they like, during the workshop and after it.

Changes made once the results are published are recorded in the audit log:
the jury and the gallery saw the earlier version.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from contrat_ville.models import Territory, User
from contrat_ville.services import ServiceError, audit_log_record
from events.models import Registration
from partners.models import Actor

from ..enums import AuditAction, JuryPhase
from ..models import ProjectSheet, Seat, Workgroup, WorkshopSettings

# The sheet's own fields, in the order of the form.
SHEET_FIELDS = (
    "title",
    "need",
    "age_min",
    "age_max",
    "target_public",
    "actions",
    "other_partners",
    "resources",
    "budget",
    "outreach",
    "first_steps",
    "indicators",
)
# Single-line fields: inner runs of spaces are folded.
_LINE_FIELDS = ("title", "target_public")


def _clean(data: dict) -> dict:
    cleaned = {key: data[key] for key in SHEET_FIELDS if key in data}
    for key, value in cleaned.items():
        if isinstance(value, str):
            value = " ".join(value.split()) if key in _LINE_FIELDS else value.strip()
            cleaned[key] = value.replace("\r\n", "\n")
        elif value is None and ProjectSheet._meta.get_field(key).get_internal_type() in (
            "CharField",
            "TextField",
        ):
            cleaned[key] = ""
    return cleaned


def _text(value) -> str:
    return "" if value is None else str(value)


def _names(objects: Iterable) -> str:
    return ", ".join(sorted(str(item) for item in objects))


def _members_check(workgroup: Workgroup, members: list[Registration]) -> None:
    seated = set(Seat.objects.filter(workgroup=workgroup).values_list("registration_id", flat=True))
    outsiders = [member for member in members if member.pk not in seated]
    if outsiders:
        raise ServiceError(
            _("Ces personnes ne sont pas dans le groupe %(number)s : %(names)s.")
            % {"number": workgroup.number, "names": _names(outsiders)}
        )


def sheet_save(
    *,
    by: User | None,
    workgroup: Workgroup,
    data: dict,
    territories: Iterable[Territory],
    partners: Iterable[Actor],
    members_present: Iterable[Registration],
    priorities: Iterable | None = None,
) -> ProjectSheet:
    """Create or update the group's project sheet. Every field may stay empty
    (a draft); the people marked present must sit in the group.

    Changes are measured against the stored row (locked), not against an
    object a bound form has already written on. After publication of the
    results, the changes are recorded in the audit log as
    ``{"changes": {field: [old, new]}}``.
    """
    cleaned = _clean(data)
    relations = {
        "territories": list(territories),
        "partners": list(partners),
        "members_present": list(members_present),
    }
    if priorities is not None:
        relations["priorities"] = list(priorities)
    _members_check(workgroup, relations["members_present"])
    age_min = cleaned.get("age_min")
    age_max = cleaned.get("age_max")
    if age_min is not None and age_max is not None and age_max < age_min:
        raise ServiceError(_("L'âge maximum doit être supérieur ou égal à l'âge minimum."))
    with transaction.atomic():
        sheet, created = ProjectSheet.objects.get_or_create(workgroup=workgroup)
        sheet = ProjectSheet.objects.select_for_update().get(pk=sheet.pk)
        changes: dict[str, list[str]] = {}
        for key, value in cleaned.items():
            old = getattr(sheet, key)
            if old != value:
                changes[key] = [_text(old), _text(value)]
                setattr(sheet, key, value)
        for key, wanted in relations.items():
            manager = getattr(sheet, key)
            current = list(manager.all())
            if {item.pk for item in current} != {item.pk for item in wanted}:
                changes[key] = [_names(current), _names(wanted)]
                manager.set(wanted)
        if not changes and not created:
            return sheet
        sheet.updated_by = by if by is not None and by.is_authenticated else None
        sheet.save()
        phase = (
            WorkshopSettings.objects.filter(edition_id=workgroup.edition_id)
            .values_list("phase", flat=True)
            .first()
        )
        if changes and phase == JuryPhase.PUBLISHED:
            audit_log_record(
                actor=by,
                action=AuditAction.SHEET_CHANGED_AFTER_RESULTS,
                target=sheet,
                target_label=f"{workgroup.edition.year} · {workgroup}",
                data={"changes": changes},
            )
    sheet.workgroup = workgroup
    return sheet
