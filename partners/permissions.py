"""Who may do what in the directory (django-rules; see contrat_ville.permissions).

Reading published actors needs no permission: the directory is public.
"""

import rules

from contrat_ville.permissions import is_organiser, is_partner

from .models import Membership


@rules.predicate
def is_actor_member(user, actor) -> bool:
    if actor is None or not user.is_authenticated:
        return False
    # A profile page asks up to three permissions about the same pair: read it once.
    cache = actor.__dict__.setdefault("_member_of", {})
    if user.pk not in cache:
        cache[user.pk] = Membership.objects.filter(actor=actor, user=user).exists()
    return cache[user.pk]


# Contact persons are named people: partners only, and the actor's own members.
rules.add_perm("partners.view_contacts", is_partner | is_actor_member)
rules.add_perm("partners.propose_actor", rules.is_authenticated)
rules.add_perm("partners.change_actor", is_organiser | is_actor_member)
rules.add_perm("partners.request_membership", rules.is_authenticated & ~is_actor_member)
rules.add_perm("partners.moderate", is_organiser)
rules.add_perm("partners.manage_taxonomy", is_organiser)
