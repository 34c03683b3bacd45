"""Demo data of the actions: three years of the contract's programme, and generated volume.

``seed_actions`` is the ``seed_demo`` step: the fictitious actions of Grand Chambéry's
contrat de ville for 2024, 2025 and 2026 (demo_data/actions.json), carried by the
directory's showcase actors. They are written through ``actions.services`` the way the
year would have gone (proposed by the carrier, programmed by the organisers, reported on
by the carrier, renewed the next year, two of them born from 2024 workshop pitches), so
their journal, renewal chains and pitch links are real. Idempotent: an action is found by
its year and file number and left as it is; only missing ones are added.

``seed_many`` backs ``seed_demo --actions N``: generated actions of one year, written with
bulk inserts, for the bilan benchmark (bench/bilan.py).
"""

import datetime
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from contract.models import Objective, Priority
from contrat_ville.models import Territory, User
from events.enums import EventKind
from partners.enums import ActorStatus
from partners.models import Actor, Membership, Public
from workgroups.models import ProjectSheet

from .enums import ActionStatus, Funder, IndicatorUnit
from .models import Action, Funding, Indicator
from .services import (
    action_create,
    action_from_pitch,
    action_renew,
    action_status_set,
    action_update,
)

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "actions.json"
ORGANISER_EMAIL = "organisateur@demo.test"
# The rencontre whose workshop pitches became actions the year after.
PITCH_EDITION_YEAR = 2024
S = ActionStatus


def demo_spec() -> list[dict]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["actions"]


