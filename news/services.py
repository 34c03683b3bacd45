"""Writes of news and documents, each in one transaction with its journal entry.

Every creation, edit, publication and withdrawal is recorded (contrat_ville.audit): editors
write what the public reads, so the organisers can see who published what.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contrat_ville.models import User
from contrat_ville.services import ServiceError, audit_log_record

from .enums import AuditAction, Status
from .models import Document, NewsItem, Publishable
from .uploads import document_type

# Fields whose old and new values the journal keeps (the body and files: their names only).
NEWS_LOGGED = ("title", "date", "summary", "audience")
DOCUMENT_LOGGED = ("title", "kind", "date", "summary", "audience", "easy_read", "url")
SLUG_MAX = 90
# Addresses of the pages beside the items' own (news/urls.py, news/document_urls.py).
RESERVED_SLUGS = {"rss", "atom", "redaction", "ajouter", "gestion"}


def unique_slug(model, title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:SLUG_MAX].strip("-") or model._meta.model_name
    taken = (
        set(
            model.objects.filter(slug__startswith=base)
            .exclude(pk=exclude_pk)
            .values_list("slug", flat=True)
        )
        | RESERVED_SLUGS
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _text(value) -> str | bool:
    if isinstance(value, bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None else str(value)


def _apply(item: Publishable, data: dict, logged: tuple[str, ...]) -> dict:
    """Set ``data`` on ``item``; the changes of the logged fields, as {field: [old, new]},
    and the names of the other changed fields."""
    changes = {}
    for name, value in data.items():
        old = getattr(item, name)
        if name in ("image", "file"):
            if value is None:  # not touched by the form
                continue
            if value is False:  # "clear" ticked
                value = ""
            if value or old:
                changes[name] = ["", ""]
            setattr(item, name, value)
            continue
        if old != value:
            changes[name] = [_text(old), _text(value)] if name in logged else ["", ""]
        setattr(item, name, value)
    return changes


def _set_tags(item, priorities, territories) -> list[str]:
    changed = []
    if priorities is not None:
        before = set(item.priorities.values_list("pk", flat=True))
        if before != {p.pk for p in priorities}:
            item.priorities.set(priorities)
            changed.append("priorities")
    if territories is not None:
        before = set(item.territories.values_list("pk", flat=True))
        if before != {t.pk for t in territories}:
            item.territories.set(territories)
            changed.append("territories")
    return changed


def _record_file(document: Document) -> None:
    """The format and size the library shows, read from the new file's content."""
    if not document.file:
        document.file_label, document.file_size = "", None
        return
    if document.file._committed:
        return
    upload = document.file.file
    kind = document_type(upload)
    document.file_label = kind.label if kind else ""
    document.file_size = upload.size


# -- news -------------------------------------------------------------------------------------


@transaction.atomic
def news_create(*, by: User | None, data: dict, priorities=(), territories=()) -> NewsItem:
    item = NewsItem(created_by=by if by is not None and by.is_authenticated else None)
    _apply(item, data, NEWS_LOGGED)
    item.slug = unique_slug(NewsItem, item.title)
    item.save()
    _set_tags(item, priorities, territories)
    audit_log_record(actor=by, action=AuditAction.NEWS_CREATED, target=item)
    return item


@transaction.atomic
def news_update(
    *, by: User | None, item: NewsItem, data: dict, priorities=None, territories=None
) -> NewsItem:
    changes = _apply(item, data, NEWS_LOGGED)
    item.save()
    for name in _set_tags(item, priorities, territories):
        changes[name] = ["", ""]
    if changes:
        audit_log_record(
            actor=by,
            action=AuditAction.NEWS_UPDATED,
            target=item,
            data={"changes": changes, "status": item.status},
        )
    return item


def _publish(item: Publishable, by: User | None, action: str) -> None:
    if item.status == Status.PUBLISHED:
        raise ServiceError(_("C'est déjà publié."))
    item.status = Status.PUBLISHED
    item.published_at = item.published_at or timezone.now()
    item.save(update_fields=["status", "published_at", "updated_at"])
    audit_log_record(actor=by, action=action, target=item, data={"audience": item.audience})


def _unpublish(item: Publishable, by: User | None, action: str) -> None:
    if item.status != Status.PUBLISHED:
        raise ServiceError(_("Ce n'est pas publié : rien à retirer."))
    item.status = Status.UNPUBLISHED
    item.save(update_fields=["status", "updated_at"])
    audit_log_record(actor=by, action=action, target=item, data={"audience": item.audience})


@transaction.atomic
def news_publish(*, by: User | None, item: NewsItem) -> NewsItem:
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    _publish(item, by, AuditAction.NEWS_PUBLISHED)
    return item


@transaction.atomic
def news_unpublish(*, by: User | None, item: NewsItem) -> NewsItem:
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    _unpublish(item, by, AuditAction.NEWS_UNPUBLISHED)
    return item


# -- documents --------------------------------------------------------------------------------


@transaction.atomic
def document_create(*, by: User | None, data: dict, priorities=(), territories=()) -> Document:
    document = Document(created_by=by if by is not None and by.is_authenticated else None)
    _apply(document, data, DOCUMENT_LOGGED)
    document.slug = unique_slug(Document, document.title)
    _record_file(document)
    document.save()
    _set_tags(document, priorities, territories)
    audit_log_record(actor=by, action=AuditAction.DOCUMENT_CREATED, target=document)
    return document


@transaction.atomic
def document_update(
    *, by: User | None, document: Document, data: dict, priorities=None, territories=None
) -> Document:
    changes = _apply(document, data, DOCUMENT_LOGGED)
    if "file" in changes:
        _record_file(document)
    document.save()
    for name in _set_tags(document, priorities, territories):
        changes[name] = ["", ""]
    if changes:
        audit_log_record(
            actor=by,
            action=AuditAction.DOCUMENT_UPDATED,
            target=document,
            data={"changes": changes, "status": document.status},
        )
    return document


@transaction.atomic
def document_publish(*, by: User | None, document: Document) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    _publish(document, by, AuditAction.DOCUMENT_PUBLISHED)
    return document


@transaction.atomic
def document_unpublish(*, by: User | None, document: Document) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    _unpublish(document, by, AuditAction.DOCUMENT_UNPUBLISHED)
    return document
