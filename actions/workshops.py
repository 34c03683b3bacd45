"""The actions' part of a workshop project sheet's page (workgroups.extensions): what became
of the pitch, or the way to turn it into an action."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .enums import ActionStatus
from .models import Action


def sheet_links(sheet, user) -> list[dict]:
    action = Action.objects.filter(pitch=sheet).only("pk", "title", "year", "status").first()
    if action is not None and user.has_perm("actions.view_action", action):
        return [
            {
                "text": _("Ce pitch est devenu une action en %(year)s : %(title)s (%(status)s)")
                % {
                    "year": action.year,
                    "title": action.title,
                    "status": ActionStatus(action.status).label.lower(),
                },
                "url": action.get_absolute_url(),
            }
        ]
    if action is None and sheet.title and user.has_perm("actions.pitch_to_action"):
        return [
            {
                "text": _("En faire une action du contrat (du pitch à l'action)"),
                "url": reverse("actions:from_pitch", kwargs={"sheet": sheet.pk}),
            }
        ]
    return []
