"""Reads of the workshops shared by every page."""

from django.db.models import Prefetch, QuerySet

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
        .prefetch_related("territories", "partners", _members_present_prefetch())
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
