from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContratVilleConfig(AppConfig):
    name = "contrat_ville"
    verbose_name = _("Portail du contrat de ville")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import navigation, outbox, permissions  # noqa: F401  (permissions registers rules)

        navigation.register_core_items()
        outbox.register("account", outbox.account_emails_send)
