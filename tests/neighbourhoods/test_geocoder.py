import socket
import time

import pytest

from neighbourhoods.geocoder import Address, GeocodingError, geocode, geocoding_enabled
from tests.neighbourhoods.fake_ban import BIOLLAY, CHAMBERY, HAUTS_DE_CHAMBERY, TOWN_HALL

UNAVAILABLE = (
    "Le service des adresses est indisponible pour le moment : réessayez plus tard, "
    "ou indiquez le quartier vous-même."
)
BIOLLAY_ADDRESS = Address(
    label="12 Rue du Biollay 73000 Chambéry",
    lon=5.904297,
    lat=45.561203,
    kind="housenumber",
    city="Chambéry",
    citycode="73065",
    postcode="73000",
    score=0.95,
)


def refusal(query="12 rue du Biollay", **kwargs) -> GeocodingError:
    with pytest.raises(GeocodingError) as caught:
        geocode(query, **kwargs)
    return caught.value


def test_geocode_parses_the_addresses_found(fake_ban):
    assert geocode("12 rue du Biollay Chambéry") == [BIOLLAY_ADDRESS]


def test_geocode_sends_the_query_and_the_limit(fake_ban, settings):
    settings.PORTAL_BASE_URL = "https://contrat-de-ville.example.test"

    geocode("  12 rue du  Biollay\n", limit=3)

    assert fake_ban.queries == [{"q": "12 rue du Biollay", "limit": "3"}]
    assert fake_ban.user_agents == ["contrat-ville-portal (+https://contrat-de-ville.example.test)"]


def test_geocode_asks_for_five_addresses_at_most_by_default(fake_ban):
    addresses = geocode("Chambéry")

    assert fake_ban.queries == [{"q": "Chambéry", "limit": "5"}]
    assert [address.label for address in addresses] == [
        place.label for place in (TOWN_HALL, BIOLLAY, HAUTS_DE_CHAMBERY, CHAMBERY)
    ]
    assert [address.kind for address in addresses] == [
        "street",
        "housenumber",
        "housenumber",
        "municipality",
    ]


def test_geocode_keeps_the_limit_within_the_bans(fake_ban):
    assert len(geocode("Chambéry", limit=2)) == 2
    geocode("Chambéry", limit=0)
    geocode("Chambéry", limit=500)

    assert [query["limit"] for query in fake_ban.queries] == ["2", "1", "20"]


def test_geocode_finds_nothing(fake_ban):
    assert geocode("10 rue de Nulle Part 99999 Ailleurs") == []
    assert len(fake_ban.queries) == 1


def test_geocode_starts_the_query_with_a_letter_or_a_digit(fake_ban):
    # The BAN answers 400 to a query starting otherwise.
    assert geocode("« 12 rue du Biollay »") == [BIOLLAY_ADDRESS]

    assert fake_ban.queries[0]["q"] == "12 rue du Biollay »"


def test_geocode_keeps_the_query_string_of_the_configured_url(fake_ban, settings):
    settings.PORTAL_GEOCODER_URL = f"{fake_ban.url}?autocomplete=0"

    geocode("Chambéry")

    assert fake_ban.queries == [{"autocomplete": "0", "q": "Chambéry", "limit": "5"}]


def test_geocode_follows_a_redirect_on_the_same_host(fake_ban, settings):
    settings.PORTAL_GEOCODER_URL = fake_ban.url.rstrip("/")  # ".../search" answers 301

    assert geocode("12 rue du Biollay") == [BIOLLAY_ADDRESS]


def test_geocode_does_not_follow_a_redirect_to_another_host(fake_ban):
    fake_ban.mode = "redirect_elsewhere"

    error = refusal()

    assert (error.code, error.message) == ("unavailable", UNAVAILABLE)
    assert len(fake_ban.queries) == 1  # never asked again on "localhost"


