"""Writes of the core: role changes and the audit log."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from .enums import AuditAction, Role
from .models import AuditLogEntry, RoleAssignment, User
from .selectors import user_roles_forget


class ServiceError(Exception):
    """A refused write, with a message that can be shown to the person."""


def audit_log_record(
    *,
    actor: User | None,
    action: str,
    target=None,
    target_label: str = "",
    data: dict | None = None,
) -> AuditLogEntry:
    target_type = target_id = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_label = target_label or str(target)
    return AuditLogEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor.email if actor is not None and actor.is_authenticated else "système",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:254],
        data=data or {},
    )


def user_roles_set(*, actor: User | None, user: User, roles: Iterable[str]) -> tuple[set, set]:
    """Give ``user`` exactly ``roles``; record each change. Returns (added, removed)."""
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise ServiceError(_("Rôle inconnu : %(roles)s") % {"roles": ", ".join(sorted(unknown))})
    with transaction.atomic():
        # Row locks (PostgreSQL; SQLite serialises writers anyway), always in the
        # same order so two organisers editing at once cannot deadlock: the
        # person first, so edits of one person's roles queue; then the
        # organiser rows, so two removals cannot both see "another organiser left".
        User.objects.select_for_update().filter(pk=user.pk).first()
        organisers = set(
            RoleAssignment.objects.select_for_update(of=("self",))
            .filter(role=Role.ORGANISER, user__is_active=True)
            .order_by("pk")
            .values_list("user_id", flat=True)
        )
        current = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        added, removed = wanted - current, current - wanted
        if Role.ORGANISER in removed and not organisers - {user.pk}:
            raise ServiceError(
                _("Impossible de retirer le dernier organisateur : nommez-en un autre d'abord.")
            )
        RoleAssignment.objects.filter(user=user, role__in=removed).delete()
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=role, assigned_by=actor) for role in sorted(added)
        )
        for role in sorted(added):
            audit_log_record(
                actor=actor, action=AuditAction.ROLE_ASSIGNED, target=user, data={"role": role}
            )
        for role in sorted(removed):
            audit_log_record(
                actor=actor, action=AuditAction.ROLE_REMOVED, target=user, data={"role": role}
            )
    user_roles_forget(user)
    return added, removed


def user_profile_update(*, user: User, first_name: str, last_name: str) -> User:
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    return user
