"""Reads of the contract's actions, scoped to what the reader may see.

``actions_visible_to(user)`` is the one scope every page starts from (actions.permissions
says the same thing, one object at a time): validated actions for everyone, plus the
proposals of the actors the reader is a member of, plus everything for organisers.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from contrat_ville.audit import describe
from contrat_ville.audit import details as audit_details
from contrat_ville.models import AuditLogEntry, Territory
from contrat_ville.permissions import is_organiser
from partners.models import Membership

from ..enums import ActionStatus
from ..models import Action, Indicator


def actions_visible_to(user) -> QuerySet[Action]:
    actions = Action.objects.all()
    if is_organiser(user):
        return actions
    validated = ~Q(status=ActionStatus.PROPOSED)
    if user.is_authenticated:
        # A subquery rather than a join: no duplicate rows, so no DISTINCT to count pages.
        validated |= Exists(Membership.objects.filter(actor=OuterRef("carrier"), user=user))
    return actions.filter(validated)


def actions_list(
    user,
    *,
    year: int | None = None,
    status: str = "",
    priority=None,
    territory=None,
    carrier=None,
    query: str = "",
) -> QuerySet[Action]:
    actions = actions_visible_to(user)
    if year:
        actions = actions.filter(year=year)
    if status:
        actions = actions.filter(status=status)
    if priority is not None:
        actions = actions.filter(priority=priority)
    if territory is not None:
        actions = actions.filter(territories=territory)
    if carrier is not None:
        actions = actions.filter(carrier=carrier)
    if query:
        actions = actions.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return (
        actions.select_related("carrier", "priority")
        .prefetch_related(Prefetch("territories", queryset=_territory_names()))
        .order_by("-year", "title", "pk")
    )


def _territory_names():
    # Names for a page, not contours: decoding every contour costs more than the page.
    return Territory.objects.only("pk", "name", "slug", "kind", "order").order_by("order", "name")


def action_for_page(user, pk: int) -> Action | None:
    return (
        actions_visible_to(user)
        .select_related(
            "carrier",
            "priority",
            "objective",
            "previous",
            "renewal",
            "pitch__workgroup__edition",
        )
        .prefetch_related(
            "partners",
            Prefetch("territories", queryset=_territory_names()),
            "publics",
            "fundings",
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk")),
        )
        .filter(pk=pk)
        .first()
    )


def chain_of(action: Action) -> list[Action]:
    """The action and every year it was programmed before and after, oldest first.

    One query per year of the chain: a contract lasts seven years."""
    before, current = [], action
    while current.previous_id:
        current = Action.objects.select_related("carrier").get(pk=current.previous_id)
        before.append(current)
    after, current = [], action
    while True:
        following = Action.objects.filter(previous=current).first()
        if following is None:
            break
        after.append(following)
        current = following
    return [*reversed(before), action, *after]


def history_of(action: Action, *, limit: int = 50) -> list[AuditLogEntry]:
    """The journal's entries about ``action``, newest first, worded as in the journal."""
    entries = list(
        AuditLogEntry.objects.filter(
            target_type=Action._meta.label_lower, target_id=str(action.pk)
        ).select_related("actor")[:limit]
    )
    for entry in entries:
        entry.sentence = describe(entry)
        entry.lines = audit_details(entry)
    return entries


def actions_of_territory(user, territory, *, limit: int) -> list[Action]:
    return list(
        actions_visible_to(user)
        .filter(territories=territory)
        .exclude(status__in=[ActionStatus.PROPOSED, ActionStatus.ABANDONED])
        .select_related("carrier")
        .order_by("-year", "title")[:limit]
    )
