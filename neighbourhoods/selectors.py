"""Reads of the neighbourhoods app: where a point lies, the contract's neighbourhoods."""

from collections.abc import Iterable

from django.db.models import Q

from contrat_ville.enums import NEIGHBOURHOOD_KINDS, TerritoryKind
from contrat_ville.models import Territory

from . import reference
from .geometry import ContourIndex, covers

# A point in two areas (a QVA drawn over a QPV's edge) belongs to the QPV first.
KIND_PRIORITY = {kind: rank for rank, kind in enumerate(NEIGHBOURHOOD_KINDS)}


def _holding(lon: float, lat: float) -> Q:
    return Q(west__lte=lon, east__gte=lon, south__lte=lat, north__gte=lat)


def locate(lon: float, lat: float) -> Territory | None:
    """The neighbourhood (QPV, then QVA, then local sector) whose contour covers the point.

    The boxes are the pre-filter, in the database (one indexed query); the few contours
    whose box holds the point are then tested exactly. A point on the edge is inside.
    """
    candidates = Territory.objects.filter(_holding(lon, lat), kind__in=NEIGHBOURHOOD_KINDS)
    found = [t for t in candidates if covers(t.contour, lon, lat)]
    found.sort(key=lambda t: (KIND_PRIORITY[t.kind], t.order, t.name))
    return found[0] if found else None


def locate_many(points: Iterable[tuple[object, float, float]]) -> dict[object, int | None]:
    """For many (key, lon, lat): the pk of the neighbourhood holding each point, in one query."""
    points = list(points)
    if not points:
        return {}
    territories = sorted(
        Territory.objects.filter(kind__in=NEIGHBOURHOOD_KINDS, contour__isnull=False).only(
            "pk", "kind", "order", "name", "contour"
        ),
        key=lambda t: (KIND_PRIORITY[t.kind], t.order, t.name),
    )
    index = ContourIndex((t.pk, t.contour) for t in territories)
    result = {}
    for key, lon, lat in points:
        found = index.locate(lon, lat)
        result[key] = found[0] if found else None
    return result


def neighbourhoods() -> list[Territory]:
    """The contract's neighbourhoods (QPV, QVA, local sectors), contours included: one query."""
    return list(Territory.objects.filter(kind__in=NEIGHBOURHOOD_KINDS))


def communes() -> list[Territory]:
    """The contract's communes in alphabetical order, "École" among the E (not after Z)."""
    found = Territory.objects.filter(kind=TerritoryKind.COMMUNE).defer("contour")
    return sorted(found, key=lambda t: reference.folded(t.name))


def commune_names(territory: Territory) -> list[str]:
    """The communes a neighbourhood lies in, by name, from the reference list (no query)."""
    names = []
    for code in territory.insee_codes or []:
        found = reference.commune(code)
        if found:
            names.append(found.name)
    return names
