from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .redirects import safe_next


class PortalAdminSite(admin.AdminSite):
    site_header = _("Administration technique du portail")
    site_title = _("Administration technique")
    index_title = _("Données du portail")

    def login(self, request, extra_context=None):
        # One login page for everything, so the second factor and allauth's
        # rate limits also guard the admin.
        next_url = safe_next(request, request.GET.get("next"), reverse("admin:index"))
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if not self.has_permission(request):
            # Logged in without staff rights: sending them back to the admin would loop.
            raise PermissionDenied
        return HttpResponseRedirect(next_url)
