from django import forms
from django.utils.translation import gettext_lazy as _

from contrat_ville.formfields import https_formfield

from .enums import DocumentKind
from .models import Document, NewsItem

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
IMAGE_ACCEPT = "image/png,image/jpeg,image/webp"
DOCUMENT_ACCEPT = ",".join(
    [
        ".pdf",
        ".docx",
        ".xlsx",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".png",
        ".jpg",
        ".jpeg",
        ".webp",
    ]
)


def _has_file(form: forms.ModelForm, name: str) -> bool:
    """A file is there after saving: a new upload, or the stored one kept."""
    value = form.cleaned_data.get(name)
    if value is False:  # "clear" ticked
        return False
    return bool(value) or bool(getattr(form.instance, name))


class NewsItemForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = [
            "title",
            "date",
            "summary",
            "body",
            "image",
            "image_alt",
            "audience",
            "priorities",
            "territories",
        ]
        widgets = {
            "date": DATE_INPUT,
            "body": forms.Textarea(attrs={"rows": 14}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "image": forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
            "audience": forms.RadioSelect,
            "priorities": forms.CheckboxSelectMultiple,
            "territories": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        data = super().clean()
        if _has_file(self, "image") and not (data.get("image_alt") or "").strip():
            self.add_error(
                "image_alt",
                _("Décrivez l'image en quelques mots : sans ce texte, elle ne sera pas publiée."),
            )
        return data


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "kind",
            "title",
            "date",
            "summary",
            "audience",
            "easy_read",
            "file",
            "url",
            "priorities",
            "territories",
        ]
        widgets = {
            "date": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "file": forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
            "audience": forms.RadioSelect,
            "priorities": forms.CheckboxSelectMultiple,
            "territories": forms.CheckboxSelectMultiple,
        }
        formfield_callback = https_formfield

    def clean(self):
        data = super().clean()
        if self.has_error("file") or self.has_error("url"):
            return data
        has_file, has_url = _has_file(self, "file"), bool(data.get("url"))
        if has_file and has_url:
            if self.instance.file and data.get("file") is not False:
                message = _(
                    "Ce document a déjà un fichier : cochez « Effacer » pour le remplacer "
                    "par un lien, ou videz le lien."
                )
            else:
                message = _("Donnez un fichier ou un lien, pas les deux.")
            self.add_error("url", message)
        elif not has_file and not has_url:
            self.add_error("file", _("Déposez un fichier ou donnez un lien vers le document."))
        return data


def _select(label, max_length: int = 100) -> forms.CharField:
    """A drop-down read leniently: its value is looked up, never validated, so that a link
    with a value that no longer exists (a deleted priority) opens the whole list, not an
    error."""
    return forms.CharField(label=label, max_length=max_length, required=False, widget=forms.Select)


class _Filters(forms.Form):
    """The tags' filters, shared by the news list and the library."""

    priorite = _select(_("Priorité du contrat"))
    territoire = _select(_("Territoire"))

    def __init__(self, *args, priorities=(), territories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities = {p.slug: p for p in priorities}
        self.territories = {t.slug: t for t in territories}
        self.fields["priorite"].widget.choices = [("", _("Toutes les priorités"))] + [
            (p.slug, p.title) for p in priorities
        ]
        self.fields["territoire"].widget.choices = [("", _("Tous les territoires"))] + [
            (t.slug, t.name) for t in territories
        ]

    def _clean(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return self.cleaned_data

    def _tags(self, clean: dict) -> dict:
        return {
            "priority": self.priorities.get(clean.get("priorite") or ""),
            "territory": self.territories.get(clean.get("territoire") or ""),
        }


class NewsFilterForm(_Filters):
    def values(self) -> dict:
        return self._tags(self._clean())


class DocumentSearchForm(_Filters):
    """The library's search and filters, read from the query string."""

    q = forms.CharField(label=_("Rechercher un document"), max_length=200, required=False)
    type = _select(_("Type de document"), max_length=20)
    annee = _select(_("Année"), max_length=4)
    falc = forms.BooleanField(
        label=_("Seulement les documents faciles à lire et à comprendre (FALC)"), required=False
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = {str(year): year for year in years}
        self.fields["type"].widget.choices = [("", _("Tous les types")), *DocumentKind.choices]
        self.fields["annee"].widget.choices = [("", _("Toutes les années"))] + [
            (str(year), str(year)) for year in years
        ]

    def values(self) -> dict:
        clean = self._clean()
        kind = clean.get("type") or ""
        return {
            "q": (clean.get("q") or "").strip(),
            "kind": kind if kind in DocumentKind.values else "",
            **self._tags(clean),
            "easy_read": bool(clean.get("falc")),
            "year": self.years.get(clean.get("annee") or ""),
        }
