"""The "Mon quartier" pages, the finder, the perimeter page and the contour upload."""

import json
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from shapely.geometry import shape

from contrat_ville.enums import ContourSource, TerritoryKind
from contrat_ville.models import AuditLogEntry, Territory
from contrat_ville.services import territory_create
from neighbourhoods.enums import AuditAction
from neighbourhoods.services import perimeter_load, perimeter_plan

GRAND_CHAMBERY = "200069110"
CITY_HALL = (5.9178, 45.5646)  # Hôtel de ville de Chambéry, outside both QPV


@pytest.fixture
def perimeter(db):
    perimeter_load(by=None, plan=perimeter_plan(epci=GRAND_CHAMBERY))


def _inside(code: str) -> tuple[float, float]:
    contour = Territory.objects.get(code=code).contour
    point = shape({"type": "MultiPolygon", "coordinates": contour}).representative_point()
    return point.x, point.y


def _square(lon: float, lat: float, size: float = 0.002) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _upload(data, name="secteur.geojson") -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, raw, content_type="application/geo+json")


# -- public pages ------------------------------------------------------------------


def test_index_lists_the_neighbourhoods_and_communes_with_a_map(client, perimeter):
    response = client.get(reverse("neighbourhoods:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Biollay - Bellevue" in html
    assert "Les Hauts de Chambéry" in html
    assert reverse("neighbourhoods:detail", args=["biollay-bellevue"]) in html
    assert "<svg" in html
    assert "La Motte-Servolex" in html  # one of the 38 communes


def test_index_without_any_neighbourhood_says_so(client, db):
    Territory.objects.all().delete()
    response = client.get(reverse("neighbourhoods:index"))
    assert response.status_code == 200
    assert "pas encore été indiqués" in response.content.decode()


def test_neighbourhood_page_in_plain_words(client, perimeter):
    response = client.get(reverse("neighbourhoods:detail", args=["biollay-bellevue"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Biollay - Bellevue</h1>" in html
    assert "Commune : Chambéry" in html
    assert "Un quartier prioritaire est un quartier" in html
    assert "ANCT" in html
    assert "<svg" in html


def test_commune_page_lists_its_neighbourhoods(client, perimeter):
    response = client.get(reverse("neighbourhoods:detail", args=["chambery"]))
    html = response.content.decode()
    assert "est une commune du contrat" in html
    assert "Elle compte 2 quartiers" in html
    assert reverse("neighbourhoods:detail", args=["hauts-de-chambery"]) in html
    other = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="73029")  # Barberaz
    html = client.get(reverse("neighbourhoods:detail", args=[other.slug])).content.decode()
    assert "ne compte pas de quartier prioritaire" in html


def test_epci_and_unknown_pages(client, perimeter):
    assert client.get(reverse("neighbourhoods:detail", args=["grand-chambery"])).status_code == 200
    assert client.get(reverse("neighbourhoods:detail", args=["nulle-part"])).status_code == 404


@pytest.mark.parametrize("name", ["index", "detail"])
def test_pages_make_a_constant_number_of_queries(client, perimeter, name):
    kwargs = {"slug": "chambery"} if name == "detail" else {}
    url = reverse(f"neighbourhoods:{name}", kwargs=kwargs)
    client.get(url)  # warm the caches (identity, reference files)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    perimeter_load(by=None, plan=perimeter_plan(epci="200054807"))  # 66 more QPV, 92 communes
    for index in range(3):
        territory_create(by=None, data={"kind": TerritoryKind.QVA, "name": f"Veille {index}"})
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


# -- the finder ---------------------------------------------------------------------


def test_finder_with_coordinates_inside_a_qpv(client, perimeter):
    lon, lat = _inside("QN07301M")
    response = client.post(reverse("neighbourhoods:finder"), {"adresse": f"{lat}, {lon}"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cette adresse est dans le quartier « Biollay - Bellevue »" in html
    assert response["Cache-Control"] == "no-store"


def test_finder_with_coordinates_outside_and_french_commas(client, perimeter):
    lon, lat = CITY_HALL
    text = f"{lat}".replace(".", ",") + " " + f"{lon}".replace(".", ",")
    html = client.post(reverse("neighbourhoods:finder"), {"adresse": text}).content.decode()
    assert "dans aucun quartier prioritaire" in html


def test_finder_without_geocoder_explains_and_keeps_the_text(client, perimeter):
    response = client.post(reverse("neighbourhoods:finder"), {"adresse": "12 rue du Biollay"})
    html = unescape(response.content.decode())
    assert "La recherche par adresse n'est pas activée" in html
    assert 'value="12 rue du Biollay"' in html
    assert 'aria-invalid="true"' in html


def test_finder_refuses_a_too_short_text(client, perimeter):
    response = client.post(reverse("neighbourhoods:finder"), {"adresse": "ab"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_finder_asks_the_address_service_and_stores_nothing(client, perimeter, fake_ban):
    from contrat_ville.models import RateLimitCounter

    before = {model: model.objects.count() for model in (Territory, AuditLogEntry)}
    response = client.post(reverse("neighbourhoods:finder"), {"adresse": "Hôtel de ville Chambéry"})
    html = response.content.decode()
    assert response.status_code == 200
    assert fake_ban.queries  # the service was asked
    assert "dans aucun quartier prioritaire" in html or "est dans le quartier" in html
    assert {model: model.objects.count() for model in before} == before
    assert RateLimitCounter.objects.count() >= 1  # only the per-client counter


def test_finder_says_when_the_address_service_fails(client, perimeter, fake_ban):
    fake_ban.mode = "error500"
    response = client.post(reverse("neighbourhoods:finder"), {"adresse": "12 rue du Biollay"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="12 rue du Biollay"' in html
    assert 'aria-invalid="true"' in html


def test_finder_is_rate_limited(client, perimeter, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "address_search:client": "2/m"}
    url = reverse("neighbourhoods:finder")
    for _ in range(2):
        assert client.post(url, {"adresse": "45.56, 5.91"}).status_code == 200
    response = client.post(url, {"adresse": "45.56, 5.91"})
    assert response.status_code == 429
    assert "Trop de recherches" in response.content.decode()


# -- the perimeter page ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_perimeter_page_is_for_organisers_only(client, partner, who):
    if who == "partner":
        client.force_login(partner)
    url = reverse("neighbourhoods:perimeter")
    assert client.get(url).status_code in (302, 403)
    response = client.post(url, {"epci": GRAND_CHAMBERY})
    assert response.status_code in (302, 403)
    assert not Territory.objects.filter(kind=TerritoryKind.COMMUNE, code="73008").exists()


def test_perimeter_search_preview_and_load(organiser_client):
    url = reverse("neighbourhoods:perimeter")
    html = organiser_client.get(url, {"q": "chambery"}).content.decode()
    assert "CA du Grand Chambéry" in html
    assert "?epci=200069110" in html
    html = organiser_client.get(url, {"epci": GRAND_CHAMBERY}).content.decode()
    assert "38 communes" in html
    assert "QN07302M" in html
    assert "déjà là" in html
    response = organiser_client.post(url, {"epci": GRAND_CHAMBERY, "communes": ""})
    assert response.status_code == 302
    assert Territory.objects.filter(kind=TerritoryKind.COMMUNE).count() == 38
    entry = AuditLogEntry.objects.get(action=AuditAction.PERIMETER_LOADED)
    assert entry.actor is not None
    journal = organiser_client.get(reverse("audit_log")).content.decode()
    assert "a chargé le périmètre CA du Grand Chambéry" in journal


@pytest.mark.parametrize(
    "data",
    [
        {"epci": "12345", "communes": ""},
        {"epci": "123456789", "communes": ""},
        {"epci": "", "communes": "abc"},
        {"epci": "", "communes": ""},
    ],
)
def test_perimeter_bad_input_is_said_and_nothing_written(organiser_client, data):
    before = Territory.objects.count()
    response = organiser_client.post(reverse("neighbourhoods:perimeter"), data)
    assert response.status_code == 400
    assert 'class="alert alert--error"' in response.content.decode() or "aria-invalid" in (
        response.content.decode()
    )
    assert Territory.objects.count() == before


def test_perimeter_unknown_epci_in_the_address(organiser_client):
    response = organiser_client.get(reverse("neighbourhoods:perimeter"), {"epci": "999999999"})
    assert response.status_code == 400
    assert "Aucune intercommunalité" in response.content.decode()


# -- contours ------------------------------------------------------------------------


@pytest.fixture
def sector(db):
    return territory_create(by=None, data={"kind": TerritoryKind.QVA, "name": "Le Covet"})


def test_organiser_uploads_a_contour_then_removes_it(organiser_client, sector):
    url = reverse("neighbourhoods:contour", args=[sector.pk])
    assert organiser_client.get(url).status_code == 200
    response = organiser_client.post(url, {"upload": "1", "contour": _upload(_square(5.92, 45.57))})
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.contour_source == ContourSource.UPLOAD
    assert sector.west == pytest.approx(5.92)
    assert "<svg" in organiser_client.get(url).content.decode()
    assert organiser_client.post(url, {"remove": "1"}).status_code == 302
    sector.refresh_from_db()
    assert sector.contour is None
    assert sector.west is None
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {AuditAction.CONTOUR_SET, AuditAction.CONTOUR_REMOVED} <= actions


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", ""),
        ({"type": "Point", "coordinates": [5.9, 45.5]}, ""),
        (_square(-73.98, 40.75), ""),  # New York
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[5.9, 45.5], [5.91, 45.51], [5.91, 45.5], [5.9, 45.51], [5.9, 45.5]]
                ],
            },
            "",
        ),  # a bow tie: self-intersecting
        (b" " * (2 * 1024 * 1024 + 10), ""),
    ],
)
def test_bad_contour_files_are_refused_and_nothing_written(
    organiser_client, sector, content, message
):
    url = reverse("neighbourhoods:contour", args=[sector.pk])
    response = organiser_client.post(url, {"upload": "1", "contour": _upload(content)})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    sector.refresh_from_db()
    assert sector.contour is None
    assert not AuditLogEntry.objects.filter(action=AuditAction.CONTOUR_SET).exists()


def test_the_official_contour_of_a_qpv_cannot_be_replaced(organiser_client, perimeter):
    biollay = Territory.objects.get(code="QN07301M")
    url = reverse("neighbourhoods:contour", args=[biollay.pk])
    assert "ne se remplace pas" in organiser_client.get(url).content.decode()
    response = organiser_client.post(url, {"upload": "1", "contour": _upload(_square(5.92, 45.57))})
    assert response.status_code == 400
    biollay.refresh_from_db()
    assert biollay.contour_source == ContourSource.ANCT


def test_contour_page_is_for_organisers_only(client, partner, sector):
    client.force_login(partner)
    url = reverse("neighbourhoods:contour", args=[sector.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"upload": "1", "contour": _upload(_square(5.92, 45.57))})
    assert response.status_code == 403
    sector.refresh_from_db()
    assert sector.contour is None


# -- other hosts ----------------------------------------------------------------------


def test_privacy_notice_names_the_other_hosts_only_when_their_options_are_on(client, db, settings):
    html = unescape(client.get(reverse("privacy")).content.decode())
    assert "les cartes viennent tous de ce site" in html
    assert "service national des adresses" not in html

    settings.PORTAL_MAP_TILES_URL = "https://tuiles.example.org/{z}/{x}/{y}.png"
    settings.PORTAL_MAP_TILES_ATTRIBUTION = "Fond : Exemple"
    settings.PORTAL_GEOCODER_URL = "https://adresses.example.org/search/"
    html = unescape(client.get(reverse("privacy")).content.decode())
    assert "tuiles.example.org (Fond : Exemple)" in html
    assert "(adresses.example.org)" in html
