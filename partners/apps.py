from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """The partner directory: actors, competences, publics, territories."""

    name = "partners"
    verbose_name = _("Annuaire des partenaires")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from contrat_ville import audit, demo, navigation
        from neighbourhoods import sections

        from . import audit as describers
        from . import permissions, receivers  # noqa: F401  (rules; search re-indexing)
        from .demo import seed_actors, seed_many
        from .enums import AuditAction
        from .neighbourhood import actors_context, actors_points

        audit.register_actions(AuditAction, describers.DESCRIBERS)
        demo.register_step("partners", seed_actors, order=20)
        demo.register_scale("actors", "Generate actors until the directory holds N.", seed_many)
        sections.register(
            sections.Section(
                "actors",
                _("Les acteurs du quartier"),
                "partners/_neighbourhood_actors.html",
                context=actors_context,
                order=10,
                points=actors_points,
            )
        )
        navigation.register(
            navigation.NavItem(
                "directory",
                _("Annuaire"),
                "partners:directory",
                order=10,
                description=_(
                    "Qui fait quoi, où : les acteurs des quartiers et leurs compétences."
                ),
            )
        )
        navigation.register(
            navigation.NavItem(
                "directory_moderation",
                _("Modération de l'annuaire"),
                "partners:moderation",
                permission="partners.moderate",
                order=70,
                description=_("Fiches proposées, demandes d'accès et fiches à mettre à jour."),
            )
        )
