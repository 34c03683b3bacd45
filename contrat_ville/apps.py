from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContratVilleConfig(AppConfig):
    name = "contrat_ville"
    verbose_name = _("Portail du contrat de ville")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # permissions registers rules; identity registers its audit actions and their wording.
        from . import identity, navigation, outbox, permissions  # noqa: F401

        navigation.register_core_items()
        outbox.register("account", outbox.account_emails_send)
