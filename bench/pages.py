"""What the benchmarks share: the database they prepare, and the server time of pages
through Django's test Client in this one process (bench/directory.py, bench/bilan.py),
pages requested in turn, each read as a ratio to the bare page of the same run. The race
(bench/registration.py) uses the preparation and the percentile.

A page is ``(name, who, path)``: ``who`` names one of the clients the script passes (one
anonymous, one logged in…). ``before(name)`` runs, untimed, before every request of a page:
the directory drops a cached answer there to time a first visit.
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
from collections.abc import Callable, Sequence
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
Page = tuple[str, str, str]
ANONYMOUS = "anonymous"


def page_arguments(description: str, *, size: str, default: int, help: str) -> argparse.Namespace:
    """The options of a page benchmark: the size of its data set (``--<size>``, what
    ``seed_demo --<size>`` builds), the requests per page and the warm-up."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(f"--{size}", type=int, default=default, help=help)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    parser.add_argument(
        "--skip-seed", action="store_true", help="use the database as it is (no migrate, no seed)"
    )
    return parser.parse_args()


# -- preparation (subprocesses: seeding needs DEBUG on, the measure needs it off) --------


def use_database(default_url: str) -> None:
    """Run from the repository root, against DATABASE_URL or else ``default_url``."""
    os.chdir(BASE_DIR)
    os.environ.setdefault("DATABASE_URL", default_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrat_ville.settings")


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


def prepare(*seed: str, skip: bool) -> None:
    """Create the database if needed; unless ``skip``, migrate it and run
    ``seed_demo *seed`` (when given: idempotent, so a second run only checks)."""
    ensure_database(os.environ["DATABASE_URL"])
    if not skip:
        manage("migrate", "--noinput", "-v0", debug=True)
        if seed:
            started = time.perf_counter()
            manage("seed_demo", *seed, debug=True)
            print(f"Seeding checked or done in {time.perf_counter() - started:.0f} s")
    # With DEBUG off, static files come from the manifest that collectstatic writes.
    manage("collectstatic", "--noinput", "-v0", debug=False)


def django_setup() -> None:
    import django

    django.setup()
    from django.conf import settings

    if settings.DEBUG:
        # With DEBUG on, every query is logged in memory: not what production runs.
        sys.exit("Run the benchmark with DEBUG=0 (make bench sets it).")


# -- measure -----------------------------------------------------------------------------


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _nothing(_name: str) -> None:
    pass


def check_pages(
    clients: dict, pages: Sequence[Page], before: Callable[[str], None] = _nothing
) -> None:
    """Stop before measuring a page that does not answer 200 (a redirect to the login…)."""
    for name, who, path in pages:
        before(name)
        response = clients[who].get(path)
        if response.status_code != 200:
            where = response.get("Location", "")
            sys.exit(f"{name} ({path}) answered {response.status_code} {where}: cannot measure it")


def measure(
    clients: dict,
    pages: Sequence[Page],
    requests: int,
    warmup: int,
    before: Callable[[str], None] = _nothing,
) -> dict[str, list[float]]:
    """Milliseconds of each request, by page name."""
    pages = list(pages)
    for _ in range(warmup):
        for name, who, path in pages:
            before(name)
            clients[who].get(path)
    samples: dict[str, list[float]] = {name: [] for name, _who, _path in pages}
    for round_number in range(requests):
        # Round-robin, starting from a different page each round: no page always follows
        # the same one, and a burst of noise lands on every page alike.
        shift = round_number % len(pages)
        for name, who, path in pages[shift:] + pages[:shift]:
            before(name)
            started = time.perf_counter_ns()
            clients[who].get(path)
            samples[name].append((time.perf_counter_ns() - started) / 1e6)
    return samples


def queries_per_page(
    clients: dict, pages: Sequence[Page], before: Callable[[str], None] = _nothing
) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, who, path in pages:
        before(name)
        with CaptureQueriesContext(connection) as captured:
            clients[who].get(path)
        counts[name] = len(captured.captured_queries)
    return counts


def time_pages(
    clients: dict,
    pages: Sequence[Page],
    *,
    requests: int,
    warmup: int,
    before: Callable[[str], None] = _nothing,
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Check that every page answers, time them, then count their queries (untimed)."""
    check_pages(clients, pages, before)
    print(f"Measuring {len(pages)} pages, {warmup} + {requests} requests each…")
    samples = measure(clients, pages, requests, warmup, before)
    return samples, queries_per_page(clients, pages, before)


def page_rows(pages: Sequence[Page], samples: dict, queries: dict) -> list[dict]:
    """One row per page: p50, p95, min, max, their ratios to the page named "bare", queries."""
    bare_p50, bare_p95 = percentile(samples["bare"], 0.5), percentile(samples["bare"], 0.95)
    rows = []
    for name, who, path in pages:
        times = samples[name]
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        rows.append(
            {
                "page": name,
                "who": who,
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
    return rows


def run_context() -> dict:
    """When, where and on what the run measured: read each figure against it."""
    import django
    from django.db import connection

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
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
    }


def print_pages(rows: list[dict]) -> None:
    """The table of ``page_rows``, then what each page is (and who asks, when several do)."""
    header = (
        f"{'page':<12} {'p50 ms':>8} {'p95 ms':>8} {'p50/bare':>9} {'p95/bare':>9} {'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<12} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['ratio_p50']:>9.1f} {row['ratio_p95']:>9.1f} {row['queries']:>8}"
        )
    print()
    several = len({row["who"] for row in rows}) > 1
    for row in rows:
        who = f"{row['who']:<10} " if several else ""
        print(f"  {row['page']:<11} {who}{row['path']}")


def write_results(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {path.relative_to(BASE_DIR)}")
