"""What the rencontre shows of the workshops (events.extensions): each
registration's group, for badges, the manage page and check-in."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from .models import Seat


def group_lines(registrations: Iterable) -> dict[int, str]:
    ids = [registration.pk for registration in registrations]
    if not ids:
        return {}
    lines = {}
    seats = (
        Seat.objects.filter(registration_id__in=ids)
        .select_related("workgroup")
        .prefetch_related("workgroup__facilitators")
    )
    for seat in seats:
        group = seat.workgroup
        parts = [_("Groupe %(number)s") % {"number": group.number}]
        if group.room:
            parts.append(group.room)
        names = [f.full_name or f.email for f in group.facilitators.all()]
        if names:
            parts.append(_("animé par %(names)s") % {"names": ", ".join(names)})
        lines[seat.registration_id] = " · ".join(parts)
    return lines
