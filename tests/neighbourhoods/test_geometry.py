import itertools
import json
import math

import pytest
import shapely
from shapely.geometry import shape

from neighbourhoods.geometry import (
    MAX_GEOJSON_BYTES,
    MAX_VERTICES,
    ContourError,
    ContourIndex,
    _area_km2,
    bounds,
    covers,
    in_france,
    parse_geojson,
)

BIOLLAY = "QN07301M"
HAUTS_DE_CHAMBERY = "QN07302M"
INSIDE_BIOLLAY = (5.904297, 45.561203)  # about 230 m from the nearest edge
TOWN_HALL = (5.920661, 45.566452)  # Chambéry's, 520 m from Biollay - Bellevue
# A square of about 780 m by 1,100 m in Chambéry, counter-clockwise.
SQUARE = [[5.9, 45.56], [5.91, 45.56], [5.91, 45.57], [5.9, 45.57], [5.9, 45.56]]


def encoded(data) -> bytes:
    return json.dumps(data).encode()


def polygon(*rings) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def square(west, south, size=0.01) -> list:
    east, north = round(west + size, 6), round(south + size, 6)
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def refusal(data) -> str:
    with pytest.raises(ContourError) as caught:
        parse_geojson(data if isinstance(data, bytes) else encoded(data))
    return caught.value.message


def circle(points: int, lon=5.91, lat=45.565, radius=0.1) -> list:
    """A ring of ``points`` positions (the closing one included), distinct once rounded."""
    ring = [
        [
            round(lon + radius * math.cos(2 * math.pi * i / (points - 1)), 6),
            round(lat + radius * math.sin(2 * math.pi * i / (points - 1)), 6),
        ]
        for i in range(points - 1)
    ]
    return [*ring, ring[0]]


# --- Accepted files ----------------------------------------------------------------------


def test_parse_geojson_polygon_rounds_to_six_decimals():
    ring = [[lon + 0.00000012, lat - 0.00000049] for lon, lat in SQUARE]

    assert parse_geojson(encoded(polygon(ring))) == [[SQUARE]]


def test_parse_geojson_multipolygon_keeps_each_polygon_and_its_holes():
    hole = [[5.902, 45.562], [5.902, 45.564], [5.904, 45.564], [5.904, 45.562], [5.902, 45.562]]
    data = {"type": "MultiPolygon", "coordinates": [[SQUARE, hole], [square(5.95, 45.56)]]}

    assert parse_geojson(encoded(data)) == [[SQUARE, hole], [square(5.95, 45.56)]]


def test_parse_geojson_feature():
    data = {"type": "Feature", "properties": {"nom": "Biollay"}, "geometry": polygon(SQUARE)}

    assert parse_geojson(encoded(data)) == [[SQUARE]]


def test_parse_geojson_feature_collection_merges_its_polygons():
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": polygon(SQUARE)},
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[square(5.95, 45.56)], [square(5.97, 45.56)]],
                },
            },
        ],
    }

    assert parse_geojson(encoded(data)) == [
        [SQUARE],
        [square(5.95, 45.56)],
        [square(5.97, 45.56)],
    ]


def test_parse_geojson_overlapping_parts_become_one_surface():
    # Two features sharing an edge: a neighbourhood cut in two in the GIS layer.
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": polygon(square(5.9, 45.56))},
            {"type": "Feature", "properties": {}, "geometry": polygon(square(5.91, 45.56))},
        ],
    }

    coordinates = parse_geojson(encoded(data))

    merged = shape({"type": "MultiPolygon", "coordinates": coordinates})
    assert len(coordinates) == 1
    assert merged.equals(shapely.box(5.9, 45.56, 5.92, 45.57))


def test_parse_geojson_closes_an_open_ring():
    assert parse_geojson(encoded(polygon(SQUARE[:-1]))) == [[SQUARE]]


def test_parse_geojson_drops_altitudes_and_repeated_vertices():
    ring = [[5.9, 45.56, 312.5], [5.91, 45.56, 300], [5.91, 45.56, 301], *SQUARE[2:]]

    assert parse_geojson(encoded(polygon(ring))) == [[SQUARE]]


def test_parse_geojson_orients_rings_as_rfc_7946_says():
    hole = [[5.902, 45.562], [5.904, 45.562], [5.904, 45.564], [5.902, 45.564], [5.902, 45.562]]

    coordinates = parse_geojson(encoded(polygon(SQUARE[::-1], hole)))

    assert coordinates == [[SQUARE, hole[::-1]]]  # outer ring counter-clockwise, hole clockwise


