"""Reads of the directory: what a person may see, the search with its facets,
the moderation queues. Querysets come with what their page needs."""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from contrat_ville.models import Territory
from contrat_ville.permissions import is_organiser, is_partner

from . import search
from .enums import ActorKind, ActorStatus, DirectorySort, GovernanceBody, JoinRequestStatus
from .models import (
    Actor,
    ActorGovernanceBody,
    Competence,
    ContactPerson,
    DirectoryState,
    JoinRequest,
    Membership,
    Public,
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


def actor_membership(user, actor: Actor) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(actor=actor, user=user).first()


def actor_profile(actor: Actor, *, viewer) -> dict:
    """Everything the profile page shows, contacts only for those allowed."""
    competences = list(actor.competences.select_related("theme"))
    by_theme: dict = {}
    for competence in competences:
        by_theme.setdefault(competence.theme, []).append(competence)
    show_contacts = is_partner(viewer) or (
        viewer.is_authenticated and actor.memberships.filter(user=viewer).exists()
    )
    return {
        "territories": list(actor.territories.all()),
        "themes": sorted(by_theme.items(), key=lambda item: item[0].order),
        "publics": list(actor.publics.all()),
        "bodies": [b.get_body_display() for b in actor.bodies.all()],
        "contacts": list(actor.contacts.all()) if show_contacts else None,
    }


def actor_members(actor: Actor) -> list[Membership]:
    return list(actor.memberships.select_related("user").order_by("role", "user__last_name"))


def actor_for_edit(actor: Actor) -> Actor:
    return Actor.objects.prefetch_related("territories", "competences", "publics", "bodies").get(
        pk=actor.pk
    )


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


def _through_filter(through, column: str, values) -> Q:
    return Q(pk__in=through.objects.filter(**{f"{column}__slug__in": values}).values("actor_id"))


def _filters(query: DirectoryQuery) -> dict[str, Q]:
    """One condition per facet; values within a facet are alternatives (OR)."""
    filters = {}
    if query.territories:
        filters["territoire"] = _through_filter(
            Actor.territories.through, "territory", query.territories
        )
    if query.competences:
        filters["competence"] = _through_filter(
            Actor.competences.through, "competence", query.competences
        )
    if query.publics:
        filters["public"] = _through_filter(Actor.publics.through, "public", query.publics)
    if query.kinds:
        filters["type"] = Q(kind__in=query.kinds)
    if query.bodies:
        filters["instance"] = Q(
            pk__in=ActorGovernanceBody.objects.filter(body__in=query.bodies).values("actor_id")
        )
    return filters


def _apply(actors: QuerySet, filters: dict[str, Q], *, without: str = "") -> QuerySet:
    for name, condition in filters.items():
        if name != without:
            actors = actors.filter(condition)
    return actors


def _m2m_counts(through, column: str, actors: QuerySet) -> dict[int, int]:
    return dict(
        through.objects.filter(actor_id__in=actors.values("pk"))
        .values_list(f"{column}_id")
        .annotate(total=Count("actor_id"))
        .values_list(f"{column}_id", "total")
    )


@dataclass
class DirectoryResult:
    actors: QuerySet
    facets: list[Facet]
    ranked: bool


def _ordered_results(query: DirectoryQuery):
    """(ordered matching actors, whether ranked, the text-matched set, the facet filters)."""
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
    return results, ranked, matched, filters


def _facet_counts(matched: QuerySet, filters: dict[str, Q]) -> dict[str, dict]:
    """Per facet, value → number of actors; each facet ignores its own filter."""
    return {
        "territoire": _m2m_counts(
            Actor.territories.through, "territory", _apply(matched, filters, without="territoire")
        ),
        "competence": _m2m_counts(
            Actor.competences.through, "competence", _apply(matched, filters, without="competence")
        ),
        "public": _m2m_counts(
            Actor.publics.through, "public", _apply(matched, filters, without="public")
        ),
        "type": dict(
            _apply(matched, filters, without="type")
            .order_by()
            .values_list("kind")
            .annotate(total=Count("pk"))
            .values_list("kind", "total")
        ),
        "instance": dict(
            ActorGovernanceBody.objects.filter(
                actor_id__in=_apply(matched, filters, without="instance").values("pk")
            )
            .values_list("body")
            .annotate(total=Count("actor_id"))
            .values_list("body", "total")
        ),
    }


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
    results, ranked, matched, filters = _ordered_results(query)
    return DirectoryResult(
        actors=results.prefetch_related(*_card_prefetches()),
        facets=_facets(query, _facet_counts(matched, filters), directory_reference()),
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
) -> DirectoryPage:
    """One page of ``directory_search``, its total and facet counts cached.

    The expensive part (matching, ranking, counting five facets) is cached under
    the directory's version, which every write that can change a search bumps in
    its own transaction: a cached answer is never stale, and a repeated search
    (the landing page, a shared link) costs a few indexed reads.
    """
    key = directory_cache_key(query, page_number=page_number, per_page=per_page)
    cached = cache.get(key)
    if cached is None:
        results, ranked, matched, filters = _ordered_results(query)
        total = results.count()
        number = _KnownCountPaginator(total, per_page).get_page(page_number).number
        bottom = (number - 1) * per_page
        cached = {
            "total": total,
            "number": number,
            "ids": list(results.values_list("pk", flat=True)[bottom : bottom + per_page]),
            "counts": _facet_counts(matched, filters),
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
