"""Registration race: 1,000 concurrent sign-ups for 140 seats through a live gunicorn.

Run with ``make bench`` (see docs/benchmarks.md). Against PostgreSQL (DATABASE_URL,
by default postgres://postgres@127.0.0.1:5432/contrat_ville_bench_race, a database
of its own so the directory benchmark's data is never touched): creates and
migrates the database if needed, replaces the benchmark edition (year 2099) by an
open one with 140 seats and no registration, starts a real gunicorn (several
processes, several threads each) and has 1,000 simulated people sign up at once
through the public form: each loads the form (CSRF cookie and hidden field), then
posts it with its own cookies. Then it counts the seats in the database. It fails
unless exactly 140 people are confirmed, 860 wait and no request failed. Before and
after the race it times the bare page /healthz with the same client, and reports the
sign-up rate as a share of that rate (the machine may be shared and busy).
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.pages import django_setup, percentile, prepare, use_database  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/contrat_ville_bench_race"
RESULTS = BASE_DIR / "var" / "bench" / "registration.json"
SERVER_LOG = BASE_DIR / "var" / "bench" / "registration-gunicorn.log"
HOST = "127.0.0.1"
WSGI_APPLICATION = "contrat_ville.wsgi:application"
# A year no real edition will have: the benchmark deletes and recreates it.
YEAR = 2099
TARGET_PER_SECOND = 100
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000, help="sign-ups fired (1000)")
    parser.add_argument("--capacity", type=int, default=140, help="seats of the edition (140)")
    parser.add_argument("--clients", type=int, default=64, help="concurrent client threads (64)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes (4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per process (4)")
    parser.add_argument(
        "--warmup", type=int, default=32, help="untimed form loads once the server is up (32)"
    )
    parser.add_argument(
        "--bare",
        type=int,
        default=2000,
        help="GETs of /healthz timed the same way, for the machine's speed (2000)",
    )
    parser.add_argument(
        "--skip-migrate", action="store_true", help="use the database as it is (no migrate)"
    )
    return parser.parse_args()


# -- preparation -------------------------------------------------------------------------


def edition_reset(capacity: int):
    """The benchmark edition, open, with ``capacity`` seats and nobody registered."""
    from django.db import transaction

    from events.enums import EditionStatus
    from events.models import Edition, OutboundEmail, Registration
    from events.services.editions import edition_create

    with transaction.atomic():
        # Registrations protect their edition; their e-mails go first.
        OutboundEmail.objects.filter(edition__year=YEAR).delete()
        Registration.objects.filter(edition__year=YEAR).delete()
        Edition.objects.filter(year=YEAR).delete()
    return edition_create(
        by=None,
        data={
            "year": YEAR,
            "title": f"Rencontre du banc d'essai {YEAR}",
            "date": datetime.date(YEAR, 10, 15),
            "starts_at": datetime.time(9),
            "ends_at": datetime.time(17),
            "venue_name": "Salle du banc d'essai",
            "capacity": capacity,
            "status": EditionStatus.OPEN,
        },
    )


# -- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_start(port: int, workers: int, threads: int, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": HOST,
        # Registration e-mails are sent after commit, inside the request: kept in
        # memory here, so the figures do not depend on a mail server.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Connections outlive the race, so the database's CPU time can be counted.
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "600"),
        # A thousand people from a thousand addresses, as a reverse proxy would report them:
        # the rate limits run (and cost what they cost) without holding anyone back.
        "TRUSTED_PROXY_COUNT": "1",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        WSGI_APPLICATION,
        "--bind",
        f"{HOST}:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    # Its own process group, so that stopping it also reaches workers left behind.
    return subprocess.Popen(  # noqa: S603 (our own application)
        command, cwd=BASE_DIR, env=env, stdout=log, stderr=log, start_new_session=True
    )


def server_stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def server_wait(server: subprocess.Popen, port: int, timeout: float = 60) -> float:
    """Wait for /healthz to answer 200; returns the seconds it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {server.returncode}); see {SERVER_LOG}")
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer /healthz within {timeout:.0f} s; see {SERVER_LOG}")


