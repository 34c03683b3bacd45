"""Reads of news and documents, each scoped to what the reader may see.

Everything a page lists comes from ``news_visible_to`` or ``documents_visible_to``: published,
and for everyone unless the reader is a partner. Feeds, the home page and "Mon quartier" use
the public querysets whoever asks (they are public pages, possibly cached).
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from contract.models import Priority
from contrat_ville.enums import NEIGHBOURHOOD_KINDS, TerritoryKind
from contrat_ville.models import Territory

from .enums import Audience, DocumentKind, Status
from .models import Document, NewsItem

PARTNERS_PERMISSION = "news.view_partners_only"
EDIT_PERMISSION = "news.edit"


def _audiences(user) -> list[str]:
    if user is not None and user.has_perm(PARTNERS_PERMISSION):
        return [Audience.PUBLIC, Audience.PARTNERS]
    return [Audience.PUBLIC]


def _with_tags(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("priorities", queryset=Priority.objects.only("pk", "title", "slug")),
        Prefetch("territories", queryset=Territory.objects.only("pk", "name", "slug", "kind")),
    )


# -- news -------------------------------------------------------------------------------------


def public_news() -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(status=Status.PUBLISHED, audience=Audience.PUBLIC)


def news_visible_to(user) -> QuerySet[NewsItem]:
    """The published news ``user`` may read."""
    return NewsItem.objects.filter(status=Status.PUBLISHED, audience__in=_audiences(user))


def news_for_page(user) -> QuerySet[NewsItem]:
    """What a detail page may show: editors also see drafts and withdrawn items (a preview)."""
    if user is not None and user.has_perm(EDIT_PERMISSION):
        return _with_tags(NewsItem.objects.all())
    return _with_tags(news_visible_to(user))


def news_list(
    user, *, priority: Priority | None = None, territory: Territory | None = None
) -> QuerySet[NewsItem]:
    items = news_visible_to(user)
    if priority is not None:
        items = items.filter(priorities=priority)
    if territory is not None:
        items = items.filter(territories=territory)
    return _with_tags(items.defer("body")).order_by("-date", "-pk")


def latest_news(user, *, limit: int = 3) -> list[NewsItem]:
    """The latest published news the reader may read; one query."""
    return list(news_visible_to(user).defer("body").order_by("-date", "-pk")[:limit])


def feed_news(*, limit: int = 20) -> list[NewsItem]:
    """The feeds' items: public ones only, always (a feed reader has no account)."""
    return list(
        public_news()
        .prefetch_related(Prefetch("priorities", queryset=Priority.objects.only("pk", "title")))
        .order_by("-date", "-pk")[:limit]
    )


# -- documents --------------------------------------------------------------------------------


def public_documents() -> QuerySet[Document]:
    return Document.objects.filter(status=Status.PUBLISHED, audience=Audience.PUBLIC)


def documents_visible_to(user) -> QuerySet[Document]:
    """The published documents ``user`` may read (an edition's page filters its documents
    with it: ``documents_visible_to(user).filter(editions=edition)``)."""
    return Document.objects.filter(status=Status.PUBLISHED, audience__in=_audiences(user))


def document_for_page(user) -> QuerySet[Document]:
    if user is not None and user.has_perm(EDIT_PERMISSION):
        return _with_tags(Document.objects.all())
    return _with_tags(documents_visible_to(user))


@dataclass(frozen=True)
class DocumentQuery:
    q: str = ""
    kind: str = ""
    priority: Priority | None = None
    territory: Territory | None = None
    easy_read: bool = False
    year: int | None = None

    @property
    def is_empty(self) -> bool:
        return self == DocumentQuery()


def document_search(user, query: DocumentQuery) -> QuerySet[Document]:
    """The library's search: every word in the title or the summary (icontains, on SQLite
    and PostgreSQL alike: a library of a few hundred documents needs no index), and filters."""
    documents = documents_visible_to(user)
    for word in query.q.split():
        documents = documents.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    if query.kind:
        documents = documents.filter(kind=query.kind)
    if query.priority is not None:
        documents = documents.filter(priorities=query.priority)
    if query.territory is not None:
        documents = documents.filter(territories=query.territory)
    if query.easy_read:
        documents = documents.filter(easy_read=True)
    if query.year is not None:
        documents = documents.filter(date__year=query.year)
    return _with_tags(documents).order_by("-date", "-pk")


def document_years(user) -> list[int]:
    return sorted({d.year for d in documents_visible_to(user).dates("date", "year")}, reverse=True)


# -- filters ----------------------------------------------------------------------------------


def filter_priorities() -> list[Priority]:
    return list(Priority.objects.only("pk", "title", "slug", "position"))


def filter_territories() -> list[Territory]:
    """The neighbourhoods, then the towns and the agglomeration."""
    return list(
        Territory.objects.filter(
            kind__in=[*NEIGHBOURHOOD_KINDS, TerritoryKind.COMMUNE, TerritoryKind.EPCI]
        ).only("pk", "name", "slug", "kind", "order")
    )


DOCUMENT_KINDS = DocumentKind.choices


# -- "Mon quartier" ---------------------------------------------------------------------------


def territory_news(territory: Territory, *, limit: int = 3) -> list[NewsItem]:
    return list(
        public_news().filter(territories=territory).defer("body").order_by("-date", "-pk")[:limit]
    )


def territory_documents(territory: Territory, *, limit: int = 5) -> list[Document]:
    return list(public_documents().filter(territories=territory).order_by("-date", "-pk")[:limit])


# -- the editors' desk ------------------------------------------------------------------------


def editor_news() -> QuerySet[NewsItem]:
    return NewsItem.objects.defer("body").order_by("status", "-date", "-pk")


def editor_documents() -> QuerySet[Document]:
    return Document.objects.order_by("status", "-date", "-pk")
