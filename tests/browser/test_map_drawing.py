"""A map drawn by neighbourhoods.maps in a real browser, on a bare page served under the
portal's Content Security Policy: Leaflet takes over when JavaScript runs, the SVG stays
without it, both pass axe, nothing is asked of another host."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.template import Context, Template

from neighbourhoods.maps import Point, build_map
from tests.neighbourhoods.test_maps import qpv_area, qpvs

from .axe import assert_no_axe_violations


class _StaticPage(BaseHTTPRequestHandler):
    """Serves one page and the static files, under the portal's Content Security Policy."""

    page = b""
    policy = ""

    def do_GET(self):
        if self.path == "/":
            body, kind = self.page, "text/html; charset=utf-8"
        else:
            found = self.path.startswith("/static/") and finders.find(self.path[len("/static/") :])
            if not found:
                self.send_error(404)
                return
            body = Path(found).read_bytes()
            types = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
            kind = types.get(Path(found).suffix, "image/png")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Security-Policy", self.policy)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _policy() -> str:
    directives = django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


@pytest.fixture
def map_page(chromium):
    chambery = [qpv_area(qpv) for qpv in qpvs() if qpv["insee"] == ["73065"]]
    view = build_map(
        title="Carte de test",
        areas=chambery,
        points=[
            Point("Maison <b>de</b> quartier", "/mq/", 5.93, 45.58, detail="1 rue Haute"),
            *[Point(f"Groupe {i}", "/g/", 5.905, 45.597) for i in range(3)],
        ],
        max_markers=3,
        cluster_url=lambda bounds: "/annuaire/",
    )
    page = Template(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Carte</title>'
        "{% load static %}"
        '<link rel="stylesheet" href="{% static \'css/tokens.css\' %}">'
        '<link rel="stylesheet" href="{% static \'css/site.css\' %}">'
        '<link rel="icon" href="{% static \'img/favicon.svg\' %}" type="image/svg+xml">'
        '{% include "neighbourhoods/includes/map_assets.html" %}'
        '</head><body><main><h1>Carte</h1>{% include "neighbourhoods/includes/map.html" %}'
        "</main></body></html>"
    ).render(Context({"map": view}))
    handler = type("Handler", (_StaticPage,), {"page": page.encode(), "policy": _policy()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    problems = []

    def on_console(message):
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"{message.text} {message.location.get('url', '')}")

    def on_request(request):
        if not request.url.startswith((base, "data:", "about:")):
            problems.append(f"request to {request.url}")

    contexts = []

    def open_page(*, without_map_js=False, **options):
        context = chromium.new_context(viewport={"width": 1024, "height": 900}, **options)
        contexts.append(context)
        tab = context.new_page()
        tab.on("console", on_console)
        tab.on("pageerror", lambda error: problems.append(str(error)))
        tab.on("request", on_request)
        if without_map_js:
            # Scripts run, but not ours: the drawing as a browser without Leaflet shows it.
            tab.route("**/js/map.js", lambda route: route.fulfill(body=""))
        tab.goto(base + "/")
        return tab

    yield open_page, problems
    for context in contexts:
        context.close()
    server.shutdown()
    server.server_close()


def test_leaflet_replaces_the_drawing_under_the_content_security_policy(map_page):
    open_page, problems = map_page
    page = open_page()
    page.wait_for_selector(".map__leaflet .leaflet-pane path.map__area")

    assert page.locator(".map__canvas").is_hidden()
    assert page.locator(".map__list").is_visible()
    assert page.locator(".map__leaflet").get_attribute("aria-label") == "Carte de test"
    assert page.locator(".map__leaflet path.map__area--qpv").count() == 2
    assert page.locator(".leaflet-control-attribution").count() == 0
    cluster = page.locator(".map__cluster-icon")
    assert (cluster.inner_text(), cluster.get_attribute("aria-label")) == ("3", "3 structures")

    point_name = "Maison <b>de</b> quartier"
    point = page.locator(f'.map__leaflet path.map__point[aria-label="{point_name}"]')
    point.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup-content a")
    assert link.inner_text() == point_name
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/mq/"
    assert page.locator(".leaflet-popup-content").inner_text().endswith("1 rue Haute")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == point_name
    page.locator(".map__list summary").click()
    assert_no_axe_violations(page)
    assert problems == []


def test_without_javascript_the_drawing_stays(map_page):
    open_page, problems = map_page
    page = open_page(java_script_enabled=False)

    assert page.locator(".map__svg").is_visible()
    assert page.locator(".map__leaflet").count() == 0
    assert page.locator(".map__svg a.map__link").count() == 4
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/quartiers/QN07301M/"
    assert problems == []


def test_the_drawing_passes_axe(map_page):
    open_page, problems = map_page
    page = open_page(without_map_js=True)
    page.locator(".map__list summary").click()

    assert page.locator(".map__svg").is_visible()
    assert_no_axe_violations(page)
    assert problems == []
