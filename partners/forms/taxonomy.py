"""Forms of the organisers' taxonomy pages: themes, competences, publics."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Competence, Public, Theme
from ..services import taxonomy_slug

# A data·inclusion v1 "thématique" code: category--subcategory. The official
# list lives in the data-inclusion-schema package, a test dependency only: the
# tests check the seeded codes against it, the form checks the format.
DI_THEMATIQUE = re.compile(r"^[a-z0-9-]+--[a-z0-9-]+$")

SLUG_HELP = _(
    "Lettres minuscules, chiffres et tirets. Laissez vide pour le former à partir du nom. "
    "Le changer casse les liens déjà partagés vers l'annuaire filtré."
)
ORDER_HELP = _("Du plus petit nombre au plus grand.")
ERROR_MESSAGES = {
    "slug": {"unique": _("Cet identifiant est déjà pris : choisissez-en un autre ou laissez vide.")}
}


class TaxonomyForm(forms.ModelForm):
    """Shared by the three forms: an optional slug, made from the name when left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.slug_generated = False

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        name = self.cleaned_data.get("name")
        if not slug and name:
            slug = taxonomy_slug(self._meta.model, name, exclude_pk=self.instance.pk)
            self.slug_generated = True
        return slug

    def _same_name_exists(self, **filters) -> bool:
        # The database compares names exactly; "santé" and "Santé" are one label too.
        others = self._meta.model.objects.exclude(pk=self.instance.pk)
        return others.filter(**filters).exists()


class ThemeForm(TaxonomyForm):
    class Meta:
        model = Theme
        error_messages = ERROR_MESSAGES
        fields = ["name", "slug", "order"]
        help_texts = {"slug": SLUG_HELP, "order": ORDER_HELP}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if self._same_name_exists(name__iexact=name):
            raise forms.ValidationError(_("Une thématique porte déjà ce nom."))
        return name


class CompetenceForm(TaxonomyForm):
    class Meta:
        model = Competence
        error_messages = ERROR_MESSAGES
        fields = ["theme", "name", "slug", "order", "di_thematiques"]
        help_texts = {
            "slug": SLUG_HELP,
            "order": _(
                "Place de la compétence dans sa thématique, du plus petit nombre au plus grand."
            ),
            "di_thematiques": _(
                "Codes « thématique » du référentiel data·inclusion auxquels correspond la "
                "compétence, séparés par des espaces, comme sante--acces-aux-soins. Recopiez-les "
                "depuis le référentiel : seule leur forme est vérifiée ici. Laissez vide s'il n'y "
                "en a pas."
            ),
        }
        widgets = {"di_thematiques": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})}

    def clean_di_thematiques(self) -> str:
        codes = list(dict.fromkeys(self.cleaned_data["di_thematiques"].lower().split()))
        wrong = [code for code in codes if not DI_THEMATIQUE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _(
                    "Code mal formé : %(codes)s. Un code s'écrit catégorie--sous-catégorie, en "
                    "minuscules, sans accent, comme sante--acces-aux-soins."
                ),
                params={"codes": ", ".join(wrong)},
            )
        return " ".join(codes)

    def clean(self):
        cleaned = super().clean()
        theme, name = cleaned.get("theme"), cleaned.get("name")
        if theme and name and self._same_name_exists(theme=theme, name__iexact=name):
            # The database constraint would report it for the whole form: say it on the name.
            self.add_error("name", _("Cette thématique a déjà une compétence de ce nom."))
        return cleaned


class PublicForm(TaxonomyForm):
    class Meta:
        model = Public
        error_messages = ERROR_MESSAGES
        fields = ["name", "slug", "order", "is_data_inclusion"]
        help_texts = {
            "slug": _(
                "Pour un public du référentiel data·inclusion, c'est son code exact (comme "
                "jeunes ou familles) : il part tel quel dans l'export open data. Sinon, laissez "
                "vide pour le former à partir du nom."
            ),
            "order": ORDER_HELP,
            "is_data_inclusion": _(
                "Cochez seulement si l'identifiant est un code du référentiel data·inclusion."
            ),
        }

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if self._same_name_exists(name__iexact=name):
            raise forms.ValidationError(_("Un public porte déjà ce nom."))
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_data_inclusion") and self.slug_generated:
            self.add_error(
                "slug",
                _("Pour un public data·inclusion, indiquez son code exact dans l'identifiant."),
            )
        return cleaned
