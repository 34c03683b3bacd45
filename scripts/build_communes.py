"""Derive neighbourhoods/data/communes-epci.json.gz from @etalab/decoupage-administratif.

The npm package carries the official lists of communes and EPCI (MIT licence, Etalab). The
portal needs a small part of them: each current commune's name and department, the codes
that point to a current commune (delegated or associated communes, municipal arrondissements
of Paris, Lyon and Marseille), and each EPCI with its member communes. Run from the project:

    npm pack @etalab/decoupage-administratif@6.0.0   # or any later version
    tar xzf etalab-decoupage-administratif-*.tgz
    python3 scripts/build_communes.py package/data

The output is deterministic (sorted keys, no timestamp) so a refresh shows a readable diff.
See docs/neighbourhoods.md.
"""

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "neighbourhoods" / "data" / "communes-epci.json.gz"


def build(data_dir: Path) -> dict:
    communes_raw = json.loads((data_dir / "communes.json").read_text(encoding="utf-8"))
    epci_raw = json.loads((data_dir / "epci.json").read_text(encoding="utf-8"))
    package = json.loads((data_dir.parent / "package.json").read_text(encoding="utf-8"))

    communes = {}
    aliases = {}
    for row in communes_raw:
        if row["type"] == "commune-actuelle":
            communes[row["code"]] = [row["nom"], row.get("departement", "")]
    for row in communes_raw:
        parent = row.get("commune") or row.get("chefLieu")
        if row["type"] != "commune-actuelle" and parent in communes and parent != row["code"]:
            aliases[row["code"]] = parent
    epci = {
        row["code"]: [
            row["nom"],
            row["type"],
            sorted(member["code"] for member in row["membres"] if member["code"] in communes),
        ]
        for row in epci_raw
    }
    return {
        "meta": {
            "source": "Etalab, @etalab/decoupage-administratif (MIT licence)",
            "version": package["version"],
            "format": {
                "communes": "INSEE code -> [name, department]",
                "aliases": "former, delegated or arrondissement code -> current commune code",
                "epci": "SIREN -> [name, type, [member INSEE codes]]",
            },
        },
        "communes": dict(sorted(communes.items())),
        "aliases": dict(sorted(aliases.items())),
        "epci": dict(sorted(epci.items())),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    result = build(Path(argv[1]))
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # mtime=0: the same input gives the same bytes.
    with gzip.GzipFile(OUTPUT, "wb", mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    print(
        f"{OUTPUT.name}: {len(result['communes'])} communes, {len(result['aliases'])} aliases, "
        f"{len(result['epci'])} EPCI, {OUTPUT.stat().st_size // 1024} KB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
