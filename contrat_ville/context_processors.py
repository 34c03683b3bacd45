from django.conf import settings

from . import navigation


def portal(request):
    user = getattr(request, "user", None)
    return {
        "site_name": settings.PORTAL_SITE_NAME,
        "nav_items": navigation.items_for(user) if user is not None else [],
        "current_url_name": getattr(getattr(request, "resolver_match", None), "url_name", ""),
    }
