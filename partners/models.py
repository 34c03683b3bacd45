import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinLengthValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrat_ville.models import Territory, TimeStampedModel
from contrat_ville.uploads import UNKNOWN_EXTENSION, image_extension

from .enums import (
    ActorKind,
    ActorStatus,
    GovernanceBody,
    JoinRequestKind,
    JoinRequestStatus,
    LocationSource,
    MembershipRole,
    UpdateFrequency,
)
from .validators import validate_logo, validate_rna, validate_siret


class Theme(models.Model):
    """First level of the competence taxonomy (youth, health, housing…)."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant dans les adresses"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=100)

    class Meta:
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Competence(models.Model):
    """What an actor does, under one theme; may carry data·inclusion codes."""

    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="competences", verbose_name=_("thématique")
    )
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant dans les adresses"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=100)
    # Space-separated data·inclusion v1 "thématique" codes this competence matches.
    di_thematiques = models.CharField(
        _("codes thématiques data·inclusion"), max_length=500, blank=True
    )

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["theme__order", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "name"], name="competence_name_per_theme"),
        ]

    def __str__(self) -> str:
        return self.name


class Public(models.Model):
    """Who an actor serves; the slug is the data·inclusion code where one exists."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant dans les adresses"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=100)
    is_data_inclusion = models.BooleanField(_("code data·inclusion"), default=False)

    class Meta:
        verbose_name = _("public cible")
        verbose_name_plural = _("publics cibles")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


def logo_path(instance: "Actor", filename: str) -> str:
    """The name of an uploaded logo: the actor's, and an extension read from the upload's
    content, never from the client's file name (a PNG sent as logo.pdf is a .png)."""
    pending = instance.logo  # the upload being saved: assigned, not yet committed
    uploading = pending and not pending._committed
    # FieldFile.save() called directly does not show its content here: no extension then
    # (the logo is still served by its content, see contrat_ville.uploads).
    extension = image_extension(pending.file) if uploading else UNKNOWN_EXTENSION
    return f"logos/{instance.slug}-{timezone.now():%Y%m%d%H%M%S}.{extension}"


