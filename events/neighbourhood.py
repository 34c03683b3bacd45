"""The rencontre's part of a neighbourhood's page ("Mon quartier", neighbourhoods.sections)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.sections import Section

from .enums import EditionStatus, EventKind
from .models import Edition

UPCOMING_SHOWN = 3


def upcoming_context(territory, request) -> dict:
    """The coming rencontres: they are open to the partners of every neighbourhood. One query."""
    editions = list(
        Edition.objects.exclude(status=EditionStatus.DRAFT)
        .filter(kind=EventKind.RENCONTRE)
        .filter(date__gte=timezone.localdate())
        .order_by("date", "pk")[:UPCOMING_SHOWN]
    )
    return {"editions": editions}


SECTION = Section(
    key="rencontres",
    title=_("Les prochaines rencontres des partenaires"),
    template="events/_neighbourhood_rencontres.html",
    context=upcoming_context,
    order=30,
)
