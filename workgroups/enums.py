from django.db import models
from django.utils.translation import gettext_lazy as _


class JuryPhase(models.TextChoices):
    PREPARATION = "preparation", _("Préparation")
    SCORING = "scoring", _("Notation")
    DELIBERATION = "deliberation", _("Délibération")
    PUBLISHED = "published", _("Résultats publiés")


# The order of the phases: a jury only moves forward, except that organisers
# may reopen scoring from deliberation (a forgotten sheet).
PHASE_ORDER = [
    JuryPhase.PREPARATION,
    JuryPhase.SCORING,
    JuryPhase.DELIBERATION,
    JuryPhase.PUBLISHED,
]


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Moyenne des jurés")
    MEDIAN = "median", _("Médiane des jurés")


class AuditAction(models.TextChoices):
    GROUPS_SET = "workgroups.groups_set", _("Groupes d'atelier créés ou modifiés")
    GROUPS_COMPOSED = "workgroups.composed", _("Groupes d'atelier composés")
    SEAT_MOVED = "workgroups.seat_moved", _("Participant changé de groupe")
    SHEET_CHANGED_AFTER_RESULTS = (
        "workgroups.sheet_changed_after_results",
        _("Fiche projet modifiée après la publication des résultats"),
    )
    JURY_SET = "workgroups.jury_set", _("Jury ou critères modifiés")
    JURY_PHASE = "workgroups.jury_phase", _("Phase du jury changée")
    SCORES_EXPORTED = "workgroups.scores_exported", _("Export des notes du jury")
