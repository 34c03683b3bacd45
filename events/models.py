import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrat_ville.enums import EmailState
from contrat_ville.models import OutboxEmail, Territory, TimeStampedModel

from .enums import (
    Audience,
    College,
    EditionStatus,
    EmailKind,
    EventKind,
    ProgrammeKind,
    RegistrationSource,
    RegistrationStatus,
    TrainingLevel,
    TrainingStatus,
)


def new_token() -> str:
    """The secret of a manage link: 256 random bits, URL-safe, never a sequence."""
    return secrets.token_urlsafe(32)


def new_checkin_code() -> str:
    """What the badge's QR code carries. Separate from the manage token, so a
    photographed badge cannot cancel anyone's registration."""
    return secrets.token_urlsafe(12)


class Training(TimeStampedModel):
    """A training of the catalogue. People register to one of its sessions, each an
    ``Edition`` of kind "formation", run by the same engine as the rencontre."""

    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(_("adresse de la page"), max_length=80, unique=True)
    theme = models.CharField(_("thème"), max_length=150)
    summary = models.CharField(_("en une phrase"), max_length=300)
    description = models.TextField(_("présentation"), blank=True, max_length=5000)
    public = models.CharField(
        _("pour qui"), max_length=300, help_text=_("Par exemple : animateurs jeunesse, bénévoles.")
    )
    level = models.CharField(
        _("niveau"), max_length=12, choices=TrainingLevel.choices, default=TrainingLevel.DISCOVERY
    )
    prerequisites = models.TextField(_("prérequis"), blank=True, max_length=1000)
    trainer = models.CharField(_("formateur ou formatrice"), max_length=200)
    status = models.CharField(
        _("statut"), max_length=10, choices=TrainingStatus.choices, default=TrainingStatus.DRAFT
    )

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=TrainingStatus.values), name="training_known_status"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=TrainingLevel.values), name="training_known_level"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:training", kwargs={"slug": self.slug})


class Edition(TimeStampedModel):
    """One event people register to: a year's rencontre, a training session, a body's
    meeting, a thematic workshop. The kind decides its URLs (a rencontre is found by its
    year, the others by their number) and what its page shows; the engine is the same."""

    kind = models.CharField(
        _("type d'événement"), max_length=12, choices=EventKind.choices, default=EventKind.RENCONTRE
    )
    # A rencontre's year is its key (unique among rencontres); the others' is their date's.
    year = models.PositiveSmallIntegerField(_("année"))
    training = models.ForeignKey(
        Training,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("formation"),
    )
    body = models.ForeignKey(
        "contract.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("instance"),
    )
    audience = models.CharField(
        _("inscription ouverte à"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.EVERYONE,
    )
    per_organisation_limit = models.PositiveSmallIntegerField(
        _("places par structure"),
        null=True,
        blank=True,
        help_text=_("Laisser vide pour ne pas limiter."),
    )
    online_url = models.URLField(_("lien de la visioconférence"), blank=True, max_length=500)
    # The slides of a rencontre, a training's handouts: shown on its page to those who may
    # read each one, and sent with the attendance certificates.
    documents = models.ManyToManyField(
        "news.Document", blank=True, related_name="editions", verbose_name=_("documents")
    )
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
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(kind=EventKind.RENCONTRE),
                name="edition_one_rencontre_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values), name="edition_known_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(audience__in=Audience.values), name="edition_known_audience"
            ),
            # A session belongs to its training, a meeting to its body, and nothing else does.
            models.CheckConstraint(
                condition=models.Q(kind=EventKind.TRAINING, training__isnull=False)
                | (~models.Q(kind=EventKind.TRAINING) & models.Q(training__isnull=True)),
                name="edition_training_iff_session",
            ),
            models.CheckConstraint(
                condition=models.Q(body__isnull=True) | models.Q(kind=EventKind.MEETING),
                name="edition_body_only_for_meetings",
            ),
            models.CheckConstraint(
                condition=models.Q(per_organisation_limit__isnull=True)
                | models.Q(per_organisation_limit__gte=1),
                name="edition_organisation_limit_positive",
            ),
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
    def is_rencontre(self) -> bool:
        return self.kind == EventKind.RENCONTRE

    @property
    def url_kwargs(self) -> dict:
        return {"year": self.year} if self.is_rencontre else {"event": self.pk}

    def url(self, name: str, **extra) -> str:
        """The URL of one of this event's pages: the rencontre keeps /rencontres/<year>/,
        the other kinds share the same views under /evenements/<number>/."""
        namespace = "events" if self.is_rencontre else "occasions"
        return reverse(f"{namespace}:{name}", kwargs={**self.url_kwargs, **extra})

    def get_absolute_url(self) -> str:
        return self.url("edition")

    @property
    def file_stem(self) -> str:
        """What names its downloads: the rencontre's year (badges-2025.pdf), or the kind and
        number of another event (badges-formation-12.pdf)."""
        return str(self.year) if self.is_rencontre else f"{self.kind}-{self.pk}"

    @property
    def calendar_name(self) -> str:
        # Also the iCalendar UID's left part: stable, so a calendar updates the event.
        return f"rencontre-{self.year}" if self.is_rencontre else self.file_stem

    def all_days(self) -> list[tuple[datetime, datetime]]:
        """Start and end of each of its days, the first included (uses a prefetch of days)."""
        return [(self.starts, self.ends)] + [(day.starts, day.ends) for day in self.days.all()]

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


class EventDay(models.Model):
    """A further date of an event held over several days (a training in two half-days).
    The first day is the event's own date."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="days", verbose_name=_("événement")
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("heure de début"))
    ends_at = models.TimeField(_("heure de fin"))

    class Meta:
        verbose_name = _("autre date")
        verbose_name_plural = _("autres dates")
        ordering = ["edition", "date", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "date"], name="event_day_once"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_day_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}"

    @property
    def starts(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.starts_at))

    @property
    def ends(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.ends_at))


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
    # Only that an answer was given: the answer itself is stored apart, with no link back.
    survey_answered = models.BooleanField(_("a répondu au questionnaire"), default=False)

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


# The survey's 1-5 questions, in the order they are asked.
SURVEY_SCORES = ("overall", "content", "facilitation", "usefulness", "logistics")


def _score(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"survey_{name}_1_to_5"
    )


class SurveyResponse(models.Model):
    """One anonymous answer to the satisfaction survey of an event.

    No registration, no person and no time of day: only the event and the day, so the
    organisers read what was said, never who said it."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("événement"),
    )
    answered_on = models.DateField(_("date de réponse"), default=timezone.localdate)
    overall = models.PositiveSmallIntegerField(_("satisfaction générale"))
    content = models.PositiveSmallIntegerField(_("contenu"))
    facilitation = models.PositiveSmallIntegerField(_("animation"))
    usefulness = models.PositiveSmallIntegerField(_("utilité pour votre travail"))
    logistics = models.PositiveSmallIntegerField(_("organisation pratique"))
    comment = models.TextField(_("commentaire"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("réponse au questionnaire")
        verbose_name_plural = _("réponses au questionnaire")
        # Not by pk: the order of the answers must not follow the order of arrivals.
        ordering = ["edition", "comment"]
        constraints = [_score(name) for name in SURVEY_SCORES]

    def __str__(self) -> str:
        return f"{self.edition} — {self.overall}/5"


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
