"""Where a ``next`` parameter may send someone: this portal only.

Every view that reads a ``next`` goes through ``safe_next``, so an address crafted elsewhere
(``?next=https://evil.example/``, ``//evil.example``) never turns the portal into a relay.
allauth checks its own ``next`` with the same Django function (``url_has_allowed_host_and_scheme``).
"""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, target: str | None, default: str, *, within: str = "") -> str:
    """``target`` when it is a path of this site (under ``within`` if given), else ``default``."""
    if (
        target
        and target.startswith(within or "/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
