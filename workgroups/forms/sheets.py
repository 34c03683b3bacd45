"""The project sheet form: every field optional, since a sheet is saved as a
draft as often as the facilitator likes; only what is typed is checked."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from contract.models import Priority
from events.forms.registration import neighbourhoods
from events.models import Registration
from partners.enums import ActorStatus
from partners.models import Actor

from ..models import ProjectSheet, Workgroup
from ..services.sheets import SHEET_FIELDS

# Up to this many published actors, the directory's partners are checkboxes;
# beyond, the list would be too long to read: names are typed, one per line.
PARTNERS_CHECKBOX_LIMIT = 200
# Room for a few dozen names of the directory's longest (150 characters).
PARTNER_NAMES_MAX_LENGTH = 5000
# What people type around an amount in euros: spaces (also the French thousands
# separators), the euro sign or word.
_AMOUNT_NOISE = re.compile(r"[\s\u00a0\u202f]|€|euros?|eur", re.IGNORECASE)
# A number, with a decimal part or thousands separators, and "k" (thousands) or "m" (millions).
_AMOUNT = re.compile(
    r"(?P<sign>-)?(?P<number>\d+(?:[.,]\d+)?|\d{1,3}(?:[.,]\d{3})+)(?P<unit>[km])?"
)
# Without a unit, "1.500" or "1,500" is fifteen hundred: nobody writes a euro and a half.
_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_UNITS = {None: 1, "k": 1000, "m": 1000000}


def parse_euros(text: str) -> int | None:
    """A whole number of euros from what people write ("1 500 €", "3 000 euros", "3 k€",
    "1,5 k€", "1 500,00"), or None when it is not one."""
    match = _AMOUNT.fullmatch(_AMOUNT_NOISE.sub("", text).lower())
    if match is None:
        return None
    number, unit = match["number"], match["unit"]
    if unit is None and _THOUSANDS.fullmatch(number):
        number = re.sub(r"[.,]", "", number)
    try:
        amount = Decimal(number.replace(",", ".")) * _UNITS[unit]
    except InvalidOperation:
        return None
    if match["sign"]:
        amount = -amount
    # Cents are refused rather than rounded away: the person says what they meant.
    return int(amount) if amount == amount.to_integral_value() else None


class EurosField(forms.IntegerField):
    """A whole number of euros, typed as people type it: "1 500 €", "3 k€" (3000),
    "1,5 k€" (1500)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Indiquez un montant en euros, par exemple 1 500 ou 3 k€."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        amount = parse_euros(str(value))
        if amount is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def widget_attrs(self, widget):
        # No min/max attributes on a text input: the messages come from the server.
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        return attrs


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, registration: Registration) -> str:
        organisation = registration.organisation_label
        return (
            f"{registration.full_name} ({organisation})" if organisation else registration.full_name
        )


