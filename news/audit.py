"""How the journal words the actions on news and documents (contrat_ville.audit)."""

from django.utils.translation import gettext as _

from contrat_ville.audit import fields_text, what, who

from .enums import Audience, AuditAction


def _audience(entry) -> str:
    code = entry.data.get("audience", "")
    return str(Audience(code).label).lower() if code in Audience.values else ""


def _sentence(text):
    def describe(entry) -> str:
        return text() % {"who": who(entry), "what": what(entry)}

    return describe


def _published(text):
    def describe(entry) -> str:
        sentence = text() % {"who": who(entry), "what": what(entry)}
        audience = _audience(entry)
        if audience:
            sentence += " " + _("Lecteurs : %(audience)s.") % {"audience": audience}
        return sentence

    return describe


def _updated(text):
    def describe(entry) -> str:
        return text() % {"who": who(entry), "what": what(entry), "fields": fields_text(entry)}

    return describe


DESCRIBERS = {
    AuditAction.NEWS_CREATED: _sentence(lambda: _("%(who)s a rédigé l'actualité %(what)s.")),
    AuditAction.NEWS_UPDATED: _updated(
        lambda: _("%(who)s a modifié l'actualité %(what)s : %(fields)s.")
    ),
    AuditAction.NEWS_PUBLISHED: _published(lambda: _("%(who)s a publié l'actualité %(what)s.")),
    AuditAction.NEWS_UNPUBLISHED: _sentence(lambda: _("%(who)s a retiré l'actualité %(what)s.")),
    AuditAction.DOCUMENT_CREATED: _sentence(lambda: _("%(who)s a ajouté le document %(what)s.")),
    AuditAction.DOCUMENT_UPDATED: _updated(
        lambda: _("%(who)s a modifié le document %(what)s : %(fields)s.")
    ),
    AuditAction.DOCUMENT_PUBLISHED: _published(lambda: _("%(who)s a publié le document %(what)s.")),
    AuditAction.DOCUMENT_UNPUBLISHED: _sentence(
        lambda: _("%(who)s a retiré le document %(what)s.")
    ),
}
