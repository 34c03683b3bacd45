import gzip
import json
import math
import re
import time
from functools import cache
from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from contrat_ville.colours import contrast_ratio
from neighbourhoods.maps import (
    CLUSTER_CELL_PX,
    LIST_LIMIT,
    MARGIN_PX,
    Area,
    Point,
    Projection,
    _number,
    build_map,
)

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
QPV_FILE = ROOT / "neighbourhoods" / "data" / "qpv-2024.json.gz"
CHAMBERY = (5.85, 45.52, 6.0, 45.62)  # west, south, east, north


@cache
def qpvs() -> tuple[dict, ...]:
    with gzip.open(QPV_FILE, "rt", encoding="utf-8") as file:
        return tuple(json.load(file)["qpvs"])


def qpv_area(qpv: dict, **overrides) -> Area:
    return Area(
        label=qpv["label"], url=f"/quartiers/{qpv['code']}/", coordinates=qpv["g"], **overrides
    )


def square(west, south, size=0.01, **fields) -> Area:
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return Area(coordinates=[[ring]], **fields)


def grid_points(count, bounds=CHAMBERY) -> list[Point]:
    """count points spread evenly over bounds, deterministic."""
    west, south, east, north = bounds
    side = math.ceil(math.sqrt(count))
    return [
        Point(
            label=f"Structure {i}",
            url=f"/annuaire/{i}/",
            lon=west + (east - west) * ((i % side) + 0.5) / side,
            lat=south + (north - south) * ((i // side) + 0.5) / side,
        )
        for i in range(count)
    ]


def render(map_view) -> str:
    return render_to_string("neighbourhoods/includes/map.html", {"map": map_view})


# Projection


def test_projection_puts_west_left_and_north_up():
    project = Projection.fit(CHAMBERY, 800, 500)

    west_x, _ = project(5.86, 45.57)
    east_x, _ = project(5.99, 45.57)
    _, north_y = project(5.92, 45.61)
    _, south_y = project(5.92, 45.53)

    assert west_x < east_x
    assert north_y < south_y


def test_projection_fits_bounds_inside_the_margin_keeping_the_aspect_ratio():
    project = Projection.fit(CHAMBERY, 800, 500)

    left, top = project(CHAMBERY[0], CHAMBERY[3])
    right, bottom = project(CHAMBERY[2], CHAMBERY[1])

    # The tighter side touches the margin, the other is centred.
    assert (round(top, 6), round(500 - bottom, 6)) == (MARGIN_PX, MARGIN_PX)
    assert round(left - MARGIN_PX, 6) >= 0
    assert round(left, 6) == round(800 - right, 6)
    # Web Mercator is conformal: one scale on both axes, as in Leaflet.
    x_span = math.radians(CHAMBERY[2] - CHAMBERY[0])
    y_span = math.log(math.tan(math.pi / 4 + math.radians(CHAMBERY[3]) / 2)) - math.log(
        math.tan(math.pi / 4 + math.radians(CHAMBERY[1]) / 2)
    )
    assert round((right - left) / x_span, 6) == round((bottom - top) / y_span, 6)


def test_projection_unprojects_its_own_pixels():
    project = Projection.fit(CHAMBERY, 800, 500)

    lon, lat = project.unproject(*project(5.9123, 45.5678))

    assert (round(lon, 9), round(lat, 9)) == (5.9123, 45.5678)


def test_build_map_fits_its_content_by_default():
    points = [Point("A", "/a/", 5.9, 45.55), Point("B", "/b/", 5.95, 45.6)]

    view = build_map(title="Carte", points=points)

    assert view.bounds == (5.9, 45.55, 5.95, 45.6)
    xs = [marker.x for marker in view.markers]
    ys = [marker.y for marker in view.markers]
    assert (min(xs) >= MARGIN_PX, max(xs) <= 800 - MARGIN_PX) == (True, True)
    assert (min(ys) >= MARGIN_PX, max(ys) <= 500 - MARGIN_PX) == (True, True)


def test_build_map_of_a_single_point_shows_its_surroundings():
    view = build_map(title="Carte", points=[Point("A", "/a/", 5.92, 45.57)])

    assert [(marker.x, marker.y) for marker in view.markers] == [(400.0, 250.0)]


def test_build_map_refuses_bounds_in_the_wrong_order():
    with pytest.raises(ValueError, match="west, south, east, north"):
        build_map(title="Carte", bounds=(6.0, 45.5, 5.9, 45.6))


# Markers


def test_build_map_below_max_markers_draws_each_point():
    view = build_map(title="Carte", points=grid_points(300), bounds=CHAMBERY)

    assert len(view.markers) == 300
    assert {marker.count for marker in view.markers} == {1}
    assert view.clustered is False


def test_build_map_above_max_markers_clusters_and_keeps_the_count():
    view = build_map(title="Carte", points=grid_points(2000), bounds=CHAMBERY, max_markers=300)

    assert view.clustered is True
    assert len(view.markers) <= 300
    assert sum(marker.count for marker in view.markers) == 2000
    assert sum(marker["count"] for marker in view.data["markers"]) == 2000
    clusters = [marker for marker in view.markers if marker.is_cluster]
    assert clusters
    assert all(marker.label == f"{marker.count} structures" for marker in clusters)
    # The radius grows with the count, and stays inside a cell.
    by_count = sorted(clusters, key=lambda marker: marker.count)
    assert by_count[0].r <= by_count[-1].r <= CLUSTER_CELL_PX / 2


def test_cluster_is_drawn_at_the_mean_position_of_its_points():
    project = Projection.fit(CHAMBERY, 800, 500)
    # Two tight groups far apart: two clusters, each at its group's mean.
    group_a = [Point(f"A{i}", "/a/", 5.9 + i * 1e-5, 45.55) for i in range(3)]
    group_b = [Point(f"B{i}", "/b/", 5.97, 45.6 + i * 1e-5) for i in range(3)]

    view = build_map(title="Carte", points=group_a + group_b, bounds=CHAMBERY, max_markers=2)

    expected = []
    for group in (group_b, group_a):  # the northern one first: reading order
        xs, ys = zip(*(project(point.lon, point.lat) for point in group), strict=True)
        expected.append((round(sum(xs) / 3, 1), round(sum(ys) / 3, 1), 3))
    assert [(marker.x, marker.y, marker.count) for marker in view.markers] == expected


def test_cluster_url_receives_the_bounds_of_its_points():
    seen = []

    def cluster_url(bounds):
        seen.append(bounds)
        return "/annuaire/?bbox=" + ",".join(f"{value:.5f}" for value in bounds)

    points = [Point(f"A{i}", "/a/", 5.9 + i * 1e-4, 45.55 + i * 1e-4) for i in range(5)]
    view = build_map(title="Carte", points=points, max_markers=1, cluster_url=cluster_url)

    assert [tuple(round(value, 9) for value in bounds) for bounds in seen] == [
        (5.9, 45.55, 5.9004, 45.5504)
    ]
    assert view.markers[0].url == "/annuaire/?bbox=5.90000,45.55000,5.90040,45.55040"


def test_build_map_leaves_out_points_outside_bounds_and_counts_them():
    inside = Point("Dedans", "/dedans/", 5.92, 45.57)
    outside = [
        Point("Lyon", "/lyon/", 4.83, 45.76),
        Point("Sans position", "/nulle-part/", math.nan, 45.57),
    ]

    view = build_map(title="Carte", points=[inside, *outside], bounds=CHAMBERY)

    assert [marker.label for marker in view.markers] == ["Dedans"]
    assert view.points_outside == 2
    assert "2 structures situées hors de la zone affichée" in render(view)


def test_build_map_aggregates_50000_points_quickly():
    points = grid_points(50_000)

    durations = []
    for _ in range(3):
        start = time.perf_counter()
        view = build_map(title="Carte", points=points, bounds=CHAMBERY)
        durations.append(time.perf_counter() - start)

    assert sum(marker.count for marker in view.markers) == 50_000
    assert min(durations) < 0.3


# Areas


def test_chambery_contours_from_the_reference_file_render_as_links_with_labels():
    chambery = [qpv for qpv in qpvs() if qpv["insee"] == ["73065"]]
    assert [qpv["code"] for qpv in chambery] == ["QN07301M", "QN07302M"]

    view = build_map(
        title="Quartiers de Chambéry",
        areas=[qpv_area(qpv, highlighted=qpv["code"] == "QN07301M") for qpv in chambery],
    )
    html = render(view)

    assert [area.label for area in view.areas] == ["Biollay - Bellevue", "Les Hauts De Chambéry"]
    assert all(re.fullmatch(r"(M[-\d. ]+l[-\d. ]+z)+", area.d) for area in view.areas)
    assert [area.label for area in view.labelled_areas] == [area.label for area in view.areas]
    assert html.count('<a class="map__link" href="/quartiers/QN0730') == 2
    assert 'class="map__area map__area--qpv map__area--highlighted"' in html
    assert '<text class="map__label map__label--highlighted"' in html
    assert "Contours : ANCT (QPV 2024)" in html
    features = view.data["areas"]["features"]
    assert [len(feature["geometry"]["coordinates"]) > 0 for feature in features] == [True, True]


def test_tiny_area_is_a_dot_without_a_label():
    view = build_map(
        title="Carte",
        areas=[square(5.9, 45.55, size=0.00001, label="Minuscule", url="/m/")],
        bounds=CHAMBERY,
    )

    assert len(view.areas) == 1
    assert re.fullmatch(r"M[\d.]+ [\d.]+a2 2 0 1 0 4 0a2 2 0 1 0-4 0z", view.areas[0].d)
    assert view.labelled_areas == []


def test_area_outside_the_view_is_left_out():
    view = build_map(
        title="Carte",
        areas=[square(5.9, 45.55, label="Ici", url=""), square(2.3, 48.85, label="Paris", url="")],
        bounds=CHAMBERY,
    )

    assert [area.label for area in view.areas] == ["Ici"]
    assert [f["properties"]["label"] for f in view.data["areas"]["features"]] == ["Ici"]


def test_area_kind_becomes_its_css_class_and_a_label_is_never_drawn_twice_over_another():
    areas = [
        square(5.9, 45.55, size=0.02, label="Commune voisine", url="", kind="commune"),
        square(5.9005, 45.5505, size=0.02, label="Commune voisine bis", url="", kind="commune"),
    ]

    view = build_map(title="Carte", areas=areas, bounds=CHAMBERY)

    assert {area.css_class for area in view.areas} == {"map__area map__area--commune"}
    assert len(view.labelled_areas) == 1


def test_svg_path_numbers_are_short():
    assert [_number(t) for t in (15, -5, 20, -20, 0, 3, 1234)] == [
        "1.5",
        "-.5",
        "2",
        "-2",
        "0",
        ".3",
        "123.4",
    ]


# Rendering


def test_rendered_map_escapes_labels_and_details():
    nasty = '<script>alert("x")</script> & "Cie"'
    view = build_map(
        title=f"Carte {nasty}",
        areas=[square(5.9, 45.55, label=f"Zone {nasty}", url="/z/?a=1&b=2")],
        points=[Point(f"Asso {nasty}", "/p/", 5.92, 45.57, detail=f"Rue {nasty}")],
    )

    html = render(view)

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Cie&quot;" in html
    assert 'href="/z/?a=1&amp;b=2"' in html
    # In the JSON block too, so that it never closes its <script>.
    data_block = re.search(r'<script id="map-\w+" type="application/json">(.*?)</script>', html)
    assert "<" not in data_block.group(1)
    assert json.loads(data_block.group(1))["markers"][0]["detail"] == f"Rue {nasty}"


def test_rendered_map_has_names_for_the_drawing_and_each_link():
    view = build_map(
        title="Les structures",
        areas=[square(5.9, 45.55, size=0.02, label="Quartier", url="/q/")],
        points=[Point("Maison de quartier", "/mq/", 5.905, 45.555, detail="1 rue Haute")],
    )

    html = render(view)

    assert f'role="group" aria-labelledby="{view.title_id}"' in html
    assert f'<title id="{view.title_id}">Les structures</title>' in html
    assert '<a class="map__link" href="/q/"><title>Quartier</title><path' in html
    assert '<a class="map__link" href="/mq/"><title>Maison de quartier</title><circle' in html
    assert "<summary>Liste des lieux de la carte</summary>" in html
    assert '<li><a href="/mq/">Maison de quartier</a> — 1 rue Haute</li>' in html
    assert f'data-map data-map-source="{view.data_id}"' in html
    assert "La carte montre 1 zone et 1 structure." in html


def test_rendered_map_has_no_inline_style_script_or_handler():
    view = build_map(
        title="Carte",
        areas=[square(5.9, 45.55, label="Quartier", url="/q/")],
        points=grid_points(400),
        cluster_url=lambda bounds: "/annuaire/",
    )

    html = render(view)

    assert " style=" not in html
    assert re.findall(r"<script[^>]*>", html) == [
        f'<script id="{view.data_id}" type="application/json">'
    ]
    assert re.findall(r"\son[a-z]+=", html) == []


def test_rendered_cluster_shows_its_count_and_is_named_by_it():
    view = build_map(
        title="Carte",
        points=[Point(f"A{i}", "/a/", 5.9, 45.55) for i in range(12)],
        max_markers=5,
        cluster_url=lambda bounds: "/annuaire/?secteur=1",
    )

    html = render(view)

    assert '<a class="map__link" href="/annuaire/?secteur=1"><title>12 structures</title>' in html
    assert 'dy=".35em" aria-hidden="true">12</text>' in html
    assert '<li><a href="/annuaire/?secteur=1">12 structures</a></li>' in html


def test_text_alternative_is_capped_with_a_sentence():
    view = build_map(title="Carte", points=grid_points(LIST_LIMIT + 20), max_markers=1000)

    html = render(view)

    assert len(view.listed_markers) == LIST_LIMIT
    assert html.count("<li><a href=") == LIST_LIMIT
    assert "Et 20 autres lieux, non listés ici." in html


def test_svg_numbers_are_not_localised():
    view = build_map(title="Carte", points=[Point("A", "/a/", 5.9123, 45.5512)], width=801)

    with translation.override("fr"):
        html = render(view)

    assert 'viewBox="0 0 801 500"' in html
    assert re.search(r'<circle class="map__point" cx="[\d.]+" cy="[\d.]+" r="6"/>', html)


def test_empty_map_renders_a_sentence_not_a_drawing():
    for view in (
        build_map(title="Carte vide"),
        build_map(title="Carte", points=[Point("Lyon", "/l/", 4.83, 45.76)], bounds=CHAMBERY),
    ):
        html = render(view)

        assert view.is_empty
        assert "Aucun lieu à afficher sur la carte" in html
        assert "<svg" not in html
        assert "data-map" not in html
    assert "1 structure située hors de la zone affichée" in html


def test_map_data_is_json_serialisable_with_rounded_coordinates():
    qpv = next(qpv for qpv in qpvs() if qpv["code"] == "QN07302M")
    view = build_map(
        title="Carte",
        areas=[qpv_area(qpv)],
        points=[Point("A", "/a/", 5.9123456789, 45.5512345678, detail="Ici")],
    )

    data = json.loads(json.dumps(view.data))

    assert data["markers"] == [
        {
            "lon": 5.91235,
            "lat": 45.55123,
            "label": "A",
            "url": "/a/",
            "count": 1,
            "detail": "Ici",
            "radius": 6,
        }
    ]
    assert data["areas"]["type"] == "FeatureCollection"
    feature = data["areas"]["features"][0]
    assert feature["properties"] == {
        "label": "Les Hauts De Chambéry",
        "url": "/quartiers/QN07302M/",
        "kind": "qpv",
        "highlighted": False,
        "labelled": True,
    }
    coordinates = [c for polygon in feature["geometry"]["coordinates"] for r in polygon for c in r]
    assert all(round(value, 5) == value for vertex in coordinates for value in vertex)
    assert len(coordinates) <= sum(len(ring) for polygon in qpv["g"] for ring in polygon)
    west, south, east, north = data["bounds"]
    assert (west < east, south < north) == (True, True)
    assert (data["width"], data["height"], data["title"]) == (800, 500, "Carte")


def test_tiles_come_from_settings_only_when_both_are_set(settings):
    points = [Point("A", "/a/", 5.9, 45.55)]
    assert "data-tiles-url" not in render(build_map(title="Carte", points=points))

    settings.PORTAL_MAP_TILES_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
    settings.PORTAL_MAP_TILES_ATTRIBUTION = "Tuiles d'exemple"
    html = render(build_map(title="Carte", points=points))

    assert 'data-tiles-url="https://tiles.example.test/{z}/{x}/{y}.png"' in html
    assert 'data-tiles-attribution="Tuiles d&#x27;exemple"' in html
    assert "<span data-map-tiles-credit hidden>Fond de carte : Tuiles d&#x27;exemple</span>" in html


def test_national_contours_and_300_markers_stay_under_100_kb_gzipped():
    every = qpvs()[:: len(qpvs()) // 40][:40]
    seine_saint_denis = [qpv for qpv in qpvs() if qpv["insee"][0].startswith("93")][:40]
    assert (len(every), len(seine_saint_denis)) == (40, 40)

    for chosen in (every, seine_saint_denis):
        areas = [qpv_area(qpv) for qpv in chosen]
        view = build_map(title="Carte", areas=areas)
        west, south, east, north = view.bounds
        points = grid_points(300, (west, south, east, north))
        view = build_map(title="Carte", areas=areas, points=points)
        html = render(view)

        assert len(view.markers) == 300
        assert len(gzip.compress(html.encode())) < 100_000


def test_map_assets_link_the_styles_and_defer_the_scripts():
    html = Template('{% include "neighbourhoods/includes/map_assets.html" %}').render(Context())

    assert '<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">' in html
    assert '<link rel="stylesheet" href="/static/css/map.css">' in html
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer></script>' in html
    assert '<script src="/static/js/map.js" defer></script>' in html


# Static files


def test_leaflet_is_vendored_with_its_licence_and_map_js_calls_no_other_host():
    leaflet = STATIC / "vendor" / "leaflet"

    assert "Leaflet 1.9.4" in (leaflet / "leaflet.js").read_text()[:200]
    assert (leaflet / "leaflet.css").is_file()
    assert (leaflet / "images" / "layers.png").is_file()
    assert "BSD 2-Clause License" in (leaflet / "LICENSE").read_text()
    # collectstatic's manifest rewrites the sourceMappingURL: the map must be there.
    assert (leaflet / "leaflet.js.map").is_file()
    map_js = (STATIC / "js" / "map.js").read_text()
    assert re.findall(r"https?://", map_js) == []
    assert re.findall(r"\.innerHTML|\.outerHTML|insertAdjacentHTML", map_js) == []


def test_map_css_writes_no_colour_outside_the_tokens():
    map_css = (STATIC / "css" / "map.css").read_text()

    assert re.findall(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|hsl)a?\(", map_css) == []


def resolved_tokens() -> dict[str, str]:
    text = (STATIC / "css" / "tokens.css").read_text()
    raw = dict(re.findall(r"--(color-[a-z-]+):\s*([^;]+);", text))

    def resolve(value):
        alias = re.fullmatch(r"var\(--(color-[a-z-]+)\)", value.strip())
        return resolve(raw[alias.group(1)]) if alias else value.strip()

    return {name: resolve(value) for name, value in raw.items()}


def test_map_colours_contrast_with_the_map_background():
    tokens = resolved_tokens()
    background = tokens["color-map-background"]
    shapes = ["map-area", "map-area-alt", "map-highlight", "map-boundary", "map-point"]
    shapes.append("map-cluster")

    too_pale = [name for name in shapes if contrast_ratio(tokens[f"color-{name}"], background) < 3]
    assert too_pale == []
    assert contrast_ratio(tokens["color-map-label"], background) >= 4.5
    assert contrast_ratio(tokens["color-map-label"], tokens["color-map-halo"]) >= 4.5
    assert contrast_ratio(tokens["color-map-on-cluster"], tokens["color-map-cluster"]) >= 4.5
