"""Who may do what with the contract's actions (django-rules; see contrat_ville.permissions).

An action validated by the organisers (programmed, running, done or abandoned) is public,
without its amounts when an organiser marked them confidential. A proposed action is seen
by the organisers and the carrier's members. Members of the carrying actor edit their own
actions and report on them; organisers validate, import, mark amounts confidential and
delete. Members of a partner actor read, never edit.
"""

import rules

from contrat_ville.permissions import is_organiser, is_partner
from partners.permissions import is_actor_member

from .enums import CARRIER_TRANSITIONS, TRANSITIONS, ActionStatus


@rules.predicate
def is_carrier_member(user, action) -> bool:
    return action is not None and is_actor_member(user, action.carrier)


@rules.predicate
def is_validated(user, action) -> bool:
    return action is not None and action.status != ActionStatus.PROPOSED


@rules.predicate
def amounts_open(user, action) -> bool:
    return action is not None and not action.amounts_confidential


@rules.predicate
def is_member_of_any_actor(user) -> bool:
    if not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_actor_memberships", {})
    if "any" not in cache:
        cache["any"] = user.actor_memberships.exists()
    return cache["any"]


can_edit = is_organiser | is_carrier_member

rules.add_perm("actions.view_action", is_validated | can_edit)
rules.add_perm("actions.change_action", can_edit)
# Amounts: the public sees the open ones in aggregates only; partners per action.
rules.add_perm("actions.view_amounts", can_edit | (is_partner & amounts_open))
rules.add_perm("actions.view_history", can_edit)
rules.add_perm("actions.propose_action", is_organiser | is_member_of_any_actor)
rules.add_perm("actions.renew_action", can_edit)
rules.add_perm("actions.manage", is_organiser)
rules.add_perm("actions.view_partner_bilan", is_partner)
rules.add_perm("actions.view_confidential_amounts", is_organiser)
rules.add_perm("actions.pitch_to_action", is_organiser | is_member_of_any_actor)


def allowed_statuses(user, action) -> list[str]:
    """The statuses ``user`` may move ``action`` to, in the order of the workflow."""
    nexts = TRANSITIONS.get(action.status, ())
    if is_organiser(user):
        return list(nexts)
    if is_carrier_member(user, action):
        return [status for status in nexts if (action.status, status) in CARRIER_TRANSITIONS]
    return []
