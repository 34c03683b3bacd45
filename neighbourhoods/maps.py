"""Maps that work without JavaScript and without a tile server.

`build_map()` projects contours (QPV, communes…) and actors to an SVG drawn by the server, with
labels, links and a text alternative; `static/js/map.js` then replaces the drawing with a
Leaflet map built from the same data (`MapView.data`). A page that shows a map puts the assets
in the head block of `base.html`, then includes the map:

    {% block extra_head %}{% include "neighbourhoods/includes/map_assets.html" %}{% endblock %}
    …
    {% include "neighbourhoods/includes/map.html" with map=map_view %}

The projection is Web Mercator, Leaflet's, so both drawings agree. Contours are simplified to
about half a pixel and their coordinates rounded, so that a map of 40 contours and 300 markers
stays small; above `max_markers` points, markers are aggregated on a pixel grid.
"""

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.ops import polylabel

from .geometry import polygons_of, repaired

Bounds = tuple[float, float, float, float]  # (west, south, east, north), degrees

# Web Mercator stops at this latitude (the square world of tiles).
MAX_LATITUDE = 85.0511287798
MARGIN_PX = 20
# A single point, or a tiny contour, is shown in an area at least this wide (about 550 m).
MIN_SPAN_DEGREES = 0.005
# Contours are clipped a little outside the drawing, so the cut never shows.
CLIP_PAD_PX = 4
SIMPLIFY_PX = 0.5
DOT_RADIUS_PX = 2
# Leaflet lets people zoom in: its contours keep four times the detail of the drawing.
LEAFLET_DETAIL = 4
GEOJSON_DECIMALS = 5

CLUSTER_CELL_PX = 48
POINT_RADIUS = 6
CLUSTER_MIN_RADIUS = 10
CLUSTER_MAX_RADIUS = CLUSTER_CELL_PX / 2 - 2

LABEL_FONT_PX = 13  # keep in step with .map__label in static/css/map.css
LABEL_CHAR_WIDTH = 0.56  # average advance of a character, in font sizes
LABEL_MIN_AREA_PX = 250  # a contour smaller than this (about 16 by 16 px) gets no label
LABEL_GAP_PX = 3

# The text alternative lists at most this many areas and markers.
LIST_LIMIT = 300


@dataclass(frozen=True)
class Area:
    """A contour: QPV, QVA, commune…; `coordinates` are a MultiPolygon's, [lon, lat]."""

    label: str
    url: str  # "" = not a link
    coordinates: list  # [polygon][ring][vertex][lon, lat]
    kind: str = "qpv"  # "qpv" | "qva" | "commune" | "epci" | other: CSS class map__area--<kind>
    highlighted: bool = False


@dataclass(frozen=True)
class Point:
    """An actor."""

    label: str
    url: str
    lon: float
    lat: float
    detail: str = ""  # e.g. the address: in the text alternative and the Leaflet popup


@dataclass(frozen=True)
class AreaShape:
    """An area as drawn: its SVG path, and where its label goes (when it has room for one)."""

    label: str
    url: str
    kind: str
    highlighted: bool
    d: str
    label_x: float | None = None
    label_y: float | None = None

    @property
    def has_label(self) -> bool:
        return self.label_x is not None

    @property
    def css_class(self) -> str:
        classes = f"map__area map__area--{self.kind}"
        return f"{classes} map__area--highlighted" if self.highlighted else classes


@dataclass(frozen=True)
class Marker:
    """One point, or a cluster of `count` points drawn at their mean position."""

    label: str
    url: str
    x: float
    y: float
    r: float
    lon: float
    lat: float
    count: int = 1
    detail: str = ""

    @property
    def is_cluster(self) -> bool:
        return self.count > 1


