"""The workshops' part of a neighbourhood's page ("Mon quartier", neighbourhoods.sections)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contrat_ville.permissions import is_organiser, is_partner
from neighbourhoods.sections import Section

from .enums import JuryPhase
from .models import ProjectSheet

PROJECTS_SHOWN = 12


def projects_context(territory, request) -> dict | None:
    """The workshop projects that named the neighbourhood, as far as the gallery is open to
    the reader (workgroups.view_gallery, asked in the query: one query whatever the editions)."""
    user = request.user
    sheets = ProjectSheet.objects.filter(territories=territory).exclude(title="")
    if not is_organiser(user):
        published = Q(workgroup__edition__workshop_settings__phase=JuryPhase.PUBLISHED)
        if not is_partner(user):
            published &= Q(workgroup__edition__workshop_settings__gallery_public=True)
        sheets = sheets.filter(published)
    projects = list(
        sheets.select_related("workgroup__edition").order_by(
            "-workgroup__edition__year", "workgroup__number"
        )[:PROJECTS_SHOWN]
    )
    return {"projects": projects} if projects else None


SECTION = Section(
    key="projects",
    title=_("Les projets des ateliers pour ce quartier"),
    template="workgroups/_neighbourhood_projects.html",
    context=projects_context,
    order=40,
)
