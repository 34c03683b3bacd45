"""Forms of the directory: search, actor profile, contacts, requests
(this module), and the taxonomy pages (taxonomy.py)."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from contrat_ville.formfields import TelInput, autofill, column_field
from contrat_ville.models import Territory

from ..enums import ActorKind, ActorStatus, DirectorySort, GovernanceBody, JoinRequestKind
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


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    territoire = SlugChoices(label=_("Territoire"), required=False)
    competence = SlugChoices(label=_("Compétence"), required=False)
    public = SlugChoices(label=_("Public"), required=False)
    type = SlugChoices(label=_("Type de structure"), required=False, choices=ActorKind.choices)
    instance = SlugChoices(
        label=_("Instance de gouvernance"), required=False, choices=GovernanceBody.choices
    )
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
        )


class CompetenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.theme.name} — {obj.name}"


def _formfield(model_field, **kwargs):
    # A web address typed without a scheme is taken as https (Django 6's default).
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


# The profile form's fields, in the order and groups the page shows them.
ACTOR_FIELDSETS = (
    (_("La structure"), ("name", "kind", "summary", "description")),
    (_("Ce qu'elle fait, pour qui, où"), ("territories", "competences", "publics", "bodies")),
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
    (_("Identification et mise à jour"), ("siret", "rna", "logo", "update_frequency")),
)


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
    bodies = forms.MultipleChoiceField(
        label=_("Instances du contrat de ville où siège la structure"),
        choices=GovernanceBody.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Actor
        formfield_callback = _formfield
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

    def data_for_service(self) -> dict:
        """Plain fields for the service, and the relations apart."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in {"territories", "competences", "publics", "bodies"}
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
