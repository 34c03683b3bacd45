"""A local stand-in for the search API of the Base Adresse Nationale (api-adresse.data.gouv.fr).

It answers ``GET /search/?q=…&limit=…`` as the BAN does: a GeoJSON FeatureCollection with the
same keys (type, version, features, attribution, licence, query, limit), the same properties
in each feature, and the same 400 answer to a query the BAN refuses. ``/search`` redirects to
``/search/``, as a web server in front of it would.

The table holds a few Chambéry addresses. Their coordinates are not the BAN's: they were
chosen on the QPV contours of ``neighbourhoods/data/qpv-2024.json.gz``, each well inside its
QPV (more than 200 m from the edge), and the town hall and the town's centre outside all of
them, so a test knows where each one falls.

``mode`` switches the whole server to a failure: "timeout" (answers nothing until stopped),
"error500", "ratelimited" (429), "invalid_json", "unexpected_shape" (JSON, but not a
FeatureCollection), "rejected" (the BAN's 400), "bad_features" (one good feature among broken
ones), "redirect_elsewhere" (302 to another host name).
"""

import json
import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

MODES = (
    "ok",
    "timeout",
    "error500",
    "ratelimited",
    "invalid_json",
    "unexpected_shape",
    "rejected",
    "bad_features",
    "redirect_elsewhere",
)


@dataclass(frozen=True)
class Place:
    label: str
    name: str
    kind: str  # housenumber, street, locality, municipality
    lon: float
    lat: float
    score: float
    id: str
    housenumber: str = ""
    street: str = ""
    postcode: str = "73000"
    citycode: str = "73065"
    city: str = "Chambéry"
    context: str = "73, Savoie, Auvergne-Rhône-Alpes"
    importance: float = 0.6


# Best first, as the BAN sorts them.
TOWN_HALL = Place(
    label="Place de l'Hôtel de Ville 73000 Chambéry",
    name="Place de l'Hôtel de Ville",
    kind="street",
    lon=5.920661,
    lat=45.566452,
    score=0.96,
    id="73065_1620",
    street="Place de l'Hôtel de Ville",
    importance=0.71,
)
BIOLLAY = Place(  # in Biollay - Bellevue, QN07301M
    label="12 Rue du Biollay 73000 Chambéry",
    name="12 Rue du Biollay",
    kind="housenumber",
    lon=5.904297,
    lat=45.561203,
    score=0.95,
    id="73065_0540_00012",
    housenumber="12",
    street="Rue du Biollay",
    importance=0.62,
)
HAUTS_DE_CHAMBERY = Place(  # in Les Hauts de Chambéry, QN07302M
    label="3 Rue du Pré de l'Âne 73000 Chambéry",
    name="3 Rue du Pré de l'Âne",
    kind="housenumber",
    lon=5.91631,
    lat=45.59497,
    score=0.94,
    id="73065_2780_00003",
    housenumber="3",
    street="Rue du Pré de l'Âne",
    importance=0.58,
)
CHAMBERY = Place(
    label="Chambéry",
    name="Chambéry",
    kind="municipality",
    lon=5.917781,
    lat=45.570155,
    score=0.93,
    id="73065",
    importance=0.78,
)
PLACES = (TOWN_HALL, BIOLLAY, HAUTS_DE_CHAMBERY, CHAMBERY)


class FakeBan:
    """The server, on 127.0.0.1 and a free port, in a thread; ``with FakeBan() as fake:``."""

    def __init__(self):
        self.mode = "ok"
        self.queries: list[dict[str, str]] = []  # the parameters of each search received
        self.user_agents: list[str] = []
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/search/"

    def start(self) -> "FakeBan":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # frees the requests held by the "timeout" mode
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> "FakeBan":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def search(query: str, limit: int) -> list[Place]:
    """The places whose words start with each word of the query, best first."""
    words = _words(query)
    found = []
    for place in PLACES:
        own = _words(f"{place.label} {place.postcode} {place.city} {place.context}")
        if all(any(word.startswith(w) for word in own) for w in words):
            found.append(place)
    return sorted(found, key=lambda place: -place.score)[:limit]


def feature(place: Place) -> dict:
    """A feature as the BAN writes it, Lambert 93 coordinates (x, y) included."""
    x, y = lambert93(place.lon, place.lat)
    properties = {
        "label": place.label,
        "score": place.score,
        "housenumber": place.housenumber,
        "id": place.id,
        "name": place.name,
        "postcode": place.postcode,
        "citycode": place.citycode,
        "x": x,
        "y": y,
        "city": place.city,
        "context": place.context,
        "type": place.kind,
        "importance": place.importance,
        "street": place.street,
        "_type": "address",
    }
    if place.kind == "municipality":
        properties["municipality"] = place.city
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        "properties": {key: value for key, value in properties.items() if value != ""},
    }