class PartnerNamesField(forms.CharField):
    """Directory actors typed by name, one per line, matched case-blind."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        kwargs.setdefault("max_length", PARTNER_NAMES_MAX_LENGTH)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            actors = [item for item in value if isinstance(item, Actor)]
            if len(actors) != len(value):
                actors = list(self.queryset.filter(pk__in=value))
            return "\n".join(sorted(actor.name for actor in actors))
        return value

    def clean(self, value):
        text = super().clean(value)
        names = []
        for line in text.splitlines():
            name = " ".join(line.split())
            if name and name.casefold() not in {known.casefold() for known in names}:
                names.append(name)
        if not names:
            return []
        wanted = {name.casefold() for name in names}
        # Matched in Python: SQLite's LOWER() folds ASCII letters only ("É").
        found = {}
        for actor in self.queryset.only("pk", "name"):
            key = " ".join(actor.name.split()).casefold()
            if key in wanted:
                found.setdefault(key, actor)
        unknown = [name for name in names if name.casefold() not in found]
        if unknown:
            raise ValidationError(
                _(
                    "Pas dans l'annuaire : %(names)s. Vérifiez l'orthographe, ou mettez-les "
                    "dans « Autres partenaires à mobiliser »."
                ),
                code="unknown",
                params={"names": ", ".join(unknown)},
            )
        return [found[key] for key in sorted(wanted)]


def partner_choices(sheet: ProjectSheet):
    """Published actors, plus those already on the sheet (so none is dropped
    silently when an actor leaves the directory)."""
    condition = Q(status=ActorStatus.PUBLISHED)
    if sheet.pk:
        condition |= Q(project_sheets=sheet)
    return Actor.objects.filter(condition).distinct().order_by(Lower("name"), "pk")


def seated_people(workgroup: Workgroup):
    return (
        Registration.objects.filter(seat__workgroup=workgroup)
        .select_related("actor")
        .order_by("last_name", "first_name", "pk")
    )


class ProjectSheetForm(forms.ModelForm):
    class Meta:
        model = ProjectSheet
        fields = [
            "title",
            "need",
            "age_min",
            "age_max",
            "target_public",
            "territories",
            "priorities",
            "actions",
            "partners",
            "other_partners",
            "resources",
            "budget",
            "outreach",
            "first_steps",
            "indicators",
            "members_present",
        ]
        labels = {
            "need": _("Besoin ou défi des jeunes"),
            "target_public": _("Public visé : précisions"),
            "territories": _("Quartiers concernés"),
            "priorities": _("Priorités du contrat de ville auxquelles le projet répond"),
            "partners": _("Partenaires de l'annuaire à mobiliser"),
            "members_present": _("Membres du groupe présents"),
            "outreach": _("Aller-vers"),
        }
        help_texts = {
            "need": _("À quel besoin des jeunes des quartiers le projet répond-il ?"),
            "target_public": _("Par exemple : jeunes filles, décrocheurs scolaires, 16-25 ans…"),
            "actions": _("Ce que le projet fera concrètement."),
            "other_partners": _("Ceux qui ne sont pas dans l'annuaire, un par ligne."),
            "resources": _("Locaux, personnes, matériel, financements possibles…"),
            "first_steps": _("Qui fait quoi dans les prochaines semaines ?"),
            "indicators": _("Comment saurez-vous que le projet a réussi ?"),
            "members_present": _("Cochez les membres du groupe qui ont construit ce projet."),
        }
        widgets = {
            "need": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 4}),
            "other_partners": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "outreach": forms.Textarea(attrs={"rows": 3}),
            "first_steps": forms.Textarea(attrs={"rows": 3}),
            "indicators": forms.Textarea(attrs={"rows": 3}),
            "territories": forms.CheckboxSelectMultiple,
            "priorities": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "members_present": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, workgroup: Workgroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.workgroup = workgroup
        for name in ("age_min", "age_max"):
            self.fields[name] = forms.IntegerField(
                label=self.fields[name].label,
                required=False,
                min_value=0,
                max_value=99,
                error_messages={
                    "invalid": _("Indiquez un âge en années, par exemple 16."),
                    "min_value": _("Un âge va de 0 à 99 ans."),
                    "max_value": _("Un âge va de 0 à 99 ans."),
                },
            )
        budget = self.fields["budget"]
        self.fields["budget"] = EurosField(
            label=budget.label,
            required=False,
            min_value=0,
            max_value=10**8,
            help_text=_("Un ordre de grandeur, en euros, sans centimes : 1 500 ou 3 k€."),
            error_messages={
                "min_value": _("Un montant ne peut pas être négatif."),
                "max_value": _("Un budget ne dépasse pas 100 millions d'euros."),
            },
        )
        self.fields["territories"].queryset = neighbourhoods()
        self.fields["priorities"].queryset = Priority.objects.order_by("position", "title", "pk")
        actors = partner_choices(self.instance)
        partners = self.fields["partners"]
        if actors.count() > PARTNERS_CHECKBOX_LIMIT:
            self.fields["partners"] = PartnerNamesField(
                queryset=actors,
                label=partners.label,
                required=False,
                help_text=_("Le nom exact de chaque structure de l'annuaire, un par ligne."),
            )
        else:
            partners.queryset = actors
        self.partners_as_names = isinstance(self.fields["partners"], PartnerNamesField)
        members = self.fields["members_present"]
        self.fields["members_present"] = MemberChoiceField(
            queryset=seated_people(workgroup),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=members.label,
            help_text=members.help_text,
        )

    def clean(self):
        cleaned = super().clean()
        age_min, age_max = cleaned.get("age_min"), cleaned.get("age_max")
        if age_min is not None and age_max is not None and age_max < age_min:
            self.add_error(
                "age_max", _("L'âge maximum doit être supérieur ou égal à l'âge minimum.")
            )
        return cleaned

    def data_for_service(self) -> dict:
        """The keyword arguments of ``sheet_save`` the form provides."""
        return {
            "data": {key: self.cleaned_data[key] for key in SHEET_FIELDS},
            "territories": self.cleaned_data["territories"],
            "priorities": self.cleaned_data["priorities"],
            "partners": self.cleaned_data["partners"],
            "members_present": self.cleaned_data["members_present"],
        }
