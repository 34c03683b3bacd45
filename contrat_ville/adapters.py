import secrets

import segno
from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sites.shortcuts import get_current_site

from .clients import client_ip
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

    def send_account_already_exists_mail(self, email: str) -> None:
        # A sign-up with a known address creates nothing, while a new one hashes the
        # password: hash one here too, so that the time taken tells no one which it was.
        make_password(secrets.token_urlsafe(16))
        super().send_account_already_exists_mail(email)

    def get_client_ip(self, request) -> str:
        # One reading of the client's address for allauth's rate limits and the portal's.
        return client_ip(request)


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        """The QR code is drawn inline by segno (already used for badges): allauth's would
        come as a data: image, which the Content Security Policy refuses."""
        return segno.make(url, error="m").svg_inline(scale=4, border=2)
