"""Reads of the contract's pages, each with the prefetches its page needs.

The contract sits just above the core: the directory's actors, the workshops' projects and
the events' meetings reach these pages through reverse relations (``priority.actors``,
``priority.projects``, ``body.seats``, ``body.meetings``), never through an import. What
each of those apps shows publicly is repeated here as a filter on its own columns.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from contrat_ville.enums import NEIGHBOURHOOD_KINDS, TerritoryKind
from contrat_ville.models import Territory
from contrat_ville.permissions import is_organiser, is_partner

from .models import Body, Objective, Priority

# The directory shows published actors only (partners.enums.ActorStatus.PUBLISHED).
ACTOR_PUBLISHED = "published"
# The workshops show a project once the jury's results are published
# (workgroups.enums.JuryPhase.PUBLISHED), to the public only if the gallery is open to it.
RESULTS_PUBLISHED = "published"
# A draft event is for organisers only (events.enums.EditionStatus.DRAFT).
EVENT_DRAFT = "draft"


def _objectives() -> Prefetch:
    return Prefetch("objectives", queryset=Objective.objects.order_by("position", "pk"))


def priority_list() -> QuerySet[Priority]:
    """Every priority with its objectives (two queries)."""
    return Priority.objects.order_by("position", "title", "pk").prefetch_related(_objectives())


def body_list() -> QuerySet[Body]:
    return Body.objects.order_by("position", "name", "pk")


def contract_territories() -> dict[str, list[Territory]]:
    """The contract's territories (one query): its neighbourhoods, then its communes and
    the intercommunality."""
    territories = list(Territory.objects.order_by("order", "name", "pk"))
    return {
        "neighbourhoods": [t for t in territories if t.kind in NEIGHBOURHOOD_KINDS],
        "places": [t for t in territories if t.kind in (TerritoryKind.COMMUNE, TerritoryKind.EPCI)],
    }


def priority_for_page(slug: str) -> QuerySet[Priority]:
    return Priority.objects.filter(slug=slug).prefetch_related(_objectives())


def priority_actors(priority: Priority) -> list:
    """The published actors tagged with the priority, by name (one query)."""
    return list(priority.actors.filter(status=ACTOR_PUBLISHED).order_by("name", "pk"))


def priority_projects(priority: Priority, user) -> list:
    """The workshop projects tagged with the priority, as far as the workshops' gallery is
    open to ``user`` (the rule of workgroups.view_gallery, asked in the query; one query)."""
    projects = priority.projects.exclude(title="")
    if not is_organiser(user):
        shown = Q(workgroup__edition__workshop_settings__phase=RESULTS_PUBLISHED)
        if not is_partner(user):
            shown &= Q(workgroup__edition__workshop_settings__gallery_public=True)
        projects = projects.filter(shown)
    return list(
        projects.select_related("workgroup__edition").order_by(
            "-workgroup__edition__year", "workgroup__number", "pk"
        )
    )


# A priority page shows the latest actions; the bilan has them all.
PRIORITY_ACTIONS_SHOWN = 12


def priority_actions(priority: Priority) -> list:
    """The contract's actions that serve the priority and everyone may read (the actions
    app's ``public()``, through the reverse relation), newest year first (one query)."""
    return list(
        priority.actions.public()
        .select_related("carrier")
        .order_by("-year", "title", "pk")[:PRIORITY_ACTIONS_SHOWN]
    )


def body_members(body: Body) -> list:
    """The published actors that sit in the body, as the directory records it (one query)."""
    if not body.directory_code:
        return []
    return [
        seat.actor
        for seat in body.seats.filter(actor__status=ACTOR_PUBLISHED)
        .select_related("actor")
        .order_by("actor__name", "actor__pk")
    ]


def body_meetings(body: Body) -> dict[str, list]:
    """The body's meetings that are not drafts: coming ones first (soonest first), then
    past ones (latest first). One query."""
    today = timezone.localdate()
    meetings = list(body.meetings.exclude(status=EVENT_DRAFT).order_by("date", "starts_at", "pk"))
    return {
        "coming": [m for m in meetings if m.date >= today],
        "past": [m for m in reversed(meetings) if m.date < today],
    }


def directory_choices() -> list[tuple[str, str]]:
    """The bodies the directory knows (its seats' choices), read through the reverse
    relation ``seats`` rather than an import of the directory."""
    seat_model = Body.seats.rel.related_model
    return list(seat_model._meta.get_field("body").choices or ())
