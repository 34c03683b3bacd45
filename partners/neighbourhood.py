"""The directory's part of a neighbourhood's page ("Mon quartier"): the actors working there,
grouped by theme, with their public contact channels, and their points on its map.

Registered from PartnersConfig.ready() in neighbourhoods.sections: that app never imports
the directory.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from contrat_ville.models import Territory
from neighbourhoods import maps

from .enums import TerritoryScope
from .selectors import neighbourhood_actor_points, neighbourhood_actors


def actors_context(territory: Territory, request) -> dict:
    """The section's context, in at most five queries whatever the number of actors."""
    groups, actor_count, located_count = neighbourhood_actors(territory)
    directory = reverse("partners:directory")
    in_territory = [("territoire", territory.slug)]
    return {
        "groups": [
            {
                "title": group.theme.name if group.theme else _("Autres"),
                "id": f"actors-theme-{group.theme.slug if group.theme else 'autres'}",
                "actors": group.actors,
                "count": group.count,
                "more": group.more,
                # Every actor of the group: the directory, on the territory and the theme's
                # competences.
                "more_url": f"{directory}?"
                + urlencode(
                    in_territory + [("competence", c.slug) for c in group.theme.competences.all()]
                    if group.theme
                    else in_territory
                ),
            }
            for group in groups
        ],
        "actor_count": actor_count,
        "located_count": located_count,
        "directory_url": f"{directory}?{urlencode(in_territory)}",
        "located_url": f"{directory}?"
        + urlencode([*in_territory, ("acteurs", TerritoryScope.LOCATED)]),
    }


def actors_points(territory: Territory) -> list[maps.Point]:
    """The actors working in ``territory`` that have a point, for its map (one query)."""
    return [
        maps.Point(
            label=name,
            url=reverse("partners:actor_detail", args=[slug]),
            lon=longitude,
            lat=latitude,
            detail=address,
        )
        for slug, name, latitude, longitude, address in neighbourhood_actor_points(territory)
    ]
