"""Addresses to coordinates, through the search API of the Base Adresse Nationale (BAN).

One function, ``geocode``, on the standard library alone. It is off unless
``settings.PORTAL_GEOCODER_URL`` is set (e.g. https://api-adresse.data.gouv.fr/search/).
Every failure, of the service or of the network, is a GeocodingError whose message can be
shown next to the address field: a person can always go on without it, choosing the
neighbourhood by hand.

What people type is personal data (a home address): it is sent to the service, never logged.
"""

import json
import logging
import math
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# The BAN's own limits: it answers 400 outside them.
MIN_QUERY_LENGTH = 3
MAX_QUERY_LENGTH = 200
MAX_LIMIT = 20
# Twenty full answers weigh about 15 kB: anything far bigger is not the BAN.
MAX_RESPONSE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Address:
    label: str  # "12 Rue du Biollay 73000 Chambéry"
    lon: float
    lat: float
    kind: str  # housenumber, street, locality or municipality
    city: str
    citycode: str  # INSEE code of the commune
    postcode: str
    score: float  # 0 to 1, how well the address matches the query


class GeocodingError(Exception):
    """The search could not be made; ``message`` is said to the person, next to the field.
    ``code`` tells the cases apart: disabled, query_too_short, query_too_long, timeout,
    unavailable, rejected, invalid_response."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def geocoding_enabled() -> bool:
    """Whether address search is set up on this portal."""
    return bool(settings.PORTAL_GEOCODER_URL)


def geocode(query: str, *, limit: int = 5) -> list[Address]:
    """The addresses the BAN finds for ``query``, best first; [] when it finds none.
    Raises GeocodingError, and nothing else, when the search cannot be made."""
    if not geocoding_enabled():
        raise GeocodingError(
            _(
                "La recherche d'adresse n'est pas activée sur ce portail : "
                "indiquez le quartier vous-même."
            ),
            code="disabled",
        )
    query = _clean_query(query)
    url = _search_url(settings.PORTAL_GEOCODER_URL, query, max(1, min(limit, MAX_LIMIT)))
    if url is None:
        logger.error("PORTAL_GEOCODER_URL is not an http(s) URL: address search is off")
        raise _unavailable()
    body = _fetch(url, float(settings.PORTAL_GEOCODER_TIMEOUT))
    return _addresses(body)


def _clean_query(query: str) -> str:
    # The BAN refuses a query that does not start with a letter or a digit ("« 12 rue…").
    query = " ".join(query.split()) if isinstance(query, str) else ""
    start = next((i for i, char in enumerate(query) if char.isalpha() or char.isdigit()), None)
    query = query[start:] if start is not None else ""
    length = len(query.encode("utf-16-le")) // 2  # the BAN counts as JavaScript does
    if length < MIN_QUERY_LENGTH:
        raise GeocodingError(
            _("Saisissez au moins %(min)d caractères de l'adresse.") % {"min": MIN_QUERY_LENGTH},
            code="query_too_short",
        )
    if length > MAX_QUERY_LENGTH:
        raise GeocodingError(
            _("L'adresse est trop longue : %(max)d caractères au plus.")
            % {"max": MAX_QUERY_LENGTH},
            code="query_too_long",
        )
    return query


def _search_url(base: str, query: str, limit: int) -> str | None:
    try:
        parts = urllib.parse.urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
    except ValueError:  # "http://[oops/"
        return None
    params = [*urllib.parse.parse_qsl(parts.query), ("q", query), ("limit", str(limit))]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(params)))


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the configured host (http to https is fine): the query is
    a person's address and goes to the service chosen, nowhere else."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target, origin = urllib.parse.urlsplit(newurl), urllib.parse.urlsplit(req.full_url)
        if target.scheme not in ("http", "https") or target.hostname != origin.hostname:
            return None  # urllib then raises an HTTPError with the 3xx status
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _user_agent() -> str:
    # Header values are latin-1: the site name ("… — Grand Chambéry") is left out.
    contact = settings.PORTAL_BASE_URL.encode("ascii", "replace").decode()
    return f"contrat-ville-portal (+{contact})"


def _fetch(url: str, timeout: float) -> bytes:
    headers = {"User-Agent": _user_agent(), "Accept": "application/json"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http(s) only, checked)
    opener = urllib.request.build_opener(_SameHostRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        error.close()
        logger.warning("Address service answered HTTP %s", error.code)
        if error.code == 400:
            raise GeocodingError(
                _(
                    "Le service des adresses n'a pas compris cette recherche : reformulez "
                    "l'adresse (numéro, rue, commune) ou indiquez le quartier vous-même."
                ),
                code="rejected",
            ) from None
        raise _unavailable() from None
    except (TimeoutError, urllib.error.URLError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            logger.warning("Address service did not answer within %s s", timeout)
            raise GeocodingError(
                _(
                    "Le service des adresses ne répond pas pour le moment : réessayez dans "
                    "un instant, ou indiquez le quartier vous-même."
                ),
                code="timeout",
            ) from None
        logger.warning("Address service unreachable: %s", reason)
        raise _unavailable() from None
    except (OSError, HTTPException, ValueError) as error:
        # A connection cut mid-answer, a malformed status line or header.
        logger.warning("Address service failed: %r", error)
        raise _unavailable() from None
    if len(body) > MAX_RESPONSE_BYTES:
        logger.warning("Address service answered more than %s bytes", MAX_RESPONSE_BYTES)
        raise _invalid_response()
    return body


def _addresses(body: bytes) -> list[Address]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        logger.warning("Address service answered something that is not JSON")
        raise _invalid_response() from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        logger.warning("Address service answered JSON without a list of features")
        raise _invalid_response()
    addresses = []
    for feature in features:
        address = _address(feature)
        if address is None:
            logger.warning("Address service answered a feature without usable coordinates")
        else:
            addresses.append(address)
    return addresses


def _address(feature) -> Address | None:
    if not isinstance(feature, dict):
        return None
    geometry, properties = feature.get("geometry"), feature.get("properties")
    if not isinstance(geometry, dict) or not isinstance(properties, dict):
        return None
    position = geometry.get("coordinates")
    if not isinstance(position, list) or len(position) < 2:
        return None
    lon, lat = _number(position[0]), _number(position[1])
    label = properties.get("label")
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    if not isinstance(label, str) or not label.strip():
        return None
    score = _number(properties.get("score"))
    return Address(
        label=label.strip(),
        lon=lon,
        lat=lat,
        kind=_text(properties.get("type")),
        city=_text(properties.get("city")),
        citycode=_text(properties.get("citycode")),
        postcode=_text(properties.get("postcode")),
        score=score if score is not None else 0.0,
    )


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        value = float(value)
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _unavailable() -> GeocodingError:
    return GeocodingError(
        _(
            "Le service des adresses est indisponible pour le moment : réessayez plus tard, "
            "ou indiquez le quartier vous-même."
        ),
        code="unavailable",
    )


def _invalid_response() -> GeocodingError:
    return GeocodingError(
        _(
            "Le service des adresses a envoyé une réponse illisible : réessayez plus tard, "
            "ou indiquez le quartier vous-même."
        ),
        code="invalid_response",
    )
