"""What the apps show on a neighbourhood's page ("Mon quartier"), without this app importing them.

Each app registers a ``Section`` from its ``AppConfig.ready()``: the directory its actors, the
rencontre its coming editions, the workshops their projects; later apps (trainings, news,
actions) plug in the same way, and the page needs no edit. A section's ``context`` reads what
it shows in a constant number of queries, and returns ``None`` to stay off the page; its
``points`` add markers to the neighbourhood's map.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.functional import Promise

from contrat_ville.models import Territory


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str  # rendered with the context returned by ``context``, plus ``territory``
    context: Callable[[Territory, object], dict | None]  # (territory, request)
    order: int = 100
    points: Callable[[Territory], list] | None = None  # neighbourhoods.maps.Point items


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    _sections[section.key] = section


def registered() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def sections_for(territory: Territory, request) -> list[dict]:
    """The sections that have something to show, in order, each rendered with its context."""
    shown = []
    for section in registered():
        context = section.context(territory, request)
        if context is not None:
            html = render_to_string(
                section.template, {**context, "territory": territory}, request=request
            )
            shown.append({"section": section, "html": html})
    return shown


def points_for(territory: Territory) -> list:
    return [point for s in registered() if s.points for point in s.points(territory)]
