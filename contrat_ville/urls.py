from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("glossaire/", views.glossary, name="glossary"),
    path("roles/", views.roles, name="roles"),
    path("roles/<int:user_id>/", views.user_roles_edit, name="user_roles_edit"),
    path("journal/", views.audit_log, name="audit_log"),
    path("territoires/", views.territories, name="territories"),
    path("territoires/ajouter/", views.territory_create_view, name="territory_create"),
    path("territoires/<int:pk>/", views.territory_edit, name="territory_edit"),
    path("design/", views.design, name="design"),
    path("reglages/identite/", views.identity_edit, name="identity_edit"),
    path(
        "reglages/identite/signataires/ajouter/",
        views.identity_signatory_create,
        name="identity_signatory_create",
    ),
    path(
        "reglages/identite/signataires/<int:pk>/",
        views.identity_signatory_edit,
        name="identity_signatory_edit",
    ),
    path(
        "reglages/identite/signataires/<int:pk>/retirer/",
        views.identity_signatory_delete,
        name="identity_signatory_delete",
    ),
    # Public: every page links them, the public's included.
    path("identite.css", views.identity_stylesheet, name="identity_stylesheet"),
    path("identite/logo", views.identity_logo, name="identity_logo"),
    path(
        "identite/signataires/<int:pk>/logo",
        views.identity_signatory_logo,
        name="identity_signatory_logo",
    ),
    # Apps are wired by dotted path: the core never imports them.
    path("contrat/", include("contract.urls")),
    path("annuaire/", include("partners.urls")),
    path("rencontres/", include("events.urls")),
    path("evenements/", include("events.occasion_urls")),
    path("formations/", include("events.training_urls")),
    path("ateliers/", include("workgroups.urls")),
    path("quartiers/", include("neighbourhoods.urls")),
    path("actualites/", include("news.urls")),
    path("documents/", include("news.document_urls")),
    path("actions/", include("actions.urls")),
    path("bilan/", include("actions.bilan_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/profil/", views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
