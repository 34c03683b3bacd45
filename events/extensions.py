"""What a higher app adds to a participant or an edition (ARCHITECTURE.md: no upward import).

The workshops app registers a provider that says which group each
registration sits in; badges and the manage page print it. A provider takes
a list of registrations and answers {registration id: short text}, in one query.

An edition's public page lists the links the higher apps give it (the actions app: the
bilan of the year before, which the rencontre reviews). A link provider takes the edition
and answers a list of (label, url), in at most one query.
"""

from collections.abc import Callable, Iterable

_providers: list[Callable[[Iterable], dict[int, str]]] = []


def register_assignment_provider(provider: Callable[[Iterable], dict[int, str]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def assignments_for(registrations: Iterable) -> dict[int, str]:
    registrations = list(registrations)
    lines: dict[int, list[str]] = {}
    for provider in _providers:
        for pk, text in provider(registrations).items():
            lines.setdefault(pk, []).append(text)
    return {pk: " · ".join(texts) for pk, texts in lines.items()}


_edition_link_providers: list[Callable[[object], list[tuple[str, str]]]] = []


def register_edition_links(provider: Callable[[object], list[tuple[str, str]]]) -> None:
    if provider not in _edition_link_providers:
        _edition_link_providers.append(provider)


def edition_links(edition) -> list[tuple[str, str]]:
    return [link for provider in _edition_link_providers for link in provider(edition)]