# -- where the CPU goes (Linux /proc; a shared machine's wall time is noisy) ----------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far; 0 when it is gone."""
    try:
        # Fields after the command name: state is the 3rd field, utime the 14th, stime the 15th.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pids(master: int) -> list[int]:
    """The gunicorn master and its workers."""
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == master:
            pids.append(int(stat.parent.name))
    return pids


def database_pids() -> list[int]:
    """The PostgreSQL backends serving the benchmark database, when they run on this machine."""
    from django.db import connection

    if connection.settings_dict["HOST"] not in ("", "127.0.0.1", "localhost", "::1"):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return pids


def cpu_snapshot(master: int) -> dict[str, dict[int, float]]:
    return {
        "server": {pid: cpu_seconds(pid) for pid in server_pids(master)},
        "database": {pid: cpu_seconds(pid) for pid in database_pids()},
        "client": {0: sum(os.times()[:2])},
    }


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds per side between two snapshots. A database backend opened during the
    race counts from zero; one closed during it would be missed (see CONN_MAX_AGE)."""
    return {
        side: sum(max(0.0, seconds - before[side].get(pid, 0.0)) for pid, seconds in pids.items())
        for side, pids in after.items()
    }


# -- one person signing up ---------------------------------------------------------------


@dataclass
class Outcome:
    get_ms: float = 0.0
    post_ms: float = 0.0
    status: int = 0  # of the POST; 0 when it was never answered
    error: str = ""  # what went wrong, for the report


def load_form(connection: http.client.HTTPConnection, path: str) -> tuple[str, str]:
    """GET the form: returns (Cookie header to send back, CSRF hidden field)."""
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    match = CSRF_FIELD.search(body)
    if "csrftoken" not in jar or match is None:
        raise RuntimeError(f"GET {path} gave no CSRF cookie or field")
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())
    return cookies, match.group(1)


def sign_up(port: int, path: str, number: int) -> Outcome:
    outcome = Outcome()
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        started = time.perf_counter()
        cookies, token = load_form(connection, path)
        outcome.get_ms = (time.perf_counter() - started) * 1000
        fields = {
            "first_name": "Personne",
            "last_name": f"Banc {number:04d}",
            "email": f"banc-{number:04d}@bench.example",
            "phone": "",
            "organisation": "Bench",
            "college": "porteur_projet",
            "territory": "",
            "accessibility_needs": "",
            "dietary_needs": "",
            "image_consent": "True",
            "privacy": "on",
            "csrfmiddlewaretoken": token,
        }
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookies,
            "X-Forwarded-For": f"198.18.{number // 256}.{number % 256}",
        }
        started = time.perf_counter()
        connection.request("POST", path, body=urlencode(fields), headers=headers)
        response = connection.getresponse()
        body = response.read()
        outcome.post_ms = (time.perf_counter() - started) * 1000
        outcome.status = response.status
        if response.status != 302:
            outcome.error = f"POST answered {response.status}: {body[:300]!r}"
    except Exception as error:  # any network or protocol error counts as a failed sign-up
        outcome.error = f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    return outcome


def race(
    port: int, path: str, people: int, clients: int, master: int
) -> tuple[list[Outcome], float, dict[str, float]]:
    """Every person signs up; ``clients`` at a time. Returns the outcomes, the wall
    time and the CPU seconds the server, the database and this client used."""
    first_wave = min(clients, people)
    start = threading.Barrier(first_wave + 1)

    def person(number: int) -> Outcome:
        if number < first_wave:
            start.wait()  # the first wave leaves together
        return sign_up(port, path, number)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        before = cpu_snapshot(master)
        futures = [pool.submit(person, number) for number in range(people)]
        start.wait()
        started = time.perf_counter()
        outcomes = [future.result() for future in futures]
        wall = time.perf_counter() - started
    return outcomes, wall, cpu_used(before, cpu_snapshot(master))


def bare_page(port: int, count: int, clients: int, master: int) -> tuple[float, dict, int]:
    """``count`` GETs of /healthz (one query, no template), ``clients`` at a time, each on
    its own connection like a sign-up's: the same client and server on the same machine at
    the same time, so the sign-up rate divided by this one says what the page costs apart
    from the machine's load. Returns the wall time, the CPU seconds and the failures."""
    if not count:
        return 0.0, {"server": 0.0, "database": 0.0, "client": 0.0}, 0

    def one(_number: int) -> bool:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            return response.status == 200
        except OSError:
            return False
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        before = cpu_snapshot(master)
        started = time.perf_counter()
        answered = list(pool.map(one, range(count)))
        wall = time.perf_counter() - started
    return wall, cpu_used(before, cpu_snapshot(master)), answered.count(False)


