from django.db import models
from django.utils.translation import gettext_lazy as _

from contrat_ville.enums import Role


class EventKind(models.TextChoices):
    """What an event is. Every kind gets the same registration engine: seats, waiting list,
    manage link, e-mails with .ics, attendance sheet, check-in and exports."""

    RENCONTRE = "rencontre", _("Rencontre annuelle")
    TRAINING = "formation", _("Formation")
    MEETING = "instance", _("Réunion d'instance")
    WORKSHOP = "atelier", _("Atelier thématique")


class Audience(models.TextChoices):
    """Who may register."""

    EVERYONE = "everyone", _("Tout le monde")
    PARTNERS = "partners", _("Les partenaires du contrat")


class TrainingLevel(models.TextChoices):
    DISCOVERY = "discovery", _("Découverte")
    INTERMEDIATE = "intermediate", _("Approfondissement")
    ADVANCED = "advanced", _("Perfectionnement")


class TrainingStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    ARCHIVED = "archived", _("Archivée")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    OPEN = "open", _("Inscriptions ouvertes")
    CLOSED = "closed", _("Inscriptions closes")
    ARCHIVED = "archived", _("Archivée")


class ProgrammeKind(models.TextChoices):
    PLENARY = "plenary", _("Plénière")
    WORKSHOPS = "workshops", _("Ateliers")
    KEYNOTE = "keynote", _("Intervention")
    BREAK = "break", _("Pause")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmée")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


class RegistrationSource(models.TextChoices):
    ONLINE = "online", _("Formulaire en ligne")
    ORGANISER = "organiser", _("Ajoutée par un organisateur")
    WALK_IN = "walk_in", _("Sur place")
    IMPORT = "import", _("Import CSV")


# The colleges of the contract (same codes as the roles) plus residents and others.
class College(models.TextChoices):
    COPIL = Role.COPIL.value, Role.COPIL.label
    COTECH = Role.COTECH.value, Role.COTECH.label
    COMMISSION_POLITIQUE_VILLE = (
        Role.COMMISSION_POLITIQUE_VILLE.value,
        Role.COMMISSION_POLITIQUE_VILLE.label,
    )
    COMMISSION_EMPLOI_INSERTION = (
        Role.COMMISSION_EMPLOI_INSERTION.value,
        Role.COMMISSION_EMPLOI_INSERTION.label,
    )
    COMMISSION_RENOUVELLEMENT_URBAIN = (
        Role.COMMISSION_RENOUVELLEMENT_URBAIN.value,
        Role.COMMISSION_RENOUVELLEMENT_URBAIN.label,
    )
    PORTEUR_PROJET = Role.PORTEUR_PROJET.value, Role.PORTEUR_PROJET.label
    CONSEIL_CITOYEN = Role.CONSEIL_CITOYEN.value, Role.CONSEIL_CITOYEN.label
    REPRESENTANT_HABITANTS = (
        Role.REPRESENTANT_HABITANTS.value,
        Role.REPRESENTANT_HABITANTS.label,
    )
    HABITANT = "habitant", _("Habitant")
    AUTRE = "autre", _("Autre")


class EmailKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation d'inscription")
    WAITING = "waiting", _("Inscription en liste d'attente")
    PROMOTION = "promotion", _("Place libérée")
    CANCELLATION = "cancellation", _("Annulation")
    MANAGE_LINK = "manage_link", _("Lien de gestion renvoyé")
    # Someone signed up again with an address already registered: told by e-mail, not on
    # the page, so the page says nothing of who is registered.
    ALREADY_REGISTERED = "already_registered", _("Inscription déjà faite")
    # "Send my link again" for an address with no registration: the same work and answer.
    NOT_REGISTERED = "not_registered", _("Adresse sans inscription")
    INVITATION = "invitation", _("Invitation")
    # After a session: the attendance certificate, the survey link and the documents.
    CERTIFICATE = "certificate", _("Attestation de présence")


class AuditAction(models.TextChoices):
    EDITION_CREATED = "edition.created", _("Édition créée")
    EDITION_UPDATED = "edition.updated", _("Édition modifiée")
    REGISTRATION_ADDED = "registration.added", _("Inscription ajoutée par un organisateur")
    REGISTRATION_UPDATED = "registration.updated", _("Inscription modifiée")
    REGISTRATION_CANCELLED = "registration.cancelled", _("Inscription annulée")
    REGISTRATION_ERASED = "registration.erased", _("Inscription effacée à la demande")
    REGISTRATIONS_IMPORTED = "registrations.imported", _("Inscriptions importées")
    REGISTRATIONS_PURGED = "registrations.purged", _("Inscriptions anonymisées")
    REGISTRATIONS_EXPORTED = "registrations.exported", _("Export de données personnelles")
    COLLEGE_INVITED = "college.invited", _("Collège invité")
    TRAINING_CREATED = "training.created", _("Formation créée")
    TRAINING_UPDATED = "training.updated", _("Formation modifiée")
    SESSION_CREATED = "session.created", _("Session créée")
    CERTIFICATES_SENT = "certificates.sent", _("Attestations envoyées")
    SURVEY_EXPORTED = "survey.exported", _("Résultats du questionnaire exportés")
