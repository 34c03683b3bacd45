"""The yearly bilan: what the year's programme did, by priority, territory, public and funder.

``bilan_for(year, version)`` reads everything in a constant number of queries (nine,
whatever the number of actions) and adds up in Python, so the figures are the same on
SQLite and PostgreSQL and easy to check by hand (tests/actions/test_bilan.py).

What counts:
- the year's programme is the actions of that year validated by the organisers (programmed,
  running, done or abandoned); proposals are counted apart, for partners only;
- counts and amounts by priority, territory, public and funder, and the indicators, cover the
  actions carried out or under way (the programme less the abandoned ones);
- an action counts once in each of its territories and publics; its amounts go to its
  territory when it has one, else to "Plusieurs quartiers" or "Sans quartier", so the
  amounts by territory add up to the total;
- in the public and partners' versions the amounts of an action an organiser marked
  confidential are left out of every sum (its count stays) and ``hidden_amounts`` says how
  many; only the organisers' version adds them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from contract.models import Priority
from contrat_ville.models import Territory
from partners.models import Public

from ..enums import PROGRAMME, ActionStatus, Funder, IndicatorUnit
from ..models import Action, Funding, Indicator

PUBLIC, PARTNERS, ORGANISERS = "public", "partners", "organisers"
VERSIONS = (PUBLIC, PARTNERS, ORGANISERS)
# Indicators whose achieved values add up to "people reached".
PEOPLE_UNITS = frozenset({IndicatorUnit.PEOPLE, IndicatorUnit.YOUNG, IndicatorUnit.FAMILIES})
ZERO = Decimal("0.00")


@dataclass
class Row:
    """One line of a breakdown: a label, a count and, where it has them, two amounts."""

    label: str
    count: int = 0
    planned: Decimal = ZERO
    actual: Decimal = ZERO
    key: str = ""

    def add(self, planned: Decimal | None, actual: Decimal | None, *, count: bool = True):
        self.count += 1 if count else 0
        self.planned += planned or ZERO
        self.actual += actual or ZERO


@dataclass
class IndicatorLine:
    action: str
    label: str
    unit: str
    target: Decimal | None
    achieved: Decimal | None

    @property
    def rate(self) -> int | None:
        if self.target is None or self.achieved is None or not self.target:
            return None
        return round(self.achieved * 100 / self.target)


@dataclass
class ActionLine:
    """An action as the partners' version lists it."""

    pk: int
    title: str
    carrier: str
    status: str
    status_label: str
    priority: str
    planned: Decimal | None  # None: confidential in this version, or not given
    actual: Decimal | None
    confidential: bool
    renewed_from: int | None
    pitch: str


@dataclass
class Bilan:
    year: int
    version: str
    programme: int = 0  # validated actions of the year, abandoned ones included
    active: int = 0  # the programme less the abandoned actions
    proposed: int = 0  # proposals waiting for the organisers (partners' version only)
    planned: Decimal = ZERO
    actual: Decimal = ZERO
    hidden_amounts: int = 0  # active actions whose amounts this version leaves out
    by_status: list[Row] = field(default_factory=list)
    by_priority: list[Row] = field(default_factory=list)
    by_territory: list[Row] = field(default_factory=list)
    by_public: list[Row] = field(default_factory=list)
    by_funder: list[Row] = field(default_factory=list)
    indicators: int = 0  # with a target and an achieved value
    indicators_reached: int = 0  # achieved ≥ target
    people_reached: Decimal = ZERO
    indicator_lines: list[IndicatorLine] = field(default_factory=list)  # partners only
    indicator_lines_total: int = 0  # before ``bilan_cached(limit=…)`` keeps the first ones
    previous: "Comparison | None" = None
    pitches: list[dict] = field(default_factory=list)
    actions: list[ActionLine] = field(default_factory=list)  # partners only
    actions_total: int = 0

    @property
    def is_public(self) -> bool:
        return self.version == PUBLIC

    @property
    def shows_confidential(self) -> bool:
        return self.version == ORGANISERS

    @property
    def funded_planned(self) -> Decimal:
        return sum((row.planned for row in self.by_funder), ZERO)

    @property
    def funded_actual(self) -> Decimal:
        return sum((row.actual for row in self.by_funder), ZERO)

    @property
    def reached_rate(self) -> int | None:
        return round(self.indicators_reached * 100 / self.indicators) if self.indicators else None

    @property
    def is_empty(self) -> bool:
        return self.programme == 0 and self.proposed == 0


@dataclass
class Comparison:
    """What changed from the year before."""

    year: int
    active: int
    planned: Decimal
    renewed: int  # this year's actions that continue one of last year's
    new: int  # this year's actions with no predecessor
    stopped: int  # last year's active actions not programmed again