def test_parse_geojson_accepts_a_bom_and_the_crs84_member():
    data = {
        "type": "FeatureCollection",
        "name": "quartier",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [{"type": "Feature", "properties": {}, "geometry": polygon(SQUARE)}],
    }

    assert parse_geojson(b"\xef\xbb\xbf" + encoded(data)) == [[SQUARE]]


def test_parse_geojson_reads_a_reference_contour_back(qpvs):
    reference = qpvs[HAUTS_DE_CHAMBERY]["g"]
    data = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "MultiPolygon", "coordinates": reference},
    }

    coordinates = parse_geojson(encoded(data))

    assert shape({"type": "MultiPolygon", "coordinates": coordinates}).equals(
        shape({"type": "MultiPolygon", "coordinates": reference})
    )


def test_parse_geojson_accepts_the_limits():
    data = encoded(polygon(circle(MAX_VERTICES)))
    data += b" " * (MAX_GEOJSON_BYTES - len(data))

    assert len(parse_geojson(data)[0][0]) == MAX_VERTICES


def test_parse_geojson_accepts_an_area_under_the_limit():
    # 0.9 degree by 0.9: about 70 km by 100 km, 7,000 km².
    assert parse_geojson(encoded(polygon(square(5.0, 45.0, size=0.9)))) == [
        [square(5.0, 45.0, 0.9)]
    ]


def test_parse_geojson_accepts_overseas_contours():
    saint_denis = square(55.45, -20.89, size=0.005)  # La Réunion

    assert parse_geojson(encoded(polygon(saint_denis))) == [[saint_denis]]


# --- Refused files -------------------------------------------------------------------------


def test_parse_geojson_refuses_a_file_over_2_mb():
    data = encoded(polygon(SQUARE))
    data += b" " * (MAX_GEOJSON_BYTES + 1 - len(data))

    assert refusal(data) == (
        "Le fichier pèse 2,1 Mo, la limite est de 2 Mo. Simplifiez le contour "
        "(dans QGIS : Vecteur > Outils de géométrie > Simplifier) puis recommencez."
    )


def test_parse_geojson_refuses_a_file_not_in_utf8():
    data = json.dumps({"type": "Feature", "properties": {"nom": "Hôtel"}}, ensure_ascii=False)

    assert refusal(data.encode("latin-1")).startswith(
        "Le fichier n'est pas un GeoJSON lisible : il n'est pas encodé en UTF-8."
    )


def test_parse_geojson_refuses_what_is_not_json():
    data = b'{\n"type": "Polygon",\n"coordinates": [[[5.9, 45.56],'

    assert refusal(data) == (
        "Le fichier n'est pas un GeoJSON lisible : son contenu n'est pas du JSON valide "
        "(ligne 3). Exportez-le de nouveau au format GeoJSON."
    )


def test_parse_geojson_refuses_json_nested_too_deep():
    assert refusal(b"[" * 200_000).startswith("Le fichier n'est pas un GeoJSON lisible")


@pytest.mark.parametrize("data", [[], "Polygon", {"coordinates": [[SQUARE]]}, {"type": 3}])
def test_parse_geojson_refuses_json_that_is_not_geojson(data):
    assert refusal(data).startswith(
        "Le fichier n'est pas un GeoJSON : il n'indique pas de « type »"
    )


@pytest.mark.parametrize(
    ("geometry", "kind"),
    [
        ({"type": "Point", "coordinates": [5.9, 45.56]}, "Point"),
        ({"type": "LineString", "coordinates": SQUARE}, "LineString"),
        ({"type": "MultiLineString", "coordinates": [SQUARE]}, "MultiLineString"),
        ({"type": "GeometryCollection", "geometries": [polygon(SQUARE)]}, "GeometryCollection"),
        ({"type": "polygon", "coordinates": [SQUARE]}, "polygon"),
    ],
)
def test_parse_geojson_refuses_other_geometries(geometry, kind):
    assert refusal(geometry) == (
        f"Le fichier contient une géométrie de type « {kind} » : le contour d'un quartier "
        "doit être un polygone (Polygon ou MultiPolygon)."
    )
    assert refusal({"type": "Feature", "properties": {}, "geometry": geometry}) == refusal(geometry)


def test_parse_geojson_names_the_feature_of_another_type():
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": polygon(SQUARE)},
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [5.9, 45.56]},
            },
        ],
    }

    assert refusal(data) == (
        "L'objet n° 2 du fichier est de type « Point » : le contour d'un quartier doit être "
        "fait de polygones (Polygon ou MultiPolygon)."
    )


