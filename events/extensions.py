"""What a higher app adds to a participant (ARCHITECTURE.md: no upward import).

The workshops app registers a provider that says which group each
registration sits in; badges and the manage page print it. A provider takes
a list of registrations and answers {registration id: short text}, in one query.
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
