from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkgroupsConfig(AppConfig):
    """Workshops of each edition: groups, project sheets, mock jury."""

    name = "workgroups"
    verbose_name = _("Ateliers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from contrat_ville import audit, demo, navigation
        from events.extensions import register_assignment_provider
        from neighbourhoods import sections

        from . import audit as describers
        from . import neighbourhood, permissions, receivers  # noqa: F401  (rules; cancelled seats)
        from .demo import seed_workshops
        from .enums import AuditAction
        from .providers import group_lines

        audit.register_actions(AuditAction, describers.DESCRIBERS)
        sections.register(neighbourhood.SECTION)
        demo.register_step("workgroups", seed_workshops, order=40)
        register_assignment_provider(group_lines)
        navigation.register(
            navigation.NavItem(
                "ateliers",
                _("Ateliers"),
                "workgroups:index",
                order=30,
                # Public: everyone finds the published projects and results here.
                description=_(
                    "Les projets imaginés en petits groupes à chaque rencontre pour les jeunes "
                    "des quartiers, et les résultats du jury."
                ),
            )
        )
