"""Where an actor is: its point on the map, and the neighbourhood that point lies in.

A point is typed by a member (source "manual") or found from the address by the national
address service when the portal enables it (source "geocoder"). Typed coordinates always
win; a geocoded point follows the address. ``located_in`` is never typed: it is computed
from the point and the contours (neighbourhoods.selectors.locate), again whenever the
contours change (partners.receivers).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from neighbourhoods import geocoder
from neighbourhoods.selectors import locate, locate_many

from ..enums import LocationSource
from ..models import Actor

# Fields the position is made of, and the fields that make up the address.
POSITION_FIELDS = ("latitude", "longitude")
ADDRESS_FIELDS = ("address", "postcode", "town")
# A street or a house number the address service is fairly sure of; a town's centre or a
# doubtful match would put the actor somewhere it is not.
MIN_GEOCODING_SCORE = 0.6
GEOCODED_KINDS = frozenset({"housenumber", "street"})
UPDATE_CHUNK = 2000

__all__ = [
    "ADDRESS_FIELDS",
    "POSITION_FIELDS",
    "Placement",
    "actors_locate_again",
    "actors_points_set",
    "address_query",
    "placement_for",
]


@dataclass(frozen=True)
class Placement:
    """What an actor's point becomes: a point (or none) and where it comes from.

    ``warning`` says, in French, why the address could not be placed; the point is then
    left as it was (or removed when it belonged to a previous address).
    """

    latitude: float | None
    longitude: float | None
    source: str
    warning: str = ""

    def apply(self, actor: Actor) -> None:
        """Set the point and the neighbourhood holding it on ``actor`` (not saved)."""
        actor.latitude, actor.longitude = self.latitude, self.longitude
        actor.location_source = self.source if self.latitude is not None else LocationSource.NONE
        actor.located_in = (
            locate(self.longitude, self.latitude) if self.latitude is not None else None
        )


NO_POINT = Placement(None, None, LocationSource.NONE)


def address_query(data: dict) -> str:
    """The text sent to the address service: "12 rue du Biollay, 73000 Chambéry"."""
    town = " ".join(part for part in (data.get("postcode", ""), data.get("town", "")) if part)
    return ", ".join(part for part in (data.get("address", "").strip(), town.strip()) if part)


def _reason(error: geocoder.GeocodingError) -> str:
    """Why the address is not placed, for an actor's profile (the geocoder's own sentences
    speak of choosing a neighbourhood, which a profile does not ask)."""
    if error.code == "timeout":
        return _("le service national des adresses ne répond pas pour le moment")
    if error.code == "rejected":
        return _("le service national des adresses n'a pas compris cette adresse")
    if error.code in {"query_too_short", "query_too_long"}:
        return _("l'adresse est trop courte ou trop longue pour être cherchée")
    return _("le service national des adresses est indisponible pour le moment")


def _geocode(data: dict) -> Placement | str:
    """The address's point, or a French sentence saying why there is none."""
    try:
        found = geocoder.geocode(address_query(data), limit=5)
    except geocoder.GeocodingError as error:
        reason = _reason(error)
    else:
        for address in found:
            if address.score >= MIN_GEOCODING_SCORE and address.kind in GEOCODED_KINDS:
                return Placement(address.lat, address.lon, LocationSource.GEOCODER)
        reason = _("le service national des adresses ne trouve pas cette adresse")
    return _(
        "Adresse non placée sur la carte : %(reason)s ; indiquez la position à la main "
        "ou réessayez."
    ) % {"reason": reason}


def _typed(data: dict) -> tuple[float | None, float | None] | None:
    """The coordinates in ``data``, or None when the caller did not send any."""
    if not any(name in data for name in POSITION_FIELDS):
        return None
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if latitude is None or longitude is None:
        return None, None
    return float(latitude), float(longitude)


def placement_for(stored: Actor | None, data: dict, *, geocode: bool = True) -> Placement | None:
    """What the point of an actor (``stored``; None for a new one) becomes once ``data`` is
    saved; None leaves it as it is.

    - Coordinates sent that differ from the stored ones are a member's choice: kept as
      typed ("manual"), or removed when both are empty.
    - Otherwise a manual point stays. A geocoded point belonged to the address: a new
      address drops it, and the address service (when enabled) gives the new one. An actor
      with an address and no point asks the service again, so "réessayez" works.
    """
    typed = _typed(data)
    current = (stored.latitude, stored.longitude) if stored is not None else (None, None)
    if typed is not None and typed != current:
        if typed == (None, None):
            return NO_POINT
        return Placement(*typed, LocationSource.MANUAL)
    if stored is not None and stored.location_source == LocationSource.MANUAL:
        return None
    merged = {
        name: data.get(name, getattr(stored, name) if stored is not None else "")
        for name in ADDRESS_FIELDS
    }
    address_changed = stored is None or any(
        merged[name] != getattr(stored, name) for name in ADDRESS_FIELDS
    )
    has_point = current[0] is not None
    # The point the address had, now wrong; or nothing to do.
    fallback = NO_POINT if address_changed and has_point else None
    if not merged["address"].strip() or not (address_changed or not has_point):
        return fallback
    if not geocode or not geocoder.geocoding_enabled():
        return fallback
    found = _geocode(merged)
    if isinstance(found, Placement):
        return found
    # Saved all the same, without a point: nothing typed is lost, the warning says what to do.
    return Placement(None, None, LocationSource.NONE, warning=found)


@transaction.atomic
def actors_locate_again(actor_ids: Iterable[int] | None = None) -> int:
    """Compute ``located_in`` again for the actors with a point (all of them by default),
    e.g. once contours changed; returns how many moved. The directory's cache moves on
    when one did, since "situés dans" searches and maps depend on it."""
    from .actors import directory_changed

    rows = Actor.objects.filter(latitude__isnull=False, longitude__isnull=False)
    if actor_ids is not None:
        rows = rows.filter(pk__in=list(actor_ids))
    rows = list(rows.values_list("pk", "longitude", "latitude", "located_in_id"))
    found = locate_many((pk, lon, lat) for pk, lon, lat, _current in rows)
    moved: dict[int | None, list[int]] = defaultdict(list)
    for pk, _lon, _lat, current in rows:
        territory = found.get(pk)
        if territory != current:
            moved[territory].append(pk)
    # One UPDATE per neighbourhood the actors move to (a handful), not one per actor.
    for territory, ids in moved.items():
        for start in range(0, len(ids), UPDATE_CHUNK):
            Actor.objects.filter(pk__in=ids[start : start + UPDATE_CHUNK]).update(
                located_in_id=territory
            )
    count = sum(len(ids) for ids in moved.values())
    if count:
        directory_changed()
    return count


@transaction.atomic
def actors_points_set(points: dict[int, tuple[float, float] | None], *, source: str) -> int:
    """Give many actors their point at once, ``{pk: (latitude, longitude) or None}`` (demo
    data, batch tools): the neighbourhoods are found in one pass, the rows written in bulk."""
    from .actors import directory_changed

    found = locate_many((pk, point[1], point[0]) for pk, point in points.items() if point)
    actors = [
        Actor(
            pk=pk,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            location_source=source if point else LocationSource.NONE,
            located_in_id=found.get(pk) if point else None,
        )
        for pk, point in points.items()
    ]
    Actor.objects.bulk_update(
        actors, ["latitude", "longitude", "location_source", "located_in"], batch_size=500
    )
    if actors:
        directory_changed()
    return len(actors)
