"""Server time of the directory pages with 50,000 actors, compared to a bare page.

Run with ``make bench`` (see docs/benchmarks.md). Against PostgreSQL (DATABASE_URL,
by default postgres://postgres@127.0.0.1:5432/contrat_ville_bench): creates and
migrates the database if needed, seeds the actors (idempotent), then times
requests through Django's test Client in this one process, with DEBUG off. The
Client calls the whole middleware and view stack without a network, so what is
measured is the server's time. Pages are requested in turn, so machine noise
falls on all of them alike; read each page as a ratio to the bare page.
"""

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/contrat_ville_bench"
RESULTS = BASE_DIR / "var" / "bench" / "directory.json"
SEARCH_QUERY = "q=jeunesse&territoire=biollay-bellevue&competence=accueil-jeunes"
# A showcase actor of partners.demo; any published actor will do if it is missing.
PROFILE_SLUG = "maison-des-jeunes-du-biollay"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=50_000, help="directory size (50000)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    parser.add_argument(
        "--skip-seed", action="store_true", help="use the database as it is (no migrate, no seed)"
    )
    return parser.parse_args()


# -- preparation (subprocesses: seeding needs DEBUG on, the measure needs it off) --------


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return  # SQLite creates its file itself
    connection = psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    )
    with connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            print(f"Creating database {config['NAME']}")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def manage(*args: str, debug: bool) -> None:
    env = {**os.environ, "DEBUG": "1" if debug else "0"}
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=BASE_DIR, env=env, check=True)  # noqa: S603 (our own manage.py)


def prepare(actors: int, skip_seed: bool) -> None:
    ensure_database(os.environ["DATABASE_URL"])
    if not skip_seed:
        manage("migrate", "--noinput", "-v0", debug=True)
        started = time.perf_counter()
        manage("seed_demo", "--actors", str(actors), debug=True)
        print(f"Seeding checked or done in {time.perf_counter() - started:.0f} s")
    # With DEBUG off, static files come from the manifest that collectstatic writes.
    manage("collectstatic", "--noinput", "-v0", debug=False)


# -- measure -----------------------------------------------------------------------------


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def pages_to_measure() -> list[tuple[str, str]]:
    from django.urls import reverse

    from partners.enums import ActorStatus
    from partners.models import Actor

    published = Actor.objects.filter(status=ActorStatus.PUBLISHED)
    slug = (
        published.filter(slug=PROFILE_SLUG).values_list("slug", flat=True).first()
        or published.order_by("pk").values_list("slug", flat=True).first()
    )
    directory = reverse("partners:directory")
    return [
        ("bare", reverse("healthz")),
        ("search", f"{directory}?{SEARCH_QUERY}"),
        # The same search with its cached answer dropped first: the cost of a first visit.
        ("search-cold", f"{directory}?{SEARCH_QUERY}"),
        ("directory", directory),
        ("profile", reverse("partners:actor_detail", args=[slug])),
        # The map of every published actor with a position, then of a search.
        ("map", reverse("partners:directory_map")),
        # The same map with its cached HTML and counts dropped first: a first visit.
        ("map-cold", reverse("partners:directory_map")),
        ("map-search", f"{reverse('partners:directory_map')}?q=jeunesse"),
        ("quartier", reverse("neighbourhoods:detail", args=["biollay-bellevue"])),
    ]


def check_pages(client, pages: list[tuple[str, str]]) -> None:
    for name, path in pages:
        response = client.get(path)
        if response.status_code != 200:
            where = response.get("Location", "")
            sys.exit(f"{name} ({path}) answered {response.status_code} {where}: cannot measure it")


def forget_cached_search() -> None:
    """Drop the directory's cached answer and HTML for SEARCH_QUERY (not timed)."""
    from django.core.cache import cache
    from django.urls import reverse

    from partners.selectors import DirectoryQuery, directory_cache_key
    from partners.views.directory import PAGE_SIZE, results_html_cache_key

    query = DirectoryQuery(
        q="jeunesse", territories=("biollay-bellevue",), competences=("accueil-jeunes",)
    )
    data_key = directory_cache_key(query, page_number=None, per_page=PAGE_SIZE)
    html_key = results_html_cache_key(
        data_key,
        full_path=f"{reverse('partners:directory')}?{SEARCH_QUERY}",
        language="fr",
        htmx=False,
    )
    cache.delete_many([data_key, html_key])


def forget_cached_map() -> None:
    """Drop the directory map's cached HTML and facet counts for the whole directory."""
    from django.core.cache import cache
    from django.urls import reverse

    from partners.selectors import DirectoryQuery, directory_cache_key
    from partners.views.directory import results_html_cache_key

    data_key = directory_cache_key(DirectoryQuery(), page_number="map", per_page=0)
    html_key = results_html_cache_key(
        f"{data_key}:map",
        full_path=reverse("partners:directory_map"),
        language="fr",
        htmx=False,
    )
    cache.delete_many([data_key, html_key])


def forget(name: str) -> None:
    """Before a "-cold" page: drop what its first visit would not find in the cache."""
    if name == "map-cold":
        forget_cached_map()
    elif name.endswith("-cold"):
        forget_cached_search()