@dataclass(frozen=True)
class MapView:
    """Everything `neighbourhoods/includes/map.html` needs to draw one map."""

    title: str
    width: int
    height: int
    areas: tuple[AreaShape, ...] = ()
    markers: tuple[Marker, ...] = ()
    bounds: Bounds | None = None
    summary: str = ""  # the text alternative's sentence
    points_outside: int = 0
    clustered: bool = False
    listed_areas: tuple[AreaShape, ...] = ()
    listed_markers: tuple[Marker, ...] = ()
    unlisted: int = 0
    attribution: str = ""
    tiles_url: str = ""
    tiles_attribution: str = ""
    data: dict = field(default_factory=dict)
    data_id: str = "map-data"

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def is_empty(self) -> bool:
        return not self.areas and not self.markers

    @property
    def title_id(self) -> str:
        return f"{self.data_id}-title"

    @property
    def labelled_areas(self) -> list[AreaShape]:
        return [area for area in self.areas if area.has_label]

    @property
    def outside_sentence(self) -> str:
        if not self.points_outside:
            return ""
        return ngettext(
            "%(count)s structure située hors de la zone affichée n'est pas sur la carte.",
            "%(count)s structures situées hors de la zone affichée ne sont pas sur la carte.",
            self.points_outside,
        ) % {"count": self.points_outside}

    @property
    def unlisted_sentence(self) -> str:
        if not self.unlisted:
            return ""
        return ngettext(
            "Et %(count)s autre lieu, non listé ici.",
            "Et %(count)s autres lieux, non listés ici.",
            self.unlisted,
        ) % {"count": self.unlisted}


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator on a unit sphere: x grows eastwards, y northwards."""
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _mercator_arrays(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat = np.clip(lat, -MAX_LATITUDE, MAX_LATITUDE)
    return np.radians(lon), np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


@dataclass(frozen=True)
class Projection:
    """Web Mercator fitted to `bounds` inside width by height pixels, y pointing down."""

    width: int
    height: int
    scale: float  # pixels per unit of the unit-sphere Mercator
    x_origin: float  # Mercator x at pixel 0
    y_origin: float  # Mercator y at pixel 0 (the top edge)

    @classmethod
    def fit(cls, bounds: Bounds, width: int, height: int, margin: int = MARGIN_PX):
        west, south, east, north = _widen(bounds)
        x0, y0 = mercator(west, south)
        x1, y1 = mercator(east, north)
        inner_width = max(width - 2 * margin, 1)
        inner_height = max(height - 2 * margin, 1)
        # One scale for both axes keeps the shapes; the spare room is shared on both sides.
        scale = min(inner_width / (x1 - x0), inner_height / (y1 - y0))
        x_origin = (x0 + x1) / 2 - width / 2 / scale
        y_origin = (y0 + y1) / 2 + height / 2 / scale
        return cls(width, height, scale, x_origin, y_origin)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = mercator(lon, lat)
        return (x - self.x_origin) * self.scale, (self.y_origin - y) * self.scale

    def lonlat_to_pixels(self, coords: np.ndarray) -> np.ndarray:
        """(n, 2) [lon, lat] → (n, 2) [x, y] pixels (for shapely.transform)."""
        x, y = _mercator_arrays(coords[:, 0], coords[:, 1])
        return np.column_stack(((x - self.x_origin) * self.scale, (self.y_origin - y) * self.scale))

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        mx = x / self.scale + self.x_origin
        my = self.y_origin - y / self.scale
        return math.degrees(mx), math.degrees(2 * math.atan(math.exp(my)) - math.pi / 2)

    @property
    def visible_bounds(self) -> Bounds:
        west, north = self.unproject(0, 0)
        east, south = self.unproject(self.width, self.height)
        return west, south, east, north

    @property
    def degrees_per_pixel(self) -> float:
        return math.degrees(1 / self.scale)


def _widen(bounds: Bounds) -> Bounds:
    """Bounds at least MIN_SPAN_DEGREES wide and high, so one point gets a neighbourhood."""
    west, south, east, north = bounds
    if east - west < MIN_SPAN_DEGREES:
        middle = (west + east) / 2
        west, east = middle - MIN_SPAN_DEGREES / 2, middle + MIN_SPAN_DEGREES / 2
    if north - south < MIN_SPAN_DEGREES:
        middle = (south + north) / 2
        south, north = middle - MIN_SPAN_DEGREES / 2, middle + MIN_SPAN_DEGREES / 2
    south, north = max(south, -MAX_LATITUDE), min(north, MAX_LATITUDE)
    return west, south, east, north


def _geometry(coordinates: list):
    """A shapely (Multi)Polygon from MultiPolygon coordinates (a Polygon's are accepted too)."""
    if not coordinates:
        return None
    depth, probe = 0, coordinates
    while isinstance(probe, list | tuple) and probe:
        probe, depth = probe[0], depth + 1
    kind = "Polygon" if depth == 3 else "MultiPolygon"
    geometry = shape({"type": kind, "coordinates": coordinates})
    return None if geometry.is_empty else geometry


def _number(tenths: int) -> str:
    """1 decimal, as short as SVG allows: 15 → "1.5", -5 → "-.5", 20 → "2"."""
    if tenths % 10 == 0:
        return str(tenths // 10)
    whole, fraction = divmod(abs(tenths), 10)
    return f"{'-' if tenths < 0 else ''}{whole or ''}.{fraction}"


def _ring_path(coords: np.ndarray) -> str:
    # Rounded to tenths first, so the relative steps add up exactly to the rounded vertices.
    tenths = np.rint(coords * 10).astype(np.int64)
    steps = np.diff(tenths, axis=0)
    steps = steps[(steps != 0).any(axis=1)]
    if len(steps) < 3:
        return ""
    # A ring ends on its first vertex: "z" closes it, the last step is redundant.
    steps = steps[:-1] if (tenths[-1] == tenths[0]).all() else steps
    parts = ["M", _number(int(tenths[0, 0])), " ", _number(int(tenths[0, 1])), "l"]
    first = True
    for value in steps.ravel().tolist():
        text = _number(value)
        if not first and text[0] != "-":
            parts.append(" ")
        parts.append(text)
        first = False
    parts.append("z")
    return "".join(parts)


def _svg_path(polygons: list) -> str:
    rings = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            rings.append(_ring_path(np.asarray(ring.coords)))
    return "".join(ring for ring in rings if ring)


def _dot_path(centre) -> str:
    """A circle of DOT_RADIUS_PX around `centre`, as two arcs."""
    x, y = round(centre.x * 10), round(centre.y * 10)
    r = DOT_RADIUS_PX * 10
    start = f"M{_number(x - r)} {_number(y)}"
    return f"{start}a{_number(r)} {_number(r)} 0 1 0 {_number(2 * r)} 0" + (
        f"a{_number(r)} {_number(r)} 0 1 0{_number(-2 * r)} 0z"
    )


def _geojson_polygons(geometry) -> list:
    return [
        [
            np.round(np.asarray(ring.coords), GEOJSON_DECIMALS).tolist()
            for ring in (polygon.exterior, *polygon.interiors)
        ]
        for polygon in polygons_of(geometry)
    ]


def _intersects(a: Bounds, b: Bounds) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _union_bounds(boxes: list[Bounds]) -> Bounds | None:
    if not boxes:
        return None
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


class _LabelPlacer:
    """Greedy placement: the larger (or highlighted) areas first, no two labels overlapping."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.placed: list[tuple[float, float, float, float]] = []

    def place(self, label: str, polygon) -> tuple[float, float] | None:
        if polygon.area < LABEL_MIN_AREA_PX:
            return None
        try:
            anchor = polylabel(polygon, tolerance=1.0)
        except (ShapelyError, ValueError):  # degenerate: any inner point
            anchor = polygon.representative_point()
        half_width = len(label) * LABEL_FONT_PX * LABEL_CHAR_WIDTH / 2
        half_height = LABEL_FONT_PX * 0.6
        # Keep the whole text inside the drawing.
        x = min(max(anchor.x, half_width + 2), self.width - half_width - 2)
        y = min(max(anchor.y, half_height + 2), self.height - half_height - 2)
        box = (
            x - half_width - LABEL_GAP_PX,
            y - half_height - LABEL_GAP_PX,
            x + half_width + LABEL_GAP_PX,
            y + half_height + LABEL_GAP_PX,
        )
        if half_width * 2 > self.width or any(_boxes_overlap(box, other) for other in self.placed):
            return None
        self.placed.append(box)
        return round(x, 1), round(y, 1)


def _boxes_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass
class _PreparedArea:
    area: Area
    geometry: object  # lon/lat


def _draw_areas(prepared: list[_PreparedArea], projection: Projection):
    """(shapes, GeoJSON features) of the areas that show in the drawing."""
    visible = projection.visible_bounds
    pad = CLIP_PAD_PX
    drawn = []
    for item in prepared:
        if not _intersects(item.geometry.bounds, visible):
            continue
        pixels = shapely.transform(item.geometry, projection.lonlat_to_pixels)
        west, south, east, north = pixels.bounds
        # Repairs are slow: a contour of a pixel or two is only a dot, repair only the others.
        if max(east - west, north - south) > 2 * DOT_RADIUS_PX:
            pixels = repaired(pixels)
        pixels = shapely.clip_by_rect(
            pixels, -pad, -pad, projection.width + pad, projection.height + pad
        )
        if pixels.is_empty:
            continue
        polygons = polygons_of(pixels.simplify(SIMPLIFY_PX, preserve_topology=True))
        # A contour smaller than a pixel or two still shows, as a dot.
        d = _svg_path(polygons) or _dot_path(pixels.centroid)
        drawn.append((item, polygons, d))

    placer = _LabelPlacer(projection.width, projection.height)
    positions = {}
    by_priority = sorted(
        range(len(drawn)),
        key=lambda i: (
            not drawn[i][0].area.highlighted,
            -max((polygon.area for polygon in drawn[i][1]), default=0),
        ),
    )
    for index in by_priority:
        item, polygons, _d = drawn[index]
        if not polygons:
            continue
        largest = max(polygons, key=lambda polygon: polygon.area)
        positions[index] = placer.place(item.area.label, largest)

    # Leaflet's copy: simplified in degrees (a pixel spans fewer of latitude than of longitude).
    middle_latitude = math.radians(sum(projection.visible_bounds[1::2]) / 2)
    tolerance = (
        SIMPLIFY_PX * projection.degrees_per_pixel * math.cos(middle_latitude) / LEAFLET_DETAIL
    )
    shapes, features = [], []
    for index, (item, _polygons_px, d) in enumerate(drawn):
        area = item.area
        position = positions.get(index)
        shapes.append(
            AreaShape(
                label=str(area.label),
                url=str(area.url),
                kind=str(area.kind),
                highlighted=bool(area.highlighted),
                d=d,
                label_x=position[0] if position else None,
                label_y=position[1] if position else None,
            )
        )
        simplified = item.geometry.simplify(tolerance, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "label": str(area.label),
                    "url": str(area.url),
                    "kind": str(area.kind),
                    "highlighted": bool(area.highlighted),
                    # Leaflet names on the map the areas the SVG had room to name.
                    "labelled": position is not None,
                },
                "geometry": {"type": "MultiPolygon", "coordinates": _geojson_polygons(simplified)},
            }
        )
    return shapes, features


def _cluster_label(count: int) -> str:
    return ngettext("%(count)s structure", "%(count)s structures", count) % {"count": count}


def _cluster_radius(count: int) -> float:
    return round(min(CLUSTER_MAX_RADIUS, CLUSTER_MIN_RADIUS + 2.5 * math.log(count)), 1)


def _single(point: Point, x: float, y: float) -> Marker:
    return Marker(
        label=str(point.label),
        url=str(point.url),
        x=round(x, 1),
        y=round(y, 1),
        r=POINT_RADIUS,
        lon=float(point.lon),
        lat=float(point.lat),
        detail=str(point.detail),
    )


def _draw_markers(points, lon, lat, projection: Projection, max_markers, cluster_url):
    """Markers for the points: each one, or clusters on a pixel grid above max_markers."""
    x, y = _mercator_arrays(lon, lat)
    px = (x - projection.x_origin) * projection.scale
    py = (projection.y_origin - y) * projection.scale
    if len(points) <= max_markers:
        return [_single(point, px[i], py[i]) for i, point in enumerate(points)], False

    cell = CLUSTER_CELL_PX
    while True:
        columns = int(projection.width // cell) + 2
        keys = np.floor(py / cell).astype(np.int64) * columns + np.floor(px / cell).astype(np.int64)
        cells, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        # A wide drawing has many cells: grow them until the markers fit the budget.
        if len(cells) <= max_markers:
            break
        cell *= 1.5
    order = np.argsort(inverse, kind="stable")
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    mean_x = np.bincount(inverse, weights=px) / counts
    mean_y = np.bincount(inverse, weights=py) / counts
    sorted_lon, sorted_lat = lon[order], lat[order]
    west = np.minimum.reduceat(sorted_lon, starts)
    east = np.maximum.reduceat(sorted_lon, starts)
    south = np.minimum.reduceat(sorted_lat, starts)
    north = np.maximum.reduceat(sorted_lat, starts)

    markers = []
    # np.unique sorts the cells row by row: markers come in reading order.
    for index, count in enumerate(counts.tolist()):
        first = int(order[starts[index]])
        if count == 1:
            markers.append(_single(points[first], px[first], py[first]))
            continue
        cell_bounds = (
            float(west[index]),
            float(south[index]),
            float(east[index]),
            float(north[index]),
        )
        centre_lon, centre_lat = projection.unproject(mean_x[index], mean_y[index])
        markers.append(
            Marker(
                label=_cluster_label(count),
                url=str(cluster_url(cell_bounds)) if cluster_url else "",
                x=round(float(mean_x[index]), 1),
                y=round(float(mean_y[index]), 1),
                r=_cluster_radius(count),
                lon=centre_lon,
                lat=centre_lat,
                count=count,
            )
        )
    return markers, True


def _summary(areas: int, points: int) -> str:
    zones = ngettext("%(count)s zone", "%(count)s zones", areas) % {"count": areas}
    structures = _cluster_label(points)
    if areas and points:
        return _("La carte montre %(zones)s et %(structures)s.") % {
            "zones": zones,
            "structures": structures,
        }
    return _("La carte montre %(things)s.") % {"things": zones if areas else structures}


def build_map(
    *,
    title: str,
    areas: Sequence[Area] = (),
    points: Sequence[Point] = (),
    bounds: Bounds | None = None,
    width: int = 800,
    height: int = 500,
    max_markers: int = 300,
    cluster_url: Callable[[Bounds], str] | None = None,
    attribution: str | None = None,
) -> MapView:
    """The map of `areas` and `points`, fitted to `bounds` (default: all of them).

    Points outside `bounds` are left out and counted (`points_outside`). Above `max_markers`
    points, markers are clusters of a pixel grid; `cluster_url(bounds)` gives each one a link
    (e.g. the directory filtered to those bounds). `attribution` credits the contours
    (default: the ANCT's QPV 2024, when there are areas).
    """
    title = str(title)
    if bounds is not None:
        west, south, east, north = bounds
        if not (west <= east and south <= north):
            raise ValueError(f"bounds must be (west, south, east, north), got {bounds!r}")

    prepared = []
    for area in areas:
        geometry = _geometry(area.coordinates)
        if geometry is not None:
            prepared.append(_PreparedArea(area, geometry))

    count = len(points)
    lon = np.fromiter((p.lon for p in points), dtype=float, count=count)
    lat = np.fromiter((p.lat for p in points), dtype=float, count=count)
    valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= MAX_LATITUDE)
    if bounds is not None:
        west, south, east, north = bounds
        valid &= (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    points_outside = int(count - np.count_nonzero(valid))
    kept = np.flatnonzero(valid)
    kept_points = [points[i] for i in kept.tolist()]
    lon, lat = lon[kept], lat[kept]

    if bounds is None:
        boxes = [item.geometry.bounds for item in prepared]
        if len(kept_points):
            boxes.append((lon.min(), lat.min(), lon.max(), lat.max()))
        bounds = _union_bounds(boxes)
    tiles_url = getattr(settings, "PORTAL_MAP_TILES_URL", "")
    tiles_attribution = getattr(settings, "PORTAL_MAP_TILES_ATTRIBUTION", "")
    if bounds is None or (not prepared and not kept_points):
        return MapView(
            title=title,
            width=width,
            height=height,
            points_outside=points_outside,
            summary=_("La carte ne montre aucun lieu."),
        )
    bounds = tuple(float(value) for value in bounds)

    projection = Projection.fit(bounds, width, height)
    shapes, features = _draw_areas(prepared, projection)
    markers, clustered = _draw_markers(kept_points, lon, lat, projection, max_markers, cluster_url)

    if not shapes and not markers:
        return MapView(
            title=title,
            width=width,
            height=height,
            bounds=bounds,
            points_outside=points_outside,
            summary=_("La carte ne montre aucun lieu."),
        )
    listed_areas = shapes[:LIST_LIMIT]
    listed_markers = markers[: LIST_LIMIT - len(listed_areas)]
    unlisted = len(shapes) + len(markers) - len(listed_areas) - len(listed_markers)
    if attribution is None:
        attribution = _("Contours : ANCT (QPV 2024)") if shapes else ""

    data = {
        "title": title,
        "width": width,
        "height": height,
        "bounds": [round(value, GEOJSON_DECIMALS) for value in _widen(bounds)],
        "areas": {"type": "FeatureCollection", "features": features},
        "markers": [
            {
                "lon": round(marker.lon, GEOJSON_DECIMALS),
                "lat": round(marker.lat, GEOJSON_DECIMALS),
                "label": marker.label,
                "url": marker.url,
                "count": marker.count,
                "detail": marker.detail,
                "radius": marker.r,
            }
            for marker in markers
        ],
    }
    # Deterministic, so a cached page stays the same, and distinct for two maps on a page.
    digest = hashlib.blake2s(
        json.dumps(data, sort_keys=True, separators=(",", ":")).encode(), digest_size=5
    ).hexdigest()
    return MapView(
        title=title,
        width=width,
        height=height,
        areas=tuple(shapes),
        markers=tuple(markers),
        bounds=bounds,
        summary=_summary(len(shapes), len(kept_points)),
        points_outside=points_outside,
        clustered=clustered,
        listed_areas=tuple(listed_areas),
        listed_markers=tuple(listed_markers),
        unlisted=unlisted,
        attribution=attribution,
        tiles_url=tiles_url,
        tiles_attribution=tiles_attribution,
        data=data,
        data_id=f"map-{digest}",
    )