def test_parse_geojson_refuses_features_without_geometry():
    assert refusal({"type": "Feature", "properties": {}, "geometry": None}) == (
        "L'objet du fichier n'a pas de géométrie."
    )
    data = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]}
    assert refusal(data) == "L'objet n° 1 du fichier n'a pas de géométrie."
    data = {"type": "FeatureCollection", "features": [polygon(SQUARE)]}
    assert refusal(data) == "L'objet n° 1 du fichier n'est pas un « Feature » GeoJSON."


@pytest.mark.parametrize(
    "data",
    [
        polygon(),
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": None},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": [[], []]},
        {"type": "FeatureCollection", "features": []},
    ],
)
def test_parse_geojson_refuses_a_file_without_coordinates(data):
    assert refusal(data) == "Le fichier ne contient aucune coordonnée : le contour est vide."


@pytest.mark.parametrize(
    "data",
    [
        {"type": "Polygon", "coordinates": "5.9 45.56"},
        {"type": "FeatureCollection", "features": {"0": {}}},
    ],
)
def test_parse_geojson_refuses_malformed_coordinates(data):
    assert refusal(data).startswith("Les coordonnées du fichier sont mal formées")


def test_parse_geojson_refuses_a_position_that_is_not_a_pair():
    assert refusal(polygon([SQUARE[0], [5.91], *SQUARE[2:]])) == (
        "Le sommet 2 de l'anneau 1 du polygone 1 n'est pas une position [longitude, latitude]."
    )
    assert refusal({"type": "Polygon", "coordinates": [[5.9, 45.56]]}).startswith(
        "Le sommet 1 de l'anneau 1 du polygone 1 n'est pas une position"
    )
    # A Polygon's coordinates under a MultiPolygon: one nesting level short.
    assert refusal({"type": "MultiPolygon", "coordinates": [SQUARE]}).startswith(
        "Le sommet 1 de l'anneau 1 du polygone 1 n'est pas une position"
    )


def test_parse_geojson_refuses_too_many_vertices():
    assert refusal(polygon(circle(MAX_VERTICES + 1))).startswith(
        "Le contour compte 50\xa0001 sommets, la limite est de 50\xa0000."
    )


@pytest.mark.parametrize("value", ["5.9", None, True, [5.9], {"lon": 5.9}])
def test_parse_geojson_refuses_coordinates_that_are_not_numbers(value):
    ring = [SQUARE[0], SQUARE[1], [value, 45.57], *SQUARE[3:]]

    assert refusal(polygon(ring)) == (
        "Le sommet 3 de l'anneau 1 du polygone 1 a une coordonnée qui n'est pas un nombre."
    )


@pytest.mark.parametrize("value", [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"1" + b"0" * 400])
def test_parse_geojson_refuses_coordinates_that_are_not_finite(value):
    data = (
        b'{"type": "Polygon", "coordinates": '
        b"[[[5.9, 45.56], [5.91, %s], [5.91, 45.57], [5.9, 45.56]]]}"
    )

    assert refusal(data % value) == (
        "Le sommet 2 de l'anneau 1 du polygone 1 a une coordonnée qui n'est pas un nombre fini."
    )


@pytest.mark.parametrize(
    "ring",
    [
        [[5.9, 45.56], [5.91, 45.56], [5.9, 45.56]],
        [[5.9, 45.56], [5.91, 45.56]],
        [[5.9, 45.56]] * 5,
        [],
    ],
)
def test_parse_geojson_refuses_rings_without_three_distinct_points(ring):
    assert refusal(polygon(SQUARE, ring)) == (
        "L'anneau 2 du polygone 1 n'a pas assez de points distincts pour former une surface "
        "(il en faut au moins 3)."
    )


def test_parse_geojson_refuses_a_contour_outside_france():
    new_york = square(-74.0, 40.7)

    assert refusal(polygon(new_york)) == (
        "Le point de longitude -74,0 et de latitude 40,7 est hors de France. Vérifiez que le "
        "fichier est en WGS 84 (EPSG:4326), en longitude et latitude."
    )


def test_parse_geojson_refuses_a_single_vertex_outside_france():
    ring = [SQUARE[0], SQUARE[1], [12.5, 45.57], *SQUARE[3:]]  # in Italy

    assert refusal(polygon(ring)).startswith(
        "Le point de longitude 12,5 et de latitude 45,57 est hors de France."
    )


def test_parse_geojson_says_when_latitude_and_longitude_are_swapped():
    swapped = [[lat, lon] for lon, lat in SQUARE]

    assert refusal(polygon(swapped)) == (
        "Les coordonnées semblent inversées : le fichier donne la latitude avant la longitude. "
        "En GeoJSON, chaque position s'écrit [longitude, latitude] ; corrigez l'ordre puis "
        "recommencez."
    )


