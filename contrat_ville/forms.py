import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import COLLEGES, PORTAL_ROLES, Role, TerritoryKind
from .formfields import autofill, column_field
from .models import Territory, User
from .services import territory_slug


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
        return slug

    def clean(self):
        cleaned = super().clean()
        kind, code = cleaned.get("kind"), cleaned.get("code")
        if not kind or not code:
            return cleaned
        if kind == TerritoryKind.QVA:
            self.add_error(
                "code",
                _("Un quartier de veille active n'a pas de code officiel : laissez ce champ vide."),
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