def _amount(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


@dataclass
class _Lookups:
    """What the specs name by slug or title, read once."""

    organiser: User
    actors: dict[str, Actor]
    priorities: dict[str, Priority]
    objectives: dict[tuple[str, str], Objective]
    territories: dict[str, Territory]
    publics: dict[str, Public]
    sheets: dict[int, ProjectSheet]
    # actor pk -> the demo account that keeps it (contrat_ville.demo, partners.demo)
    members: dict[int, User]

    @classmethod
    def load(cls, organiser: User, specs: list[dict]) -> "_Lookups":
        slugs = {s["carrier"] for s in specs} | {p for s in specs for p in s["partners"]}
        actors = {a.slug: a for a in Actor.objects.filter(slug__in=slugs)}
        members = {}
        for membership in (
            Membership.objects.filter(actor__in=actors.values(), user__email__endswith="@demo.test")
            .select_related("user")
            .order_by("actor", "role", "user__email")
        ):
            members.setdefault(membership.actor_id, membership.user)
        return cls(
            organiser=organiser,
            actors=actors,
            priorities={p.slug: p for p in Priority.objects.all()},
            objectives={
                (o.priority.slug, o.title): o for o in Objective.objects.select_related("priority")
            },
            territories={t.slug: t for t in Territory.objects.defer("contour")},
            publics={p.slug: p for p in Public.objects.all()},
            sheets={
                sheet.workgroup.number: sheet
                for sheet in ProjectSheet.objects.filter(
                    workgroup__edition__year=PITCH_EDITION_YEAR,
                    workgroup__edition__kind=EventKind.RENCONTRE,
                ).select_related("workgroup")
            },
            members=members,
        )

    def carrier_member(self, spec: dict) -> User:
        """Who speaks for the carrier: its demo account, else the organisers enter it."""
        carrier = self.actors[spec["carrier"]]
        return self.members.get(carrier.pk, self.organiser)


def _content(spec: dict, found: _Lookups) -> dict:
    priority = found.priorities.get(spec["priority"])
    return {
        "title": spec["title"],
        "reference": spec["reference"],
        "carrier": found.actors[spec["carrier"]],
        "priority": priority,
        "objective": found.objectives.get((spec["priority"], spec["objective"]))
        if priority
        else None,
        "summary": spec["summary"],
        "start_date": _date(spec["start_date"]),
        "end_date": _date(spec["end_date"]),
        "budget_planned": _amount(spec["budget_planned"]),
        "amounts_confidential": spec["amounts_confidential"],
    }


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _relations(spec: dict, found: _Lookups) -> dict:
    # An organiser may delete a territory or a public: skip it rather than fail.
    return {
        "partners": [found.actors[s] for s in spec["partners"] if s in found.actors],
        "territories": [
            found.territories[s] for s in spec["territories"] if s in found.territories
        ],
        "publics": [found.publics[s] for s in spec["publics"] if s in found.publics],
    }


def _fundings(spec: dict, *, paid: bool) -> list[dict]:
    return [
        {
            "funder": row["funder"],
            "name": row["name"],
            "planned": _amount(row["planned"]),
            "actual": _amount(row["actual"]) if paid else None,
        }
        for row in spec["fundings"]
    ]


def _indicators(spec: dict, *, reported: bool) -> list[dict]:
    """The targets when the action is proposed; what was achieved, and the comments, once
    the carrier reports."""
    return [
        {
            "label": row["label"],
            "unit": row["unit"],
            "target": _amount(row["target"]),
            "achieved": _amount(row["achieved"]) if reported else None,
            "comment": row["comment"] if reported else "",
        }
        for row in spec["indicators"]
    ]


def _propose(spec: dict, found: _Lookups) -> Action | None:
    """The action as its carrier proposed it, or None when what it starts from is gone."""
    by = found.carrier_member(spec)
    data = _content(spec, found)
    relations = _relations(spec, found)
    fundings = _fundings(spec, paid=False)
    indicators = _indicators(spec, reported=False)
    if "renews" in spec:
        previous = Action.objects.filter(
            year=spec["year"] - 1, reference=spec["renews"], is_demo=True
        ).first()
        # Someone renewed it by hand during a demo: leave their copy alone.
        if previous is None or Action.objects.filter(previous=previous).exists():
            return None
        action = action_renew(by=by, action=previous)
    elif "pitch" in spec:
        sheet = found.sheets.get(spec["pitch"])
        if sheet is None or Action.objects.filter(pitch=sheet).exists():
            return None
        action = action_from_pitch(by=by, sheet=sheet, carrier=data["carrier"])
        # The directory has no demo flag for the service to copy.
        Action.objects.filter(pk=action.pk).update(is_demo=True)
    else:
        return action_create(
            by=by,
            year=spec["year"],
            data=data,
            relations=relations,
            fundings=fundings,
            indicators=indicators,
            is_demo=True,
        )
    # The copy, or the sheet's draft, completed the way the carrier would.
    return action_update(
        by=by,
        action=action,
        data=data,
        relations=relations,
        fundings=fundings,
        indicators=indicators,
        can_mark_confidential=True,  # the organisers' choice, kept from the year before
    )


def _live(action: Action, spec: dict, found: _Lookups) -> None:
    """Take the action along the year to the status of its spec."""
    status = spec["status"]
    if status == S.PROPOSED:
        return
    reporter = found.carrier_member(spec)
    action_status_set(by=found.organiser, action=action, status=S.PROGRAMMED)
    if status in (S.RUNNING, S.DONE):
        action_status_set(by=reporter, action=action, status=S.RUNNING)
    if status in (S.DONE, S.ABANDONED):
        # The carrier's report: what was paid and achieved (nothing, for an abandoned one,
        # but the comment that says why).
        done = status == S.DONE
        action_update(
            by=reporter,
            action=action,
            data={"budget_actual": _amount(spec["budget_actual"])} if done else {},
            fundings=_fundings(spec, paid=done),
            indicators=_indicators(spec, reported=True),
        )
    if status == S.DONE:
        action_status_set(by=reporter, action=action, status=S.DONE)
    elif status == S.ABANDONED:
        action_status_set(by=found.organiser, action=action, status=S.ABANDONED)
    # The page says since when: the day the year's story put it there, not the seeding day.
    Action.objects.filter(pk=action.pk).update(status_changed_at=_status_date(action, status))


def _status_date(action: Action, status: str) -> datetime.datetime:
    action.refresh_from_db(fields=["start_date", "end_date"])
    day = {S.DONE: action.end_date, S.RUNNING: action.start_date}.get(status) or (
        action.start_date or datetime.date(action.year, 1, 15)
    )
    if status == S.PROGRAMMED:
        day = datetime.date(action.year - 1, 12, 15)  # the call for projects' committee
    day = min(day, timezone.localdate())
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@transaction.atomic
def seed_actions() -> str:
    """The ``seed_demo`` step (after the directory's and the workshops')."""
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    if organiser is None:
        return "actions: no organiser account"
    specs = sorted(demo_spec(), key=lambda s: s["year"])  # a renewal after what it renews
    found = _Lookups.load(organiser, specs)
    existing = set(
        Action.objects.filter(is_demo=True, year__in={s["year"] for s in specs}).values_list(
            "year", "reference"
        )
    )
    added = 0
    for spec in specs:
        if (spec["year"], spec["reference"]) in existing or spec["carrier"] not in found.actors:
            continue
        action = _propose(spec, found)
        if action is None:
            continue
        _live(action, spec, found)
        added += 1
    demo = Action.objects.filter(is_demo=True).exclude(reference__startswith=GENERATED_PREFIX)
    years = ", ".join(
        f"{year}: {demo.filter(year=year).count()}" for year in sorted({s["year"] for s in specs})
    )
    return (
        f"actions: {added} added ({years}; "
        f"{demo.filter(previous__isnull=False).count()} renewals, "
        f"{demo.filter(pitch__isnull=False).count()} from {PITCH_EDITION_YEAR} pitches)"
    )


# -- generated volume ----------------------------------------------------------------------

# The year the generated actions belong to: the current programme, after the showcase's two
# years, so the bilan compares it with 2025.
SCALE_YEAR = 2026
GENERATED_PREFIX = "GEN-"
RELATIONS = ("partners", "territories", "publics")
BATCH_SIZE = 500
# (status, weight) in December of the year: mostly under way or done.
SCALE_STATUSES = (
    (S.RUNNING, 50),
    (S.DONE, 20),
    (S.PROGRAMMED, 12),
    (S.ABANDONED, 5),
    (S.PROPOSED, 13),
)
ACTIVITIES = (
    "Ateliers",
    "Permanences",
    "Accompagnement",
    "Rencontres",
    "Chantiers",
    "Sorties",
    "Parcours",
    "Forum",
    "Stages",
    "Café",
)
THEMES = (
    "autour de l'emploi",
    "autour du numérique",
    "autour de la parentalité",
    "autour de la santé",
    "autour de la jeunesse",
    "autour de la citoyenneté",
    "autour du sport",
    "autour de la culture",
    "autour de la mobilité",
    "autour de l'accès aux droits",
    "autour du logement",
    "autour de l'égalité",
)
PLACES = ("au Biollay", "à Bellevue", "aux Hauts de Chambéry", "au Forum", "dans les quartiers")
FUNDERS = [value for value in Funder.values if value != Funder.OTHER]
# unit -> (indicator label, lowest and highest target)
UNITS = {
    IndicatorUnit.PEOPLE: ("Personnes touchées", 20, 600),
    IndicatorUnit.YOUNG: ("Jeunes touchés", 10, 200),
    IndicatorUnit.FAMILIES: ("Familles accompagnées", 10, 120),
    IndicatorUnit.SESSIONS: ("Séances tenues", 10, 150),
    IndicatorUnit.HOURS: ("Heures d'accompagnement", 50, 2000),
    IndicatorUnit.EVENTS: ("Événements organisés", 2, 20),
    IndicatorUnit.PERCENT: ("Part de participants satisfaits", 50, 90),
}


def _silent(_line: str) -> None:
    pass


def _next_generated_number(year: int) -> int:
    references = Action.objects.filter(year=year, reference__startswith=GENERATED_PREFIX)
    last = references.order_by("-reference").values_list("reference", flat=True).first()
    return int(last.removeprefix(GENERATED_PREFIX)) + 1 if last else 1


class _Generator:
    """Builds generated actions and their rows from one seeded random stream."""

    def __init__(self, seed: int, year: int):
        self.rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        self.year = year
        self.now = timezone.now()
        self.actors = list(
            Actor.objects.filter(status=ActorStatus.PUBLISHED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.objectives = {}  # priority pk -> [objective pk]
        for priority, objective in Objective.objects.order_by("pk").values_list("priority", "pk"):
            self.objectives.setdefault(priority, []).append(objective)
        self.priorities = list(Priority.objects.order_by("pk").values_list("pk", flat=True))
        territories = list(Territory.objects.order_by("order", "pk").values_list("kind", "pk"))
        self.qpvs = [pk for kind, pk in territories if kind in ("qpv", "qva")]
        self.others = [pk for kind, pk in territories if kind not in ("qpv", "qva")]
        self.publics = list(Public.objects.order_by("pk").values_list("pk", flat=True))
        self.statuses = [status for status, _weight in SCALE_STATUSES]
        self.weights = [weight for _status, weight in SCALE_STATUSES]

    def action(self, number: int):
        """(unsaved action, partner pks, territory pks, public pks, fundings, indicators)."""
        rng = self.rng
        status = rng.choices(self.statuses, self.weights)[0]
        priority = rng.choice(self.priorities) if self.priorities and rng.random() < 0.95 else None
        objectives = self.objectives.get(priority, [])
        carrier = rng.choice(self.actors)
        partners = {rng.choice(self.actors) for _ in range(rng.randint(0, 3))} - {carrier}
        if self.qpvs and rng.random() < 0.85:
            territories = set(rng.sample(self.qpvs, k=min(len(self.qpvs), rng.randint(1, 2))))
        else:
            territories = {rng.choice(self.others)} if self.others and rng.random() < 0.6 else set()
        publics = set(rng.sample(self.publics, k=min(len(self.publics), rng.randint(1, 3))))
        paid = status == S.DONE

        fundings = []
        for funder in rng.sample(FUNDERS, k=rng.randint(1, 4)):
            planned = Decimal(rng.randrange(1000, 20001, 500))
            actual = (
                (planned * Decimal(rng.uniform(0.8, 1))).quantize(Decimal("10")) if paid else None
            )
            fundings.append((funder, planned, actual))
        indicators = []
        for unit in rng.sample(list(UNITS), k=rng.randint(1, 3)):
            label, low, high = UNITS[unit]
            target = Decimal(rng.randint(low, high))
            achieved = None
            if paid:
                achieved = Decimal(round(float(target) * rng.uniform(0.6, 1.3)))
                achieved = (
                    min(achieved, Decimal(100)) if unit == IndicatorUnit.PERCENT else achieved
                )
            indicators.append((label, unit, target, achieved))

        start = datetime.date(self.year, rng.randint(1, 6), rng.randint(1, 28))
        end = datetime.date(self.year, rng.randint(max(start.month, 7), 12), rng.randint(1, 28))
        action = Action(
            title=f"{rng.choice(ACTIVITIES)} {rng.choice(THEMES)} {rng.choice(PLACES)}",
            year=self.year,
            reference=f"{GENERATED_PREFIX}{number:06d}",
            carrier_id=carrier,
            priority_id=priority,
            objective_id=rng.choice(objectives) if objectives else None,
            summary="Action générée pour les mesures de charge du bilan.",
            status=status,
            status_changed_at=None if status == S.PROPOSED else self.now,
            start_date=start if status != S.PROPOSED else None,
            end_date=end if status != S.PROPOSED else None,
            budget_planned=sum((f[1] for f in fundings), Decimal(0)),
            budget_actual=sum((f[2] for f in fundings), Decimal(0)) if paid else None,
            amounts_confidential=rng.random() < 0.03,
            is_demo=True,
        )
        return action, sorted(partners), sorted(territories), sorted(publics), fundings, indicators


def _link(field_name: str, pairs: list[tuple[int, int]]) -> None:
    """Insert (action pk, other pk) rows in the many-to-many table of ``Action.<field_name>``."""
    field = Action._meta.get_field(field_name)
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    through.objects.bulk_create(through(**{source: a, target: b}) for a, b in pairs)


def _refresh_statistics() -> None:
    """Planner statistics for the new rows, as autovacuum would give them a little later."""
    tables = [
        Action._meta.db_table,
        Funding._meta.db_table,
        Indicator._meta.db_table,
        *(Action._meta.get_field(f).remote_field.through._meta.db_table for f in RELATIONS),
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def seed_many(count: int, progress: Callable[[str], None] = _silent) -> str:
    """``seed_demo --actions N``: add generated actions until SCALE_YEAR holds ``count``."""
    year = SCALE_YEAR
    existing = Action.objects.filter(year=year).count()
    if existing >= count:
        return f"{existing} actions in {year} already: none generated"
    missing = count - existing
    first = _next_generated_number(year)
    # Seeded by the first number: the same starting point always yields the same actions.
    generator = _Generator(seed=first, year=year)
    if not generator.actors:
        return "no published actor to carry generated actions: run seed_demo first"
    progress(f"Generating {missing} actions for {year} ({existing} already)…")
    done = 0
    while done < missing:
        size = min(BATCH_SIZE, missing - done)
        rows = [generator.action(first + done + i) for i in range(size)]
        with transaction.atomic():
            actions = Action.objects.bulk_create([row[0] for row in rows])
            links = {name: [] for name in RELATIONS}
            fundings, indicators = [], []
            for action, (_a, partners, territories, publics, money, measures) in zip(
                actions, rows, strict=True
            ):
                links["partners"] += [(action.pk, pk) for pk in partners]
                links["territories"] += [(action.pk, pk) for pk in territories]
                links["publics"] += [(action.pk, pk) for pk in publics]
                fundings += [
                    Funding(action=action, funder=funder, planned=planned, actual=actual)
                    for funder, planned, actual in money
                ]
                indicators += [
                    Indicator(
                        action=action,
                        label=label,
                        unit=unit,
                        target=target,
                        achieved=achieved,
                        position=position,
                    )
                    for position, (label, unit, target, achieved) in enumerate(measures)
                ]
            for name, pairs in links.items():
                _link(name, pairs)
            Funding.objects.bulk_create(fundings)
            Indicator.objects.bulk_create(indicators)
        done += size
        progress(f"  {done}/{missing}")
    _refresh_statistics()
    return f"{missing} generated actions added: {existing + missing} in {year}"
