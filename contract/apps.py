from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractConfig(AppConfig):
    """The contract made readable: its priorities and objectives, its governance bodies."""

    name = "contract"
    verbose_name = _("Le contrat de ville")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse

        from contrat_ville import audit, demo, navigation

        from . import audit as describers
        from . import permissions  # noqa: F401  (rules)
        from .demo import seed_contract
        from .enums import AuditAction

        audit.register_actions(AuditAction, describers.DESCRIBERS)
        audit.register_target_link(
            "contract.priority",
            "contract.edit_contract",
            lambda pk: reverse("contract:priority_edit", kwargs={"pk": pk}),
        )
        audit.register_target_link(
            "contract.body",
            "contract.edit_contract",
            lambda pk: reverse("contract:body_edit", kwargs={"pk": pk}),
        )
        # Before the directory (20) and the workshops: they tag actors and projects with
        # the priorities seeded here, found by their slugs.
        demo.register_step("contract", seed_contract, order=12)
        navigation.register(
            navigation.NavItem(
                "contract",
                _("Le contrat"),
                "contract:index",
                order=12,
                description=_(
                    "Ce que le contrat de ville veut changer, qui le signe et qui décide."
                ),
            )
        )
        # Organisers edit from the contract's page (« Modifier le contrat »): the menu
        # already holds many of their tools.
