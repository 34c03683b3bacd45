"""What other pages show of the rencontre, without importing it: the home page
(in the core, which imports no app) loads ``{% load rencontre %}`` and asks
``{% next_edition as edition %}``."""

from django import template
from django.utils import timezone

from ..enums import EditionStatus, EventKind
from ..models import Edition

register = template.Library()


@register.simple_tag
def next_edition() -> Edition | None:
    """The next announced edition (today's included), or None; one query."""
    return (
        Edition.objects.exclude(status=EditionStatus.DRAFT)
        .filter(kind=EventKind.RENCONTRE, date__gte=timezone.localdate())
        .order_by("date", "pk")
        .first()
    )


@register.simple_tag
def event_url(name: str, edition: Edition, **extra) -> str:
    """``{% event_url "dashboard" edition %}``: the page ``name`` of any kind of event, so
    the pages shared by every kind link within the right one."""
    return edition.url(name, **extra)
