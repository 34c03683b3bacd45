"""How the journal words the workshops' actions (contrat_ville.audit)."""

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contrat_ville.audit import fields_text, number, what, who

from .enums import AuditAction


def _numbers(values) -> str:
    return get_text_list([str(value) for value in values], _("et"))


def _groups_set(entry) -> str:
    if "changes" in entry.data:
        numbers = sorted(entry.data["changes"], key=lambda n: int(n))
        return ngettext(
            "%(who)s a modifié le groupe %(numbers)s de l'édition %(what)s.",
            "%(who)s a modifié les groupes %(numbers)s de l'édition %(what)s.",
            len(numbers),
        ) % {"who": who(entry), "numbers": _numbers(numbers), "what": what(entry)}
    created, removed = entry.data.get("created") or [], entry.data.get("removed") or []
    parts = []
    if created:
        parts.append(
            ngettext("groupe %(numbers)s créé", "groupes %(numbers)s créés", len(created))
            % {"numbers": _numbers(created)}
        )
    if removed:
        parts.append(
            ngettext("groupe %(numbers)s retiré", "groupes %(numbers)s retirés", len(removed))
            % {"numbers": _numbers(removed)}
        )
    return _("%(who)s a ajusté les groupes de l'édition %(what)s : %(parts)s.") % {
        "who": who(entry),
        "what": what(entry),
        "parts": " ; ".join(parts) or "—",
    }


def _composed(entry) -> str:
    people = number(entry, "people")
    return ngettext(
        "%(who)s a composé les groupes de l'édition %(what)s : %(people)s personne dans un "
        "groupe, dont %(placed)s placée ou déplacée.",
        "%(who)s a composé les groupes de l'édition %(what)s : %(people)s personnes dans un "
        "groupe, dont %(placed)s placées ou déplacées.",
        people,
    ) % {
        "who": who(entry),
        "what": what(entry),
        "people": people,
        "placed": number(entry, "placed"),
    }


def _seat_moved(entry) -> str:
    values = {
        "who": who(entry),
        "what": what(entry),
        "old": entry.data["from"],
        "new": entry.data["to"],
    }
    if entry.data["from"] == entry.data["to"]:
        if entry.data.get("pinned"):
            return _("%(who)s a épinglé %(what)s dans le groupe %(new)s.") % values
        return _("%(who)s a désépinglé %(what)s (groupe %(new)s).") % values
    if entry.data["from"] is None:
        return _("%(who)s a placé %(what)s dans le groupe %(new)s.") % values
    return _("%(who)s a déplacé %(what)s du groupe %(old)s au groupe %(new)s.") % values


def _sheet_changed(entry) -> str:
    return _(
        "%(who)s a modifié la fiche projet %(what)s après la publication des résultats : "
        "%(fields)s."
    ) % {"who": who(entry), "what": what(entry), "fields": fields_text(entry)}


# The jury entries store French keys chosen when they were written: worded here.
_JURY_KEYS = {
    "critères ajoutés": gettext_lazy("critères ajoutés"),
    "critères supprimés": gettext_lazy("critères supprimés"),
    "jurés ajoutés": gettext_lazy("jurés ajoutés"),
    "jurés retirés": gettext_lazy("jurés retirés"),
}


def _jury_set(entry) -> str:
    parts = []
    for key, value in entry.data.items():
        if key == "changes":
            parts.append(fields_text(entry))
        elif key in _JURY_KEYS and isinstance(value, list):
            parts.append(f"{_JURY_KEYS[key]} : {', '.join(str(item) for item in value)}")
        elif isinstance(value, str):
            # "critère « Name »": "field : old → new, …", already a readable line.
            parts.append(f"{key} : {value}")
    return _("%(who)s a modifié le jury de l'édition %(what)s : %(parts)s.") % {
        "who": who(entry),
        "what": what(entry),
        "parts": " ; ".join(parts) or "—",
    }


def _jury_phase(entry) -> str:
    old, new = entry.data["changes"]["phase"]
    return _(
        "%(who)s a fait passer le jury de l'édition %(what)s de « %(old)s » à « %(new)s »."
    ) % {
        "who": who(entry),
        "what": what(entry),
        "old": old,
        "new": new,
    }


def _scores_exported(entry) -> str:
    count = number(entry, "lignes")
    return ngettext(
        "%(who)s a exporté les notes du jury de l'édition %(what)s (%(count)s ligne).",
        "%(who)s a exporté les notes du jury de l'édition %(what)s (%(count)s lignes).",
        count,
    ) % {"who": who(entry), "what": what(entry), "count": count}


DESCRIBERS = {
    AuditAction.GROUPS_SET: _groups_set,
    AuditAction.GROUPS_COMPOSED: _composed,
    AuditAction.SEAT_MOVED: _seat_moved,
    AuditAction.SHEET_CHANGED_AFTER_RESULTS: _sheet_changed,
    AuditAction.JURY_SET: _jury_set,
    AuditAction.JURY_PHASE: _jury_phase,
    AuditAction.SCORES_EXPORTED: _scores_exported,
}
