from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """The annual rencontre: editions, registration, check-in."""

    name = "events"
    verbose_name = _("Rencontre annuelle")
