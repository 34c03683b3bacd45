"""Workshops of an edition: groups and their seats, project sheets, the mock jury."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from contrat_ville.models import Territory, TimeStampedModel

from .enums import Aggregation, JuryPhase

DEFAULT_SEED = 2024


class WorkshopSettings(TimeStampedModel):
    """The workshops' settings of one edition (created on first use)."""

    edition = models.OneToOneField(
        "events.Edition",
        on_delete=models.CASCADE,
        related_name="workshop_settings",
        verbose_name=_("édition"),
    )
    phase = models.CharField(
        _("phase du jury"),
        max_length=12,
        choices=JuryPhase.choices,
        default=JuryPhase.PREPARATION,
    )
    aggregation = models.CharField(
        _("agrégation des notes"),
        max_length=6,
        choices=Aggregation.choices,
        default=Aggregation.MEAN,
    )
    results_public = models.BooleanField(
        _("résultats visibles du public"),
        default=False,
        help_text=_("Sinon, seuls les partenaires connectés les voient, une fois publiés."),
    )
    gallery_public = models.BooleanField(
        _("galerie des projets visible du public"),
        default=False,
        help_text=_(
            "Sinon, seuls les partenaires connectés la voient, une fois les résultats publiés."
        ),
    )
    countdown_minutes = models.PositiveSmallIntegerField(
        _("durée de l'atelier (minutes)"),
        default=45,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    composition_seed = models.PositiveIntegerField(
        _("numéro de tirage"),
        default=DEFAULT_SEED,
        help_text=_("Avec les mêmes personnes, le même numéro donne les mêmes groupes."),
    )
    published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True)

    class Meta:
        verbose_name = _("réglages des ateliers")
        verbose_name_plural = _("réglages des ateliers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phase__in=JuryPhase.values), name="workshop_known_phase"
            ),
            models.CheckConstraint(
                condition=models.Q(aggregation__in=Aggregation.values),
                name="workshop_known_aggregation",
            ),
        ]

    def __str__(self) -> str:
        return str(self.edition)


class Workgroup(models.Model):
    edition = models.ForeignKey(
        "events.Edition",
        on_delete=models.CASCADE,
        related_name="workgroups",
        verbose_name=_("édition"),
    )
    number = models.PositiveSmallIntegerField(_("numéro"))
    name = models.CharField(_("nom ou thème"), max_length=150, blank=True)
    room = models.CharField(_("salle ou table"), max_length=100, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_workgroups",
        verbose_name=_("animateurs"),
    )

    class Meta:
        verbose_name = _("groupe d'atelier")
        verbose_name_plural = _("groupes d'atelier")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="workgroup_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="workgroup_number_positive"
            ),
        ]

    def __str__(self) -> str:
        label = _("Groupe %(number)s") % {"number": self.number}
        return f"{label} — {self.name}" if self.name else str(label)


class Seat(models.Model):
    """A registration sits in one group of its edition; a pinned seat stays put
    when the groups are composed again."""

    workgroup = models.ForeignKey(
        Workgroup, on_delete=models.CASCADE, related_name="seats", verbose_name=_("groupe")
    )
    registration = models.OneToOneField(
        "events.Registration",
        on_delete=models.CASCADE,
        related_name="seat",
        verbose_name=_("inscription"),
    )
    pinned = models.BooleanField(_("épinglé dans ce groupe"), default=False)
    seated_at = models.DateTimeField(_("placé le"), auto_now=True)

    class Meta:
        verbose_name = _("place dans un groupe")
        verbose_name_plural = _("places dans les groupes")
        ordering = ["workgroup", "registration__last_name", "registration__first_name"]

    def __str__(self) -> str:
        return f"{self.registration} → {self.workgroup}"


class ProjectSheet(TimeStampedModel):
    """What a group built in 45 minutes. Every field may stay empty while it is a draft."""

    workgroup = models.OneToOneField(
        Workgroup, on_delete=models.CASCADE, related_name="sheet", verbose_name=_("groupe")
    )
    title = models.CharField(_("titre du projet"), max_length=200, blank=True)
    need = models.TextField(_("besoin ou défi des jeunes"), blank=True, max_length=3000)
    age_min = models.PositiveSmallIntegerField(
        _("âge minimum"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("âge maximum"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    target_public = models.CharField(_("public visé (précisions)"), max_length=250, blank=True)
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="project_sheets", verbose_name=_("quartiers")
    )
    priorities = models.ManyToManyField(
        "contract.Priority",
        blank=True,
        related_name="projects",
        verbose_name=_("priorités du contrat"),
    )
    actions = models.TextField(_("actions"), blank=True, max_length=3000)
    partners = models.ManyToManyField(
        "partners.Actor",
        blank=True,
        related_name="project_sheets",
        verbose_name=_("partenaires de l'annuaire à mobiliser"),
    )
    other_partners = models.TextField(
        _("autres partenaires à mobiliser"), blank=True, max_length=3000
    )
    resources = models.TextField(_("moyens"), blank=True, max_length=3000)
    budget = models.PositiveIntegerField(
        _("budget estimé (euros)"), null=True, blank=True, validators=[MaxValueValidator(10**8)]
    )
    outreach = models.TextField(
        _("aller-vers"),
        blank=True,
        max_length=3000,
        help_text=_("Comment toucher les jeunes éloignés des services et des institutions ?"),
    )
    first_steps = models.TextField(_("premières étapes"), blank=True, max_length=3000)
    indicators = models.TextField(_("indicateurs de réussite"), blank=True, max_length=3000)
    members_present = models.ManyToManyField(
        "events.Registration",
        blank=True,
        related_name="+",
        verbose_name=_("membres du groupe présents"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifiée par"),
    )

    class Meta:
        verbose_name = _("fiche projet")
        verbose_name_plural = _("fiches projet")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_max__gte=models.F("age_min")),
                name="sheet_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.workgroup)


class Criterion(models.Model):
    edition = models.ForeignKey(
        "events.Edition",
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("édition"),
    )
    name = models.CharField(_("critère"), max_length=150)
    description = models.TextField(_("description"), blank=True, max_length=500)
    weight = models.DecimalField(
        _("poids"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale_min = models.PositiveSmallIntegerField(_("note minimale"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("note maximale"), default=5)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["edition", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="criterion_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="criterion_scale_ordered",
            ),
            models.UniqueConstraint(fields=["edition", "name"], name="criterion_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Juror(models.Model):
    edition = models.ForeignKey(
        "events.Edition",
        on_delete=models.CASCADE,
        related_name="jurors",
        verbose_name=_("édition"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="juror_seats",
        verbose_name=_("membre du jury"),
    )

    class Meta:
        verbose_name = _("membre du jury")
        verbose_name_plural = _("membres du jury")
        ordering = ["edition", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="juror_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class ScoreSheet(TimeStampedModel):
    """One juror's scores for one group."""

    juror = models.ForeignKey(
        Juror, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("juré")
    )
    workgroup = models.ForeignKey(
        Workgroup, on_delete=models.CASCADE, related_name="score_sheets", verbose_name=_("groupe")
    )
    comment = models.TextField(_("commentaire"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("grille de notation")
        verbose_name_plural = _("grilles de notation")
        constraints = [
            models.UniqueConstraint(fields=["juror", "workgroup"], name="score_sheet_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.workgroup}"


class Score(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("grille")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("critère")
    )
    value = models.PositiveSmallIntegerField(_("note"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
