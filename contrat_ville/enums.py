from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Global roles a user may hold, several at once.

    The first eight are the colleges of the contract's governance (used for
    statistics and for what a partner may see); the last four are the
    portal's own staff roles.
    """

    COPIL = "copil", _("COPIL — élus et préfecture")
    COTECH = "cotech", _("COTECH — techniciens des signataires")
    COMMISSION_POLITIQUE_VILLE = "commission_politique_ville", _("Commission politique de la ville")
    COMMISSION_EMPLOI_INSERTION = "commission_emploi_insertion", _("Commission emploi-insertion")
    COMMISSION_RENOUVELLEMENT_URBAIN = (
        "commission_renouvellement_urbain",
        _("Commission renouvellement urbain"),
    )
    PORTEUR_PROJET = "porteur_projet", _("Porteur de projet / association")
    CONSEIL_CITOYEN = "conseil_citoyen", _("Conseil citoyen")
    REPRESENTANT_HABITANTS = "representant_habitants", _("Représentant des habitants")
    ORGANISER = "organiser", _("Organisateur")
    FACILITATOR = "facilitator", _("Animateur d'atelier")
    JUROR = "juror", _("Membre du jury")
    # Writes news and documents (news.edit), granted by the organisers.
    EDITOR = "editor", _("Rédacteur")


COLLEGES = frozenset(
    {
        Role.COPIL,
        Role.COTECH,
        Role.COMMISSION_POLITIQUE_VILLE,
        Role.COMMISSION_EMPLOI_INSERTION,
        Role.COMMISSION_RENOUVELLEMENT_URBAIN,
        Role.PORTEUR_PROJET,
        Role.CONSEIL_CITOYEN,
        Role.REPRESENTANT_HABITANTS,
    }
)
PORTAL_ROLES = frozenset({Role.ORGANISER, Role.FACILITATOR, Role.JUROR, Role.EDITOR})


class AuditAction(models.TextChoices):
    ROLE_ASSIGNED = "role.assigned", _("Rôle attribué")
    ROLE_REMOVED = "role.removed", _("Rôle retiré")
    TERRITORY_CREATED = "territory.created", _("Territoire ajouté")
    TERRITORY_UPDATED = "territory.updated", _("Territoire modifié")


class TerritoryKind(models.TextChoices):
    QPV = "qpv", _("Quartier prioritaire (QPV)")
    QVA = "qva", _("Quartier de veille active (QVA)")
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    # Local areas with no national list: a "quartier vécu", a sector of a QPV's surroundings.
    SECTOR = "secteur", _("Autre secteur local")


# Kinds with no official code: designated locally.
LOCAL_TERRITORY_KINDS = frozenset({TerritoryKind.QVA, TerritoryKind.SECTOR})
# Kinds drawn as neighbourhoods on maps and listed on "Mon quartier".
NEIGHBOURHOOD_KINDS = (TerritoryKind.QPV, TerritoryKind.QVA, TerritoryKind.SECTOR)


class ContourSource(models.TextChoices):
    ANCT = "anct", _("Liste nationale des QPV (ANCT)")
    UPLOAD = "upload", _("Fichier GeoJSON déposé par les organisateurs")


class EmailState(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")
