"""How the journal words the rencontre's actions (contrat_ville.audit)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contrat_ville.audit import fields_text, number, role_text, what, who

from .enums import AuditAction


def _edition_created(entry) -> str:
    return _("%(who)s a créé l'édition %(what)s.") % {"who": who(entry), "what": what(entry)}


def _edition_updated(entry) -> str:
    if "programme" in entry.data:
        return _("%(who)s a modifié le programme de l'édition %(what)s.") % {
            "who": who(entry),
            "what": what(entry),
        }
    return _("%(who)s a modifié l'édition %(what)s : %(fields)s.") % {
        "who": who(entry),
        "what": what(entry),
        "fields": fields_text(entry),
    }


def _registration_added(entry) -> str:
    return _("%(who)s a inscrit %(what)s (%(status)s).") % {
        "who": who(entry),
        "what": what(entry),
        "status": str(entry.data.get("statut", "")).lower() or "—",
    }


def _registration_updated(entry) -> str:
    if "changes" in entry.data:
        return _("%(who)s a modifié l'inscription de %(what)s : %(fields)s.") % {
            "who": who(entry),
            "what": what(entry),
            "fields": fields_text(entry),
        }
    # Written when an organiser puts a cancelled registration back.
    return _("%(who)s a rétabli l'inscription de %(what)s (%(status)s).") % {
        "who": who(entry),
        "what": what(entry),
        "status": str(entry.data["statut"]).lower(),
    }


def _registration_cancelled(entry) -> str:
    return _("Inscription de %(what)s annulée par %(who)s.") % {
        "who": who(entry),
        "what": what(entry),
    }


def _registration_erased(entry) -> str:
    return _("Inscription %(what)s effacée à la demande de la personne inscrite.") % {
        "what": what(entry)
    }


def _imported(entry) -> str:
    count = number(entry, "inscriptions")
    return ngettext(
        "%(who)s a importé %(count)s inscription dans l'édition %(what)s.",
        "%(who)s a importé %(count)s inscriptions dans l'édition %(what)s.",
        count,
    ) % {"who": who(entry), "count": count, "what": what(entry)}


def _purged(entry) -> str:
    count = number(entry, "inscriptions")
    return ngettext(
        "%(who)s a anonymisé %(count)s inscription de l'édition %(what)s (durée de conservation "
        "passée).",
        "%(who)s a anonymisé %(count)s inscriptions de l'édition %(what)s (durée de conservation "
        "passée).",
        count,
    ) % {"who": who(entry), "count": count, "what": what(entry)}


def _exported(entry) -> str:
    count = number(entry, "inscriptions")
    return ngettext(
        "%(who)s a exporté %(count)s inscription de l'édition %(what)s (fichier %(format)s).",
        "%(who)s a exporté %(count)s inscriptions de l'édition %(what)s (fichier %(format)s).",
        count,
    ) % {
        "who": who(entry),
        "count": count,
        "what": what(entry),
        "format": str(entry.data.get("format", "")).upper() or "—",
    }


def _college_invited(entry) -> str:
    count = number(entry, "invitations")
    return ngettext(
        "%(who)s a invité le collège %(college)s à l'édition %(what)s (%(count)s invitation).",
        "%(who)s a invité le collège %(college)s à l'édition %(what)s (%(count)s invitations).",
        count,
    ) % {
        "who": who(entry),
        "college": role_text(entry.data["collège"]),
        "what": what(entry),
        "count": count,
    }


def _training_created(entry) -> str:
    return _("%(who)s a créé la formation %(what)s.") % {"who": who(entry), "what": what(entry)}


def _training_updated(entry) -> str:
    return _("%(who)s a modifié la formation %(what)s : %(fields)s.") % {
        "who": who(entry),
        "what": what(entry),
        "fields": fields_text(entry),
    }


def _session_created(entry) -> str:
    return _("%(who)s a ajouté une session à la formation %(what)s.") % {
        "who": who(entry),
        "what": what(entry),
    }


def _certificates_sent(entry) -> str:
    count = number(entry, "attestations")
    return ngettext(
        "%(who)s a envoyé %(count)s attestation de présence pour %(what)s.",
        "%(who)s a envoyé %(count)s attestations de présence pour %(what)s.",
        count,
    ) % {"who": who(entry), "count": count, "what": what(entry)}


def _survey_exported(entry) -> str:
    return _("%(who)s a exporté les réponses au questionnaire de %(what)s.") % {
        "who": who(entry),
        "what": what(entry),
    }


DESCRIBERS = {
    AuditAction.CERTIFICATES_SENT: _certificates_sent,
    AuditAction.SURVEY_EXPORTED: _survey_exported,
    AuditAction.TRAINING_CREATED: _training_created,
    AuditAction.TRAINING_UPDATED: _training_updated,
    AuditAction.SESSION_CREATED: _session_created,
    AuditAction.EDITION_CREATED: _edition_created,
    AuditAction.EDITION_UPDATED: _edition_updated,
    AuditAction.REGISTRATION_ADDED: _registration_added,
    AuditAction.REGISTRATION_UPDATED: _registration_updated,
    AuditAction.REGISTRATION_CANCELLED: _registration_cancelled,
    AuditAction.REGISTRATION_ERASED: _registration_erased,
    AuditAction.REGISTRATIONS_IMPORTED: _imported,
    AuditAction.REGISTRATIONS_PURGED: _purged,
    AuditAction.REGISTRATIONS_EXPORTED: _exported,
    AuditAction.COLLEGE_INVITED: _college_invited,
}
