"""Contours of neighbourhoods: reading an uploaded GeoJSON, finding the contours that hold a point.

Contours travel as plain lists, a MultiPolygon's coordinates ``[polygon][ring][vertex][lon, lat]``
in WGS 84 (GeoJSON's order, and the reference file's), so they go to JSON and to the database
as they are. shapely does what lists cannot: validity, areas, point in polygon.

Choices made for uploaded files (``parse_geojson``):

- A ring whose last position is not its first is closed silently: the shape meant is not in
  doubt (shapely itself closes rings), and hand-edited or script-made files often forget it.
- Polygons that overlap or touch along an edge, in one MultiPolygon or across the features of
  a FeatureCollection, are merged into one surface: a layer cut into pieces is one
  neighbourhood. Each polygon must be valid on its own.
- A contour over ``MAX_AREA_KM2`` (10,000 km², more than most departments; the largest QPV,
  Mamoudzou, covers 42 km²) is refused as a mistake: a region, a projection problem.
- Coordinates are rounded to 6 decimals (about 10 cm), outer rings run counter-clockwise and
  holes clockwise (RFC 7946).

The reference contours (``data/qpv-2024.json.gz``, rounded to 4 decimals) are not all valid
once rounded: 586 of them cross themselves by a few metres. ``covers`` and ``ContourIndex``
repair such a contour before they use it, and keep every edge of it: a point on an edge of the
file's contour is on the edge of the repaired one.
"""

import json
import math
import re
from collections.abc import Hashable, Iterable

import numpy as np
import shapely
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from shapely.geometry import shape
from shapely.geometry.polygon import orient

Coordinates = list  # MultiPolygon coordinates [polygon][ring][vertex][lon, lat]
Bounds = tuple[float, float, float, float]  # west, south, east, north

MAX_GEOJSON_BYTES = 2 * 1024 * 1024
MAX_VERTICES = 50_000
MAX_AREA_KM2 = 10_000
DECIMALS = 6
# A point this close to a contour (in degrees, about 0.1 mm) is on it: a point computed on an
# edge (the midpoint of a slanted one) lands a rounding error away, on either side.
EDGE_TOLERANCE = 1e-9
EARTH_RADIUS_KM = 6371.0088

# (west, south, east, north) of each part of France, a few kilometres wider than the land:
# a contour drawn along a coast may put a vertex in the sea.
FRANCE_BOXES: dict[str, Bounds] = {
    "metropole": (-5.5, 41.2, 9.8, 51.2),  # the mainland and Corsica
    "guadeloupe": (-61.9, 15.8, -60.9, 16.6),
    "martinique": (-61.3, 14.3, -60.7, 15.0),
    "guyane": (-54.7, 2.0, -51.4, 6.0),
    "la_reunion": (55.1, -21.5, 55.9, -20.8),
    "saint_pierre_et_miquelon": (-56.6, 46.7, -56.0, 47.2),
    "mayotte": (44.9, -13.1, 45.4, -12.5),
    "saint_barthelemy": (-63.0, 17.8, -62.7, 18.0),
    "saint_martin": (-63.2, 18.0, -62.9, 18.2),
    "wallis_et_futuna": (-178.3, -14.5, -176.0, -13.1),
    "polynesie_francaise": (-154.8, -28.0, -134.3, -7.7),
    "nouvelle_caledonie": (163.5, -22.8, 168.2, -18.0),
}
_BOXES = np.array(list(FRANCE_BOXES.values()))

# Names a GeoJSON's old "crs" member gives to WGS 84 in longitude, latitude order.
_WGS84_NAMES = {"crs84", "epsg:4326", "ogc:1.3:crs84", "ogc::crs84", "epsg::4326"}

_REASON = re.compile(r"^(?P<reason>[^\[]*?)\s*(\[(?P<lon>\S+) (?P<lat>\S+)\])?$")


