import re

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .colours import contrast_problems, normalise
from .enums import COLLEGES, LOCAL_TERRITORY_KINDS, PORTAL_ROLES, Role, TerritoryKind
from .formfields import autofill, column_field, https_formfield
from .logos import validate_logo
from .models import PortalIdentity, Signatory, Territory, User
from .services import RESERVED_TERRITORY_SLUGS, territory_slug


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher une personne"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Rôle"),
        required=False,
        choices=[("", _("Tous")), ("none", _("Sans rôle")), *Role.choices],
    )


class UserRolesForm(forms.Form):
    colleges = forms.MultipleChoiceField(
        label=_("Collèges"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[c for c in Role.choices if c[0] in COLLEGES],
        help_text=_("Une personne peut appartenir à plusieurs collèges."),
    )
    portal_roles = forms.MultipleChoiceField(
        label=_("Rôles du portail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[c for c in Role.choices if c[0] in PORTAL_ROLES],
    )

    @classmethod
    def for_roles(cls, roles, **kwargs):
        roles = set(roles)
        return cls(
            initial={
                "colleges": [r for r in roles if r in COLLEGES],
                "portal_roles": [r for r in roles if r in PORTAL_ROLES],
            },
            **kwargs,
        )

    def roles(self) -> set[str]:
        return set(self.cleaned_data["colleges"]) | set(self.cleaned_data["portal_roles"])


class AuditLogFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args, actions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Toutes")), *actions]


# A person's own name, as browsers fill it in.
NAME_TOKENS = {"first_name": "given-name", "last_name": "family-name"}


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up: organisers need a name to attach a college."""

    # Required at sign-up, though the columns allow blank (accounts made by a command).
    first_name = column_field(User, "first_name", label=_("Prénom"), required=True)
    last_name = column_field(User, "last_name", label=_("Nom"), required=True)
    field_order = ["first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autofill(self, NAME_TOKENS)

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        labels = {"first_name": _("Prénom"), "last_name": _("Nom")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autofill(self, NAME_TOKENS)

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()


# Official code formats: QPV code of the 2024 national list (QN07301M), INSEE
# code of a commune (73065, 2A004 in Corsica), SIREN of an EPCI (9 digits).
# A QVA has no national code.
TERRITORY_CODE_FORMATS = {
    TerritoryKind.QPV: (
        re.compile(r"^QN\d{5}[A-Z]$"),
        _("Un code QPV s'écrit QN, 5 chiffres et une lettre, comme QN07301M."),
    ),
    TerritoryKind.COMMUNE: (
        re.compile(r"^(\d{5}|2[AB]\d{3})$"),
        _("Un code INSEE de commune compte 5 caractères, comme 73065 (2A004 en Corse)."),
    ),
    TerritoryKind.EPCI: (
        re.compile(r"^\d{9}$"),
        _("Le SIREN d'une intercommunalité compte 9 chiffres, comme 200069110."),
    ),
}


class TerritoryForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["kind", "code", "name", "slug", "order"]
        error_messages = {
            "slug": {
                "unique": _(
                    "Cet identifiant est déjà pris : choisissez-en un autre ou laissez vide."
                )
            }
        }
        help_texts = {
            "code": _(
                "Code QPV du décret (QN07301M), code INSEE de la commune (73065) ou SIREN "
                "de l'EPCI (9 chiffres) ; laissez vide s'il n'y a pas de code officiel ; "
                "n'inventez jamais de code."
            ),
            "slug": _(
                "Lettres minuscules, chiffres et tirets. Laissez vide pour le former à partir "
                "du nom. Le changer casse les liens déjà partagés vers l'annuaire filtré sur "
                "ce territoire."
            ),
            "order": _("Les territoires s'affichent du plus petit nombre au plus grand."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["code"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_code(self) -> str:
        # "200 069 110" and "qn07301m" are the same codes as typed elsewhere.
        return "".join(self.cleaned_data["code"].split()).upper()

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        name = self.cleaned_data.get("name")
        if not slug and name:
            slug = territory_slug(name, exclude_pk=self.instance.pk)
        if slug in RESERVED_TERRITORY_SLUGS:
            raise forms.ValidationError(
                _("Cet identifiant est réservé à une page du portail : choisissez-en un autre.")
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        kind, code = cleaned.get("kind"), cleaned.get("code")
        if not kind or not code:
            return cleaned
        if kind in LOCAL_TERRITORY_KINDS:
            self.add_error(
                "code",
                _(
                    "Un quartier de veille active ou un secteur local n'a pas de code officiel : "
                    "laissez ce champ vide."
                ),
            )
            return cleaned
        pattern, message = TERRITORY_CODE_FORMATS[kind]
        if not pattern.match(code):
            self.add_error("code", message)
            return cleaned
        # The database's conditional unique constraint would only report a
        # generic error for the whole form: say it next to the code instead.
        # (Once "code" has an error, the form skips that constraint.)
        other = Territory.objects.filter(kind=kind, code=code).exclude(pk=self.instance.pk).first()
        if other is not None:
            self.add_error("code", _("« %(name)s » porte déjà ce code.") % {"name": other.name})
        return cleaned


# -- the installation's identity -------------------------------------------------------------

# Only what the checks accept; the server still reads the content, never this list.
LOGO_ACCEPT = "image/png,image/svg+xml,.png,.svg"
LOGO_HELP = _(
    "Une image PNG ou SVG de 200 Ko au plus (2 000 pixels de côté au plus pour un PNG). Un "
    "SVG ne doit contenir ni script ni lien vers un autre site."
)


class LogoInput(forms.ClearableFileInput):
    """The stored logo shown as an image (served by its view, not from a media URL), a box
    to remove it, and the file input to replace it."""

    template_name = "contrat_ville/widgets/logo_input.html"
    clear_checkbox_label = _("Retirer le logo")
    preview_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = self.preview_url
        return context


class ColourInput(forms.TextInput):
    """``type="color"``: a colour picker in every current browser, no JavaScript needed."""

    input_type = "color"


class IdentityForm(forms.ModelForm):
    class Meta:
        model = PortalIdentity
        fields = ["name", "operator", "operator_url", "logo", "primary_colour"]
        formfield_callback = https_formfield
        widgets = {
            "logo": LogoInput(attrs={"accept": LOGO_ACCEPT}),
            "primary_colour": ColourInput(),
        }
        help_texts = {
            "name": _("Affiché en haut de chaque page, dans les e-mails et sur les documents."),
            "operator_url": _("Adresse complète, par exemple https://www.exemple.fr/."),
            "logo": LOGO_HELP,
            "primary_colour": _(
                "La couleur des liens, des boutons et des titres. Elle doit rester lisible sur "
                "le blanc : le portail refuse une couleur trop claire et dit pourquoi."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].validators = [validate_logo]
        if self.instance.logo:
            self.fields["logo"].widget.preview_url = reverse("identity_logo")
        # A colour input has no maxlength attribute; the field keeps its limit.
        self.fields["primary_colour"].widget.attrs.pop("maxlength", None)
        for name in ("name", "operator"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["operator_url"].widget.attrs["autocomplete"] = "url"

    def clean_primary_colour(self) -> str:
        value = self.cleaned_data["primary_colour"]
        try:
            colour = normalise(value)
        except ValueError:
            raise forms.ValidationError(
                _(
                    "Écrivez la couleur sous la forme #1d4e89 : un dièse puis six chiffres ou "
                    "lettres de a à f."
                ),
                code="colour_format",
            ) from None
        problems = contrast_problems(colour)
        if problems:
            raise forms.ValidationError(
                [forms.ValidationError(p.message, code="colour_contrast") for p in problems]
            )
        return colour


class SignatoryForm(forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["name", "logo", "url", "order"]
        formfield_callback = https_formfield
        widgets = {"logo": LogoInput(attrs={"accept": LOGO_ACCEPT})}
        labels = {"name": _("Nom du signataire")}
        help_texts = {
            "name": _(
                "Lu à voix haute par les lecteurs d'écran à la place du logo, et affiché "
                "quand il n'y a pas de logo."
            ),
            "logo": LOGO_HELP,
            "url": _("Facultatif. Adresse complète, par exemple https://www.exemple.fr/."),
            "order": _("Les signataires s'affichent du plus petit nombre au plus grand."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].validators = [validate_logo]
        if self.instance.pk and self.instance.logo:
            self.fields["logo"].widget.preview_url = reverse(
                "identity_signatory_logo", args=[self.instance.pk]
            )
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["url"].widget.attrs["autocomplete"] = "url"
