"""What a higher app adds to a project sheet's page (ARCHITECTURE.md: no upward import).

The actions app registers a provider that says what became of a pitch ("devenu l'action
…") or offers to turn it into one. A provider takes the sheet and the reader and answers a
list of links, each ``{"text": str, "url": str}``, in at most one query.
"""

from collections.abc import Callable

_providers: list[Callable] = []


def register_sheet_links(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def sheet_links(sheet, user) -> list[dict]:
    if sheet is None or not sheet.pk:
        return []
    return [link for provider in _providers for link in provider(sheet, user)]