def test_geocode_when_the_service_does_not_answer(fake_ban):
    fake_ban.mode = "timeout"
    started = time.monotonic()

    error = refusal()

    assert time.monotonic() - started < 2
    assert error.code == "timeout"
    assert error.message == (
        "Le service des adresses ne répond pas pour le moment : réessayez dans un instant, "
        "ou indiquez le quartier vous-même."
    )


@pytest.mark.parametrize("mode", ["error500", "ratelimited"])
def test_geocode_when_the_service_fails(fake_ban, mode, caplog):
    fake_ban.mode = mode

    error = refusal()

    assert (error.code, error.message) == ("unavailable", UNAVAILABLE)
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "Biollay" not in caplog.text  # what people type is not logged


def test_geocode_when_the_service_refuses_the_query(fake_ban):
    fake_ban.mode = "rejected"

    error = refusal()

    assert error.code == "rejected"
    assert error.message == (
        "Le service des adresses n'a pas compris cette recherche : reformulez l'adresse "
        "(numéro, rue, commune) ou indiquez le quartier vous-même."
    )


def test_geocode_when_the_url_is_wrong(fake_ban, settings):
    settings.PORTAL_GEOCODER_URL = fake_ban.url.replace("/search/", "/recherche/")  # 404

    assert refusal().code == "unavailable"
    assert fake_ban.queries == []


@pytest.mark.parametrize("mode", ["invalid_json", "unexpected_shape"])
def test_geocode_when_the_answer_is_not_a_feature_collection(fake_ban, mode):
    fake_ban.mode = mode

    error = refusal()

    assert error.code == "invalid_response"
    assert error.message == (
        "Le service des adresses a envoyé une réponse illisible : réessayez plus tard, "
        "ou indiquez le quartier vous-même."
    )


def test_geocode_skips_features_without_usable_coordinates(fake_ban):
    fake_ban.mode = "bad_features"

    assert geocode("12 rue du Biollay") == [BIOLLAY_ADDRESS]


def test_geocode_when_nothing_listens(settings):
    with socket.socket() as probe:  # a port just freed: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.PORTAL_GEOCODER_URL = f"http://127.0.0.1:{port}/search/"

    assert refusal().code == "unavailable"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.test/search/",
        "api-adresse.data.gouv.fr",
        "http://[oops/",
    ],
)
def test_geocode_only_calls_http_urls(settings, url):
    settings.PORTAL_GEOCODER_URL = url

    assert refusal().code == "unavailable"


def test_geocode_is_off_without_a_url(fake_ban, settings):
    settings.PORTAL_GEOCODER_URL = ""

    error = refusal()

    assert geocoding_enabled() is False
    assert error.code == "disabled"
    assert error.message == (
        "La recherche d'adresse n'est pas activée sur ce portail : indiquez le quartier vous-même."
    )
    assert fake_ban.queries == []


def test_geocoding_is_enabled_with_a_url(fake_ban):
    assert geocoding_enabled() is True


@pytest.mark.parametrize("query", ["", "ab", "  ab  ", "« a", "12", "...", None])
def test_geocode_refuses_a_query_too_short(fake_ban, query):
    error = refusal(query)

    assert error.code == "query_too_short"
    assert error.message == "Saisissez au moins 3 caractères de l'adresse."
    assert fake_ban.queries == []


def test_geocode_refuses_a_query_too_long(fake_ban):
    assert geocode("a" * 200) == []

    error = refusal("a" * 201)

    assert error.code == "query_too_long"
    assert error.message == "L'adresse est trop longue : 200 caractères au plus."
    assert len(fake_ban.queries) == 1


def test_geocode_finds_each_address_in_its_qpv(fake_ban, qpv_index):
    found = {
        query: [qpv_index.locate(a.lon, a.lat) for a in geocode(query, limit=1)]
        for query in ("12 rue du Biollay", "rue du Pré de l'Âne", "Hôtel de Ville Chambéry")
    }

    assert found == {
        "12 rue du Biollay": [["QN07301M"]],
        "rue du Pré de l'Âne": [["QN07302M"]],
        "Hôtel de Ville Chambéry": [[]],
    }