class ContourError(ValueError):
    """An uploaded contour that cannot be used; ``message`` can be shown to who uploaded it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_geojson(raw: bytes) -> Coordinates:
    """The coordinates of the contour in an uploaded GeoJSON file, checked and rounded.

    Accepts a Polygon or MultiPolygon geometry, a Feature holding one, or a FeatureCollection
    of them (merged into one MultiPolygon). Raises ContourError with a French message.
    """
    if len(raw) > MAX_GEOJSON_BYTES:
        raise ContourError(
            _(
                "Le fichier pèse %(size)s Mo, la limite est de 2 Mo. Simplifiez le contour "
                "(dans QGIS : Vecteur > Outils de géométrie > Simplifier) puis recommencez."
            )
            # Rounded up: a file just over the limit must not read "2,0 Mo".
            % {"size": number_format(math.ceil(len(raw) / 1024 / 1024 * 10) / 10, decimal_pos=1)}
        )
    polygons = _read_polygons(_load(raw))
    rings = _clean_rings(polygons)
    _check_in_france(rings)
    geometry = _valid_geometry(rings)
    area = _area_km2(geometry)
    if area > MAX_AREA_KM2:
        raise ContourError(
            _(
                "Le contour couvre %(area)s km², plus qu'un département : ce n'est sans doute "
                "pas celui d'un quartier (la limite est de %(limit)s km²). Vérifiez le fichier."
            )
            % {
                "area": number_format(round(area), force_grouping=True),
                "limit": number_format(MAX_AREA_KM2, force_grouping=True),
            }
        )
    return _coordinates_of(geometry)


def bounds(coordinates: Coordinates) -> Bounds:
    """The box around a contour: (west, south, east, north)."""
    lons = [vertex[0] for polygon in coordinates for ring in polygon for vertex in ring]
    lats = [vertex[1] for polygon in coordinates for ring in polygon for vertex in ring]
    if not lons:
        raise ValueError("a contour without coordinates has no bounds")
    return (min(lons), min(lats), max(lons), max(lats))


def covers(coordinates: Coordinates, lon: float, lat: float) -> bool:
    """Whether the point is in the contour, its boundary included (a point on the edge of a
    QPV is in the QPV). To locate many points, build a ContourIndex once."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return False
    return bool(shapely.dwithin(_surface(coordinates), shapely.Point(lon, lat), EDGE_TOLERANCE))


class ContourIndex:
    """Contours ready to be asked which of them hold a point, built once for many questions:
    an STRtree of their boxes picks the candidates, prepared geometries answer."""

    def __init__(self, items: Iterable[tuple[Hashable, Coordinates]]):
        self._keys: list[Hashable] = []
        surfaces = []
        for key, coordinates in items:
            self._keys.append(key)
            surfaces.append(_surface(coordinates))
        self._surfaces = np.array(surfaces, dtype=object)
        shapely.prepare(self._surfaces)
        self._tree = shapely.STRtree(self._surfaces)

    def __len__(self) -> int:
        return len(self._keys)

    def locate(self, lon: float, lat: float) -> list[Hashable]:
        """The keys of the contours that cover the point, boundary included, in input order."""
        if not self._keys or not (math.isfinite(lon) and math.isfinite(lat)):
            return []
        around = shapely.box(
            lon - EDGE_TOLERANCE, lat - EDGE_TOLERANCE, lon + EDGE_TOLERANCE, lat + EDGE_TOLERANCE
        )
        candidates = np.sort(self._tree.query(around))
        if not candidates.size:
            return []
        hits = shapely.dwithin(self._surfaces[candidates], shapely.Point(lon, lat), EDGE_TOLERANCE)
        return [self._keys[index] for index in candidates[hits]]


def in_france(lon: float, lat: float) -> bool:
    """Whether the point is in one of the boxes around metropolitan France (Corsica included)
    and each overseas territory. Boxes, not borders: a bit of Spain or of the sea is in."""
    return bool(_in_boxes(np.array([[lon, lat]], dtype=float))[0])


# --- Reading the file --------------------------------------------------------------------


