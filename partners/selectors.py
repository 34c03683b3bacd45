"""Reads of the directory: what a person may see, the search with its facets,
the moderation queues. Querysets come with what their page needs."""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from contrat_ville.models import Territory
from contrat_ville.permissions import is_organiser

from . import search
from .enums import (
    ActorKind,
    ActorStatus,
    DirectorySort,
    GovernanceBody,
    JoinRequestStatus,
    TerritoryScope,
)
from .models import (
    Actor,
    ActorGovernanceBody,
    Competence,
    ContactPerson,
    DirectoryState,
    JoinRequest,
    Membership,
    Public,
    Theme,
)

# -- scope --------------------------------------------------------------------


def actors_visible_to(user) -> QuerySet[Actor]:
    """Published actors for everyone; organisers see all; members see their own."""
    if is_organiser(user):
        return Actor.objects.all()
    if user.is_authenticated:
        return Actor.objects.filter(
            Q(status=ActorStatus.PUBLISHED) | Q(memberships__user=user)
        ).distinct()
    return Actor.objects.filter(status=ActorStatus.PUBLISHED)


def actors_editable_by(user) -> QuerySet[Actor]:
    if is_organiser(user):
        return Actor.objects.all()
    if not user.is_authenticated:
        return Actor.objects.none()
    return Actor.objects.filter(memberships__user=user)


def actor_count_for(user) -> int:
    """How many actors ``user`` is a member of (one query; none for a visitor)."""
    if not user.is_authenticated:
        return 0
    return Membership.objects.filter(user=user).count()  # one membership per actor


def actor_profile(actor: Actor, *, show_contacts: bool) -> dict:
    """Everything the profile page shows; contacts only when the caller allows them."""
    competences = list(actor.competences.select_related("theme"))
    by_theme: dict = {}
    for competence in competences:
        by_theme.setdefault(competence.theme, []).append(competence)
    return {
        "territories": list(actor.territories.all()),
        "themes": sorted(by_theme.items(), key=lambda item: item[0].order),
        "publics": list(actor.publics.all()),
        "bodies": [b.get_body_display() for b in actor.bodies.all()],
        # The contract's priorities the actor serves, linked to their pages.
        "priorities": list(actor.priorities.order_by("position", "title", "pk")),
        "contacts": list(actor.contacts.all()) if show_contacts else None,
    }


def actor_members(actor: Actor) -> list[Membership]:
    return list(actor.memberships.select_related("user").order_by("role", "user__last_name"))


def actor_for_edit(actor: Actor) -> Actor:
    return Actor.objects.prefetch_related(
        "territories", "competences", "publics", "bodies", "priorities"
    ).get(pk=actor.pk)


# -- directory search -------------------------------------------------------------


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    group: str = ""


@dataclass
class Facet:
    param: str
    label: str
    options: list[FacetOption] = field(default_factory=list)

    grouped: bool = False

    @property
    def selected(self) -> list[FacetOption]:
        return [o for o in self.options if o.selected]

    @property
    def visible_groups(self) -> list[tuple[str, list[FacetOption]]]:
        """Options worth showing (some results, or chosen), by group in order."""
        groups: list[tuple[str, list[FacetOption]]] = []
        for option in self.options:
            if not (option.count or option.selected):
                continue
            group = option.group if self.grouped else ""
            if not groups or groups[-1][0] != group:
                groups.append((group, []))
            groups[-1][1].append(option)
        return groups


@dataclass(frozen=True)
class DirectoryQuery:
    q: str = ""
    territories: tuple[str, ...] = ()
    competences: tuple[str, ...] = ()
    publics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    sort: str = ""
    # "" (working in the chosen territories, through Actor.territories) or
    # TerritoryScope.LOCATED (whose point lies in them, through Actor.located_in).
    scope: str = ""

    @property
    def located(self) -> bool:
        return self.scope == TerritoryScope.LOCATED

    @property
    def has_filters(self) -> bool:
        return bool(
            self.q
            or self.territories
            or self.competences
            or self.publics
            or self.kinds
            or self.bodies
        )


