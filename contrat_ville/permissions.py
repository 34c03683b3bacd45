"""Who may do what: the one module that says it for the core.

Predicates are django-rules predicates, composable with | & ~. Each app adds
its permissions in its own ``rules.py`` using these predicates; views declare
the permission they need by name. Anything not granted here is denied.
"""

import rules
from django.conf import settings

from .enums import COLLEGES, Role
from .selectors import user_roles


@rules.predicate
def is_organiser(user) -> bool:
    return Role.ORGANISER in user_roles(user)


@rules.predicate
def is_facilitator(user) -> bool:
    return Role.FACILITATOR in user_roles(user)


@rules.predicate
def is_juror(user) -> bool:
    return Role.JUROR in user_roles(user)


@rules.predicate
def is_editor(user) -> bool:
    return Role.EDITOR in user_roles(user)


@rules.predicate
def is_college_member(user) -> bool:
    return not COLLEGES.isdisjoint(user_roles(user))


def has_role(role: Role):
    """A predicate true for users holding ``role``."""

    @rules.predicate(name=f"has_role:{role}")
    def predicate(user) -> bool:
        return role in user_roles(user)

    return predicate


# A partner is anyone the organisers recognised: a college or a portal role.
# A fresh account with no role sees what the public sees, and its own account.
is_partner = is_college_member | is_organiser | is_facilitator | is_juror | is_editor

rules.add_perm("contrat_ville.view_partner_area", is_partner)
rules.add_perm("contrat_ville.manage_roles", is_organiser)
rules.add_perm("contrat_ville.view_audit_log", is_organiser)
rules.add_perm("contrat_ville.manage_territories", is_organiser)
# The portal's name, operator, logos and colour: what every visitor sees first.
rules.add_perm("contrat_ville.edit_identity", is_organiser)


@rules.predicate
def is_debug_mode() -> bool:
    # Read at each request, so a development server shows /design/ to every developer.
    return settings.DEBUG


# The living design page shows no personal data, but it is a tool, not a page for the public.
rules.add_perm("contrat_ville.view_design", is_organiser | is_debug_mode)
