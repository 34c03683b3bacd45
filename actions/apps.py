from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    """The contract's actions year after year, and the yearly bilan (docs/actions.md).

    At the top of the stack: it shows itself on the lower apps' pages through the plugs
    they offer, never the other way round."""

    name = "actions"
    verbose_name = _("Actions et bilan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse

        from contrat_ville import audit, demo, navigation
        from events.extensions import register_edition_links
        from neighbourhoods import sections
        from workgroups.extensions import register_sheet_links

        from . import audit as describers
        from . import (
            neighbourhood,
            permissions,  # noqa: F401  (rules)
        )
        from .demo import seed_actions, seed_many
        from .enums import AuditAction
        from .workshops import sheet_links

        audit.register_actions(AuditAction, describers.DESCRIBERS)
        audit.register_target_link(
            "actions.action",
            "actions.manage",
            lambda pk: reverse("actions:detail", kwargs={"pk": pk}),
        )
        # After the workshops (40), whose 2024 pitches two demo actions come from.
        demo.register_step("actions", seed_actions, order=45)
        demo.register_scale("actions", "Generate actions until 2026 holds N.", seed_many)
        sections.register(neighbourhood.SECTION)  # "Mon quartier"
        register_edition_links(neighbourhood.bilan_links)  # the rencontre → last year's bilan
        register_sheet_links(sheet_links)  # a pitch → what became of it
        navigation.register(
            navigation.NavItem(
                "actions",
                _("Actions et bilan"),
                "actions:list",
                order=16,
                description=_(
                    "Les actions menées chaque année dans les quartiers, et ce qu'elles ont donné."
                ),
            )
        )
