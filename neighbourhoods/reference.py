"""The national reference files shipped in ``neighbourhoods/data`` (docs/neighbourhoods.md).

- ``qpv-2024.json.gz``: the 1,584 QPV of 2024 with their communes and contours (source: ANCT).
- ``communes-epci.json.gz``: communes and EPCI with their members, derived from Etalab's
  ``@etalab/decoupage-administratif`` by ``scripts/build_communes.py``.

Both are read once per process, on first use, and never written.
"""

import gzip
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
QPV_FILE = DATA_DIR / "qpv-2024.json.gz"
COMMUNES_FILE = DATA_DIR / "communes-epci.json.gz"


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    department: str


@dataclass(frozen=True)
class Epci:
    siren: str
    name: str
    kind: str  # CC, CA, CU, METRO, MET69
    members: tuple[str, ...]


@dataclass(frozen=True)
class ReferenceQpv:
    code: str
    label: str
    insee: tuple[str, ...]  # current communes, aliases resolved
    coordinates: list


def _read(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _communes_file() -> dict:
    return _read(COMMUNES_FILE)


@cache
def qpvs() -> tuple[ReferenceQpv, ...]:
    """Every QPV of the national list, in the file's order."""
    return tuple(
        ReferenceQpv(
            code=row["code"],
            label=row["label"],
            insee=tuple(dict.fromkeys(current_code(code) for code in row["insee"])),
            coordinates=row["g"],
        )
        for row in _read(QPV_FILE)["qpvs"]
    )


def current_code(code: str) -> str:
    """The current commune of a delegated commune or a municipal arrondissement."""
    return _communes_file()["aliases"].get(code, code)


def commune(code: str) -> Commune | None:
    row = _communes_file()["communes"].get(current_code(code))
    return Commune(current_code(code), row[0], row[1]) if row else None


def epci(siren: str) -> Epci | None:
    row = _communes_file()["epci"].get(siren.strip())
    return Epci(siren.strip(), row[0], row[1], tuple(row[2])) if row else None


def folded(text: str) -> str:
    """The text without case or accents, for searching and sorting French names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ")


def search_epci(text: str, *, limit: int = 20) -> list[Epci]:
    """EPCI whose SIREN is ``text``, or whose name or a member's name contains it."""
    text = text.strip()
    if len(text) < 2:
        return []
    found = epci(text)
    if found:
        return [found]
    needle = folded(text)
    data = _communes_file()
    names = data["communes"]
    matches = []
    for siren, (name, _kind, members) in data["epci"].items():
        by_name = needle in folded(name)
        if by_name or any(needle == folded(names[code][0]) for code in members):
            matches.append((not by_name, name, siren))
    matches.sort()
    return [epci(siren) for _, _, siren in matches[:limit]]


def qpvs_in(communes: Iterable[str]) -> list[ReferenceQpv]:
    """The QPV lying, even partly, in one of ``communes`` (INSEE codes)."""
    wanted = {current_code(code) for code in communes}
    return [qpv for qpv in qpvs() if wanted.intersection(qpv.insee)]
