"""Group composition: 500 fictitious participants into 17 mixed groups.

Run with ``make bench`` (see docs/benchmarks.md and docs/composition.md). Pure Python,
no database, no Django: generates the participants (deterministic), times
``workgroups.composition.compose`` (the first call, then the median of several), checks
that every run gives the same groups, and reports the mixing score against the best
possible (the bound) and against a random assignment, over several seeds.
Targets of the issue: under 1 second, score at least 0.95 of the bound.
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from workgroups.composition import Composition, Person, compose, evaluate  # noqa: E402

RESULTS = BASE_DIR / "var" / "bench" / "composition.json"
TIME_TARGET_S = 1.0
RATIO_TARGET = 0.95

# The codes of events.enums.College, written out so that the benchmark needs no Django
# settings, with how often each college comes to the rencontre (weights, not shares).
COLLEGES = {
    "porteur_projet": 30,
    "cotech": 18,
    "commission_emploi_insertion": 10,
    "commission_politique_ville": 8,
    "habitant": 8,
    "conseil_citoyen": 7,
    "autre": 6,
    "commission_renouvellement_urbain": 5,
    "representant_habitants": 5,
    "copil": 3,
}
# Four priority neighbourhoods, and None for people of no neighbourhood in particular.
TERRITORIES = {
    "biollay-bellevue": 30,
    "hauts-de-chambery": 28,
    "le-covet": 14,
    "chantemerle": 10,
    None: 18,
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500, help="participants (500)")
    parser.add_argument("--groups", type=int, default=17, help="groups (17)")
    parser.add_argument("--organisations", type=int, default=120, help="organisations (120)")
    parser.add_argument("--runs", type=int, default=9, help="timed runs after the first (9)")
    parser.add_argument("--seeds", type=int, default=20, help="seeds for the score (20)")
    args = parser.parse_args()
    if args.runs < 1 or args.seeds < 1:
        parser.error("--runs and --seeds must be at least 1")
    return args


def participants(people: int, organisations: int, seed: int = 2024) -> list[Person]:
    """`people` participants: `organisations` structures of 1 to 12 people (a long tail:
    a few big ones, many of one or two), 5 % residents with no organisation. Members of a
    structure mostly share its college and often its neighbourhood, as on the day."""
    rng = random.Random(seed)  # noqa: S311 (reproducible fiction)
    without = people // 20
    # Zipf-like sizes from 1 to 12, then scaled to the number of people to place.
    sizes = [min(12, max(1, int(1 / (rng.random() ** 0.85 + 0.08)))) for _ in range(organisations)]
    target = people - without
    while sum(sizes) != target:
        i = rng.randrange(organisations)
        if sum(sizes) < target and sizes[i] < 12:
            sizes[i] += 1
        elif sum(sizes) > target and sizes[i] > 1:
            sizes[i] -= 1
    colleges, college_weights = list(COLLEGES), list(COLLEGES.values())
    territories, territory_weights = list(TERRITORIES), list(TERRITORIES.values())
    result = []
    for number, size in enumerate(sizes):
        college = rng.choices(colleges, college_weights)[0]
        territory = rng.choices(territories, territory_weights)[0]
        for _ in range(size):
            result.append(
                Person(
                    id=len(result) + 1,
                    organisation=f"org-{number:03d}",
                    college=college
                    if rng.random() < 0.9
                    else rng.choices(colleges, college_weights)[0],
                    territory=territory
                    if rng.random() < 0.7
                    else rng.choices(territories, territory_weights)[0],
                )
            )
    for _ in range(without):
        result.append(
            Person(
                id=len(result) + 1,
                organisation=None,
                college=rng.choice(["habitant", "conseil_citoyen", "representant_habitants"]),
                territory=rng.choices(territories, territory_weights)[0],
            )
        )
    return result


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def gap_closed(composition: Composition) -> float:
    """Share of the way from random to the bound that the composition covers."""
    room = composition.bound - composition.random_score
    return (composition.score - composition.random_score) / room if room > 0 else 1.0


def main() -> None:
    args = parse_args()
    people = participants(args.people, args.organisations)
    print(
        f"Composing {len(people)} participants ({args.organisations} organisations) "
        f"into {args.groups} groups: first run, then {args.runs} runs…"
    )
    first, reference = timed(compose, people, args.groups, seed=1)
    times = []
    for _ in range(args.runs):
        elapsed, composition = timed(compose, people, args.groups, seed=1)
        times.append(elapsed)
        if composition != reference:
            sys.exit("Two runs with the same seed gave different groups: not deterministic.")
    evaluate_times = []
    for _ in range(args.runs):
        elapsed, _result = timed(evaluate, people, args.groups, reference.assignment)
        evaluate_times.append(elapsed)

    # Late arrivals: the first 90 % seated, the others placed around them.
    seated = compose(people[: len(people) * 9 // 10], args.groups, seed=1).assignment
    late_times = []
    for _ in range(args.runs):
        elapsed, late = timed(compose, people, args.groups, seed=1, seated=seated)
        late_times.append(elapsed)

    seeds = [compose(people, args.groups, seed=seed) for seed in range(1, args.seeds + 1)]
    ratios = [c.score / c.bound for c in seeds]
    median_s = statistics.median(times)
    ratio = reference.score / reference.bound
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "people": len(people),
        "groups": args.groups,
        "organisations": args.organisations,
        "runs": args.runs,
        "first_ms": round(first * 1000, 1),
        "median_ms": round(median_s * 1000, 1),
        "min_ms": round(min(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "evaluate_median_ms": round(statistics.median(evaluate_times) * 1000, 1),
        "late_arrivals": len(people) - len(seated),
        "late_arrivals_median_ms": round(statistics.median(late_times) * 1000, 1),
        "late_arrivals_balanced": late.balanced,
        "sizes": list(reference.sizes),
        "improvements": reference.improvements,
        "score": round(reference.score, 4),
        "bound": round(reference.bound, 4),
        "random_score": round(reference.random_score, 4),
        "ratio_to_bound": round(ratio, 4),
        "random_ratio_to_bound": round(reference.random_score / reference.bound, 4),
        "gap_closed": round(gap_closed(reference), 3),
        "same_organisation": reference.same_organisation,
        "same_organisation_min": reference.same_organisation_min,
        "same_college": reference.same_college,
        "same_college_min": reference.same_college_min,
        "same_territory": reference.same_territory,
        "same_territory_min": reference.same_territory_min,
        "seeds": args.seeds,
        "ratio_to_bound_min": round(min(ratios), 4),
        "ratio_to_bound_max": round(max(ratios), 4),
        "gap_closed_min": round(min(gap_closed(c) for c in seeds), 3),
        "time_target_met": max(first, median_s) < TIME_TARGET_S,
        "ratio_target_met": min(ratios) >= RATIO_TARGET,
    }
    print_results(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {RESULTS.relative_to(BASE_DIR)}")


def print_results(r: dict) -> None:
    sizes = f"{min(r['sizes'])}-{max(r['sizes'])}"
    print(
        f"\n{r['people']} people, {r['groups']} groups (sizes {sizes}), "
        f"{r['cpus']} CPUs, Python {r['python']}"
    )
    print(f"  time, first run        {r['first_ms']:>8.1f} ms")
    print(
        f"  time, median of {r['runs']:<2}     {r['median_ms']:>8.1f} ms"
        f"   (min {r['min_ms']:.1f}, max {r['max_ms']:.1f})"
    )
    print(f"  scoring alone (median) {r['evaluate_median_ms']:>8.1f} ms")
    print(
        f"  {r['late_arrivals']} late arrivals      {r['late_arrivals_median_ms']:>8.1f} ms"
        f"   (the others seated; sizes within one: {r['late_arrivals_balanced']})"
    )
    print(f"  mixing score           {r['score']:>8.4f}   ({r['improvements']} swaps or moves)")
    print(f"  bound (best possible)  {r['bound']:>8.4f}")
    print(f"  random assignment      {r['random_score']:>8.4f}   (exact expectation)")
    print(f"  score / bound          {r['ratio_to_bound']:>8.4f}")
    print(f"  random / bound         {r['random_ratio_to_bound']:>8.4f}")
    print(f"  random-to-bound gap    {r['gap_closed'] * 100:>7.1f} % closed")
    for label, key in (
        ("same organisation", "same_organisation"),
        ("same college", "same_college"),
        ("same neighbourhood", "same_territory"),
    ):
        print(f"  {label + ' pairs':<22} {r[key]:>8}   (at least {r[key + '_min']})")
    print(
        f"  over {r['seeds']} seeds: score / bound {r['ratio_to_bound_min']:.4f}"
        f"-{r['ratio_to_bound_max']:.4f}, gap closed at least {r['gap_closed_min'] * 100:.1f} %"
    )
    time_verdict = "met" if r["time_target_met"] else "NOT met"
    ratio_verdict = "met" if r["ratio_target_met"] else "NOT met"
    print(f"  target under {TIME_TARGET_S:.0f} s: {time_verdict}")
    print(f"  target score >= {RATIO_TARGET} of the bound: {ratio_verdict}")


if __name__ == "__main__":
    main()
