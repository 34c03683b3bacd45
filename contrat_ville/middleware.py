from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .enums import Role
from .selectors import user_roles
from .text import has_control_characters

# Account pages (where TOTP is set up, and logout), the language switch, assets.
_EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/")


class OrganiserMFAMiddleware:
    """Sends an organiser without an authenticator to the TOTP set-up page.

    Organisers see the personal data of every participant, so in production
    (PORTAL_MFA_REQUIRED_FOR_ORGANISERS) they must use a second factor before
    any other page. Account pages stay reachable so they can set it up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS and self._must_set_up(request):
            messages.warning(
                request,
                _(
                    "En tant qu'organisateur, vous devez activer la double "
                    "authentification avant de continuer."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request) -> bool:
        user = request.user
        if not user.is_authenticated or Role.ORGANISER not in user_roles(user):
            return False
        if request.path.startswith(_EXEMPT_PREFIXES) or request.path in _public_paths():
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _public_paths() -> set[str]:
    return {reverse(name) for name in ("healthz", "privacy", "legal_notice", "accessibility")}


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """French unless the person chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language,
    often English on shared or public computers; the portal speaks French
    first and English on request (the choice lives in the language cookie).
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseControlCharactersMiddleware:
    """A query string holding NUL or another control character is a 400, once for every
    view: PostgreSQL refuses NUL in text, and no search or filter needs the others."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if has_control_characters(key) or any(map(has_control_characters, values)):
                raise BadRequest("Control character in the query string.")
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Headers that keep what a page shows to the person it is for.

    - ``Permissions-Policy``: the portal uses no camera, microphone, location, payment or
      other powerful feature; no page, nor anything injected into one, may ask for them.
    - ``Cache-Control: no-store`` on every page served to a logged-in person (participants,
      profiles, contacts, exports…), unless the view chose its own caching (a logo): no
      shared or browser cache keeps personal data. Public pages that show personal data to
      the holder of a link (the manage link) say ``never_cache`` themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response
