"""Writes of the installation's identity (name, operator, logo, colour, signatories), each
recorded in the audit log, and the journal's wording of those entries.

Every signatory write rewrites what the footer shows of them on the identity row, in the
same transaction, so a page reads the whole identity in one query
(``selectors.portal_identity``).
"""

from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import fields_text, register_actions, register_target_link, who
from .colours import normalise
from .models import PortalIdentity, Signatory, User
from .selectors import signatories_shown
from .services import audit_log_record

IDENTITY_FIELDS = ("name", "operator", "operator_url", "primary_colour")
SIGNATORY_FIELDS = ("name", "url", "order")


class IdentityAction(models.TextChoices):
    IDENTITY_UPDATED = "identity.updated", gettext_lazy("Identité du portail modifiée")
    SIGNATORY_ADDED = "identity.signatory_added", gettext_lazy("Signataire ajouté")
    SIGNATORY_UPDATED = "identity.signatory_updated", gettext_lazy("Signataire modifié")
    SIGNATORY_REMOVED = "identity.signatory_removed", gettext_lazy("Signataire retiré")


def _signatories_refresh() -> None:
    identity, _created = PortalIdentity.objects.select_for_update().get_or_create(
        pk=PortalIdentity.SINGLETON_PK
    )
    identity.signatories_shown = signatories_shown()
    identity.save(update_fields=["signatories_shown"])


def _logo_change(instance, logo) -> tuple[list | None, bool]:
    """The audit pair for a logo form value (an upload, False to remove it, None to keep
    it), and whether the stored file changes."""
    old = instance.logo.name if instance.logo else ""
    if logo is None or (logo is False and not old):
        return None, False
    if logo is False:
        return [old, ""], True
    return [old, logo.name], True


@transaction.atomic
def identity_update(*, by: User | None, data: dict) -> PortalIdentity:
    """Save the identity; ``data["logo"]`` is an upload, False (remove it) or None (keep it).

    Changes are measured against the row as stored (locked), not against the form's
    instance, which a bound ModelForm has already modified in memory."""
    identity = (
        PortalIdentity.objects.select_for_update().filter(pk=PortalIdentity.SINGLETON_PK).first()
    )
    if identity is None:
        identity = PortalIdentity()
    values = {k: v for k, v in data.items() if k in IDENTITY_FIELDS}
    if "primary_colour" in values:
        values["primary_colour"] = normalise(values["primary_colour"])
    changes = {
        field: [getattr(identity, field), value]
        for field, value in sorted(values.items())
        if getattr(identity, field) != value
    }
    logo_pair, logo_changes = _logo_change(identity, data.get("logo"))
    created = identity._state.adding
    if not changes and not logo_changes and not created:
        return identity
    for field, (_old, new) in changes.items():
        setattr(identity, field, new)
    old_logo = identity.logo.name if identity.logo else ""
    if logo_changes:
        identity.logo = data["logo"] or ""
    identity.updated_by = by if by is not None and by.is_authenticated else None
    identity.save()
    if logo_changes:
        # The stored name, with the extension read from the content, not the client's.
        changes["logo"] = [logo_pair[0], identity.logo.name if identity.logo else ""]
        _delete_file_after_commit(identity.logo.storage, old_logo)
    if changes:
        audit_log_record(
            actor=by,
            action=IdentityAction.IDENTITY_UPDATED,
            target=identity,
            data={"changes": changes},
        )
    return identity


def _delete_file_after_commit(storage, name: str) -> None:
    # Only once the new name is committed: a rollback must not leave a row without its file.
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def signatory_create(*, by: User | None, data: dict) -> Signatory:
    signatory = Signatory(**{k: v for k, v in data.items() if k in SIGNATORY_FIELDS})
    if data.get("logo"):
        signatory.logo = data["logo"]
    signatory.save()
    audit_log_record(
        actor=by,
        action=IdentityAction.SIGNATORY_ADDED,
        target=signatory,
        data={"url": signatory.url, "order": signatory.order},
    )
    _signatories_refresh()
    return signatory


@transaction.atomic
def signatory_update(*, by: User | None, signatory: Signatory, data: dict) -> Signatory:
    signatory = Signatory.objects.select_for_update().get(pk=signatory.pk)
    changes = {
        field: [getattr(signatory, field), value]
        for field, value in sorted(data.items())
        if field in SIGNATORY_FIELDS and getattr(signatory, field) != value
    }
    logo_pair, logo_changes = _logo_change(signatory, data.get("logo"))
    if not changes and not logo_changes:
        return signatory
    for field, (_old, new) in changes.items():
        setattr(signatory, field, new)
    old_logo = signatory.logo.name if signatory.logo else ""
    if logo_changes:
        signatory.logo = data["logo"] or ""
    signatory.save()
    if logo_changes:
        changes["logo"] = [logo_pair[0], signatory.logo.name if signatory.logo else ""]
        _delete_file_after_commit(signatory.logo.storage, old_logo)
    audit_log_record(
        actor=by,
        action=IdentityAction.SIGNATORY_UPDATED,
        target=signatory,
        data={"changes": changes},
    )
    _signatories_refresh()
    return signatory


@transaction.atomic
def signatory_delete(*, by: User | None, signatory: Signatory) -> None:
    signatory = Signatory.objects.select_for_update().get(pk=signatory.pk)
    audit_log_record(
        actor=by,
        action=IdentityAction.SIGNATORY_REMOVED,
        target=signatory,
        data={"url": signatory.url},
    )
    logo = signatory.logo.name if signatory.logo else ""
    storage = signatory.logo.storage
    signatory.delete()
    _delete_file_after_commit(storage, logo)
    _signatories_refresh()


# -- the journal's sentences ------------------------------------------------------------------


def _identity_updated(entry) -> str:
    return _("%(who)s a modifié l'identité du portail : %(fields)s.") % {
        "who": who(entry),
        "fields": fields_text(entry),
    }


def _signatory_added(entry) -> str:
    return _("%(who)s a ajouté le signataire %(what)s.") % {
        "who": who(entry),
        "what": entry.target_label,
    }


def _signatory_updated(entry) -> str:
    return _("%(who)s a modifié le signataire %(what)s : %(fields)s.") % {
        "who": who(entry),
        "what": entry.target_label,
        "fields": fields_text(entry),
    }


def _signatory_removed(entry) -> str:
    return _("%(who)s a retiré le signataire %(what)s.") % {
        "who": who(entry),
        "what": entry.target_label,
    }


register_actions(
    IdentityAction,
    {
        IdentityAction.IDENTITY_UPDATED: _identity_updated,
        IdentityAction.SIGNATORY_ADDED: _signatory_added,
        IdentityAction.SIGNATORY_UPDATED: _signatory_updated,
        IdentityAction.SIGNATORY_REMOVED: _signatory_removed,
    },
)
# A removed signatory has no page left: only the identity's entries link somewhere.
register_target_link(
    "contrat_ville.portalidentity",
    "contrat_ville.edit_identity",
    lambda pk: reverse("identity_edit"),
)
