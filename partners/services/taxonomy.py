"""Writes of the competence taxonomy and the publics.

Each save is one transaction, records what changed in the audit log, and
re-indexes the search of the actors whose text holds a renamed label.
Nothing is ever deleted here: a competence or public in use would silently
disappear from actors' profiles.
"""

from collections.abc import Iterable

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contrat_ville.models import User
from contrat_ville.services import ServiceError, audit_log_record

from ..enums import AuditAction
from ..models import Actor, Competence, Public, Theme
from .actors import actor_search_index

THEME_FIELDS = ("name", "slug", "order")
COMPETENCE_FIELDS = ("theme", "name", "slug", "order", "di_thematiques")
PUBLIC_FIELDS = ("name", "slug", "order", "is_data_inclusion")

__all__ = [
    "COMPETENCE_FIELDS",
    "PUBLIC_FIELDS",
    "THEME_FIELDS",
    "competence_save",
    "public_save",
    "taxonomy_slug",
    "theme_save",
]


def taxonomy_slug(model: type[models.Model], name: str, *, exclude_pk: int | None = None) -> str:
    """A free slug for a theme, competence or public: "sante", then "sante-2"…"""
    max_length = model._meta.get_field("slug").max_length
    base = slugify(name)[: max_length - 4].strip("-") or model._meta.model_name
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    slug, counter = base, 2
    while taken.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _shown(value):
    """A value as the audit log keeps it (JSON): related objects by their name."""
    return str(value) if isinstance(value, models.Model) else value


def _save(
    *,
    by: User | None,
    model: type[models.Model],
    instance: models.Model | None,
    data: dict,
    fields: Iterable[str],
    kind: str,
) -> tuple[models.Model, dict]:
    """Create or update one row; returns it and its changes {field: [old, new]}."""
    data = {k: v for k, v in data.items() if k in fields}
    if instance is None:
        obj, changes = model(), {}
        for field, value in data.items():
            setattr(obj, field, value)
        obj.slug = obj.slug or taxonomy_slug(model, obj.name)
    else:
        # Compare with the row as stored: a bound ModelForm has already
        # changed ``instance`` in memory.
        obj = model.objects.select_for_update().get(pk=instance.pk)
        if "slug" in data and not data["slug"]:
            data["slug"] = taxonomy_slug(model, data.get("name", obj.name), exclude_pk=obj.pk)
        changes = {
            field: [_shown(getattr(obj, field)), _shown(value)]
            for field, value in sorted(data.items())
            if getattr(obj, field) != value
        }
        if not changes:
            return obj, changes
        for field in changes:
            setattr(obj, field, data[field])
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        # Only a concurrent save gets here: the forms check names and slugs first.
        raise ServiceError(
            _("Un autre élément porte déjà ce nom ou cet identifiant : rechargez la page.")
        ) from error
    details = {"object": kind, "created": instance is None}
    if instance is not None:
        details["changes"] = changes
    audit_log_record(actor=by, action=AuditAction.TAXONOMY_CHANGED, target=obj, data=details)
    return obj, changes


def _actor_ids(**through_filter) -> list[int]:
    return list(Actor.objects.filter(**through_filter).values_list("pk", flat=True).distinct())


@transaction.atomic
def theme_save(*, by: User | None, theme: Theme | None = None, data: dict) -> Theme:
    theme, changes = _save(
        by=by, model=Theme, instance=theme, data=data, fields=THEME_FIELDS, kind="theme"
    )
    if "name" in changes:
        actor_search_index(_actor_ids(competences__theme=theme))
    return theme


@transaction.atomic
def competence_save(
    *, by: User | None, competence: Competence | None = None, data: dict
) -> Competence:
    competence, changes = _save(
        by=by,
        model=Competence,
        instance=competence,
        data=data,
        fields=COMPETENCE_FIELDS,
        kind="competence",
    )
    # The search text holds the competence's name and its theme's name.
    if {"name", "theme"} & changes.keys():
        actor_search_index(_actor_ids(competences=competence))
    return competence


@transaction.atomic
def public_save(*, by: User | None, public: Public | None = None, data: dict) -> Public:
    public, changes = _save(
        by=by, model=Public, instance=public, data=data, fields=PUBLIC_FIELDS, kind="public"
    )
    if "name" in changes:
        actor_search_index(_actor_ids(publics=public))
    return public
