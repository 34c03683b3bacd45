from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth renders e-mails without context processors: name the portal
        # rather than the bare host name.
        context = {**context, "site_name": settings.PORTAL_SITE_NAME}
        super().send_mail(template_prefix, email, context)