def _load(raw: bytes):
    try:
        text = raw.decode("utf-8-sig")  # a BOM, as some Windows tools write, is not an error
    except UnicodeDecodeError:
        raise ContourError(
            _(
                "Le fichier n'est pas un GeoJSON lisible : il n'est pas encodé en UTF-8. "
                "Exportez-le de nouveau au format GeoJSON, en UTF-8."
            )
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ContourError(
            _(
                "Le fichier n'est pas un GeoJSON lisible : son contenu n'est pas du JSON "
                "valide (ligne %(line)d). Exportez-le de nouveau au format GeoJSON."
            )
            % {"line": error.lineno}
        ) from None
    except RecursionError:  # thousands of nested brackets
        raise ContourError(
            _("Le fichier n'est pas un GeoJSON lisible : son contenu est trop imbriqué.")
        ) from None


def _read_polygons(data) -> list:
    """The raw coordinates of each polygon the document holds, unchecked."""
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ContourError(
            _(
                "Le fichier n'est pas un GeoJSON : il n'indique pas de « type ». "
                "Exportez le contour au format GeoJSON."
            )
        )
    _check_crs(data)
    kind = data["type"]
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise _malformed()
        polygons = []
        for number, feature in enumerate(features, 1):
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise ContourError(
                    _("L'objet n° %(number)d du fichier n'est pas un « Feature » GeoJSON.")
                    % {"number": number}
                )
            polygons += _feature_polygons(feature, number)
    elif kind == "Feature":
        polygons = _feature_polygons(data, None)
    else:
        polygons = _geometry_polygons(data, None)
    if not any(ring for polygon in polygons if isinstance(polygon, list) for ring in polygon):
        raise ContourError(_("Le fichier ne contient aucune coordonnée : le contour est vide."))
    return polygons


def _check_crs(data: dict) -> None:
    # GeoJSON of 2008 could name its coordinate system; QGIS still writes CRS84 there.
    crs = data.get("crs")
    if not isinstance(crs, dict) or not isinstance(crs.get("properties"), dict):
        return
    name = crs["properties"].get("name")
    if not isinstance(name, str):
        return
    normalised = name.lower().removeprefix("urn:ogc:def:crs:")
    if normalised not in _WGS84_NAMES:
        raise ContourError(
            _(
                "Le fichier est dans le système de coordonnées « %(crs)s ». Exportez-le en "
                "WGS 84 (EPSG:4326), en longitude et latitude, puis recommencez."
            )
            % {"crs": name[:80]}
        )


def _feature_polygons(feature: dict, number: int | None) -> list:
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        if number is None:
            raise ContourError(_("L'objet du fichier n'a pas de géométrie."))
        raise ContourError(
            _("L'objet n° %(number)d du fichier n'a pas de géométrie.") % {"number": number}
        )
    return _geometry_polygons(geometry, number)


def _geometry_polygons(geometry: dict, number: int | None) -> list:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        kind = kind if isinstance(kind, str) else "?"
        if number is None:
            raise ContourError(
                _(
                    "Le fichier contient une géométrie de type « %(type)s » : le contour d'un "
                    "quartier doit être un polygone (Polygon ou MultiPolygon)."
                )
                % {"type": kind[:40]}
            )
        raise ContourError(
            _(
                "L'objet n° %(number)d du fichier est de type « %(type)s » : le contour d'un "
                "quartier doit être fait de polygones (Polygon ou MultiPolygon)."
            )
            % {"number": number, "type": kind[:40]}
        )
    if coordinates is None:
        return []
    if not isinstance(coordinates, list):
        raise _malformed()
    return [coordinates] if kind == "Polygon" else coordinates


def _malformed() -> ContourError:
    return ContourError(
        _(
            "Les coordonnées du fichier sont mal formées : ce n'est pas un GeoJSON correct. "
            "Exportez le contour de nouveau au format GeoJSON."
        )
    )


def _clean_rings(polygons: list) -> list[list[list[tuple[float, float]]]]:
    """Each polygon's rings as (lon, lat) rounded, without repeated consecutive vertices, closed."""
    for polygon in polygons:
        if not isinstance(polygon, list) or not all(isinstance(ring, list) for ring in polygon):
            raise _malformed()
    count = sum(len(ring) for polygon in polygons for ring in polygon)
    if count > MAX_VERTICES:
        raise ContourError(
            _(
                "Le contour compte %(count)s sommets, la limite est de %(limit)s. Simplifiez-le "
                "(dans QGIS : Vecteur > Outils de géométrie > Simplifier) puis recommencez."
            )
            % {
                "count": number_format(count, force_grouping=True),
                "limit": number_format(MAX_VERTICES, force_grouping=True),
            }
        )
    cleaned = []
    for p, polygon in enumerate(polygons, 1):
        rings = []
        for r, ring in enumerate(polygon, 1):
            vertices: list[tuple[float, float]] = []
            for v, position in enumerate(ring, 1):
                vertex = _vertex(position, p, r, v)
                if not vertices or vertices[-1] != vertex:
                    vertices.append(vertex)
            if vertices and vertices[0] != vertices[-1]:
                vertices.append(vertices[0])
            if len(vertices) < 4:
                raise ContourError(
                    _(
                        "L'anneau %(ring)d du polygone %(polygon)d n'a pas assez de points "
                        "distincts pour former une surface (il en faut au moins 3)."
                    )
                    % {"polygon": p, "ring": r}
                )
            rings.append(vertices)
        if rings:
            cleaned.append(rings)
    return cleaned


def _vertex(position, polygon: int, ring: int, number: int) -> tuple[float, float]:
    where = {"polygon": polygon, "ring": ring, "vertex": number}
    if not isinstance(position, list) or len(position) < 2:
        raise ContourError(
            _(
                "Le sommet %(vertex)d de l'anneau %(ring)d du polygone %(polygon)d n'est pas "
                "une position [longitude, latitude]."
            )
            % where
        )
    values = []
    for value in position[:2]:  # a third value, the altitude, is not needed
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ContourError(
                _(
                    "Le sommet %(vertex)d de l'anneau %(ring)d du polygone %(polygon)d a une "
                    "coordonnée qui n'est pas un nombre."
                )
                % where
            )
        try:
            value = float(value)
        except OverflowError:  # an integer too long for a float
            value = math.inf
        if not math.isfinite(value):
            raise ContourError(
                _(
                    "Le sommet %(vertex)d de l'anneau %(ring)d du polygone %(polygon)d a une "
                    "coordonnée qui n'est pas un nombre fini."
                )
                % where
            )
        values.append(round(value, DECIMALS))
    return (values[0], values[1])


def _check_in_france(polygons: list[list[list[tuple[float, float]]]]) -> None:
    points = np.array([vertex for polygon in polygons for ring in polygon for vertex in ring])
    if (np.abs(points[:, 0]) > 180).any() or (np.abs(points[:, 1]) > 90).any():
        raise ContourError(
            _(
                "Les coordonnées ne sont pas des degrés de longitude et de latitude : le fichier "
                "semble être dans une projection (Lambert 93 par exemple). Exportez-le en "
                "WGS 84 (EPSG:4326) puis recommencez."
            )
        )
    inside = _in_boxes(points)
    if inside.all():
        return
    if _in_boxes(points[:, ::-1]).all():
        raise ContourError(
            _(
                "Les coordonnées semblent inversées : le fichier donne la latitude avant la "
                "longitude. En GeoJSON, chaque position s'écrit [longitude, latitude] ; "
                "corrigez l'ordre puis recommencez."
            )
        )
    lon, lat = points[np.argmin(inside)]
    raise ContourError(
        _(
            "Le point de longitude %(lon)s et de latitude %(lat)s est hors de France. "
            "Vérifiez que le fichier est en WGS 84 (EPSG:4326), en longitude et latitude."
        )
        % {"lon": number_format(float(lon)), "lat": number_format(float(lat))}
    )


def _in_boxes(points: np.ndarray) -> np.ndarray:
    lon, lat = points[:, :1], points[:, 1:2]
    west, south, east, north = _BOXES.T
    return ((lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)).any(axis=1)


def _valid_geometry(polygons: list[list[list[tuple[float, float]]]]):
    parts = []
    for rings in polygons:
        polygon = shapely.Polygon(rings[0], rings[1:])
        if not polygon.is_valid:
            raise _invalid(shapely.is_valid_reason(polygon))
        parts.append(orient(polygon, sign=1.0))
    geometry = shapely.MultiPolygon(parts)
    if not geometry.is_valid:
        # Parts that overlap or share an edge: one surface. The union adds vertices where
        # edges cross; set_precision rounds them without making the result invalid.
        geometry = shapely.set_precision(shapely.union_all(parts), 10**-DECIMALS)
        geometry = shapely.MultiPolygon(
            [orient(polygon, sign=1.0) for polygon in polygons_of(geometry)]
        )
    if geometry.is_empty or geometry.area == 0:
        raise ContourError(_("Le contour n'a pas de surface : ses points sont alignés."))
    return geometry


# The reasons GEOS gives, in the words of someone who drew a contour.
_REASONS = {
    "Self-intersection": gettext_noop("le contour se recoupe lui-même"),
    "Ring Self-intersection": gettext_noop("le contour se touche lui-même"),
    "Too few points in geometry component": gettext_noop(
        "une partie du contour a trop peu de points"
    ),
    "Hole lies outside shell": gettext_noop("un trou du polygone sort de son contour extérieur"),
    "Nested holes": gettext_noop("un trou du polygone est dans un autre trou"),
    "Interior is disconnected": gettext_noop("les trous du polygone le coupent en morceaux"),
    "Nested shells": gettext_noop("un polygone est dans un autre"),
    "Duplicate Rings": gettext_noop("un anneau est répété"),
}


def _invalid(reason: str) -> ContourError:
    match = _REASON.match(reason)
    problem = _REASONS.get(match["reason"]) if match else None
    problem = (
        _(problem)
        if problem
        else _("la géométrie est incorrecte (%(reason)s)") % {"reason": reason[:120]}
    )
    hint = _("Dans QGIS, l'outil « Réparer les géométries » corrige ce défaut.")
    if match and match["lon"]:
        return ContourError(
            _(
                "Le contour n'est pas valide : %(problem)s, près du point de longitude %(lon)s "
                "et de latitude %(lat)s. %(hint)s"
            )
            % {
                "problem": problem,
                "lon": number_format(round(float(match["lon"]), DECIMALS)),
                "lat": number_format(round(float(match["lat"]), DECIMALS)),
                "hint": hint,
            }
        )
    return ContourError(
        _("Le contour n'est pas valide : %(problem)s. %(hint)s")
        % {"problem": problem, "hint": hint}
    )


def _area_km2(geometry) -> float:
    """The area on the ground. The sinusoidal projection keeps areas; centred on each polygon,
    its straight edges stay close to the ground's at a neighbourhood's scale."""
    total = 0.0
    for polygon in polygons_of(geometry):
        centre = polygon.centroid.x

        def project(points, centre=centre):
            lon, lat = np.radians(points[:, 0] - centre), np.radians(points[:, 1])
            return np.column_stack([EARTH_RADIUS_KM * lon * np.cos(lat), EARTH_RADIUS_KM * lat])

        total += shapely.transform(polygon, project).area
    return total


def _coordinates_of(geometry) -> Coordinates:
    return [
        [
            [[round(lon, DECIMALS), round(lat, DECIMALS)] for lon, lat in ring.coords]
            for ring in (polygon.exterior, *polygon.interiors)
        ]
        for polygon in polygons_of(geometry)
    ]


# --- Contours already stored ---------------------------------------------------------------


def _surface(coordinates: Coordinates):
    """The contour as a valid shapely surface. A contour invalid as stored (the reference
    file's, rounded) is repaired by the 'linework' method, which keeps every edge: the
    'structure' method empties some of them (QN05602M)."""
    return repaired(shape({"type": "MultiPolygon", "coordinates": coordinates}))


def repaired(geometry):
    """A valid geometry: an invalid one (a 4-decimal contour touching itself) is repaired,
    and the stray lines or points the repair may leave beside the polygons are dropped."""
    if geometry.is_valid:
        return geometry
    return shapely.MultiPolygon(polygons_of(shapely.make_valid(geometry)))


def polygons_of(geometry) -> list:
    """The non-empty polygons of a geometry, collections unpacked, lines and points left out."""
    polygons = []
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon":
            if not part.is_empty:
                polygons.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            polygons += polygons_of(part)
    return polygons