def _filter_ids(query: DirectoryQuery) -> dict[str, QuerySet]:
    """Per chosen facet, the ids of the actors it keeps; values of one facet are ORed."""
    ids = {}
    if query.territories and query.located:
        ids["territoire"] = (
            Actor.objects.filter(located_in__slug__in=query.territories).order_by().values("pk")
        )
    elif query.territories:
        ids["territoire"] = Actor.territories.through.objects.filter(
            territory__slug__in=query.territories
        ).values("actor_id")
    for name, through, column, values in (
        ("competence", Actor.competences.through, "competence", query.competences),
        ("public", Actor.publics.through, "public", query.publics),
    ):
        if values:
            ids[name] = through.objects.filter(**{f"{column}__slug__in": values}).values("actor_id")
    if query.kinds:
        ids["type"] = Actor.objects.filter(kind__in=query.kinds).order_by().values("pk")
    if query.bodies:
        ids["instance"] = ActorGovernanceBody.objects.filter(body__in=query.bodies).values(
            "actor_id"
        )
    return ids


def _filters(query: DirectoryQuery) -> dict[str, Q]:
    """One condition per facet (subqueries, so an actor never comes twice)."""
    return {name: Q(pk__in=ids) for name, ids in _filter_ids(query).items()}


def _apply(actors: QuerySet, filters: dict[str, Q]) -> QuerySet:
    for condition in filters.values():
        actors = actors.filter(condition)
    return actors


@dataclass
class DirectoryResult:
    actors: QuerySet
    facets: list[Facet]
    ranked: bool


def _ordered_results(query: DirectoryQuery):
    """(ordered matching actors, whether ranked, the actors matching the words alone)."""
    published = Actor.objects.filter(status=ActorStatus.PUBLISHED)
    matched, ranked = search.apply_search(published, query.q)
    filters = _filters(query)
    results = _apply(matched, filters)
    sort = query.sort or (DirectorySort.RELEVANCE if ranked else DirectorySort.NAME)
    if sort == DirectorySort.RELEVANCE and ranked:
        results = results.order_by("-rank", "name", "pk")
    elif sort == DirectorySort.UPDATED:
        results = results.order_by("-updated_at", "pk")
    else:
        results = results.order_by("name", "pk")
    return results, ranked, matched


# (facet, table, value column) of the facets counted through a table of their own;
# the kind is a column of the actor.
_FACET_TABLES = (
    ("territoire", "partners_actor_territories", "territory_id"),
    ("competence", "partners_actor_competences", "competence_id"),
    ("public", "partners_actor_publics", "public_id"),
    ("instance", "partners_actorgovernancebody", "body"),
)
FACET_NAMES = ("territoire", "competence", "public", "type", "instance")


