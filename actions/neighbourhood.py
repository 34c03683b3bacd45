"""What the lower apps show of the contract's actions, through their registries.

- "Mon quartier" (neighbourhoods.sections): the validated actions carried out or under way
  in the neighbourhood, public fields only, one query.
- The rencontre's edition page (events.extensions.register_edition_links): a link to the
  bilan of the year before, the one that rencontre reviews, one query.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from neighbourhoods.sections import Section

from .enums import PROGRAMME
from .models import Action
from .selectors import actions_of_territory

ACTIONS_SHOWN = 12


def actions_context(territory, request) -> dict | None:
    # One more than shown, to know whether to say the list is cut, in the same query.
    actions = actions_of_territory(request.user, territory, limit=ACTIONS_SHOWN + 1)
    if not actions:
        return None
    shown = actions[:ACTIONS_SHOWN]
    return {
        "actions": shown,
        "more": len(actions) > ACTIONS_SHOWN,
        "years": sorted({action.year for action in shown}, reverse=True),
    }


SECTION = Section(
    key="actions",
    title=gettext_lazy("Les actions du contrat de ville dans ce quartier"),
    template="actions/_neighbourhood_actions.html",
    context=actions_context,
    order=45,
)


def bilan_links(edition) -> list[tuple[str, str]]:
    """A rencontre of year Y reviews the actions of Y - 1: link their bilan when it exists."""
    if not edition.is_rencontre:
        return []
    year = edition.year - 1
    if not Action.objects.filter(year=year, status__in=PROGRAMME).exists():
        return []
    return [
        (
            _("Le bilan des actions %(year)s") % {"year": year},
            reverse("bilan:year", kwargs={"year": year}),
        )
    ]
