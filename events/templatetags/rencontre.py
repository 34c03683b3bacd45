"""What other pages show of the rencontre, without importing it: the home page
(in the core, which imports no app) loads ``{% load rencontre %}`` and asks
``{% next_edition as edition %}``."""

from django import template
from django.utils import timezone

from ..enums import EditionStatus
from ..models import Edition

register = template.Library()


@register.simple_tag
def next_edition() -> Edition | None:
    """The next announced edition (today's included), or None; one query."""
    return (
        Edition.objects.exclude(status=EditionStatus.DRAFT)
        .filter(date__gte=timezone.localdate())
        .order_by("date", "pk")
        .first()
    )