def measure(client, pages: list[tuple[str, str]], requests: int, warmup: int) -> dict:
    for _ in range(warmup):
        for name, path in pages:
            forget(name)
            client.get(path)
    samples: dict[str, list[float]] = {name: [] for name, _path in pages}
    for round_number in range(requests):
        # Round-robin, starting from a different page each round: no page always follows
        # the same one, and a burst of noise lands on every page alike.
        shift = round_number % len(pages)
        for name, path in pages[shift:] + pages[:shift]:
            forget(name)
            started = time.perf_counter_ns()
            client.get(path)
            samples[name].append((time.perf_counter_ns() - started) / 1e6)
    return samples


def queries_per_page(client, pages: list[tuple[str, str]]) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path in pages:
        forget(name)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        counts[name] = len(captured.captured_queries)
    return counts


def measure_lookups(points: int) -> dict:
    """Point-in-polygon over the 1,584 national contours: an index built once, then
    ``points`` lookups, half inside a QPV, half anywhere in metropolitan France."""
    import random

    from shapely.geometry import shape

    from neighbourhoods import reference
    from neighbourhoods.geometry import ContourIndex

    qpvs = reference.qpvs()
    started = time.perf_counter()
    index = ContourIndex((q.code, q.coordinates) for q in qpvs)
    build_s = time.perf_counter() - started
    stream = random.Random(12)  # noqa: S311 (the same points on every run, not a secret)
    inside = [
        shape({"type": "MultiPolygon", "coordinates": q.coordinates}).representative_point()
        for q in stream.sample(qpvs, min(len(qpvs), points // 2))
    ]
    sample = [(p.x, p.y) for p in inside]
    sample += [
        (stream.uniform(-4.8, 8.2), stream.uniform(42.3, 51.1)) for _ in range(points - len(sample))
    ]
    stream.shuffle(sample)
    found = 0
    started = time.perf_counter()
    for lon, lat in sample:
        found += bool(index.locate(lon, lat))
    elapsed = time.perf_counter() - started
    return {
        "contours": len(index),
        "index_build_s": round(build_s, 2),
        "lookups": len(sample),
        "found_in_a_qpv": found,
        "lookups_per_s": round(len(sample) / elapsed),
    }


def report(pages, samples, queries, args) -> dict:
    import django
    from django.db import connection

    from partners.models import Actor

    bare = samples["bare"]
    bare_p50, bare_p95 = percentile(bare, 0.5), percentile(bare, 0.95)
    rows = []
    for name, path in pages:
        times = samples[name]
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        rows.append(
            {
                "page": name,
                "path": path,
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "min_ms": round(min(times), 2),
                "max_ms": round(max(times), 2),
                "ratio_p50": round(p50 / bare_p50, 1),
                "ratio_p95": round(p95 / bare_p95, 1),
                "queries": queries[name],
            }
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = connection.vendor
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
        "actors": Actor.objects.count(),
        "requests_per_page": args.requests,
        "warmup_per_page": args.warmup,
        "pages": rows,
    }


def print_table(results: dict) -> None:
    print(
        f"\n{results['actors']} actors, {results['database']}, {results['cpus']} CPUs, "
        f"{results['requests_per_page']} requests per page (after {results['warmup_per_page']})"
    )
    header = (
        f"{'page':<12} {'p50 ms':>8} {'p95 ms':>8} {'p50/bare':>9} {'p95/bare':>9} {'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in results["pages"]:
        print(
            f"{row['page']:<12} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['ratio_p50']:>9.1f} {row['ratio_p95']:>9.1f} {row['queries']:>8}"
        )
    print()
    for row in results["pages"]:
        print(f"  {row['page']:<10} {row['path']}")
    lookups = results.get("point_in_polygon")
    if lookups:
        print(
            f"\nPoint in polygon over {lookups['contours']} QPV contours (index built in "
            f"{lookups['index_build_s']} s): {lookups['lookups_per_s']:,} lookups/s, "
            f"{lookups['lookups_per_bare_page']:,} lookups in the time of one bare page "
            f"({lookups['found_in_a_qpv']} of {lookups['lookups']} points in a QPV)"
        )


def main() -> None:
    args = parse_args()
    os.chdir(BASE_DIR)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrat_ville.settings")
    prepare(args.actors, args.skip_seed)

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    if settings.DEBUG:
        # With DEBUG on, every query is logged in memory: not what production runs.
        sys.exit("Run the benchmark with DEBUG=0 (make bench sets it).")
    client = Client()
    pages = pages_to_measure()
    check_pages(client, pages)
    print(f"Measuring {len(pages)} pages, {args.warmup} + {args.requests} requests each…")
    samples = measure(client, pages, args.requests, args.warmup)
    results = report(pages, samples, queries_per_page(client, pages), args)
    lookups = measure_lookups(20_000)
    bare_p50_s = next(r["p50_ms"] for r in results["pages"] if r["page"] == "bare") / 1000
    lookups["lookups_per_bare_page"] = round(lookups["lookups_per_s"] * bare_p50_s)
    results["point_in_polygon"] = lookups
    print_table(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {RESULTS.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
