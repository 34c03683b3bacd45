from . import navigation
from .selectors import portal_identity


def portal(request):
    user = getattr(request, "user", None)
    # One small query (contrat_ville.selectors.portal_identity).
    identity = portal_identity()
    return {
        "identity": identity,
        "site_name": identity.name,
        "nav_items": navigation.items_for(user) if user is not None else [],
        "current_url_name": getattr(getattr(request, "resolver_match", None), "url_name", ""),
    }
