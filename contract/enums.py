from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    COPIL = "copil", _("Comité de pilotage")
    COTECH = "cotech", _("Comité technique")
    COMMISSION = "commission", _("Commission thématique")
    CONSEIL_CITOYEN = "conseil_citoyen", _("Conseil citoyen")
    OTHER = "other", _("Autre instance")


class AuditAction(models.TextChoices):
    PRIORITY_CREATED = "contract.priority_created", _("Priorité du contrat ajoutée")
    PRIORITY_UPDATED = "contract.priority_updated", _("Priorité du contrat modifiée")
    PRIORITY_MOVED = "contract.priority_moved", _("Priorités du contrat réordonnées")
    PRIORITY_DELETED = "contract.priority_deleted", _("Priorité du contrat supprimée")
    BODY_CREATED = "contract.body_created", _("Instance ajoutée")
    BODY_UPDATED = "contract.body_updated", _("Instance modifiée")
    BODY_MOVED = "contract.body_moved", _("Instances réordonnées")
    BODY_DELETED = "contract.body_deleted", _("Instance supprimée")
