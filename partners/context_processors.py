"""What every page's layout needs from the directory: whether the account menu
offers « Mes structures ». Registered in settings.TEMPLATES as
``partners.context_processors.directory``."""

from functools import cache

from .selectors import actor_count_for


def directory(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_is_actor_member": False}

    # Lazy and read once: a page that never asks costs no query, one that asks twice
    # (the account menu and the home page) costs one.
    @cache
    def user_is_actor_member() -> bool:
        return actor_count_for(user) > 0

    return {"user_is_actor_member": user_is_actor_member}
