from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    STATE_SERVICE = "service_etat", _("Service de l'État")
    LOCAL_AUTHORITY = "collectivite", _("Collectivité territoriale")
    SOCIAL_LANDLORD = "bailleur_social", _("Bailleur social")
    EMPLOYMENT = "emploi_insertion", _("Emploi et insertion")
    SCHOOL = "etablissement_scolaire", _("Établissement scolaire")
    SOCIAL_CENTRE = "centre_social", _("Centre social, MJC")
    HEALTH = "sante", _("Santé")
    CITIZENS_COUNCIL = "conseil_citoyen", _("Conseil citoyen")
    COMPANY = "entreprise", _("Entreprise")
    OTHER = "autre", _("Autre")


class ActorStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    PUBLISHED = "published", _("Publié")
    ARCHIVED = "archived", _("Archivé")


class GovernanceBody(models.TextChoices):
    """The contract's bodies an actor may sit in (same names as the colleges)."""

    COPIL = "copil", _("COPIL")
    COTECH = "cotech", _("COTECH")
    COMMISSION_POLITIQUE_VILLE = "commission_politique_ville", _("Commission politique de la ville")
    COMMISSION_EMPLOI_INSERTION = "commission_emploi_insertion", _("Commission emploi-insertion")
    COMMISSION_RENOUVELLEMENT_URBAIN = (
        "commission_renouvellement_urbain",
        _("Commission renouvellement urbain"),
    )
    CONSEIL_CITOYEN = "conseil_citoyen", _("Conseil citoyen")


class UpdateFrequency(models.IntegerChoices):
    """How often, in months, the actor promises to check its profile."""

    QUARTERLY = 3, _("Tous les trois mois")
    HALF_YEARLY = 6, _("Tous les six mois")
    YEARLY = 12, _("Chaque année")
    TWO_YEARS = 24, _("Tous les deux ans")


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrateur de la fiche")
    MEMBER = "member", _("Membre")


class JoinRequestKind(models.TextChoices):
    JOIN = "join", _("Rejoindre la structure")
    CLAIM = "claim", _("Revendiquer la fiche")


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Acceptée")
    REJECTED = "rejected", _("Refusée")


class DirectorySort(models.TextChoices):
    RELEVANCE = "pertinence", _("Pertinence")
    NAME = "nom", _("Nom")
    UPDATED = "maj", _("Dernière mise à jour")


class LocationSource(models.TextChoices):
    """Where an actor's point on the map comes from."""

    NONE = "", _("Pas de position")
    GEOCODER = "geocoder", _("Adresse placée par la Base Adresse Nationale")
    MANUAL = "manual", _("Position indiquée à la main")


class TerritoryScope(models.TextChoices):
    """What the directory's territory filter means: working there, or having an address there."""

    WORKING = "intervenant", _("Intervenant dans le territoire")
    LOCATED = "situes", _("Situés dans le territoire")


class AuditAction(models.TextChoices):
    ACTOR_CREATED = "actor.created", _("Fiche acteur créée")
    ACTOR_UPDATED = "actor.updated", _("Fiche acteur modifiée")
    ACTOR_VERIFIED = "actor.verified", _("Fiche acteur confirmée à jour")
    ACTOR_STATUS = "actor.status", _("Statut d'une fiche acteur changé")
    ACTOR_IMPORTED = "actor.imported", _("Acteurs importés")
    CONTACT_CHANGED = "actor.contacts", _("Personnes contact modifiées")
    JOIN_REQUESTED = "actor.join_requested", _("Demande pour rejoindre une fiche")
    JOIN_DECIDED = "actor.join_decided", _("Demande pour rejoindre une fiche traitée")
    MEMBER_REMOVED = "actor.member_removed", _("Membre retiré d'une fiche")
    TAXONOMY_CHANGED = "taxonomy.changed", _("Référentiel des compétences modifié")
