"""Writes of the neighbourhoods app: the contract's perimeter and the contours.

One transaction each."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from contrat_ville.enums import ContourSource, TerritoryKind
from contrat_ville.models import Territory, User
from contrat_ville.services import ServiceError, audit_log_record, territory_slug

from . import reference
from .enums import AuditAction
from .geometry import bounds
from .signals import contours_changed

# Where each kind sorts on lists (Territory.order): neighbourhoods first, the EPCI last,
# as the two seeded QPV of Grand Chambéry already do.
ORDER = {TerritoryKind.QPV: 10, TerritoryKind.COMMUNE: 50, TerritoryKind.EPCI: 90}


@dataclass(frozen=True)
class PerimeterPlan:
    """What loading a perimeter would write, read from the reference files."""

    epci: reference.Epci | None
    communes: tuple[reference.Commune, ...]
    qpvs: tuple[reference.ReferenceQpv, ...]


@dataclass
class PerimeterReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def as_data(self) -> dict:
        return {
            name: {str(kind): count for kind, count in sorted(getattr(self, name).items())}
            for name in ("created", "updated", "unchanged")
        }


def perimeter_plan(*, epci: str = "", communes: Iterable[str] = ()) -> PerimeterPlan:
    """The EPCI (by SIREN) and/or communes (INSEE codes), with every QPV lying in them.

    Communes outside any EPCI (Saint-Martin, French Polynesia) are given by their codes.
    """
    found_epci = None
    codes: list[str] = []
    if epci:
        found_epci = reference.epci(epci)
        if found_epci is None:
            raise ServiceError(
                _("Aucune intercommunalité ne porte le SIREN %(siren)s dans la liste nationale.")
                % {"siren": epci}
            )
        codes.extend(found_epci.members)
    for code in communes:
        found = reference.commune(code.strip())
        if found is None:
            raise ServiceError(
                _("Aucune commune ne porte le code INSEE %(code)s dans la liste nationale.")
                % {"code": code}
            )
        codes.append(found.code)
    if not codes:
        raise ServiceError(_("Indiquez une intercommunalité ou au moins une commune."))
    codes = list(dict.fromkeys(codes))
    return PerimeterPlan(
        epci=found_epci,
        communes=tuple(reference.commune(code) for code in codes),
        qpvs=tuple(reference.qpvs_in(codes)),
    )


def _contour_fields(coordinates: list | None, source: str) -> dict:
    if coordinates is None:
        return {
            "contour": None,
            "contour_source": "",
            "west": None,
            "south": None,
            "east": None,
            "north": None,
        }
    west, south, east, north = bounds(coordinates)
    return {
        "contour": coordinates,
        "contour_source": source,
        "west": west,
        "south": south,
        "east": east,
        "north": north,
    }


def _upsert(existing: dict, report: PerimeterReport, *, kind, code, name, values) -> Territory:
    """Create the territory, or bring its reference fields up to date.

    A territory already there keeps its pk (hence its actors, registrations, projects), its
    name and its slug: organisers may have renamed it for residents.
    """
    territory = existing.get((kind, code))
    if territory is None:
        territory = Territory(kind=kind, code=code, name=name[:150], order=ORDER[kind], **values)
        territory.slug = territory_slug(name)
        territory.save()
        existing[(kind, code)] = territory
        report.created[kind] += 1
        return territory
    changed = [key for key, value in values.items() if getattr(territory, key) != value]
    if changed:
        for key in changed:
            setattr(territory, key, values[key])
        territory.save(update_fields=changed)
        report.updated[kind] += 1
    else:
        report.unchanged[kind] += 1
    return territory


@transaction.atomic
def perimeter_load(*, by: User | None, plan: PerimeterPlan) -> PerimeterReport:
    """Write the plan's EPCI, communes and QPV with their contours.

    Running it again changes nothing."""
    report = PerimeterReport()
    codes = [c.code for c in plan.communes] + [q.code for q in plan.qpvs]
    if plan.epci:
        codes.append(plan.epci.siren)
    existing = {
        (t.kind, t.code): t
        for t in Territory.objects.select_for_update().filter(
            code__in=codes,
            kind__in=[TerritoryKind.EPCI, TerritoryKind.COMMUNE, TerritoryKind.QPV],
        )
    }
    if plan.epci:
        _upsert(
            existing,
            report,
            kind=TerritoryKind.EPCI,
            code=plan.epci.siren,
            name=plan.epci.name,
            values={"insee_codes": list(plan.epci.members)},
        )
    for commune in plan.communes:
        _upsert(
            existing,
            report,
            kind=TerritoryKind.COMMUNE,
            code=commune.code,
            name=commune.name,
            values={"insee_codes": [commune.code]},
        )
    changed_ids = []
    for qpv in plan.qpvs:
        before = report.created[TerritoryKind.QPV] + report.updated[TerritoryKind.QPV]
        territory = _upsert(
            existing,
            report,
            kind=TerritoryKind.QPV,
            code=qpv.code,
            name=qpv.label,
            values={
                "insee_codes": list(qpv.insee),
                **_contour_fields(qpv.coordinates, ContourSource.ANCT),
            },
        )
        if report.created[TerritoryKind.QPV] + report.updated[TerritoryKind.QPV] > before:
            changed_ids.append(territory.pk)
    audit_log_record(
        actor=by,
        action=AuditAction.PERIMETER_LOADED,
        target=existing.get((TerritoryKind.EPCI, plan.epci.siren)) if plan.epci else None,
        target_label=plan.epci.name if plan.epci else ", ".join(c.name for c in plan.communes),
        data={
            "communes": len(plan.communes),
            "qpv": len(plan.qpvs),
            **report.as_data(),
        },
    )
    _contours_changed_on_commit(changed_ids)
    return report


def _contours_changed_on_commit(territory_ids: list[int]) -> None:
    if territory_ids:
        transaction.on_commit(
            lambda: contours_changed.send(sender=Territory, territory_ids=territory_ids)
        )


@transaction.atomic
def contour_set(*, by: User | None, territory: Territory, coordinates: list) -> Territory:
    """Give a local area (QVA, sector, commune) the contour an organiser uploaded."""
    territory = Territory.objects.select_for_update().get(pk=territory.pk)
    if territory.contour_source == ContourSource.ANCT:
        raise ServiceError(
            _(
                "Le contour de ce quartier prioritaire vient de la liste nationale : "
                "il ne se remplace pas à la main."
            )
        )
    replaced = territory.contour is not None
    for key, value in _contour_fields(coordinates, ContourSource.UPLOAD).items():
        setattr(territory, key, value)
    territory.save()
    audit_log_record(
        actor=by,
        action=AuditAction.CONTOUR_SET,
        target=territory,
        data={
            "replaced": replaced,
            "vertices": sum(len(ring) for polygon in coordinates for ring in polygon),
        },
    )
    _contours_changed_on_commit([territory.pk])
    return territory


@transaction.atomic
def contour_remove(*, by: User | None, territory: Territory) -> Territory:
    territory = Territory.objects.select_for_update().get(pk=territory.pk)
    if territory.contour_source != ContourSource.UPLOAD:
        raise ServiceError(_("Seul un contour déposé sur le portail peut être retiré."))
    for key, value in _contour_fields(None, "").items():
        setattr(territory, key, value)
    territory.save()
    audit_log_record(actor=by, action=AuditAction.CONTOUR_REMOVED, target=territory)
    _contours_changed_on_commit([territory.pk])
    return territory