def _facet_counts(matched: QuerySet, query: DirectoryQuery) -> dict[str, dict]:
    """Per facet, value → number of actors; each facet ignores its own filter.
    ``counts["total"][""]`` is the number of results.

    One query: the matching actors are computed once (a CTE, which PostgreSQL and
    SQLite both materialise when it is used more than once), each with one flag per
    facet filter; a facet then counts the rows whose other flags are all true.
    Evaluating the text search once instead of five times is most of the cost.
    """
    # The matching actors' own query comes first (unordered): the CTE reads it once.
    matched_sql, params = (
        matched.order_by().values("pk", "kind", "located_in_id").query.sql_with_params()
    )
    params = list(params)
    flags = []
    chosen = _filter_ids(query)
    for name in FACET_NAMES:
        if name in chosen:
            sql, flag_params = chosen[name].query.sql_with_params()
            flags.append(f"(b.pk IN ({sql})) AS f_{name}")
            params.extend(flag_params)
        else:
            flags.append(f"(1 = 1) AS f_{name}")

    def others(name: str) -> str:
        return " AND ".join(f"m.f_{other}" for other in FACET_NAMES if other != name)

    parts = [
        f"SELECT 'type' AS facet, m.kind AS value, COUNT(*) AS total FROM m "  # noqa: S608
        f"WHERE {others('type')} GROUP BY m.kind"
    ]
    every = " AND ".join(f"m.f_{name}" for name in FACET_NAMES)
    parts.append(f"SELECT 'total' AS facet, '' AS value, COUNT(*) AS total FROM m WHERE {every}")  # noqa: S608
    for name, table, column in _FACET_TABLES:
        if name == "territoire" and query.located:
            # "Located in": one neighbourhood per actor, a column of the actor itself.
            parts.append(
                "SELECT 'territoire' AS facet, CAST(m.located_in_id AS TEXT) AS value, "  # noqa: S608
                f"COUNT(*) AS total FROM m WHERE m.located_in_id IS NOT NULL AND "
                f"{others(name)} GROUP BY m.located_in_id"
            )
            continue
        parts.append(
            f"SELECT '{name}' AS facet, CAST(x.{column} AS TEXT) AS value, "  # noqa: S608
            f"COUNT(*) AS total FROM m JOIN {table} x ON x.actor_id = m.id WHERE {others(name)} "
            f"GROUP BY x.{column}"
        )
    statement = (
        f"WITH b AS ({matched_sql}), "  # noqa: S608
        f"m AS (SELECT b.pk AS id, b.kind, b.located_in_id, {', '.join(flags)} FROM b) "
        + " UNION ALL ".join(parts)
    )
    counts: dict[str, dict] = {name: {} for name in (*FACET_NAMES, "total")}
    with connection.cursor() as cursor:
        # Built from Django's own SQL for the querysets and fixed table names; every
        # value typed by a visitor is a parameter.
        cursor.execute(statement, params)
        for facet, value, total in cursor.fetchall():
            key = int(value) if facet in {"territoire", "competence", "public"} else value
            counts[facet][key] = total
    return counts


@dataclass(frozen=True)
class DirectoryReference:
    """The facet values, read once per request (the search form needs them too)."""

    territories: list
    competences: list
    publics: list


def directory_reference() -> DirectoryReference:
    return DirectoryReference(
        territories=list(Territory.objects.order_by("order", "name")),
        competences=list(
            Competence.objects.select_related("theme").order_by(
                "theme__order", "theme__name", "order", "name"
            )
        ),
        publics=list(Public.objects.order_by("order", "name")),
    )


def _facets(
    query: DirectoryQuery, counts: dict[str, dict], reference: DirectoryReference
) -> list[Facet]:
    """Every facet value with its count; labels are read fresh, only counts are cached."""
    return [
        Facet(
            "territoire",
            "territoire",
            [
                FacetOption(
                    t.slug,
                    t.name,
                    counts["territoire"].get(t.pk, 0),
                    t.slug in query.territories,
                    t.get_kind_display(),
                )
                for t in reference.territories
            ],
        ),
        Facet(
            "competence",
            "competence",
            [
                FacetOption(
                    c.slug,
                    c.name,
                    counts["competence"].get(c.pk, 0),
                    c.slug in query.competences,
                    c.theme.name,
                )
                for c in reference.competences
            ],
            grouped=True,
        ),
        Facet(
            "public",
            "public",
            [
                FacetOption(p.slug, p.name, counts["public"].get(p.pk, 0), p.slug in query.publics)
                for p in reference.publics
            ],
        ),
        Facet(
            "type",
            "type",
            [
                FacetOption(value, str(label), counts["type"].get(value, 0), value in query.kinds)
                for value, label in ActorKind.choices
            ],
        ),
        Facet(
            "instance",
            "instance",
            [
                FacetOption(
                    value, str(label), counts["instance"].get(value, 0), value in query.bodies
                )
                for value, label in GovernanceBody.choices
            ],
        ),
    ]


def _card_prefetches():
    return (
        Prefetch("territories", queryset=Territory.objects.order_by("order", "name")),
        Prefetch("competences", queryset=Competence.objects.order_by("theme__order", "order")),
    )