FIELDS = (
    "pk",
    "title",
    "status",
    "priority_id",
    "carrier__name",
    "budget_planned",
    "budget_actual",
    "amounts_confidential",
    "previous_id",
    "previous__year",
    "pitch_id",
    "pitch__title",
    "pitch__workgroup__edition__year",
    "pitch__workgroup__number",
)


def _through(name: str, year: int, statuses) -> dict[int, list[int]]:
    """{action pk: [related pks]} for the many-to-many ``name`` of the actions, one query."""
    model_field = Action._meta.get_field(name)
    through = model_field.remote_field.through
    rows = through.objects.filter(action__year=year, action__status__in=statuses).values_list(
        "action_id", model_field.m2m_reverse_name()
    )
    related = defaultdict(list)
    for action_id, other_id in rows:
        related[action_id].append(other_id)
    return related


def bilan_for(year: int, version: str = PUBLIC) -> Bilan:
    if version not in VERSIONS:
        raise ValueError(version)
    bilan = Bilan(year=year, version=version)
    statuses = [*PROGRAMME, ActionStatus.PROPOSED]
    rows = list(
        Action.objects.filter(year=year, status__in=statuses)
        .order_by("title", "pk")
        .values(*FIELDS)
    )
    programme = [row for row in rows if row["status"] != ActionStatus.PROPOSED]
    bilan.proposed = 0 if version == PUBLIC else len(rows) - len(programme)
    bilan.programme = len(programme)
    active = [row for row in programme if row["status"] != ActionStatus.ABANDONED]
    bilan.active = len(active)

    def shown(row) -> bool:
        return version == ORGANISERS or not row["amounts_confidential"]

    # Statuses, in the workflow's order, each shown even at zero.
    counts = defaultdict(int)
    for row in programme:
        counts[row["status"]] += 1
    bilan.by_status = [
        Row(str(label), counts[value], key=value)
        for value, label in ActionStatus.choices
        if value in PROGRAMME
    ]

    active_pks = {row["pk"] for row in active}
    # Priorities, in the contract's order, then "Sans priorité".
    priorities = {p.pk: p for p in Priority.objects.order_by("position", "title", "pk")}
    by_priority = {pk: Row(p.title, key=p.slug) for pk, p in priorities.items()}
    without_priority = Row(_("Sans priorité"), key="")
    for row in active:
        target = by_priority.get(row["priority_id"], without_priority)
        amounts = (row["budget_planned"], row["budget_actual"]) if shown(row) else (None, None)
        target.add(*amounts)
        if shown(row):
            bilan.planned += row["budget_planned"] or ZERO
            bilan.actual += row["budget_actual"] or ZERO
        else:
            bilan.hidden_amounts += 1
    bilan.by_priority = [r for r in by_priority.values() if r.count] + (
        [without_priority] if without_priority.count else []
    )

    # Territories: counted in each, amounts where they can be placed.
    territory_of = _through("territories", year, PROGRAMME)
    # Names and codes only: decoding the contours would cost more than the whole bilan.
    territories = {
        t.pk: t
        for t in Territory.objects.only("pk", "name", "code", "slug", "order").order_by(
            "order", "name"
        )
    }
    by_territory = {pk: Row(t.name, key=t.code or t.slug) for pk, t in territories.items()}
    several = Row(_("Plusieurs quartiers (montants)"), key="")
    nowhere = Row(_("Sans quartier"), key="")
    for row in active:
        places = territory_of.get(row["pk"], [])
        amounts = (row["budget_planned"], row["budget_actual"]) if shown(row) else (None, None)
        for pk in places:
            by_territory[pk].add(*(amounts if len(places) == 1 else (None, None)))
        if len(places) > 1:
            several.add(*amounts, count=False)
        elif not places:
            nowhere.add(*amounts)
    bilan.by_territory = [r for r in by_territory.values() if r.count]
    bilan.by_territory += [r for r in (nowhere,) if r.count]
    bilan.by_territory += [several] if several.planned or several.actual else []

    # Publics: counts only (an action often serves several).
    public_of = _through("publics", year, PROGRAMME)
    by_public = {p.pk: Row(p.name, key=p.slug) for p in Public.objects.order_by("order", "name")}
    for row in active:
        for pk in public_of.get(row["pk"], []):
            by_public[pk].count += 1
    bilan.by_public = sorted(
        (r for r in by_public.values() if r.count), key=lambda r: (-r.count, r.label)
    )

    # Funders, in the list's order.
    visible = {row["pk"] for row in active if shown(row)}
    by_funder = {value: Row(str(label), key=value) for value, label in Funder.choices}
    fundings = Funding.objects.filter(action__year=year, action__status__in=PROGRAMME).values_list(
        "action_id", "funder", "planned", "actual"
    )
    for action_id, funder, planned, actual in fundings:
        if action_id in visible:
            by_funder[funder].add(planned, actual)
    bilan.by_funder = [r for r in by_funder.values() if r.count]

    # Indicators of the active actions.
    titles = {row["pk"]: row["title"] for row in active}
    indicators = Indicator.objects.filter(action__year=year, action__status__in=PROGRAMME)
    for action_id, label, unit, target, achieved in indicators.order_by(
        "action__title", "action_id", "position", "pk"
    ).values_list("action_id", "label", "unit", "target", "achieved"):
        if action_id not in active_pks:
            continue
        if target is not None and achieved is not None:
            bilan.indicators += 1
            bilan.indicators_reached += achieved >= target
        if unit in PEOPLE_UNITS and achieved is not None:
            bilan.people_reached += achieved
        # An indicator in euros is an amount: it follows its action's confidentiality.
        if version != PUBLIC and (unit != IndicatorUnit.EUROS or action_id in visible):
            bilan.indicator_lines.append(
                IndicatorLine(titles[action_id], label, unit, target, achieved)
            )

    # The year before, one query.
    before = list(
        Action.objects.filter(year=year - 1, status__in=PROGRAMME)
        .exclude(status=ActionStatus.ABANDONED)
        .values("pk", "budget_planned", "amounts_confidential")
    )
    if before:
        continued = {row["previous_id"] for row in active if row["previous__year"] == year - 1}
        bilan.previous = Comparison(
            year=year - 1,
            active=len(before),
            planned=sum(
                (r["budget_planned"] or ZERO for r in before if shown(r)),
                ZERO,
            ),
            renewed=sum(1 for row in active if row["previous__year"] == year - 1),
            new=sum(1 for row in active if row["previous_id"] is None),
            stopped=sum(1 for r in before if r["pk"] not in continued),
        )

    # What became of the workshops' pitches.
    # A proposal is the organisers' and its carrier's business (actions.permissions): the
    # partners read how many there are, not what they are.
    source = rows if version == ORGANISERS else programme
    bilan.pitches = [
        {
            "action": row["title"],
            "action_pk": row["pk"],
            "status": row["status"],
            "status_label": str(ActionStatus(row["status"]).label),
            # The sheet itself may not be public (its gallery): only the partners read its title.
            "pitch": row["pitch__title"] if version != PUBLIC else "",
            "edition": row["pitch__workgroup__edition__year"],
            "group": row["pitch__workgroup__number"],
        }
        for row in source
        if row["pitch_id"]
    ]

    if version != PUBLIC:
        bilan.actions = [
            ActionLine(
                pk=row["pk"],
                title=row["title"],
                carrier=row["carrier__name"],
                status=row["status"],
                status_label=str(ActionStatus(row["status"]).label),
                priority=priorities[row["priority_id"]].title if row["priority_id"] else "",
                planned=row["budget_planned"] if shown(row) else None,
                actual=row["budget_actual"] if shown(row) else None,
                confidential=row["amounts_confidential"],
                renewed_from=row["previous_id"],
                pitch=row["pitch__title"] or "",
            )
            for row in programme
        ]
    bilan.actions_total = len(bilan.actions)
    bilan.indicator_lines_total = len(bilan.indicator_lines)
    return bilan


