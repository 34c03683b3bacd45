from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contract.models import Priority
from contrat_ville.models import Territory, TimeStampedModel
from contrat_ville.uploads import UNKNOWN_EXTENSION, image_extension

from .enums import Audience, DocumentKind, Status
from .markup import render_markdown
from .uploads import document_type, validate_document_file, validate_news_image


def _pending_file(field_file):
    """The upload being saved (assigned, not yet committed), or None."""
    if field_file and not field_file._committed:
        return field_file.file
    return None


def news_image_path(instance: "NewsItem", filename: str) -> str:
    """The stored name: the item's slug and an extension read from the content."""
    upload = _pending_file(instance.image)
    extension = image_extension(upload) if upload is not None else UNKNOWN_EXTENSION
    return f"news/{instance.slug}-{timezone.now():%Y%m%d%H%M%S}.{extension}"


def document_path(instance: "Document", filename: str) -> str:
    upload = _pending_file(instance.file)
    kind = document_type(upload) if upload is not None else None
    extension = kind.extension if kind else UNKNOWN_EXTENSION
    return f"documents/{instance.slug}-{timezone.now():%Y%m%d%H%M%S}.{extension}"


class Publishable(TimeStampedModel):
    """What news items and documents share: a title, an audience, a status and tags."""

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse de la page"), max_length=100, unique=True)
    summary = models.CharField(
        _("résumé"),
        max_length=400,
        help_text=_("Une ou deux phrases, affichées dans les listes et les flux."),
    )
    audience = models.CharField(
        _("qui peut le lire"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("rédigé par"),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC


def _common_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=models.Q(audience__in=Audience.values), name=f"{prefix}_known_audience"
        ),
        models.CheckConstraint(
            condition=models.Q(status__in=Status.values), name=f"{prefix}_known_status"
        ),
        models.CheckConstraint(condition=~models.Q(slug=""), name=f"{prefix}_slug_not_empty"),
        models.CheckConstraint(condition=~models.Q(title=""), name=f"{prefix}_title_not_empty"),
        # Once published, an item keeps the date it first went out.
        models.CheckConstraint(
            condition=~models.Q(status=Status.PUBLISHED) | models.Q(published_at__isnull=False),
            name=f"{prefix}_published_has_date",
        ),
    ]


class NewsItem(Publishable):
    """A short news item (actualité)."""

    date = models.DateField(_("date de publication"), default=timezone.localdate)
    body = models.TextField(
        _("texte"),
        max_length=20000,
        help_text=_(
            "Markdown simple : **gras**, *italique*, [lien](https://…), listes avec « - », "
            "intertitres avec « ## ». Pas d'image ni de code HTML dans le texte."
        ),
    )
    image = models.FileField(
        _("image"),
        upload_to=news_image_path,
        blank=True,
        validators=[validate_news_image],
        help_text=_("Facultative : PNG, JPEG ou WebP."),
    )
    image_alt = models.CharField(
        _("texte de remplacement de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Ce que montre l'image, pour qui ne la voit pas. Obligatoire avec une image."),
    )
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="news_items", verbose_name=_("priorités du contrat")
    )
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="news_items", verbose_name=_("territoires")
    )

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["status", "audience", "-date"], name="news_listing")]
        constraints = [
            *_common_constraints("news"),
            models.CheckConstraint(
                condition=models.Q(image="") | ~models.Q(image_alt=""),
                name="news_image_has_alt",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def body_html(self):
        return render_markdown(self.body)


class Document(Publishable):
    """A document of the library: a stored file or a link, never both, never neither."""

    kind = models.CharField(_("type de document"), max_length=12, choices=DocumentKind.choices)
    date = models.DateField(_("date du document"), default=timezone.localdate)
    easy_read = models.BooleanField(
        _("facile à lire et à comprendre (FALC)"),
        default=False,
        help_text=_("Écrit selon les règles européennes du « facile à lire et à comprendre »."),
    )
    file = models.FileField(
        _("fichier"),
        upload_to=document_path,
        blank=True,
        validators=[validate_document_file],
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument ou image (PNG, JPEG, WebP). "
            "Ou bien un lien, ci-dessous."
        ),
    )
    url = models.URLField(
        _("lien vers le document"),
        max_length=500,
        blank=True,
        help_text=_(
            "Un document publié ailleurs (site de l'État, de la ville…), à la place d'un fichier."
        ),
    )
    # Read from the content at upload: the library shows "PDF, 120 Ko" without opening files.
    file_label = models.CharField(_("format"), max_length=40, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("taille"), null=True, blank=True, editable=False)
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="documents", verbose_name=_("priorités du contrat")
    )
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="documents", verbose_name=_("territoires")
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["status", "audience", "-date"], name="document_listing")]
        constraints = [
            *_common_constraints("document"),
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="document_known_kind"
            ),
            # Exactly one of a file and a link.
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url=""))
                | (~models.Q(file="") & models.Q(url="")),
                name="document_file_xor_url",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", kwargs={"slug": self.slug})

    @property
    def download_url(self) -> str:
        if self.file:
            return reverse("documents:file", kwargs={"slug": self.slug})
        return self.url
