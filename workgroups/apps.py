from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkgroupsConfig(AppConfig):
    """Workshops of each edition: groups, project sheets, mock jury."""

    name = "workgroups"
    verbose_name = _("Ateliers")
