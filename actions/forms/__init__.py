"""Forms of the actions: the action with its funders and indicators, the list's filters,
the pitch-to-action choice."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contract.models import Objective, Priority
from contrat_ville.enums import NEIGHBOURHOOD_KINDS
from contrat_ville.models import Territory
from events.forms.edition import BaseRowsFormSet, OptionalRow
from partners.enums import ActorStatus
from partners.models import Actor, Public

from ..amounts import AmountField
from ..enums import ActionStatus
from ..models import FIRST_YEAR, LAST_YEAR, Action, Funding, Indicator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Years offered when an action is written: the contract's span around today.
YEARS_BACK, YEARS_AHEAD = 3, 2


def year_choices() -> list[tuple[int, int]]:
    today = timezone.localdate().year
    first, last = max(FIRST_YEAR, today - YEARS_BACK), min(LAST_YEAR, today + YEARS_AHEAD)
    return [(year, year) for year in range(last, first - 1, -1)]


def neighbourhoods():
    # Names for a list of choices: the contours would be decoded for nothing.
    return (
        Territory.objects.filter(kind__in=NEIGHBOURHOOD_KINDS)
        .defer("contour")
        .order_by("order", "name")
    )


class ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.priority.title} — {obj.title}"


class ActionForm(forms.ModelForm):
    year = forms.TypedChoiceField(label=_("Année de programmation"), coerce=int, choices=())
    budget_planned = AmountField(label=_("Budget prévu (euros)"), required=False)
    budget_actual = AmountField(
        label=_("Budget réalisé (euros)"),
        required=False,
        help_text=_("Ce qui a vraiment été dépensé, une fois l'action commencée."),
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "year",
            "reference",
            "carrier",
            "partners",
            "priority",
            "objective",
            "territories",
            "publics",
            "summary",
            "start_date",
            "end_date",
            "budget_planned",
            "budget_actual",
            "amounts_confidential",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "partners": forms.CheckboxSelectMultiple,
            "territories": forms.CheckboxSelectMultiple,
            "publics": forms.CheckboxSelectMultiple,
            "start_date": DATE,
            "end_date": DATE,
        }
        help_texts = {
            "summary": _("Ce que fait l'action, pour qui, où : quelques phrases simples."),
            "partners": _("Les structures de l'annuaire qui y participent."),
        }

    def __init__(self, *args, user, carriers, can_mark_confidential: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        if self.instance.pk:
            # The year of an existing action is its identity in the bilan: it stays.
            del self.fields["year"]
        elif self.initial.get("year") is None:
            # The instance's empty year would win over the field's initial value.
            self.initial["year"] = timezone.localdate().year
        self.fields["carrier"].queryset = carriers
        self.fields["carrier"].empty_label = None if carriers.count() == 1 else "—"
        self.fields["partners"].queryset = Actor.objects.filter(
            status=ActorStatus.PUBLISHED
        ).order_by("name")
        self.fields["priority"].queryset = Priority.objects.order_by("position", "title")
        objective = ObjectiveChoiceField(
            queryset=Objective.objects.select_related("priority").order_by(
                "priority__position", "position", "pk"
            ),
            required=False,
            label=_("Objectif"),
            help_text=_("Un objectif de la priorité choisie."),
        )
        self.fields["objective"] = objective
        self.fields["territories"].queryset = neighbourhoods()
        self.fields["publics"].queryset = Public.objects.order_by("order", "name")
        if not can_mark_confidential:
            del self.fields["amounts_confidential"]
        if self.instance.status == ActionStatus.PROPOSED:
            del self.fields["budget_actual"]
        self.user = user

    def clean(self):
        cleaned = super().clean()
        priority, objective = cleaned.get("priority"), cleaned.get("objective")
        if objective is not None and objective.priority_id != getattr(priority, "pk", None):
            self.add_error("objective", _("Cet objectif n'appartient pas à la priorité choisie."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin doit être le même jour que le début ou après."))
        return cleaned

    def data_for_service(self) -> dict:
        names = [n for n in self.fields if n not in ("year", "partners", "territories", "publics")]
        return {name: self.cleaned_data.get(name) for name in names}

    def relations(self) -> dict:
        return {
            name: list(self.cleaned_data[name]) for name in ("partners", "territories", "publics")
        }

    def validate_unique(self):
        # (year, reference) is checked by the service, which says it in words.
        pass


class FundingForm(OptionalRow, forms.ModelForm):
    REQUIRED = ("funder", "planned")
    planned = AmountField(label=_("Montant prévu (euros)"), required=False)
    actual = AmountField(label=_("Montant versé (euros)"), required=False)

    class Meta:
        model = Funding
        fields = ["funder", "name", "planned", "actual"]

    def validate_unique(self):
        pass


class BaseFundingFormSet(BaseRowsFormSet):
    DEFAULTS = {"funder": "", "name": "", "planned": None, "actual": None}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if form.is_blank() or form in self.deleted_forms:
                continue
            key = (form.cleaned_data.get("funder"), (form.cleaned_data.get("name") or "").strip())
            if key in seen:
                form.add_error("funder", _("Ce financeur figure déjà : une ligne par financeur."))
            seen.add(key)


FundingFormSet = forms.formset_factory(
    FundingForm, formset=BaseFundingFormSet, extra=2, can_delete=True, max_num=20, validate_max=True
)


class IndicatorForm(OptionalRow, forms.ModelForm):
    REQUIRED = ("label", "unit")

    class Meta:
        model = Indicator
        fields = ["label", "unit", "target", "achieved", "comment"]
        widgets = {
            "target": forms.NumberInput(attrs={"min": 0, "step": "any"}),
            "achieved": forms.NumberInput(attrs={"min": 0, "step": "any"}),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unit") == "percent":
            for name in ("target", "achieved"):
                value = cleaned.get(name)
                if value is not None and value > 100:
                    self.add_error(name, _("Un pourcentage ne dépasse pas 100."))
        return cleaned


class BaseIndicatorFormSet(BaseRowsFormSet):
    DEFAULTS = {"label": "", "unit": "", "target": None, "achieved": None, "comment": ""}


IndicatorFormSet = forms.formset_factory(
    IndicatorForm,
    formset=BaseIndicatorFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


def funding_initial(action: Action) -> list[dict]:
    return [
        {"funder": f.funder, "name": f.name, "planned": f.planned, "actual": f.actual}
        for f in action.fundings.all()
    ]


def indicator_initial(action: Action) -> list[dict]:
    return [
        {
            "label": i.label,
            "unit": i.unit,
            "target": i.target,
            "achieved": i.achieved,
            "comment": i.comment,
        }
        for i in action.indicators.all()
    ]


class ActionFilterForm(forms.Form):
    """The list's filters, in the query string: a bad value is ignored, never an error page."""

    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=100)
    annee = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int, empty_value=None)
    statut = forms.ChoiceField(label=_("Statut"), required=False)
    priorite = forms.ModelChoiceField(
        label=_("Priorité"), required=False, queryset=Priority.objects.none(), to_field_name="slug"
    )
    quartier = forms.ModelChoiceField(
        label=_("Quartier"), required=False, queryset=Territory.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", _("Toutes"))] + [(y, y) for y in years]
        self.fields["statut"].choices = [("", _("Tous")), *ActionStatus.choices]
        self.fields["priorite"].queryset = Priority.objects.order_by("position", "title")
        self.fields["priorite"].empty_label = _("Toutes")
        self.fields["quartier"].queryset = neighbourhoods()
        self.fields["quartier"].empty_label = _("Tous")

    def values(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        # A field in error is dropped, the others still filter.
        return {
            "query": cleaned.get("q") or "",
            "year": cleaned.get("annee"),
            "status": cleaned.get("statut") or "",
            "priority": cleaned.get("priorite"),
            "territory": cleaned.get("quartier"),
        }


class PitchForm(forms.Form):
    carrier = forms.ModelChoiceField(
        label=_("Qui portera l'action ?"), queryset=Actor.objects.none()
    )
    year = forms.TypedChoiceField(label=_("Pour l'année"), coerce=int, choices=())

    def __init__(self, *args, carriers, default_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = carriers
        years = dict(year_choices())
        years.setdefault(default_year, default_year)
        self.fields["year"].choices = sorted(years.items(), reverse=True)
        self.fields["year"].initial = default_year
