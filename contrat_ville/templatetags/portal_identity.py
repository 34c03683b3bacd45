"""``{% portal_identity as identity %}``: the installation's identity in templates rendered
without the context processor (e-mails, rendered by allauth or by the outbox command)."""

from django import template

from contrat_ville.selectors import portal_identity as cached_identity

register = template.Library()


@register.simple_tag(name="portal_identity")
def portal_identity_tag():
    return cached_identity()
