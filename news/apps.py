from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """News (actualités) and the document library, written by organisers and editors."""

    name = "news"
    verbose_name = _("Actualités et documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse

        from contrat_ville import audit, demo, navigation
        from neighbourhoods import sections

        from . import audit as describers
        from . import permissions  # noqa: F401  (rules)
        from .demo import seed_news
        from .enums import AuditAction
        from .neighbourhood import SECTION

        audit.register_actions(AuditAction, describers.DESCRIBERS)
        audit.register_target_link(
            "news.newsitem", "news.edit", lambda pk: reverse("news:edit", kwargs={"pk": pk})
        )
        audit.register_target_link(
            "news.document", "news.edit", lambda pk: reverse("documents:edit", kwargs={"pk": pk})
        )
        # After the contract (12) and the neighbourhoods (15): items are tagged with their
        # priorities and territories, found by slug.
        demo.register_step("news", seed_news, order=17)
        sections.register(SECTION)
        navigation.register(
            navigation.NavItem(
                "news",
                _("Actualités"),
                "news:list",
                order=13,
                description=_("Ce qui se passe dans les quartiers et autour du contrat de ville."),
            )
        )
        navigation.register(
            navigation.NavItem(
                "documents",
                _("Documents"),
                "documents:library",
                order=14,
                description=_(
                    "Le contrat signé, les rapports, les appels à projets, les guides, "
                    "les présentations des rencontres."
                ),
            )
        )
        navigation.register(
            navigation.NavItem(
                "news_editor",
                _("Rédaction"),
                "news:editor",
                permission="news.edit",
                order=72,
                description=_("Rédiger, publier et retirer les actualités et les documents."),
            )
        )
