from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    # The technical admin logs people in through allauth (MFA, rate limits).
    default_site = "contrat_ville.admin_site.PortalAdminSite"
