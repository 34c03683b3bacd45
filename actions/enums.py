from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActionStatus(models.TextChoices):
    """Where an action stands in its year. The moves between them are ``TRANSITIONS``."""

    PROPOSED = "proposed", _("Proposée")
    PROGRAMMED = "programmed", _("Programmée")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Réalisée")
    ABANDONED = "abandoned", _("Abandonnée")


# status → statuses it may move to. A carrier proposes and reports; an organiser programmes
# (validates), abandons and reinstates (actions.permissions says who may take which move).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ActionStatus.PROPOSED: (ActionStatus.PROGRAMMED, ActionStatus.ABANDONED),
    ActionStatus.PROGRAMMED: (ActionStatus.RUNNING, ActionStatus.DONE, ActionStatus.ABANDONED),
    ActionStatus.RUNNING: (ActionStatus.DONE, ActionStatus.ABANDONED),
    ActionStatus.DONE: (ActionStatus.RUNNING,),
    # Reinstated: an action is proposed only once, before any money is spent.
    ActionStatus.ABANDONED: (ActionStatus.PROGRAMMED,),
}
# Moves a carrier may make on its own action; every other one is an organiser's.
CARRIER_TRANSITIONS = frozenset(
    {
        (ActionStatus.PROGRAMMED, ActionStatus.RUNNING),
        (ActionStatus.PROGRAMMED, ActionStatus.DONE),
        (ActionStatus.RUNNING, ActionStatus.DONE),
        (ActionStatus.PROPOSED, ActionStatus.ABANDONED),
    }
)
# Validated by the organisers: what the bilan counts as the year's programme.
PROGRAMME = (
    ActionStatus.PROGRAMMED,
    ActionStatus.RUNNING,
    ActionStatus.DONE,
    ActionStatus.ABANDONED,
)


class Funder(models.TextChoices):
    """Who pays: the contract's usual funders (the State's credits "politique de la ville",
    the EPCI, the commune), then the others."""

    # "État" alone is also a status elsewhere in the catalogue.
    STATE = "state", pgettext_lazy("funder", "État")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    COMMUNE = "commune", _("Commune")
    DEPARTMENT = "department", _("Département")
    REGION = "region", _("Région")
    CAF = "caf", _("Caf")
    LANDLORD = "landlord", _("Bailleurs sociaux")
    EUROPE = "europe", _("Fonds européens")
    OWN = "own", _("Fonds propres du porteur")
    OTHER = "other", _("Autre financeur")


class IndicatorUnit(models.TextChoices):
    """What an indicator counts. Percentages are bounded by 100 (a database constraint)."""

    PEOPLE = "people", _("personnes")
    YOUNG = "young", _("jeunes")
    FAMILIES = "families", _("familles")
    SESSIONS = "sessions", _("séances")
    HOURS = "hours", _("heures")
    EVENTS = "events", _("événements")
    STRUCTURES = "structures", _("structures")
    PERCENT = "percent", _("%")
    EUROS = "euros", _("euros")
    OTHER = "other", _("unités")


class AuditAction(models.TextChoices):
    ACTION_CREATED = "actions.created", _("Action créée")
    ACTION_UPDATED = "actions.updated", _("Action modifiée")
    ACTION_STATUS = "actions.status", _("Statut d'une action changé")
    ACTION_BUDGET = "actions.budget", _("Budget d'une action changé")
    ACTION_INDICATORS = "actions.indicators", _("Indicateurs d'une action changés")
    ACTION_RENEWED = "actions.renewed", _("Action reconduite")
    ACTION_FROM_PITCH = "actions.from_pitch", _("Action proposée depuis un pitch d'atelier")
    ACTION_DELETED = "actions.deleted", _("Action supprimée")
    ACTIONS_IMPORTED = "actions.imported", _("Programme d'actions importé")
