"""Status badges: one word and one colour per status, the same on every page.

    {% load status_badges %}
    {% status_badge "registration" registration.status registration.get_status_display %}

The colour only helps: the label is always written out (WCAG 1.4.1).
"""

from django import template
from django.utils.html import format_html

register = template.Library()

# (kind, status) -> the badge's variant in site.css. Unknown statuses are neutral.
VARIANTS = {
    "registration": {
        "confirmed": "success",
        "waiting": "warning",
        "cancelled": "danger",
        "present": "info",
    },
    "actor": {"published": "success", "pending": "warning", "archived": "neutral"},
    "join_request": {"approved": "success", "pending": "warning", "rejected": "danger"},
    "edition": {"open": "success", "closed": "warning", "draft": "neutral", "archived": "neutral"},
    "training": {"published": "success", "draft": "neutral", "archived": "neutral"},
    "action": {
        "proposed": "warning",
        "programmed": "info",
        "running": "info",
        "done": "success",
        "abandoned": "neutral",
    },
}


@register.simple_tag
def status_badge(kind: str, status: str, label) -> str:
    variant = VARIANTS.get(kind, {}).get(str(status), "neutral")
    return format_html('<span class="badge badge--{}">{}</span>', variant, label)
