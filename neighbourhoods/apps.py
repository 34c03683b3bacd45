from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    """Where things are: the contract's perimeter, contours, addresses, maps, "Mon quartier"."""

    name = "neighbourhoods"
    verbose_name = _("Quartiers et cartes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from contrat_ville import audit, demo, navigation

        from . import audit as describers
        from . import permissions  # noqa: F401  (rules)
        from .demo import seed_perimeter
        from .enums import AuditAction

        audit.register_actions(AuditAction, describers.DESCRIBERS)
        # Before the directory's actors (20): they are placed in the contours loaded here.
        demo.register_step("neighbourhoods", seed_perimeter, order=15)
        navigation.register(
            navigation.NavItem(
                "neighbourhoods",
                _("Mon quartier"),
                "neighbourhoods:index",
                order=15,
                description=_(
                    "Les quartiers prioritaires, ce qui s'y passe et qui peut vous aider."
                ),
            )
        )
        navigation.register(
            navigation.NavItem(
                "perimeter",
                _("Périmètre du contrat"),
                "neighbourhoods:perimeter",
                permission="neighbourhoods.manage_perimeter",
                order=76,
                description=_(
                    "L'intercommunalité, ses communes et ses quartiers, avec leurs contours."
                ),
            )
        )
