"""Writes of the core: role changes, territories and the audit log."""

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .enums import AuditAction, Role
from .models import AuditLogEntry, RoleAssignment, Territory, User
from .selectors import user_roles_forget
from .signals import territory_changed

logger = logging.getLogger(__name__)


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


# -- territories --------------------------------------------------------------

TERRITORY_FIELDS = ("kind", "code", "name", "slug", "order")


# A territory's page is /quartiers/<slug>/, beside these fixed pages of the neighbourhoods app.
RESERVED_TERRITORY_SLUGS = frozenset({"trouver", "perimetre"})


def territory_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A free slug made from ``name``: "biollay", then "biollay-2"…"""
    max_length = Territory._meta.get_field("slug").max_length
    base = slugify(name)[: max_length - 4].strip("-") or "territoire"
    taken = Territory.objects.exclude(pk=exclude_pk) if exclude_pk else Territory.objects.all()
    slug, counter = base, 2
    while slug in RESERVED_TERRITORY_SLUGS or taken.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _territory_save(territory: Territory) -> None:
    try:
        with transaction.atomic():
            territory.save()
    except IntegrityError as error:
        # Only a concurrent save gets here: the form checks both beforehand.
        raise ServiceError(
            _("Un autre territoire porte déjà ce code ou cet identifiant : rechargez la page.")
        ) from error


def _territory_changed_send(territory: Territory, fields: list[str]) -> None:
    # After the commit, and robust: a failing receiver never undoes the change.
    results = territory_changed.send_robust(sender=Territory, territory=territory, fields=fields)
    for receiver, result in results:
        if isinstance(result, Exception):
            logger.error(
                "territory_changed receiver %r failed for territory %s",
                receiver,
                territory.pk,
                exc_info=result,
            )


@transaction.atomic
def territory_create(*, by: User | None, data: dict) -> Territory:
    territory = Territory(**{k: v for k, v in data.items() if k in TERRITORY_FIELDS})
    territory.slug = territory.slug or territory_slug(territory.name)
    _territory_save(territory)
    audit_log_record(
        actor=by,
        action=AuditAction.TERRITORY_CREATED,
        target=territory,
        data={"kind": territory.kind, "code": territory.code, "slug": territory.slug},
    )
    return territory


@transaction.atomic
def territory_update(*, by: User | None, territory: Territory, data: dict) -> Territory:
    """Save the changes; apps hear of them through ``territory_changed`` after the commit.

    Changes are measured against the row as stored (locked), not against
    ``territory``, which a bound ModelForm has already modified in memory.
    """
    territory = Territory.objects.select_for_update().get(pk=territory.pk)
    data = {k: v for k, v in data.items() if k in TERRITORY_FIELDS}
    if "slug" in data and not data["slug"]:
        data["slug"] = territory_slug(data.get("name", territory.name), exclude_pk=territory.pk)
    changes = {
        field: [getattr(territory, field), value]
        for field, value in sorted(data.items())
        if getattr(territory, field) != value
    }
    if not changes:
        return territory
    for field, (_old, new) in changes.items():
        setattr(territory, field, new)
    _territory_save(territory)
    audit_log_record(
        actor=by, action=AuditAction.TERRITORY_UPDATED, target=territory, data={"changes": changes}
    )
    fields = sorted(changes)
    transaction.on_commit(lambda: _territory_changed_send(territory, fields))
    return territory