def test_parse_geojson_says_when_the_file_is_projected():
    lambert_93 = [[925000, 6505000], [926000, 6505000], [926000, 6506000], [925000, 6505000]]

    assert refusal(polygon(lambert_93)).startswith(
        "Les coordonnées ne sont pas des degrés de longitude et de latitude : le fichier semble "
        "être dans une projection (Lambert 93 par exemple)."
    )
    named = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
        "features": [{"type": "Feature", "geometry": polygon(lambert_93)}],
    }
    assert refusal(named).startswith(
        "Le fichier est dans le système de coordonnées « urn:ogc:def:crs:EPSG::2154 »."
    )


def test_parse_geojson_refuses_a_self_intersecting_contour():
    bowtie = [[5.9, 45.56], [5.91, 45.57], [5.91, 45.56], [5.9, 45.57], [5.9, 45.56]]

    assert refusal(polygon(bowtie)) == (
        "Le contour n'est pas valide : le contour se recoupe lui-même, près du point de "
        "longitude 5,905 et de latitude 45,565. Dans QGIS, l'outil « Réparer les géométries » "
        "corrige ce défaut."
    )


def test_parse_geojson_refuses_a_hole_outside_its_polygon():
    elsewhere = square(5.95, 45.56)

    assert refusal(polygon(SQUARE, elsewhere[::-1])).startswith(
        "Le contour n'est pas valide : un trou du polygone sort de son contour extérieur"
    )


def test_parse_geojson_refuses_an_area_bigger_than_a_department():
    # Two degrees by two, from Clermont-Ferrand to Lyon and from Vichy to Le Puy.
    assert refusal(polygon(square(3.0, 45.0, size=2.0))) == (
        "Le contour couvre 34\xa0351 km², plus qu'un département : ce n'est sans doute pas "
        "celui d'un quartier (la limite est de 10\xa0000 km²). Vérifiez le fichier."
    )


def test_area_is_the_area_on_the_ground():
    south, north, width = 45.0, 46.0, 1.0
    exact = (
        6371.0088**2
        * math.radians(width)
        * (math.sin(math.radians(north)) - math.sin(math.radians(south)))
    )

    assert _area_km2(shapely.box(5.0, south, 5.0 + width, north)) == pytest.approx(exact, rel=1e-3)


# --- Bounds and point in polygon ----------------------------------------------------------


def test_bounds_are_west_south_east_north(qpvs):
    assert bounds([[SQUARE]]) == (5.9, 45.56, 5.91, 45.57)
    assert bounds(qpvs[BIOLLAY]["g"]) == (5.901, 45.5554, 5.9232, 45.5634)


def test_covers_a_point_inside_biollay(qpvs):
    assert covers(qpvs[BIOLLAY]["g"], *INSIDE_BIOLLAY) is True


def test_covers_not_the_town_hall(qpvs):
    assert covers(qpvs[BIOLLAY]["g"], *TOWN_HALL) is False
    assert covers(qpvs[HAUTS_DE_CHAMBERY]["g"], *TOWN_HALL) is False


def test_covers_a_vertex_of_the_contour(qpvs):
    contour = qpvs[BIOLLAY]["g"]

    assert all(covers(contour, lon, lat) for lon, lat in contour[0][0][::10])


def test_covers_the_middle_of_an_edge(qpvs):
    ring = qpvs[BIOLLAY]["g"][0][0]
    edges = list(itertools.pairwise(ring))
    straight = next(edge for edge in edges if edge[0][1] == edge[1][1])  # along a parallel
    slanted = next(edge for edge in edges if edge[0][0] != edge[1][0] and edge[0][1] != edge[1][1])

    for (lon1, lat1), (lon2, lat2) in (straight, slanted):
        assert covers(qpvs[BIOLLAY]["g"], (lon1 + lon2) / 2, (lat1 + lat2) / 2) is True


def test_covers_not_a_metre_beyond_the_edge(qpvs):
    # One metre each side of an edge: exactly one of the two points is in.
    (lon1, lat1), (lon2, lat2) = qpvs[BIOLLAY]["g"][0][0][:2]
    length = math.hypot(lon2 - lon1, lat2 - lat1)
    normal = ((lat1 - lat2) / length * 1e-5, (lon2 - lon1) / length * 1e-5)
    middle = ((lon1 + lon2) / 2, (lat1 + lat2) / 2)
    sides = [
        covers(qpvs[BIOLLAY]["g"], middle[0] + normal[0], middle[1] + normal[1]),
        covers(qpvs[BIOLLAY]["g"], middle[0] - normal[0], middle[1] - normal[1]),
    ]

    assert sorted(sides) == [False, True]


