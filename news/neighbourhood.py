"""News and documents on a neighbourhood's page ("Mon quartier", neighbourhoods.sections).

The page is public: only public items show, whoever reads it."""

from django.utils.translation import gettext_lazy as _

from neighbourhoods.sections import Section

from .selectors import territory_documents, territory_news


def news_context(territory, request) -> dict | None:
    """The latest public news and documents tagged with ``territory``; two queries."""
    news = territory_news(territory)
    documents = territory_documents(territory)
    if not news and not documents:
        return None
    return {"news_items": news, "documents": documents}


SECTION = Section(
    key="news",
    title=_("Actualités et documents du quartier"),
    template="news/_neighbourhood.html",
    context=news_context,
    order=25,
)
