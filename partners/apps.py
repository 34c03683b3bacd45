from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """The partner directory: actors, competences, publics, territories."""

    name = "partners"
    verbose_name = _("Annuaire des partenaires")
