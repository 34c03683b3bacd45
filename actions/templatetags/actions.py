"""``{{ amount|euros }}``: an amount in French format ("12 500 €"), see actions.amounts."""

from django import template

from ..amounts import euros as euros_text

register = template.Library()


@register.filter
def euros(amount) -> str:
    return euros_text(amount)
