from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """The annual rencontre: editions, registration, check-in."""

    name = "events"
    verbose_name = _("Rencontre annuelle")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from contrat_ville import audit, demo, navigation, outbox
        from neighbourhoods import sections

        from . import audit as describers
        from . import neighbourhood, permissions  # noqa: F401  (permissions: rules)
        from .demo import seed_editions
        from .enums import AuditAction
        from .services.emails import emails_send

        audit.register_actions(AuditAction, describers.DESCRIBERS)
        sections.register(neighbourhood.SECTION)
        outbox.register("events", emails_send)
        demo.register_step("events", seed_editions, order=30)
        navigation.register(
            navigation.NavItem(
                "rencontres",
                _("Rencontres"),
                "events:editions",
                order=20,
                description=_(
                    "La rencontre annuelle des partenaires : programme, inscription, participants."
                ),
            )
        )