def collection(features: list[dict], query: str, limit: int) -> dict:
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": features,
        "attribution": "BAN",
        "licence": "ETALAB-2.0",
        "query": query,
        "limit": limit,
    }


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """RGF93 / Lambert-93 (EPSG:2154) of a WGS 84 point, the BAN's ``x`` and ``y``."""
    a, f = 6378137.0, 1 / 298.257222101
    e = math.sqrt(2 * f - f * f)
    phi1, phi2, phi0 = (math.radians(v) for v in (44.0, 49.0, 46.5))

    def m(phi):
        return math.cos(phi) / math.sqrt(1 - (e * math.sin(phi)) ** 2)

    def t(phi):
        s = e * math.sin(phi)
        return math.tan(math.pi / 4 - phi / 2) / ((1 - s) / (1 + s)) ** (e / 2)

    n = (math.log(m(phi1)) - math.log(m(phi2))) / (math.log(t(phi1)) - math.log(t(phi2)))
    big_f = m(phi1) / (n * t(phi1) ** n)
    rho0, rho = a * big_f * t(phi0) ** n, a * big_f * t(math.radians(lat)) ** n
    theta = n * math.radians(lon - 3.0)
    return round(700000 + rho * math.sin(theta), 2), round(
        6600000 + rho0 - rho * math.cos(theta), 2
    )


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.findall(r"[a-z0-9]+", text)


def _first_char_valid(query: str) -> bool:
    # The BAN's own test: a letter (it has a case) or an ASCII digit.
    first = query[:1]
    return first.lower() != first.upper() or "0" <= first <= "9"


def _handler(fake: FakeBan):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # quiet in test output
            pass

        def do_GET(self):
            parts = urlsplit(self.path)
            if parts.path == "/search":
                return self._send(301, b"", {"Location": f"/search/?{parts.query}"})
            if parts.path != "/search/":
                return self._json(404, {"code": 404, "message": "Not Found"})
            params = dict(parse_qsl(parts.query))
            fake.queries.append(params)
            fake.user_agents.append(self.headers.get("User-Agent", ""))
            return getattr(self, f"_{fake.mode}")(params, parts.query)

        def _ok(self, params, query_string):
            query, errors = params.get("q", "").strip(), []
            if not query:
                errors.append("q is a required param")
            elif not (3 <= len(query) <= 200) or not _first_char_valid(query):
                errors.append(
                    "q: must contain between 3 and 200 chars and start with a number or a letter"
                )
            limit = params.get("limit", "5")
            if not limit.isdigit() or not 1 <= int(limit) <= 20:
                errors.append("limit: Param limit must be an integer between 1 and 20")
            if errors:
                return self._json(
                    400, {"code": 400, "message": "Failed parsing query", "detail": errors}
                )
            places = search(query, int(limit))
            return self._json(200, collection([feature(p) for p in places], query, int(limit)))

        def _timeout(self, params, query_string):
            fake._stopping.wait(10)  # the client gives up first; the fixture's end frees it

        def _error500(self, params, query_string):
            return self._json(500, {"code": 500, "message": "Internal Server Error"})

        def _ratelimited(self, params, query_string):
            return self._send(
                429, b"Too Many Requests", {"Content-Type": "text/plain", "Retry-After": "1"}
            )

        def _invalid_json(self, params, query_string):
            body = b'{"type": "FeatureCollection", "version": "draft", "features": [{"ty'
            return self._send(200, body, {"Content-Type": "application/json; charset=utf-8"})

        def _unexpected_shape(self, params, query_string):
            return self._json(200, {"type": "FeatureCollection", "features": {"0": "?"}})

        def _rejected(self, params, query_string):
            detail = ["q: must contain between 3 and 200 chars and start with a number or a letter"]
            return self._json(
                400, {"code": 400, "message": "Failed parsing query", "detail": detail}
            )

        def _bad_features(self, params, query_string):
            good = feature(BIOLLAY)
            broken = [
                {**good, "geometry": None},
                {**good, "geometry": {"type": "Point", "coordinates": ["5.9", "45.5"]}},
                {**good, "geometry": {"type": "Point", "coordinates": [5.9]}},
                {**good, "geometry": {"type": "Point", "coordinates": [925000.0, 6505000.0]}},
                {**good, "geometry": {"type": "Point", "coordinates": [True, 45.5]}},
                {**good, "properties": {**good["properties"], "label": None}},
                {**good, "properties": None},
                "not a feature",
            ]
            return self._json(200, collection([*broken, good], params.get("q", ""), 5))

        def _redirect_elsewhere(self, params, query_string):
            location = f"http://localhost:{fake.port}/search/?{urlencode(params)}"
            return self._send(302, b"", {"Location": location})

        def _json(self, status, data):
            body = json.dumps(data, ensure_ascii=False).encode()
            return self._send(status, body, {"Content-Type": "application/json; charset=utf-8"})

        def _send(self, status, body, headers):
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
