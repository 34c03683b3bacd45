"""``{% term "COTECH" %}``: a word of the glossary explained where it appears.

An acronym becomes ``<abbr title="comité technique">COTECH</abbr>``; any glossary
word is linked to its entry on /glossaire/, so the explanation is one tap away on a
phone, where a title never shows. A word that is not in the glossary is written as
it is (escaped), so a template may pass any label: ``{% term body %}``.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..glossary import term_for

register = template.Library()


@register.simple_tag
def term(word, text=None):
    """``text`` replaces the shown word: ``{% term "QPV" "quartiers prioritaires" %}``."""
    shown = word if text is None else text
    entry = term_for(word)
    if entry is None:
        return format_html("{}", shown)
    href = f"{reverse('glossary')}#{entry.anchor}"
    # An <abbr> only around the acronym itself: other words are just linked.
    if entry.is_acronym and str(shown).strip().casefold() == entry.key.casefold():
        return format_html(
            '<a class="term" href="{}"><abbr title="{}">{}</abbr></a>', href, entry.expansion, shown
        )
    return format_html('<a class="term" href="{}">{}</a>', href, shown)
