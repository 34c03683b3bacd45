"""Reads of the workshops shared by every page."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from events.models import Edition

from .models import Seat, Workgroup, WorkshopSettings


def workshop_settings(edition: Edition) -> WorkshopSettings:
    """The edition's workshop settings, created with the defaults on first read;
    read once per edition object."""
    cached = edition.__dict__.get("_workshop_settings")
    if cached is None:
        cached, _created = WorkshopSettings.objects.get_or_create(edition=edition)
        edition.__dict__["_workshop_settings"] = cached
    return cached


def workgroups_of(edition: Edition) -> QuerySet[Workgroup]:
    """The edition's groups with their facilitators and seated people (one query each)."""
    seats = Seat.objects.select_related(
        "registration", "registration__actor", "registration__territory"
    ).order_by("registration__last_name", "registration__first_name", "pk")
    return (
        Workgroup.objects.filter(edition=edition)
        .prefetch_related("facilitators", Prefetch("seats", queryset=seats))
        .order_by("number")
    )


def workgroup_of(edition: Edition, number: int) -> Workgroup:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Workgroup.objects.select_related("edition").prefetch_related("facilitators"),
        edition=edition,
        number=number,
    )


# -- project sheets -------------------------------------------------------------------

_SHEET_PREFETCH = ("sheet__territories", "sheet__partners")


def _members_present_prefetch(prefix: str = "") -> Prefetch:
    from events.models import Registration

    return Prefetch(
        f"{prefix}members_present",
        queryset=Registration.objects.select_related("actor").order_by(
            "last_name", "first_name", "pk"
        ),
    )


def sheet_of(workgroup: Workgroup):
    """The group's project sheet with its neighbourhoods, partners and members
    present (one query each), or None before anyone saved it."""
    from .models import ProjectSheet

    return (
        ProjectSheet.objects.filter(workgroup=workgroup)
        .prefetch_related("territories", "priorities", "partners", _members_present_prefetch())
        .first()
    )


def gallery_of(edition: Edition, *, with_members: bool = False) -> QuerySet[Workgroup]:
    """Every group of the edition with its sheet (None when not started), the
    sheet's neighbourhoods and partners; the members present too for the booklet."""
    lookups = [*_SHEET_PREFETCH]
    if with_members:
        lookups.append(_members_present_prefetch("sheet__"))
    return (
        Workgroup.objects.filter(edition=edition)
        .select_related("sheet")
        .prefetch_related(*lookups)
        .order_by("number")
    )


def memberships(edition: Edition, users: Iterable) -> set[tuple[int, int]]:
    """(user id, group id) for each group of ``edition`` each user belongs to:
    facilitating it, or seated in it by account or e-mail address. The one
    statement of the rule (permissions.belongs_to_group asks it for one user);
    two queries for any number of users."""
    users = [user for user in users if user.is_authenticated]
    if not users:
        return set()
    ids = {user.pk for user in users}
    by_email: dict[str, set[int]] = {}
    for user in users:
        by_email.setdefault(user.email.lower(), set()).add(user.pk)
    pairs = set(
        Workgroup.facilitators.through.objects.filter(
            workgroup__edition=edition, user_id__in=ids
        ).values_list("user_id", "workgroup_id")
    )
    seats = (
        Seat.objects.filter(workgroup__edition=edition)
        .annotate(email_lower=Lower("registration__email"))
        .filter(Q(registration__user_id__in=ids) | Q(email_lower__in=list(by_email)))
        .values_list("registration__user_id", "email_lower", "workgroup_id")
    )
    for user_id, email, group_id in seats:
        if user_id in ids:
            pairs.add((user_id, group_id))
        for pk in by_email.get(email, ()):
            pairs.add((pk, group_id))
    return pairs
