from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ContourSource, EmailState, Role, TerritoryKind


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The e-mail address is the identifier."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(
        _("accès à l'administration technique"),
        default=False,
        help_text=_("Permet d'ouvrir l'interface d'administration de Django."),
    )
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.email


class RoleAssignment(models.Model):
    """One global role held by one user (a college or a portal role)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("utilisateur"),
    )
    role = models.CharField(_("rôle"), max_length=40, choices=Role.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attribué par"),
    )
    assigned_at = models.DateTimeField(_("attribué le"), default=timezone.now)

    class Meta:
        verbose_name = _("rôle attribué")
        verbose_name_plural = _("rôles attribués")
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="role_assignment_known_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class AuditLogEntry(models.Model):
    """Who did what, when, on which object. Written by services, never edited."""

    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    # Kept as text so the entry still says who acted after the account is deleted.
    actor_label = models.CharField(_("auteur (texte)"), max_length=254, blank=True)
    # Apps register their own action codes (see contrat_ville.audit), so no choices here.
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("type d'objet"), max_length=100, blank=True)
    target_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    target_label = models.CharField(_("objet"), max_length=254, blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des actions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def action_label(self) -> str:
        from .audit import action_label

        return action_label(self.action)

    @property
    def details(self) -> list[str]:
        """The data as short readable lines: changes as "field: old → new", lists joined."""
        lines = []
        for key, value in self.data.items():
            if key == "changes" and isinstance(value, dict):
                for field, pair in value.items():
                    old, new = (
                        pair if isinstance(pair, list | tuple) and len(pair) == 2 else ("", pair)
                    )
                    lines.append(f"{field} : « {old or '—'} » → « {new or '—'} »")
            elif isinstance(value, list | tuple):
                lines.append(f"{key} : {', '.join(str(v) for v in value) or '—'}")
            else:
                lines.append(f"{key} : {value}")
        return lines

    @property
    def role_label(self) -> str:
        role = self.data.get("role", "")
        return str(Role(role).label) if role in Role.values else role


class Territory(models.Model):
    """Where public action happens: a QPV, a QVA, a town or the agglomeration.

    Reference data every app uses. ``code`` is the official code (QPV code from
    the national list, INSEE code of a town, SIREN of an EPCI) and stays empty
    when there is none: codes are never invented.
    """

    kind = models.CharField(_("type"), max_length=10, choices=TerritoryKind.choices)
    code = models.CharField(
        _("code officiel"),
        max_length=20,
        blank=True,
        help_text=_("Code QPV du décret, code INSEE de la commune ou SIREN de l'EPCI."),
    )
    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(_("identifiant dans les adresses"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=100)
    # Geography (neighbourhoods app): the contour as MultiPolygon coordinates in WGS84
    # ([polygon][ring][vertex][lon, lat]), its bounding box in columns so that "which
    # contours may hold this point" is one indexed query, and the communes it lies in.
    contour = models.JSONField(_("contour"), null=True, blank=True, editable=False)
    contour_source = models.CharField(
        _("source du contour"),
        max_length=10,
        choices=ContourSource.choices,
        blank=True,
        editable=False,
    )
    west = models.FloatField(null=True, blank=True, editable=False)
    south = models.FloatField(null=True, blank=True, editable=False)
    east = models.FloatField(null=True, blank=True, editable=False)
    north = models.FloatField(null=True, blank=True, editable=False)
    insee_codes = models.JSONField(
        _("communes (codes INSEE)"), default=list, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=~models.Q(code=""),
                name="territory_code_unique_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=TerritoryKind.values), name="territory_known_kind"
            ),
            # A contour comes with its box and its source, or not at all.
            models.CheckConstraint(
                condition=(
                    models.Q(contour__isnull=True, west__isnull=True, contour_source="")
                    | models.Q(
                        contour__isnull=False,
                        west__isnull=False,
                        south__isnull=False,
                        east__isnull=False,
                        north__isnull=False,
                        west__lte=models.F("east"),
                        south__lte=models.F("north"),
                    )
                    & ~models.Q(contour_source="")
                ),
                name="territory_contour_with_box",
            ),
        ]
        indexes = [models.Index(fields=["west", "east", "south", "north"], name="territory_box")]

    def __str__(self) -> str:
        return self.name

    @property
    def reference(self) -> str:
        """How exports and imports name the territory: its code, else its slug."""
        return self.code or self.slug


class RateLimitCounter(models.Model):
    """Hits of one client or address in one time window, shared by every process.

    ``key`` is a keyed hash of the scope, the window length and the identifier (an IP
    address, an e-mail address): the table never holds them in clear."""

    key = models.CharField(_("clé"), max_length=64)
    window = models.BigIntegerField(_("fenêtre"))
    hits = models.PositiveIntegerField(_("requêtes"), default=1)
    expires_at = models.DateTimeField(_("expire le"), db_index=True)

    class Meta:
        verbose_name = _("compteur de limite de débit")
        verbose_name_plural = _("compteurs de limite de débit")
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="rate_limit_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.window}: {self.hits}"


class OutboxEmail(models.Model):
    """What every outbox row shares: an e-mail the portal owes someone, recorded in the
    transaction that makes it owed, sent after commit, retried by ``send_pending_emails``
    while it fails (``contrat_ville.outbox``). A failure never undoes the write."""

    recipient = models.EmailField(_("destinataire"), max_length=254)
    state = models.CharField(
        _("état"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        abstract = True
        # Oldest first: the order of sending and of retries.
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "created_at"])]


class AccountEmail(OutboxEmail):
    """An account e-mail (verification link, login code, password reset), rendered when it
    is owed. Its text carries a secret: it is erased once sent, and an unsent one is never
    sent after ``expires_at`` (a login code lives minutes)."""

    template = models.CharField(_("modèle"), max_length=100)
    from_email = models.CharField(_("expéditeur"), max_length=254, blank=True)
    subject = models.CharField(_("objet"), max_length=255)
    body = models.TextField(_("texte"), blank=True)
    html_body = models.TextField(_("texte HTML"), blank=True)
    expires_at = models.DateTimeField(_("à envoyer avant le"))

    class Meta(OutboxEmail.Meta):
        verbose_name = _("e-mail de compte")
        verbose_name_plural = _("e-mails de compte")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=EmailState.values), name="account_email_known_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient}"


# -- the installation's identity -------------------------------------------------------------


def identity_default_name() -> str:
    return settings.PORTAL_SITE_NAME


def identity_default_operator() -> str:
    return settings.PORTAL_OPERATOR["name"]


def _validate_logo(file) -> None:
    from .logos import validate_logo

    validate_logo(file)


def _pending_upload(field_file):
    """The upload being saved (assigned, not yet committed); None when FieldFile.save() is
    called directly, which does not show its content here (the logo is still served by
    its content, see contrat_ville.logos)."""
    return field_file.file if field_file and not field_file._committed else None


def operator_logo_path(instance: "PortalIdentity", filename: str) -> str:
    from .logos import logo_path

    return logo_path("operateur", _pending_upload(instance.logo))


def signatory_logo_path(instance: "Signatory", filename: str) -> str:
    from .logos import logo_path

    return logo_path("signataire", _pending_upload(instance.logo))


class PortalIdentity(models.Model):
    """How this installation presents itself: name, operator, logo and primary colour.

    One row per installation: the primary key is fixed and the database refuses any other.
    Read through ``selectors.portal_identity()``, one query."""

    SINGLETON_PK = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_PK, editable=False)
    name = models.CharField(_("nom du portail"), max_length=150, default=identity_default_name)
    operator = models.CharField(
        _("opérateur"),
        max_length=150,
        default=identity_default_operator,
        help_text=_("La collectivité qui porte le portail, par exemple « Grand Chambéry »."),
    )
    operator_url = models.URLField(_("site de l'opérateur"), max_length=200, blank=True)
    logo = models.FileField(
        _("logo de l'opérateur"),
        upload_to=operator_logo_path,
        blank=True,
        validators=[_validate_logo],
    )
    primary_colour = models.CharField(_("couleur principale"), max_length=7, default="#1d4e89")
    # What the footer shows of the signatories (name, logo URL, site), rewritten by every
    # signatory write: every page then reads the whole identity in one small query.
    signatories_shown = models.JSONField(default=list, blank=True, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifié par"),
    )

    class Meta:
        verbose_name = _("identité du portail")
        verbose_name_plural = _("identité du portail")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="portal_identity_singleton"),
            models.CheckConstraint(
                condition=models.Q(primary_colour__regex=r"^#[0-9a-f]{6}$"),
                name="portal_identity_colour_hex",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Signatory(models.Model):
    """A signatory of the contract (the State, a town, the CAF…), shown in the footer."""

    name = models.CharField(_("nom"), max_length=150)
    logo = models.FileField(
        _("logo"), upload_to=signatory_logo_path, blank=True, validators=[_validate_logo]
    )
    url = models.URLField(_("site"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=100)

    class Meta:
        verbose_name = _("signataire")
        verbose_name_plural = _("signataires")
        ordering = ["order", "name", "pk"]

    def __str__(self) -> str:
        return self.name
