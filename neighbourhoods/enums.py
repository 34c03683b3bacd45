from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    PERIMETER_LOADED = "perimeter.loaded", _("Périmètre du contrat chargé")
    CONTOUR_SET = "territory.contour_set", _("Contour déposé")
    CONTOUR_REMOVED = "territory.contour_removed", _("Contour retiré")
