"""Exports of personal data leave a trace: who took which file of which edition."""

from contrat_ville.models import AuditLogEntry, User
from contrat_ville.services import audit_log_record

from ..enums import AuditAction
from ..models import Edition

# The "format" recorded in the audit log, one per export.
EXPORT_KINDS = ("csv", "xlsx", "émargement", "badges")


def registrations_export_record(
    *, by: User, edition: Edition, kind: str, count: int
) -> AuditLogEntry:
    """Record that ``by`` exported ``count`` registrations of ``edition`` as ``kind``."""
    if kind not in EXPORT_KINDS:
        raise ValueError(f"unknown export kind: {kind!r}")
    return audit_log_record(
        actor=by,
        action=AuditAction.REGISTRATIONS_EXPORTED,
        target=edition,
        data={"format": kind, "inscriptions": count},
    )