def test_covers_not_a_point_that_is_not_a_number(qpvs):
    assert covers(qpvs[BIOLLAY]["g"], math.nan, 45.56) is False
    assert covers(qpvs[BIOLLAY]["g"], 5.9, math.inf) is False


# --- The index of contours ----------------------------------------------------------------


def inner_point(contour) -> tuple[float, float]:
    """A point inside the contour, away from its edges, even when it is invalid as stored."""
    repaired = shapely.make_valid(shape({"type": "MultiPolygon", "coordinates": contour}))
    largest = max(
        (p for p in shapely.get_parts(shapely.get_parts(repaired)) if p.geom_type == "Polygon"),
        key=lambda part: part.area,
    )
    point = largest.representative_point()
    return point.x, point.y


OVERSEAS = ("971", "972", "973", "974", "976", "978", "987")


def test_index_holds_every_reference_contour(qpv_index):
    assert len(qpv_index) == 1584


def test_index_finds_the_qpv_of_a_point_inside_it(qpvs, qpv_index):
    codes = sorted(qpvs)[::80]  # 20 QPV across France, from Ain to Polynésie
    codes += [next(code for code in sorted(qpvs) if code[2:5] == prefix) for prefix in OVERSEAS]
    assert len(codes) == 27

    found = {code: qpv_index.locate(*inner_point(qpvs[code]["g"])) for code in codes}

    assert found == {code: [code] for code in codes}


def test_index_finds_biollay_and_not_the_town_hall(qpv_index):
    assert qpv_index.locate(*INSIDE_BIOLLAY) == [BIOLLAY]
    assert qpv_index.locate(*TOWN_HALL) == []


def test_index_finds_a_point_on_an_edge(qpvs, qpv_index):
    (lon1, lat1), (lon2, lat2) = qpvs[HAUTS_DE_CHAMBERY]["g"][0][0][:2]

    assert qpv_index.locate(lon1, lat1) == [HAUTS_DE_CHAMBERY]
    assert qpv_index.locate((lon1 + lon2) / 2, (lat1 + lat2) / 2) == [HAUTS_DE_CHAMBERY]


@pytest.mark.parametrize(
    "point",
    [
        (5.3, 43.1),  # the Mediterranean, off Marseille
        (-2.5, 45.5),  # the Bay of Biscay
        (0.0, 50.0),  # the Channel
        (55.3, -21.6),  # the Indian Ocean, south of La Réunion
        (-61.0, 14.2),  # the Caribbean, south of Martinique
        (-149.6, -17.3),  # the Pacific, north of Tahiti
    ],
)
def test_index_finds_nothing_in_the_sea(qpv_index, point):
    assert qpv_index.locate(*point) == []


def test_index_answers_in_input_order():
    index = ContourIndex(
        [
            ("b", [[square(5.9, 45.56)]]),
            (("a", 1), [[square(5.905, 45.565)]]),
            ("elsewhere", [[square(5.95, 45.56)]]),
        ]
    )

    assert index.locate(5.907, 45.567) == ["b", ("a", 1)]
    assert index.locate(5.901, 45.561) == ["b"]
    assert index.locate(5.93, 45.56) == []
    assert index.locate(math.nan, 45.56) == []


def test_index_without_contours_finds_nothing():
    assert ContourIndex([]).locate(5.9, 45.56) == []


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (5.920661, 45.566452, True),  # Chambéry
        (8.7369, 41.9192, True),  # Ajaccio
        (-4.4861, 48.3904, True),  # Brest
        (2.3522, 48.8566, True),  # Paris
        (-61.5340, 16.2411, True),  # Pointe-à-Pitre
        (-61.0588, 14.6161, True),  # Fort-de-France
        (-52.3260, 4.9372, True),  # Cayenne
        (55.4504, -20.8823, True),  # Saint-Denis, La Réunion
        (45.2279, -12.7806, True),  # Mamoudzou
        (-63.0822, 18.0731, True),  # Marigot, Saint-Martin
        (-149.5585, -17.5516, True),  # Papeete
        (166.4572, -22.2758, True),  # Nouméa
        (-56.1773, 46.7811, True),  # Saint-Pierre
        (-74.0060, 40.7128, False),  # New York
        (-3.7038, 40.4168, False),  # Madrid
        (-0.1276, 51.5072, False),  # London
        (13.4050, 52.5200, False),  # Berlin
        (45.57, 5.92, False),  # Chambéry, swapped
        (math.nan, 45.0, False),
    ],
)
def test_in_france(lon, lat, expected):
    assert in_france(lon, lat) is expected
