from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from .outbox import account_email_queue

# How long an unsent account e-mail is still worth sending: a login code lives minutes;
# verification and reset links, days, but a day late is too late to be useful.
_DAY = 24 * 3600


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Through the outbox, as registration e-mails: a slow or absent SMTP server
        never turns a sign-up, a login by code or a password reset into an error."""
        # allauth renders e-mails without context processors: name the portal
        # rather than the bare host name.
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
            "site_name": settings.PORTAL_SITE_NAME,
        }
        message = self.render_mail(template_prefix, email, context)
        account_email_queue(
            template=template_prefix,
            message=message,
            expires_in=account_settings.LOGIN_BY_CODE_TIMEOUT
            if template_prefix.endswith("login_code")
            else _DAY,
        )

