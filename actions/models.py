from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contrat_ville.models import Territory, TimeStampedModel

from .amounts import MAX_AMOUNT
from .enums import ActionStatus, Funder, IndicatorUnit

FIRST_YEAR, LAST_YEAR = 2000, 2100
# Euros with cents; 999 999 999,99 € is far above any action of a contrat de ville.
AMOUNT = {"max_digits": 11, "decimal_places": 2}
MAX_VALUE = 10**9 - 1


def _amount(label, **extra):
    return models.DecimalField(
        label,
        **AMOUNT,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
        **extra,
    )


def _non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}), name=name
    )


class ActionQuerySet(models.QuerySet):
    def public(self):
        """What everyone may read: validated actions, carried out or under way. Lower apps
        (the contract's priority pages) call this through the reverse relation."""
        return self.exclude(status__in=[ActionStatus.PROPOSED, ActionStatus.ABANDONED])


class Action(TimeStampedModel):
    """One action of the contract's programme for one year, carried by an actor of the
    directory. An action programmed again the next year is a new row pointing to this one
    (``previous``), so the bilan follows it over the whole contract."""

    title = models.CharField(_("intitulé"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("année de programmation"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    reference = models.CharField(
        _("numéro de dossier"),
        max_length=40,
        blank=True,
        help_text=_("Le numéro de l'appel à projets, s'il y en a un (par exemple AAP-2025-012)."),
    )
    carrier = models.ForeignKey(
        "partners.Actor",
        on_delete=models.PROTECT,
        related_name="carried_actions",
        verbose_name=_("porteur"),
    )
    partners = models.ManyToManyField(
        "partners.Actor",
        blank=True,
        related_name="partner_actions",
        verbose_name=_("partenaires"),
    )
    priority = models.ForeignKey(
        "contract.Priority",
        # A priority the organisers delete leaves its actions "sans priorité" in the bilan.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("priorité du contrat"),
    )
    objective = models.ForeignKey(
        "contract.Objective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("objectif"),
    )
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="actions", verbose_name=_("quartiers")
    )
    publics = models.ManyToManyField(
        "partners.Public", blank=True, related_name="actions", verbose_name=_("publics")
    )
    summary = models.TextField(_("description courte"), max_length=1500)
    status = models.CharField(
        _("statut"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    status_changed_at = models.DateTimeField(_("statut changé le"), null=True, blank=True)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    budget_planned = _amount(_("budget prévu (euros)"), null=True, blank=True)
    budget_actual = _amount(_("budget réalisé (euros)"), null=True, blank=True)
    amounts_confidential = models.BooleanField(
        _("montants confidentiels"),
        default=False,
        help_text=_("Les montants de cette action ne figurent pas dans le bilan public."),
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("reconduction de"),
    )
    pitch = models.OneToOneField(
        "workgroups.ProjectSheet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action",
        verbose_name=_("issue du pitch"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    is_demo = models.BooleanField(_("contenu de démonstration"), default=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["-year", "title", "pk"]
        indexes = [models.Index(fields=["year", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="action_title_not_empty"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="action_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_known_status"
            ),
            _non_negative("budget_planned", "action_budget_planned_not_negative"),
            _non_negative("budget_actual", "action_budget_actual_not_negative"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="action_dates_ordered",
            ),
            # A proposal has spent nothing yet.
            models.CheckConstraint(
                condition=Q(budget_actual__isnull=True) | ~Q(status=ActionStatus.PROPOSED),
                name="action_no_actual_budget_when_proposed",
            ),
            models.UniqueConstraint(
                fields=["year", "reference"],
                condition=~Q(reference=""),
                name="action_reference_unique_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", kwargs={"pk": self.pk})

    @property
    def is_programmed(self) -> bool:
        return self.status != ActionStatus.PROPOSED


class Funding(models.Model):
    """What one funder gives an action: planned, then paid."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="fundings", verbose_name=_("action")
    )
    funder = models.CharField(_("financeur"), max_length=12, choices=Funder.choices)
    name = models.CharField(
        _("précision"),
        max_length=120,
        blank=True,
        help_text=_(
            "Le nom du financeur quand il n'est pas dans la liste (fondation, entreprise…)."
        ),
    )
    planned = _amount(_("montant prévu (euros)"))
    actual = _amount(_("montant versé (euros)"), null=True, blank=True)

    class Meta:
        verbose_name = _("financement")
        verbose_name_plural = _("financements")
        ordering = ["action", "funder", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(funder__in=Funder.values), name="funding_known_funder"
            ),
            _non_negative("planned", "funding_planned_not_negative"),
            _non_negative("actual", "funding_actual_not_negative"),
            models.UniqueConstraint(
                fields=["action", "funder", "name"], name="funding_one_line_per_funder"
            ),
        ]

    def __str__(self) -> str:
        label = self.get_funder_display()
        return f"{label} ({self.name})" if self.name else str(label)


class Indicator(models.Model):
    """One measure of an action: what it aims at, and what it reached."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("action")
    )
    label = models.CharField(_("indicateur"), max_length=200)
    unit = models.CharField(_("unité"), max_length=12, choices=IndicatorUnit.choices)
    target = models.DecimalField(
        _("cible"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_VALUE)],
    )
    achieved = models.DecimalField(
        _("réalisé"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_VALUE)],
    )
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["action", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(label=""), name="indicator_label_not_empty"),
            models.CheckConstraint(
                condition=Q(unit__in=IndicatorUnit.values), name="indicator_known_unit"
            ),
            _non_negative("target", "indicator_target_not_negative"),
            _non_negative("achieved", "indicator_achieved_not_negative"),
            # A share is at most the whole.
            models.CheckConstraint(
                condition=~Q(unit=IndicatorUnit.PERCENT)
                | (
                    (Q(target__isnull=True) | Q(target__lte=100))
                    & (Q(achieved__isnull=True) | Q(achieved__lte=100))
                ),
                name="indicator_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def rate(self) -> int | None:
        """Achieved as a whole percentage of the target, when both are known."""
        if self.target is None or self.achieved is None or not self.target:
            return None
        return round(self.achieved * 100 / self.target)
