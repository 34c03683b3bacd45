"""Server time of the bilan of 1,000 actions, compared to the events dashboard and a bare page.

Run with ``make bench`` (see docs/benchmarks.md). Against PostgreSQL (DATABASE_URL,
by default postgres://postgres@127.0.0.1:5432/contrat_ville_bench_bilan, a database of its
own so the directory benchmark's 50,000 actors stay out of it): creates and migrates the
database if needed, seeds the demo and fills the year with generated actions (idempotent),
then times requests through Django's test Client in this one process, with DEBUG off, in
the way of bench/directory.py (bench/pages.py, which both use): pages in turn, each read
as a ratio to the bare page of the same run. The issue's target is the bilan within the
dashboard's budget: bilan / dashboard at most 1.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.pages import (  # noqa: E402
    ANONYMOUS,
    Page,
    django_setup,
    page_arguments,
    page_rows,
    percentile,
    prepare,
    print_pages,
    run_context,
    time_pages,
    use_database,
    write_results,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/contrat_ville_bench_bilan"
RESULTS = BASE_DIR / "var" / "bench" / "bilan.json"
ORGANISER_EMAIL = "organisateur@demo.test"
# The edition whose dashboard is the reference: the demo's 2024 rencontre, 142 confirmed.
DASHBOARD_YEAR = 2024
TARGET_RATIO = 1.0


# -- measure -----------------------------------------------------------------------------


def pages_to_measure(year: int) -> list[Page]:
    """(name, who asks, path); who is "anonymous" or "organiser"."""
    from django.urls import reverse

    from events.enums import EventKind
    from events.models import Edition

    edition = Edition.objects.get(kind=EventKind.RENCONTRE, year=DASHBOARD_YEAR)
    bilan = reverse("bilan:year", kwargs={"year": year})
    return [
        ("bare", ANONYMOUS, reverse("healthz")),
        # The public version: aggregates only.
        ("bilan", ANONYMOUS, bilan),
        # The organisers' version: the aggregates, every action and every indicator line.
        ("bilan-orga", "organiser", bilan),
        ("list", ANONYMOUS, f"{reverse('actions:list')}?annee={year}"),
        ("list-orga", "organiser", f"{reverse('actions:list')}?annee={year}"),
        ("dashboard", "organiser", edition.url("dashboard")),
    ]


def clients() -> dict:
    from django.test import Client

    from contrat_ville.models import User

    organiser = Client()
    organiser.force_login(User.objects.get(email=ORGANISER_EMAIL))
    return {ANONYMOUS: Client(), "organiser": organiser}


def report(pages, samples, queries, args, year: int) -> dict:
    from actions.models import Action
    from events.enums import RegistrationStatus
    from events.models import Registration

    dashboard = {"p50": percentile(samples["dashboard"], 0.5)}
    dashboard["p95"] = percentile(samples["dashboard"], 0.95)
    to_dashboard = {}
    for name in ("bilan", "bilan-orga"):
        for stat, fraction in (("p50", 0.5), ("p95", 0.95)):
            to_dashboard[f"{name}_{stat}"] = round(
                percentile(samples[name], fraction) / dashboard[stat], 2
            )
    return {
        **run_context(),
        "year": year,
        "actions": Action.objects.filter(year=year).count(),
        "dashboard_registrations": Registration.objects.filter(
            edition__year=DASHBOARD_YEAR, status=RegistrationStatus.CONFIRMED
        ).count(),
        "requests_per_page": args.requests,
        "warmup_per_page": args.warmup,
        "pages": page_rows(pages, samples, queries),
        "bilan_to_dashboard": to_dashboard,
        "target_ratio": TARGET_RATIO,
        # The organisers' version is the heavier one: it is the one held to the target.
        "target_met": to_dashboard["bilan-orga_p50"] <= TARGET_RATIO,
    }


def print_table(results: dict) -> None:
    print(
        f"\n{results['actions']} actions in {results['year']}, {results['database']}, "
        f"{results['cpus']} CPUs, {results['requests_per_page']} requests per page "
        f"(after {results['warmup_per_page']}); dashboard of {DASHBOARD_YEAR}: "
        f"{results['dashboard_registrations']} confirmed"
    )
    print_pages(results["pages"])
    ratios = results["bilan_to_dashboard"]
    print(
        f"\nbilan / dashboard: public p50 {ratios['bilan_p50']:.2f}, "
        f"p95 {ratios['bilan_p95']:.2f}; "
        f"organisers p50 {ratios['bilan-orga_p50']:.2f}, p95 {ratios['bilan-orga_p95']:.2f} "
        f"(target ≤ {results['target_ratio']:.1f}: "
        f"{'met' if results['target_met'] else 'not met'})"
    )


def main() -> None:
    args = page_arguments(
        __doc__.splitlines()[0], size="actions", default=1000, help="actions of the year (1000)"
    )
    use_database(DEFAULT_DATABASE_URL)
    # The organiser's pages are measured behind the login, not behind the second-factor
    # set-up page the production settings would send a fresh demo account to.
    os.environ.setdefault("MFA_REQUIRED_FOR_ORGANISERS", "0")
    prepare("--actions", str(args.actions), skip=args.skip_seed)
    django_setup()
    from actions.demo import SCALE_YEAR

    by = clients()
    pages = pages_to_measure(SCALE_YEAR)
    samples, queries = time_pages(by, pages, requests=args.requests, warmup=args.warmup)
    results = report(pages, samples, queries, args, SCALE_YEAR)
    print_table(results)
    write_results(RESULTS, results)


if __name__ == "__main__":
    main()
