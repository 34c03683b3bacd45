import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrat_ville.enums import EmailState
from contrat_ville.models import OutboxEmail, Territory, TimeStampedModel

from .enums import (
    College,
    EditionStatus,
    EmailKind,
    ProgrammeKind,
    RegistrationSource,
    RegistrationStatus,
)


def new_token() -> str:
    """The secret of a manage link: 256 random bits, URL-safe, never a sequence."""
    return secrets.token_urlsafe(32)


def new_checkin_code() -> str:
    """What the badge's QR code carries. Separate from the manage token, so a
    photographed badge cannot cancel anyone's registration."""
    return secrets.token_urlsafe(12)


class Edition(TimeStampedModel):
    """One annual rencontre."""

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("heure de début"))
    ends_at = models.TimeField(_("heure de fin"))
    venue_name = models.CharField(_("lieu"), max_length=150)
    venue_address = models.CharField(_("adresse du lieu"), max_length=250, blank=True)
    description = models.TextField(_("présentation"), blank=True, max_length=5000)
    aims = models.TextField(
        _("objectifs"), blank=True, max_length=2000, help_text=_("Un objectif par ligne.")
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        help_text=_("Au-delà, les inscriptions vont en liste d'attente."),
    )
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"), null=True, blank=True
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    group_count = models.PositiveSmallIntegerField(_("nombre de groupes d'atelier"), default=17)

    class Meta:
        verbose_name = _("édition")
        verbose_name_plural = _("éditions")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EditionStatus.values), name="edition_known_status"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="edition_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(group_count__gte=1), name="edition_at_least_one_group"
            ),
            models.CheckConstraint(
                condition=models.Q(registration_opens_at__isnull=True)
                | models.Q(registration_closes_at__isnull=True)
                | models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="edition_registration_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def starts(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.starts_at))

    @property
    def ends(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.ends_at))

    @property
    def is_public(self) -> bool:
        return self.status != EditionStatus.DRAFT

    def registration_is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == EditionStatus.OPEN
            and (self.registration_opens_at is None or self.registration_opens_at <= now)
            and (self.registration_closes_at is None or now < self.registration_closes_at)
            and now < self.ends
        )

    def aims_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.aims.splitlines() if line.strip(" -•\t")]


class ProgrammeItem(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="programme", verbose_name=_("édition")
    )
    starts_at = models.TimeField(_("heure"))
    ends_at = models.TimeField(_("fin"), null=True, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=ProgrammeKind.choices)
    speakers = models.CharField(_("intervenants"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("temps du programme")
        verbose_name_plural = _("programme")
        ordering = ["edition", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ProgrammeKind.values), name="programme_known_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="programme_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M} {self.title}"


class Registration(TimeStampedModel):
    """One person's registration to one edition.

    The e-mail is stored lower-cased, so the unique constraint is the
    case-blind "one registration per (edition, e-mail)". Anonymised rows keep
    college, neighbourhood, status and check-in for the year-on-year counts.
    """

    edition = models.ForeignKey(
        Edition,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("édition"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    checkin_code = models.CharField(
        max_length=32, unique=True, default=new_checkin_code, editable=False
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("compte"),
    )
    actor = models.ForeignKey(
        "partners.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("structure de l'annuaire"),
    )
    organisation = models.CharField(_("structure"), max_length=200, blank=True)
    college = models.CharField(_("collège"), max_length=40, choices=College.choices)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("quartier"),
    )
    accessibility_needs = models.TextField(
        _("besoins d'accessibilité"), blank=True, max_length=1000
    )
    dietary_needs = models.TextField(_("régime alimentaire"), blank=True, max_length=1000)
    image_consent = models.BooleanField(_("accord pour le droit à l'image"), default=False)
    listed = models.BooleanField(_("figure sur la liste des participants"), default=False)
    privacy_acknowledged_at = models.DateTimeField(
        _("notice de confidentialité acceptée le"), null=True, blank=True
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=RegistrationStatus.choices, db_index=True
    )
    # Order of the waiting list: set each time the person joins it.
    queued_at = models.DateTimeField(_("en liste d'attente depuis"), null=True, blank=True)
    source = models.CharField(
        _("origine"),
        max_length=10,
        choices=RegistrationSource.choices,
        default=RegistrationSource.ONLINE,
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("arrivée à"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("arrivée enregistrée par"),
    )
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "email"],
                condition=~models.Q(email=""),
                name="registration_one_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values),
                name="registration_known_status",
            ),
            models.CheckConstraint(
                condition=models.Q(college__in=College.values),
                name="registration_known_college",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=RegistrationStatus.WAITING)
                | models.Q(queued_at__isnull=False),
                name="registration_waiting_has_queue_time",
            ),
            models.CheckConstraint(
                condition=models.Q(checked_in_at__isnull=True)
                | models.Q(status=RegistrationStatus.CONFIRMED),
                name="registration_checked_in_is_confirmed",
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "status", "queued_at"]),
        ]

    def __str__(self) -> str:
        return self.full_name or str(_("Inscription anonymisée"))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def organisation_label(self) -> str:
        return self.actor.name if self.actor_id else self.organisation


class OutboundEmail(OutboxEmail):
    """An e-mail the portal owes a participant (or an invited person). Written in the
    same transaction as the registration, sent after commit; a failure stays here for
    ``send_pending_emails`` to retry, and never undoes the registration."""

    kind = models.CharField(_("type"), max_length=20, choices=EmailKind.choices)
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="emails", verbose_name=_("édition")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("inscription"),
    )

    class Meta(OutboxEmail.Meta):
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EmailKind.values), name="email_known_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=EmailState.values), name="email_known_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"
