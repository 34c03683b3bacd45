import gzip
import json
from pathlib import Path

import pytest

from neighbourhoods.geometry import ContourIndex
from tests.neighbourhoods.fake_ban import FakeBan

REFERENCE = Path(__file__).parents[2] / "neighbourhoods" / "data" / "qpv-2024.json.gz"


@pytest.fixture
def fake_ban(settings):
    """The address service, played by a local server; switch failures with ``fake_ban.mode``."""
    with FakeBan() as fake:
        settings.PORTAL_GEOCODER_URL = fake.url
        settings.PORTAL_GEOCODER_TIMEOUT = 0.5
        yield fake


@pytest.fixture(scope="session")
def qpvs() -> dict[str, dict]:
    """The reference QPV of 2024 by code: {"code", "label", "insee", "g"}."""
    with gzip.open(REFERENCE) as file:
        return {qpv["code"]: qpv for qpv in json.load(file)["qpvs"]}


@pytest.fixture(scope="session")
def qpv_index(qpvs) -> ContourIndex:
    return ContourIndex((code, qpv["g"]) for code, qpv in qpvs.items())
