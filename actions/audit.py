"""How the journal words the changes of the contract's actions (contrat_ville.audit)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contrat_ville.audit import fields_text, number, what, who

from .enums import ActionStatus, AuditAction


def _sentence(text):
    def describe(entry) -> str:
        return text() % {"who": who(entry), "what": what(entry)}

    return describe


def _changed(text):
    def describe(entry) -> str:
        return text() % {"who": who(entry), "what": what(entry), "fields": fields_text(entry)}

    return describe


def _status(entry) -> str:
    pair = entry.data.get("changes", {}).get("status", ["", ""])
    labels = [
        str(ActionStatus(code).label) if code in ActionStatus.values else code for code in pair
    ]
    return _("%(who)s a fait passer l'action %(what)s de « %(old)s » à « %(new)s ».") % {
        "who": who(entry),
        "what": what(entry),
        "old": labels[0],
        "new": labels[1],
    }


def _renewed(entry) -> str:
    return _("%(who)s a reconduit l'action %(what)s en %(year)s.") % {
        "who": who(entry),
        "what": what(entry),
        "year": entry.data.get("year", ""),
    }


def _from_pitch(entry) -> str:
    return _(
        "%(who)s a proposé l'action %(what)s à partir d'un pitch de la rencontre %(year)s."
    ) % {"who": who(entry), "what": what(entry), "year": entry.data.get("edition", "")}


def _imported(entry) -> str:
    created, updated = number(entry, "created"), number(entry, "updated")
    return ngettext(
        "%(who)s a importé le programme %(year)s : %(created)s action créée, %(updated)s mise "
        "à jour.",
        "%(who)s a importé le programme %(year)s : %(created)s actions créées, %(updated)s "
        "mises à jour.",
        created,
    ) % {
        "who": who(entry),
        "year": entry.data.get("year", ""),
        "created": created,
        "updated": updated,
    }


DESCRIBERS = {
    AuditAction.ACTION_CREATED: _sentence(lambda: _("%(who)s a créé l'action %(what)s.")),
    AuditAction.ACTION_UPDATED: _changed(
        lambda: _("%(who)s a modifié l'action %(what)s : %(fields)s.")
    ),
    AuditAction.ACTION_STATUS: _status,
    AuditAction.ACTION_BUDGET: _changed(
        lambda: _("%(who)s a changé le budget de l'action %(what)s : %(fields)s.")
    ),
    AuditAction.ACTION_INDICATORS: _sentence(
        lambda: _("%(who)s a mis à jour les indicateurs de l'action %(what)s.")
    ),
    AuditAction.ACTION_RENEWED: _renewed,
    AuditAction.ACTION_FROM_PITCH: _from_pitch,
    AuditAction.ACTION_DELETED: _sentence(lambda: _("%(who)s a supprimé l'action %(what)s.")),
    AuditAction.ACTIONS_IMPORTED: _imported,
}
