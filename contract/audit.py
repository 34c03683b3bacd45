"""How the journal words the contract's actions (contrat_ville.audit)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contrat_ville.audit import number, what, who

from .enums import AuditAction


def _sentence(text: str):
    def describe(entry) -> str:
        return text() % {"who": who(entry), "what": what(entry)}

    return describe


def _priority_updated(entry) -> str:
    counts = entry.data.get("objectives") or {}
    changed = sum(counts.values()) if isinstance(counts, dict) else 0
    sentence = _("%(who)s a modifié la priorité %(what)s.") % {
        "who": who(entry),
        "what": what(entry),
    }
    if changed:
        sentence += " " + ngettext(
            "%(count)d objectif ajouté, modifié ou retiré.",
            "%(count)d objectifs ajoutés, modifiés ou retirés.",
            changed,
        ) % {"count": changed}
    return sentence


def _priority_created(entry) -> str:
    return ngettext(
        "%(who)s a ajouté la priorité %(what)s, avec %(count)d objectif.",
        "%(who)s a ajouté la priorité %(what)s, avec %(count)d objectifs.",
        number(entry, "objectives"),
    ) % {"who": who(entry), "what": what(entry), "count": number(entry, "objectives")}


DESCRIBERS = {
    AuditAction.PRIORITY_CREATED: _priority_created,
    AuditAction.PRIORITY_UPDATED: _priority_updated,
    AuditAction.PRIORITY_MOVED: _sentence(
        lambda: _("%(who)s a déplacé la priorité %(what)s dans la liste.")
    ),
    AuditAction.PRIORITY_DELETED: _sentence(lambda: _("%(who)s a supprimé la priorité %(what)s.")),
    AuditAction.BODY_CREATED: _sentence(lambda: _("%(who)s a ajouté l'instance %(what)s.")),
    AuditAction.BODY_UPDATED: _sentence(lambda: _("%(who)s a modifié l'instance %(what)s.")),
    AuditAction.BODY_MOVED: _sentence(
        lambda: _("%(who)s a déplacé l'instance %(what)s dans la liste.")
    ),
    AuditAction.BODY_DELETED: _sentence(lambda: _("%(who)s a supprimé l'instance %(what)s.")),
}
