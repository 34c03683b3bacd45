"""Forms of the directory: search, actor profile, contacts, requests
(this module), and the taxonomy pages (taxonomy.py)."""

import math

from django import forms
from django.utils.translation import gettext_lazy as _

from contract.models import Priority
from contrat_ville.formfields import TelInput, autofill, column_field, https_formfield
from contrat_ville.models import Territory
from neighbourhoods.geometry import in_france

from ..enums import (
    ActorKind,
    ActorStatus,
    DirectorySort,
    GovernanceBody,
    JoinRequestKind,
    TerritoryScope,
)
from ..models import Actor, Competence, ContactPerson, JoinRequest, Public
from ..selectors import DirectoryQuery, DirectoryReference


class SlugChoices(forms.MultipleChoiceField):
    """Multiple values in the query string; unknown values are ignored, not an error,
    so an old shared link whose filter was renamed still opens."""

    def validate(self, value):
        pass

    def clean(self, value):
        value = self.to_python(value)
        allowed = {str(k) for k, _label in self.choices}
        return [v for v in value if v in allowed]


class LenientChoice(forms.ChoiceField):
    """One value in the query string; an unknown one is taken as the default (""), so that
    it does not make the whole search form invalid and drop the other filters."""

    def validate(self, value):
        pass

    def clean(self, value):
        value = self.to_python(value)
        return value if value in {str(k) for k, _label in self.choices} else ""


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    territoire = SlugChoices(label=_("Territoire"), required=False)
    competence = SlugChoices(label=_("Compétence"), required=False)
    public = SlugChoices(label=_("Public"), required=False)
    type = SlugChoices(label=_("Type de structure"), required=False, choices=ActorKind.choices)
    instance = SlugChoices(
        label=_("Instance de gouvernance"), required=False, choices=GovernanceBody.choices
    )
    # "Working in" (the default, so older links keep their meaning) or "located in".
    acteurs = LenientChoice(label=_("Acteurs"), required=False, choices=TerritoryScope.choices)
    tri = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[("", _("Pertinence, sinon nom")), *DirectorySort.choices],
    )

    def __init__(self, *args, reference: DirectoryReference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].choices = [(t.slug, t.name) for t in reference.territories]
        self.fields["competence"].choices = [(c.slug, c.name) for c in reference.competences]
        self.fields["public"].choices = [(p.slug, p.name) for p in reference.publics]

    def query(self) -> DirectoryQuery:
        data = self.cleaned_data if self.is_valid() else {}
        return DirectoryQuery(
            q=(data.get("q") or "").strip(),
            territories=tuple(data.get("territoire") or ()),
            competences=tuple(data.get("competence") or ()),
            publics=tuple(data.get("public") or ()),
            kinds=tuple(data.get("type") or ()),
            bodies=tuple(data.get("instance") or ()),
            sort=data.get("tri") or "",
            # "Working in" is the default: the query says so with "".
            scope=TerritoryScope.LOCATED if data.get("acteurs") == TerritoryScope.LOCATED else "",
        )


class CompetenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.theme.name} — {obj.name}"


# The profile form's fields, in the order and groups the page shows them.
ACTOR_FIELDSETS = (
    (_("La structure"), ("name", "kind", "summary", "description")),
    (
        _("Ce qu'elle fait, pour qui, où"),
        ("territories", "competences", "publics", "priorities", "bodies"),
    ),
    (
        _("Coordonnées publiques"),
        (
            "address",
            "postcode",
            "town",
            "insee_code",
            "phone",
            "email",
            "website",
            "opening_hours",
            "accessibility",
        ),
    ),
    (_("Position sur la carte"), ("latitude", "longitude")),
    (_("Identification et mise à jour"), ("siret", "rna", "logo", "update_frequency")),
)
POSITION_HELP = _(
    "Facultatif : sans position, la structure n'apparaît pas sur la carte de l'annuaire. "
    "Pour trouver les deux nombres, ouvrez une carte en ligne (OpenStreetMap, Géoportail, "
    "Google Maps…), faites un clic droit sur l'entrée de la structure et copiez les "
    "coordonnées affichées : la latitude vient en premier (entre 41 et 51 en métropole), "
    "la longitude ensuite (entre -5 et 10). La virgule comme le point sont acceptés."
)
POSITION_HELP_GEOCODING = _(
    "Laissez ces deux cases vides pour que la position soit cherchée d'après l'adresse ; "
    "si elle est mal placée, indiquez la bonne ici."
)