def directory_search(query: DirectoryQuery) -> DirectoryResult:
    """Published actors matching ``query``, with facet counts, computed afresh.

    A facet's counts apply every other facet's filter but not its own, so each
    count is exactly the number of results that choosing the value would show
    (the usual "disjunctive" faceting: values of one facet add up, facets narrow).
    """
    results, ranked, matched = _ordered_results(query)
    return DirectoryResult(
        actors=results.prefetch_related(*_card_prefetches()),
        facets=_facets(query, _facet_counts(matched, query), directory_reference()),
        ranked=ranked,
    )


class _KnownCountPaginator(Paginator):
    """A paginator over a count computed (or cached) beforehand."""

    def __init__(self, count: int, per_page: int):
        super().__init__([], per_page)
        self.__dict__["count"] = count  # count is a cached_property


@dataclass
class DirectoryPage:
    page: Page
    facets: list[Facet]
    ranked: bool


CACHE_SECONDS = 600


def directory_version() -> int:
    return DirectoryState.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def directory_cache_key(query: DirectoryQuery, *, page_number, per_page: int) -> str:
    digest = hashlib.sha256(repr((query, str(page_number), per_page)).encode()).hexdigest()
    return f"partners:directory:{directory_version()}:{digest}"


def directory_page(
    query: DirectoryQuery,
    *,
    page_number,
    per_page: int,
    reference: DirectoryReference | None = None,
    key: str = "",
) -> DirectoryPage:
    """One page of ``directory_search``, its total and facet counts cached.

    The expensive part (matching, ranking, counting five facets) is cached under
    the directory's version, which every write that can change a search bumps in
    its own transaction: a cached answer is never stale, and a repeated search
    (the landing page, a shared link) costs a few indexed reads.
    """
    key = key or directory_cache_key(query, page_number=page_number, per_page=per_page)
    cached = cache.get(key)
    if cached is None:
        results, ranked, matched = _ordered_results(query)
        counts = _facet_counts(matched, query)
        total = counts["total"].get("", 0)
        number = _KnownCountPaginator(total, per_page).get_page(page_number).number
        bottom = (number - 1) * per_page
        cached = {
            "total": total,
            "number": number,
            "ids": list(results.values_list("pk", flat=True)[bottom : bottom + per_page]),
            "counts": counts,
            "ranked": ranked,
        }
        cache.set(key, cached, CACHE_SECONDS)
    actors = Actor.objects.filter(pk__in=cached["ids"]).prefetch_related(*_card_prefetches())
    by_id = {actor.pk: actor for actor in actors}
    page = Page(
        [by_id[pk] for pk in cached["ids"] if pk in by_id],
        cached["number"],
        _KnownCountPaginator(cached["total"], per_page),
    )
    reference = reference or directory_reference()
    return DirectoryPage(
        page=page, facets=_facets(query, cached["counts"], reference), ranked=cached["ranked"]
    )


# -- the directory's map ------------------------------------------------------------

MapRow = tuple[int, str, str, float, float, str, str, str]  # pk, slug, name, lat, lon, address…


@dataclass
class DirectoryMap:
    rows: list[MapRow]  # the matching actors with a point
    total: int  # every matching actor, with a point or not
    facets: list[Facet]

    @property
    def without_point(self) -> int:
        return self.total - len(self.rows)


def directory_map(
    query: DirectoryQuery, *, reference: DirectoryReference | None = None
) -> DirectoryMap:
    """The matching published actors that have a point, in one query, with the total and
    the facet counts (cached, like the list's)."""
    key = directory_cache_key(query, page_number="map", per_page=0)
    counts = cache.get(key)
    results, _ranked, matched = _ordered_results(query)
    if counts is None:
        counts = _facet_counts(matched, query)
        cache.set(key, counts, CACHE_SECONDS)
    rows = list(
        results.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("name", "pk")
        .values_list("pk", "slug", "name", "latitude", "longitude", "address", "postcode", "town")
    )
    reference = reference or directory_reference()
    return DirectoryMap(
        rows=rows, total=counts["total"].get("", 0), facets=_facets(query, counts, reference)
    )


