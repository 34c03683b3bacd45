"""What other pages show of the news, without importing the app: the home page (in the
core) loads ``{% load news %}`` and asks ``{% latest_news as items %}``."""

from django import template

from ..selectors import latest_news as latest_news_for

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_news(context, limit: int = 3) -> list:
    """The latest published news the reader may read: public ones, and for partners the
    partners-only ones too. One query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return latest_news_for(user, limit=limit)
