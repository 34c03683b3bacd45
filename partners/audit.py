"""How the journal words the directory's actions (contrat_ville.audit)."""

from django.utils.translation import gettext as _

from contrat_ville.audit import fields_text, model_of, number, what, who

from .enums import ActorStatus, AuditAction, JoinRequestKind


def _status(code) -> str:
    return str(ActorStatus(code).label) if code in ActorStatus.values else str(code)


def _created(entry) -> str:
    return _("%(who)s a créé la fiche %(what)s (%(status)s).") % {
        "who": who(entry),
        "what": what(entry),
        "status": _status(entry.data.get("status", "")).lower(),
    }


def _updated(entry) -> str:
    return _("%(who)s a modifié la fiche %(what)s : %(fields)s.") % {
        "who": who(entry),
        "what": what(entry),
        "fields": fields_text(entry, entry.data["fields"]),
    }


def _verified(entry) -> str:
    return _("%(who)s a confirmé que la fiche %(what)s est à jour.") % {
        "who": who(entry),
        "what": what(entry),
    }


def _status_changed(entry) -> str:
    return _("%(who)s a changé le statut de la fiche %(what)s : « %(old)s » → « %(new)s ».") % {
        "who": who(entry),
        "what": what(entry),
        "old": _status(entry.data["from"]),
        "new": _status(entry.data["to"]),
    }


def _imported(entry) -> str:
    return _(
        "%(who)s a importé le fichier %(what)s. Fiches créées : %(created)s, mises à jour : "
        "%(updated)s, inchangées : %(unchanged)s."
    ) % {
        "who": who(entry),
        "what": what(entry),
        "created": number(entry, "created"),
        "updated": number(entry, "updated"),
        "unchanged": number(entry, "unchanged"),
    }


def _contacts(entry) -> str:
    return _("%(who)s a mis à jour les personnes contact de la fiche %(what)s (%(count)s).") % {
        "who": who(entry),
        "what": what(entry),
        "count": number(entry, "count"),
    }


def _join_requested(entry) -> str:
    if entry.data.get("kind") == JoinRequestKind.CLAIM:
        text = _("%(who)s a demandé à gérer la fiche %(what)s.")
    else:
        text = _("%(who)s a demandé à rejoindre la fiche %(what)s.")
    return text % {"who": who(entry), "what": what(entry)}


def _join_decided(entry) -> str:
    if entry.data["approved"]:
        text = _("%(who)s a accepté la demande de %(person)s sur la fiche %(what)s.")
    else:
        text = _("%(who)s a refusé la demande de %(person)s sur la fiche %(what)s.")
    return text % {"who": who(entry), "person": entry.data["user"], "what": what(entry)}


def _member_removed(entry) -> str:
    return _("%(who)s a retiré %(person)s de la fiche %(what)s.") % {
        "who": who(entry),
        "person": entry.data["user"],
        "what": what(entry),
    }


def _taxonomy(entry) -> str:
    # The target's model names the kind ("thème", "compétence"…), not the stored code.
    model = model_of(entry)
    kind = str(model._meta.verbose_name) if model is not None else _("élément")
    if entry.data.get("created"):
        return _("%(who)s a ajouté « %(what)s » au référentiel (%(kind)s).") % {
            "who": who(entry),
            "what": what(entry),
            "kind": kind,
        }
    return _("%(who)s a modifié « %(what)s » dans le référentiel (%(kind)s) : %(fields)s.") % {
        "who": who(entry),
        "what": what(entry),
        "kind": kind,
        "fields": fields_text(entry),
    }


DESCRIBERS = {
    AuditAction.ACTOR_CREATED: _created,
    AuditAction.ACTOR_UPDATED: _updated,
    AuditAction.ACTOR_VERIFIED: _verified,
    AuditAction.ACTOR_STATUS: _status_changed,
    AuditAction.ACTOR_IMPORTED: _imported,
    AuditAction.CONTACT_CHANGED: _contacts,
    AuditAction.JOIN_REQUESTED: _join_requested,
    AuditAction.JOIN_DECIDED: _join_decided,
    AuditAction.MEMBER_REMOVED: _member_removed,
    AuditAction.TAXONOMY_CHANGED: _taxonomy,
}