# -- a neighbourhood's page ("Mon quartier") ---------------------------------------------

# What a neighbourhood's page shows of an actor: public fields only.
PUBLIC_CARD_FIELDS = (
    "pk",
    "slug",
    "name",
    "kind",
    "summary",
    "address",
    "postcode",
    "town",
    "phone",
    "email",
    "website",
    "latitude",
    "longitude",
)


@dataclass
class ThemeGroup:
    theme: Theme | None  # None: the actors with no competence yet ("Autres")
    actors: list  # the first ones, by name
    count: int  # all of them

    @property
    def more(self) -> int:
        return self.count - len(self.actors)


def neighbourhood_actors(
    territory: Territory, *, per_theme: int = 12
) -> tuple[list[ThemeGroup], int, int]:
    """The published actors working in ``territory``, grouped by theme (an actor under each
    theme of its competences; those without any in a last group, theme None), the first
    ``per_theme`` of each by name; then how many actors work there, and how many have their
    address there. At most five queries, whatever the number of actors; a neighbourhood of
    the 50,000-actor benchmark lists a few hundred cards, not thousands."""
    working = Actor.objects.filter(status=ActorStatus.PUBLISHED, territories=territory)
    pairs = working.order_by("name", "pk").values_list("pk", "competences__theme_id")
    members: dict[int | None, list[int]] = {}
    everyone: set[int] = set()
    for pk, theme_id in pairs:
        everyone.add(pk)
        ids = members.setdefault(theme_id, [])
        if not ids or ids[-1] != pk:  # two competences of one theme: once
            ids.append(pk)
    shown = {pk for ids in members.values() for pk in ids[:per_theme]}
    actors = {}
    if shown:
        actors = {a.pk: a for a in Actor.objects.filter(pk__in=shown).only(*PUBLIC_CARD_FIELDS)}
    themes = []
    if any(theme_id is not None for theme_id in members):
        # With their competences: a group's "see them all" link filters the directory on them.
        themes = Theme.objects.filter(pk__in=[t for t in members if t is not None])
        themes = themes.prefetch_related(
            Prefetch("competences", queryset=Competence.objects.order_by("order", "name"))
        )
    groups = [
        ThemeGroup(
            theme, [actors[pk] for pk in members[theme.pk][:per_theme]], len(members[theme.pk])
        )
        for theme in themes
    ]
    if None in members:
        others = members[None]
        groups.append(ThemeGroup(None, [actors[pk] for pk in others[:per_theme]], len(others)))
    located = Actor.objects.filter(status=ActorStatus.PUBLISHED, located_in=territory).count()
    return groups, len(everyone), located


def neighbourhood_actor_points(territory: Territory) -> list[tuple[str, str, float, float, str]]:
    """(slug, name, lat, lon, address) of the published actors working in ``territory``
    that have a point: one query."""
    return list(
        Actor.objects.filter(
            status=ActorStatus.PUBLISHED,
            territories=territory,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .order_by("name", "pk")
        .values_list("slug", "name", "latitude", "longitude", "address")
    )


# -- moderation -------------------------------------------------------------------


def actors_pending() -> QuerySet[Actor]:
    return (
        Actor.objects.filter(status=ActorStatus.PENDING)
        .select_related("created_by")
        .order_by("created_at", "pk")
    )


def join_requests_pending() -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(status=JoinRequestStatus.PENDING)
        .select_related("actor", "user")
        .order_by("created_at", "pk")
    )


def actors_stale() -> QuerySet[Actor]:
    """Published actors past their review date, the oldest first."""
    return (
        Actor.objects.filter(status=ActorStatus.PUBLISHED, review_due_on__lt=timezone.localdate())
        .annotate(member_count=Count("memberships"))
        .order_by("review_due_on", "name")
    )


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("actor").order_by("actor__name")


def join_requests_of(user) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(user=user).select_related("actor").order_by("-created_at")


def contacts_of(actor: Actor) -> QuerySet[ContactPerson]:
    return actor.contacts.order_by("order", "name")
