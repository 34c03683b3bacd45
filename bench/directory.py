"""Server time of the directory pages with 50,000 actors, compared to a bare page.

Run with ``make bench`` (see docs/benchmarks.md). Against PostgreSQL (DATABASE_URL,
by default postgres://postgres@127.0.0.1:5432/contrat_ville_bench): creates and
migrates the database if needed, seeds the actors (idempotent), then times
requests through Django's test Client in this one process, with DEBUG off. The
Client calls the whole middleware and view stack without a network, so what is
measured is the server's time. Pages are requested in turn, so machine noise
falls on all of them alike; read each page as a ratio to the bare page. The timing
is bench/pages.py's, shared with the bilan's benchmark.
"""

import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.pages import (  # noqa: E402
    ANONYMOUS,
    Page,
    django_setup,
    page_arguments,
    page_rows,
    prepare,
    print_pages,
    run_context,
    time_pages,
    use_database,
    write_results,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/contrat_ville_bench"
RESULTS = BASE_DIR / "var" / "bench" / "directory.json"
SEARCH_QUERY = "q=jeunesse&territoire=biollay-bellevue&competence=accueil-jeunes"
# A showcase actor of partners.demo; any published actor will do if it is missing.
PROFILE_SLUG = "maison-des-jeunes-du-biollay"


# -- measure -----------------------------------------------------------------------------


def pages_to_measure() -> list[Page]:
    from django.urls import reverse

    from partners.enums import ActorStatus
    from partners.models import Actor

    published = Actor.objects.filter(status=ActorStatus.PUBLISHED)
    slug = (
        published.filter(slug=PROFILE_SLUG).values_list("slug", flat=True).first()
        or published.order_by("pk").values_list("slug", flat=True).first()
    )
    directory = reverse("partners:directory")
    pages = [
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
    # Every page of the directory is public: one anonymous visitor asks them all.
    return [(name, ANONYMOUS, path) for name, path in pages]


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
    from partners.models import Actor

    return {
        **run_context(),
        "actors": Actor.objects.count(),
        "requests_per_page": args.requests,
        "warmup_per_page": args.warmup,
        "pages": page_rows(pages, samples, queries),
    }


def print_table(results: dict) -> None:
    print(
        f"\n{results['actors']} actors, {results['database']}, {results['cpus']} CPUs, "
        f"{results['requests_per_page']} requests per page (after {results['warmup_per_page']})"
    )
    print_pages(results["pages"])
    lookups = results.get("point_in_polygon")
    if lookups:
        print(
            f"\nPoint in polygon over {lookups['contours']} QPV contours (index built in "
            f"{lookups['index_build_s']} s): {lookups['lookups_per_s']:,} lookups/s, "
            f"{lookups['lookups_per_bare_page']:,} lookups in the time of one bare page "
            f"({lookups['found_in_a_qpv']} of {lookups['lookups']} points in a QPV)"
        )


def main() -> None:
    args = page_arguments(
        __doc__.splitlines()[0], size="actors", default=50_000, help="directory size (50000)"
    )
    use_database(DEFAULT_DATABASE_URL)
    prepare("--actors", str(args.actors), skip=args.skip_seed)
    django_setup()
    from django.test import Client

    clients = {ANONYMOUS: Client()}
    pages = pages_to_measure()
    samples, queries = time_pages(
        clients, pages, requests=args.requests, warmup=args.warmup, before=forget
    )
    results = report(pages, samples, queries, args)
    lookups = measure_lookups(20_000)
    bare_p50_s = next(r["p50_ms"] for r in results["pages"] if r["page"] == "bare") / 1000
    lookups["lookups_per_bare_page"] = round(lookups["lookups_per_s"] * bare_p50_s)
    results["point_in_polygon"] = lookups
    print_table(results)
    write_results(RESULTS, results)


if __name__ == "__main__":
    main()