class CoordinateField(forms.CharField):
    """A latitude or a longitude in decimal degrees, "45,5646" (French) or "45.5646"."""

    def __init__(self, *, low: float, high: float, **kwargs):
        self.low, self.high = low, high
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # A decimal keyboard on phones; "text", since a number input refuses the comma.
        attrs.update(inputmode="decimal", autocomplete="off", spellcheck="false")
        return attrs

    def clean(self, value):
        # The text is checked as text first (its length), then read as a number.
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            number = float(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except ValueError:
            raise forms.ValidationError(
                _("Écrivez un nombre décimal, par exemple 45,5646."), code="invalid"
            ) from None
        if not math.isfinite(number) or not self.low <= number <= self.high:
            raise forms.ValidationError(
                _("Écrivez un nombre entre %(low)s et %(high)s.")
                % {"low": f"{self.low:g}", "high": f"{self.high:g}"},
                code="out_of_range",
            )
        return number


class ActorForm(forms.ModelForm):
    """The profile an actor's members and the organisers edit."""

    territories = forms.ModelMultipleChoiceField(
        label=_("Territoires d'intervention"),
        queryset=Territory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    competences = CompetenceChoiceField(
        label=_("Compétences"),
        queryset=Competence.objects.select_related("theme"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    publics = forms.ModelMultipleChoiceField(
        label=_("Publics accueillis"),
        queryset=Public.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priorities = forms.ModelMultipleChoiceField(
        label=_("Priorités du contrat de ville auxquelles la structure contribue"),
        queryset=Priority.objects.order_by("position", "title", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("La structure apparaît sur la page de chaque priorité cochée."),
    )
    bodies = forms.MultipleChoiceField(
        label=_("Instances du contrat de ville où siège la structure"),
        choices=GovernanceBody.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    latitude = CoordinateField(label=_("Latitude"), low=-90, high=90)
    longitude = CoordinateField(label=_("Longitude"), low=-180, high=180)

    class Meta:
        model = Actor
        formfield_callback = https_formfield
        fields = [name for _legend, names in ACTOR_FIELDSETS for name in names]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
            "phone": TelInput,
        }

    def fieldsets(self) -> list[tuple[str, list]]:
        return [(legend, [self[name] for name in names]) for legend, names in ACTOR_FIELDSETS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["bodies"] = list(self.instance.bodies.values_list("body", flat=True))
        from neighbourhoods.geocoder import geocoding_enabled

        help_text = str(POSITION_HELP)
        if geocoding_enabled():
            help_text = f"{help_text} {POSITION_HELP_GEOCODING}"
        self.fields["latitude"].help_text = help_text
        self.fields["longitude"].help_text = _(
            "Le second des deux nombres (entre -5 et 10 en métropole)."
        )
        self.fields["siret"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["postcode"].widget.attrs["inputmode"] = "numeric"
        # The structure's own details, as its members' browsers know them.
        autofill(
            self,
            {
                "name": "organization",
                "address": "street-address",
                "postcode": "postal-code",
                "town": "address-level2",
                "phone": "tel",
                "email": "email",
                "website": "url",
            },
        )

    def clean_siret(self):
        siret = "".join(self.cleaned_data["siret"].split())
        # The database refuses it too; checking here puts the message next to the field.
        if siret and Actor.objects.filter(siret=siret).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Une structure de l'annuaire a déjà ce numéro SIRET."), code="siret_taken"
            )
        return siret

    def clean_rna(self):
        return self.cleaned_data["rna"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if self.has_error("latitude") or self.has_error("longitude"):
            return cleaned
        if latitude is None and longitude is not None:
            self.add_error("latitude", _("Indiquez aussi la latitude, ou effacez la longitude."))
        elif longitude is None and latitude is not None:
            self.add_error("longitude", _("Indiquez aussi la longitude, ou effacez la latitude."))
        elif latitude is not None and not in_france(longitude, latitude):
            if in_france(latitude, longitude):
                message = _(
                    "La latitude et la longitude semblent inversées : la latitude est le "
                    "premier des deux nombres, la longitude le second."
                )
            else:
                message = _("Ce point n'est pas en France : vérifiez la latitude et la longitude.")
            self.add_error("latitude", message)
        return cleaned

    def data_for_service(self) -> dict:
        """Plain fields for the service, and the relations apart."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in {"territories", "competences", "publics", "priorities", "bodies"}
        }
        if data.get("logo") is False:  # "clear" ticked
            data["logo"] = ""
        elif data.get("logo") is None:
            data.pop("logo", None)
        return data

    def relations(self) -> dict:
        return {
            "territories": list(self.cleaned_data["territories"]),
            "competences": list(self.cleaned_data["competences"]),
            "publics": list(self.cleaned_data["publics"]),
            "priorities": list(self.cleaned_data["priorities"]),
            "bodies": list(self.cleaned_data["bodies"]),
        }


class ActorStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=ActorStatus.choices)


class ContactPersonForm(forms.Form):
    # Built from the columns, so a value too long gets a message, not a database error.
    name = column_field(ContactPerson, "name", label=_("Nom et prénom"))
    function = column_field(ContactPerson, "function", label=_("Fonction"))
    email = column_field(ContactPerson, "email", label=_("Adresse e-mail"))
    phone = column_field(ContactPerson, "phone", label=_("Téléphone"), widget=TelInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Often the person filling in the sheet is the contact.
        autofill(
            self,
            {"name": "name", "function": "organization-title", "email": "email", "phone": "tel"},
        )


class BaseContactFormSet(forms.BaseFormSet):
    def contacts(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


ContactFormSet = forms.formset_factory(
    ContactPersonForm,
    formset=BaseContactFormSet,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class JoinRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Votre demande"),
        choices=JoinRequestKind.choices,
        widget=forms.RadioSelect,
        initial=JoinRequestKind.JOIN,
        help_text=_(
            "Revendiquez la fiche si vous êtes responsable de la structure et que personne "
            "ne la tient à jour ; sinon, demandez à la rejoindre."
        ),
    )
    message = column_field(
        JoinRequest,
        "message",
        label=_("Message pour les organisateurs (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Votre fonction dans la structure aide à traiter la demande."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Accepter")), ("reject", _("Refuser"))])