# A cached bilan is kept this long at most: the stamp below sees every write through the
# services; the timeout bounds what it cannot see (a priority or territory renamed).
CACHE_SECONDS = 600


def bilan_cached(year: int, version: str = PUBLIC, *, limit: int | None = None) -> Bilan:
    """``bilan_for``, kept in the cache until an action of that year or the year before
    changes. One query decides: the services save the action on every change (its
    ``updated_at``), and a deletion changes the count. With ``limit``, only the first
    actions and indicator lines are kept (a page's worth: reading back a thousand rows from
    the cache would cost more than the page)."""
    stamp = Action.objects.filter(year__in=(year - 1, year)).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    latest = stamp["latest"].isoformat() if stamp["latest"] else "-"
    key = f"actions:bilan:{year}:{version}:{limit}:{get_language()}:{stamp['count']}:{latest}"
    bilan = cache.get(key)
    if bilan is None:
        bilan = bilan_for(year, version)
        if limit is not None:
            bilan.actions = bilan.actions[:limit]
            bilan.indicator_lines = bilan.indicator_lines[:limit]
        cache.set(key, bilan, CACHE_SECONDS)
    return bilan


def version_for(user, requested: str | None = None) -> str:
    """The fullest version ``user`` may read, or the public one when asked for it."""
    if requested == PUBLIC or not user.has_perm("actions.view_partner_bilan"):
        return PUBLIC
    if user.has_perm("actions.view_confidential_amounts"):
        return ORGANISERS
    return PARTNERS


def bilan_years() -> list[int]:
    """The years that have a programme, newest first."""
    return list(
        Action.objects.filter(status__in=PROGRAMME)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
