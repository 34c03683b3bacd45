from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events people register to: the annual rencontre, trainings, meetings, workshops."""

    name = "events"
    verbose_name = _("Rencontre annuelle")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from contrat_ville import audit, demo, navigation, outbox
        from neighbourhoods import sections

        from . import audit as describers
        from . import neighbourhood, permissions  # noqa: F401  (permissions: rules)
        from .demo import seed_editions, seed_trainings
        from .enums import AuditAction
        from .services.emails import emails_send

        audit.register_actions(AuditAction, describers.DESCRIBERS)
        sections.register(neighbourhood.SECTION)
        outbox.register("events", emails_send)
        demo.register_step("events", seed_editions, order=30)
        demo.register_step("trainings", seed_trainings, order=32)
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
        navigation.register(
            navigation.NavItem(
                "trainings",
                _("Formations"),
                "trainings:catalogue",
                order=22,
                description=_(
                    "Se former entre acteurs de terrain : le catalogue, les sessions, "
                    "l'inscription."
                ),
            )
        )
        navigation.register(
            navigation.NavItem(
                "history",
                _("Mes participations"),
                "events:history",
                permission="events.view_own_history",
                order=85,
                description=_("Les rencontres et formations auxquelles vous avez participé."),
            )
        )
