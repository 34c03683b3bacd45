from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Administration technique du portail")
    site_title = _("Administration technique")
    index_title = _("Données du portail")

    def login(self, request, extra_context=None):
        # One login page for everything, so the second factor and allauth's
        # rate limits also guard the admin.
        next_url = request.GET.get("next") or reverse("admin:index")
        if request.user.is_authenticated:
            return HttpResponseRedirect(next_url)
        return redirect_to_login(next_url)