class Actor(TimeStampedModel):
    """A structure in the directory."""

    # 3 to 150 characters: the bounds of data·inclusion's "nom", so every actor exports.
    name = models.CharField(_("nom"), max_length=150, validators=[MinLengthValidator(3)])
    slug = models.SlugField(_("identifiant"), max_length=160, unique=True)
    kind = models.CharField(_("type de structure"), max_length=30, choices=ActorKind.choices)
    summary = models.CharField(
        _("présentation courte"),
        max_length=280,
        help_text=_("Une ou deux phrases, affichées dans les résultats de recherche."),
    )
    description = models.TextField(_("présentation détaillée"), blank=True, max_length=5000)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postcode = models.CharField(
        _("code postal"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Un code postal compte 5 chiffres."))],
    )
    town = models.CharField(_("commune"), max_length=100, blank=True)
    insee_code = models.CharField(
        _("code INSEE de la commune"),
        max_length=5,
        blank=True,
        validators=[
            RegexValidator(
                r"^(\d{5}|2[AB]\d{3})$", _("Un code INSEE compte 5 caractères, comme 73065.")
            )
        ],
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse e-mail publique"), blank=True)
    website = models.URLField(_("site web"), blank=True, max_length=300)
    siret = models.CharField(
        _("numéro SIRET"), max_length=14, blank=True, validators=[validate_siret]
    )
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[validate_rna])
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True, validators=[validate_logo])
    opening_hours = models.TextField(
        _("horaires d'accueil"),
        blank=True,
        max_length=1000,
        help_text=_("Par exemple : du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h."),
    )
    accessibility = models.TextField(
        _("accessibilité"),
        blank=True,
        max_length=1000,
        help_text=_("Accès en fauteuil, boucle magnétique, accueil en langue des signes…"),
    )
    # The point on the map (WGS84): geocoded from the address, or typed by a member.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    location_source = models.CharField(
        _("origine de la position"),
        max_length=10,
        choices=LocationSource.choices,
        blank=True,
        default=LocationSource.NONE,
    )
    # The neighbourhood holding the point, computed by the services (never typed).
    located_in = models.ForeignKey(
        Territory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="located_actors",
        verbose_name=_("adresse située dans"),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=ActorStatus.choices, default=ActorStatus.PENDING
    )
    territories = models.ManyToManyField(
        Territory, related_name="actors", blank=True, verbose_name=_("territoires d'intervention")
    )
    competences = models.ManyToManyField(
        Competence, related_name="actors", blank=True, verbose_name=_("compétences")
    )
    publics = models.ManyToManyField(
        Public, related_name="actors", blank=True, verbose_name=_("publics cibles")
    )
    # The contract's priorities the actor serves (its page lists the published ones).
    priorities = models.ManyToManyField(
        "contract.Priority",
        related_name="actors",
        blank=True,
        verbose_name=_("priorités du contrat"),
    )
    last_verified_on = models.DateField(_("vérifié le"), default=datetime.date.today)
    update_frequency = models.PositiveSmallIntegerField(
        _("fréquence de mise à jour"),
        choices=UpdateFrequency.choices,
        default=UpdateFrequency.YEARLY,
    )
    # Derived from the two fields above so "stale" is one indexed comparison.
    review_due_on = models.DateField(_("à revoir le"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposé par"),
    )
    # Search support, kept up to date by services.actor_search_index:
    # name = the name, lower-case and without accents (fallback ranking);
    # keywords = competences, themes, publics and territories as plain text;
    # search_text = everything, lower-case and without accents (portable fallback);
    # search_vector = the weighted French document (PostgreSQL only, GIN-indexed).
    search_name = models.CharField(max_length=150, editable=False, blank=True, default="")
    search_keywords = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")
        ordering = ["name"]
        indexes = [
            # The directory lists published actors by name, 20 at a time.
            models.Index(fields=["status", "name", "id"], name="actor_status_name_idx"),
            models.Index(fields=["status", "-updated_at"], name="actor_status_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActorStatus.values), name="actor_known_status"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ActorKind.values), name="actor_known_kind"
            ),
            models.UniqueConstraint(
                fields=["siret"], condition=~models.Q(siret=""), name="actor_siret_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(review_due_on__gte=models.F("last_verified_on")),
                name="actor_review_after_verification",
            ),
            # A point has both coordinates, on the globe, or none at all. (isnull=False is
            # needed: a comparison with NULL is not false, so it would let half a point in.)
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="actor_point_complete_and_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(location_source__in=LocationSource.values),
                name="actor_known_location_source",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == ActorStatus.PUBLISHED

    @property
    def is_stale(self) -> bool:
        return self.review_due_on < timezone.localdate()


class ActorGovernanceBody(models.Model):
    """One seat of an actor in one of the contract's bodies."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="bodies")
    body = models.CharField(_("instance"), max_length=40, choices=GovernanceBody.choices)
    # The contract's page of that body (contract.Body.directory_code), when it has one: a
    # relation on the code, with no column of its own, so a body's page lists its member
    # organisations (``body.seats``) from these same seats.
    contract_body = models.ForeignObject(
        "contract.Body",
        on_delete=models.DO_NOTHING,
        from_fields=["body"],
        to_fields=["directory_code"],
        related_name="seats",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("instance de gouvernance")
        verbose_name_plural = _("instances de gouvernance")
        ordering = ["body"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "body"], name="actor_body_unique"),
            models.CheckConstraint(
                condition=models.Q(body__in=GovernanceBody.values), name="actor_body_known"
            ),
        ]
        indexes = [models.Index(fields=["body", "actor"], name="actor_body_idx")]

    def __str__(self) -> str:
        return self.get_body_display()


class ContactPerson(models.Model):
    """A named person to call at the actor: partners only, never public."""

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("acteur")
    )
    name = models.CharField(_("nom et prénom"), max_length=150)
    function = models.CharField(_("fonction"), max_length=150, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("personne contact")
        verbose_name_plural = _("personnes contact")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user who may keep an actor's profile up to date."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="actor_memberships"
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["actor", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "user"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=MembershipRole.values), name="membership_known_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.actor}"


class JoinRequest(models.Model):
    """A user asks to join an actor, or to claim its profile; an organiser decides."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    kind = models.CharField(_("demande"), max_length=10, choices=JoinRequestKind.choices)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    decided_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traité par"),
    )

    class Meta:
        verbose_name = _("demande d'accès à une fiche")
        verbose_name_plural = _("demandes d'accès aux fiches")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "user"],
                condition=models.Q(status="pending"),
                name="join_request_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=JoinRequestKind.values), name="join_request_known_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=JoinRequestStatus.values),
                name="join_request_known_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.actor} ({self.get_kind_display()})"


class SearchTerm(models.Model):
    """Every word of the published directory, for typo tolerance (pg_trgm)."""

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("mot du répertoire")
        verbose_name_plural = _("mots du répertoire")

    def __str__(self) -> str:
        return self.word


class DirectoryState(models.Model):
    """One row whose version changes with every write that can change a search.

    The directory caches its counts and result pages under this version, so a
    cached answer is never older than the data (see selectors.directory_search).
    """

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("état de l'annuaire")
        verbose_name_plural = _("état de l'annuaire")

    def __str__(self) -> str:
        return str(self.version)