def warm_up(port: int, path: str, count: int) -> None:
    """Untimed form loads, so each worker has loaded templates and translations."""

    def one(_number: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            load_form(connection, path)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(count)))


# -- report ------------------------------------------------------------------------------


def expected_seats(args) -> tuple[int, int]:
    """(confirmed, waiting) when the seats were given exactly."""
    return min(args.people, args.capacity), max(0, args.people - args.capacity)


def seat_counts(edition) -> dict[str, int]:
    from django.db.models import Count

    from events.models import OutboundEmail, Registration

    by_status = dict(
        Registration.objects.filter(edition=edition)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    by_state = dict(
        OutboundEmail.objects.filter(edition=edition)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return {
        "confirmed": by_status.get("confirmed", 0),
        "waiting": by_status.get("waiting", 0),
        "cancelled": by_status.get("cancelled", 0),
        "emails_sent": by_state.get("sent", 0),
        "emails_pending": by_state.get("pending", 0),
        "emails_failed": by_state.get("failed", 0),
    }


def report(
    outcomes: list[Outcome],
    wall: float,
    cpu: dict,
    counts: dict,
    startup: float,
    bare: tuple[float, dict, int],
    args,
) -> dict:
    import django
    import gunicorn
    from django.db import connection

    answered = [o for o in outcomes if o.status == 302]
    errors = [o for o in outcomes if o.status != 302]
    posts = [o.post_ms for o in answered] or [0.0]
    gets = [o.get_ms for o in outcomes if o.get_ms] or [0.0]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        database = f"PostgreSQL {cursor.fetchone()[0]}"
    confirmed_expected, waiting_expected = expected_seats(args)
    per_second = args.people / wall
    serving = cpu["server"] + cpu["database"]
    bare_wall, bare_cpu, bare_errors = bare
    bare_per_second = args.bare / bare_wall if bare_wall else 0.0
    bare_serving = bare_cpu["server"] + bare_cpu["database"]
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "database": database,
        "server": f"gunicorn gthread, {args.workers} workers x {args.threads} threads",
        "people": args.people,
        "capacity": args.capacity,
        "clients": args.clients,
        "server_start_s": round(startup, 2),
        "confirmed": counts["confirmed"],
        "waiting": counts["waiting"],
        "cancelled": counts["cancelled"],
        "errors": len(errors),
        "error_statuses": dict(Counter(str(o.status or "exception") for o in errors)),
        "error_samples": list(dict.fromkeys(o.error for o in errors))[:5],
        "emails": {
            "sent": counts["emails_sent"],
            "pending": counts["emails_pending"],
            "failed": counts["emails_failed"],
        },
        "wall_s": round(wall, 2),
        "signups_per_s": round(per_second, 1),
        "get_p50_ms": round(percentile(gets, 0.5), 1),
        "get_p95_ms": round(percentile(gets, 0.95), 1),
        "post_p50_ms": round(percentile(posts, 0.5), 1),
        "post_p95_ms": round(percentile(posts, 0.95), 1),
        "post_max_ms": round(max(posts), 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "cpu_s": {side: round(seconds, 2) for side, seconds in cpu.items()},
        # CPU a sign-up (form load and submission) costs the server and the database:
        # the machine's ceiling is its CPU count divided by it, whatever else runs.
        "server_cpu_ms_per_signup": round(serving / args.people * 1000, 1),
        "signups_per_s_cpu_ceiling": round((os.cpu_count() or 1) * args.people / serving, 1)
        if serving
        else None,
        # The bare page, /healthz, just before and after the race: same client, server, load.
        "bare_requests": args.bare,
        "bare_errors": bare_errors,
        "bare_per_s": round(bare_per_second, 1),
        "bare_server_cpu_ms": round(bare_serving / args.bare * 1000, 2) if args.bare else None,
        # Sign-ups per second as a share of bare pages per second: less noisy than either.
        "signups_to_bare_ratio": round(per_second / bare_per_second, 3)
        if bare_per_second
        else None,
        "seats_exact": counts["confirmed"] == confirmed_expected
        and counts["waiting"] == waiting_expected
        and not errors,
        "rate_target_met": per_second >= TARGET_PER_SECOND,
    }


def print_report(results: dict) -> None:
    print(
        f"\n{results['people']} sign-ups for {results['capacity']} seats, "
        f"{results['clients']} clients at a time, {results['server']}, "
        f"{results['database']}, {results['cpus']} CPUs"
    )
    print(f"  confirmed        {results['confirmed']:>8}")
    print(f"  waiting          {results['waiting']:>8}")
    print(f"  errors           {results['errors']:>8}")
    print(f"  total seconds    {results['wall_s']:>8.2f}")
    print(f"  sign-ups/s       {results['signups_per_s']:>8.1f}  (target {TARGET_PER_SECOND})")
    print(f"  POST p50 ms      {results['post_p50_ms']:>8.1f}")
    print(f"  POST p95 ms      {results['post_p95_ms']:>8.1f}")
    print(f"  form GET p50 ms  {results['get_p50_ms']:>8.1f}")
    print(f"  form GET p95 ms  {results['get_p95_ms']:>8.1f}")
    cpu = results["cpu_s"]
    print(
        f"  CPU s            gunicorn {cpu['server']:.1f}, PostgreSQL {cpu['database']:.1f}, "
        f"client {cpu['client']:.1f} (load average {results['load_average_1min']})"
    )
    print(
        f"  server CPU ms per sign-up {results['server_cpu_ms_per_signup']:.1f}: "
        f"at most {results['signups_per_s_cpu_ceiling']} sign-ups/s on {results['cpus']} CPUs"
    )
    if results["bare_per_s"]:
        print(
            f"  bare page        {results['bare_per_s']:.1f} GET /healthz per s "
            f"({results['bare_server_cpu_ms']:.2f} ms server CPU each, "
            f"{results['bare_errors']} failed): sign-ups/s = "
            f"{results['signups_to_bare_ratio']:.3f} x bare pages/s"
        )
    emails = results["emails"]
    print(
        f"  e-mails          {emails['sent']} sent, {emails['pending']} pending, "
        f"{emails['failed']} failed"
    )
    for sample in results["error_samples"]:
        print(f"  error: {sample}")


def main() -> None:
    args = parse_args()
    use_database(DEFAULT_DATABASE_URL)
    if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        sys.exit("The race needs PostgreSQL (SQLite serialises every writer anyway).")
    prepare(skip=args.skip_migrate)
    django_setup()
    from django.db import connection
    from django.urls import reverse

    edition = edition_reset(args.capacity)
    connection.close()  # idle during the race
    path = reverse("events:register", kwargs={"year": YEAR})
    port = free_port()
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    with SERVER_LOG.open("w") as log:
        server = server_start(port, args.workers, args.threads, log)
        try:
            startup = server_wait(server, port)
            try:
                warm_up(port, path, args.warmup)
            except RuntimeError as error:
                sys.exit(f"The registration form cannot be used: {error}")
            before = bare_page(port, args.bare // 2, args.clients, server.pid)
            print(
                f"gunicorn up on {HOST}:{port} in {startup:.1f} s; "
                f"{args.people} people sign up for {args.capacity} seats at {path}…"
            )
            outcomes, wall, cpu = race(port, path, args.people, args.clients, server.pid)
            # Half the bare pages before the race, half after: the load may change meanwhile.
            after = bare_page(port, args.bare - args.bare // 2, args.clients, server.pid)
            bare = (
                before[0] + after[0],
                {side: before[1][side] + after[1][side] for side in before[1]},
                before[2] + after[2],
            )
        finally:
            server_stop(server)
    results = report(outcomes, wall, cpu, seat_counts(edition), startup, bare, args)
    print_report(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {RESULTS.relative_to(BASE_DIR)} (server log: {SERVER_LOG.name})")
    if not results["seats_exact"]:
        confirmed, waiting = expected_seats(args)
        sys.exit(f"FAILED: expected {confirmed} confirmed, {waiting} waiting and no error.")


if __name__ == "__main__":
    main()
