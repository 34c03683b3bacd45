"""How the journal words the neighbourhoods' actions (contrat_ville.audit)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contrat_ville.audit import number, what, who

from .enums import AuditAction


def _created(entry) -> int:
    created = entry.data.get("created")
    return sum(created.values()) if isinstance(created, dict) else 0


def _perimeter_loaded(entry) -> str:
    return ngettext(
        "%(who)s a chargé le périmètre %(what)s : %(communes)d commune, %(qpv)d quartiers "
        "prioritaires, %(created)d territoires ajoutés.",
        "%(who)s a chargé le périmètre %(what)s : %(communes)d communes, %(qpv)d quartiers "
        "prioritaires, %(created)d territoires ajoutés.",
        number(entry, "communes"),
    ) % {
        "who": who(entry),
        "what": what(entry),
        "communes": number(entry, "communes"),
        "qpv": number(entry, "qpv"),
        "created": _created(entry),
    }


def _contour_set(entry) -> str:
    if entry.data.get("replaced"):
        text = _("%(who)s a remplacé le contour de %(what)s (%(vertices)d points).")
    else:
        text = _("%(who)s a déposé le contour de %(what)s (%(vertices)d points).")
    return text % {"who": who(entry), "what": what(entry), "vertices": number(entry, "vertices")}


def _contour_removed(entry) -> str:
    return _("%(who)s a retiré le contour de %(what)s.") % {"who": who(entry), "what": what(entry)}


DESCRIBERS = {
    AuditAction.PERIMETER_LOADED: _perimeter_loaded,
    AuditAction.CONTOUR_SET: _contour_set,
    AuditAction.CONTOUR_REMOVED: _contour_removed,
}
