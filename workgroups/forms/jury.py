"""Forms of the mock jury: the jurors, the criteria, the settings, the phase
buttons and a juror's score sheet."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contrat_ville.enums import Role
from contrat_ville.formfields import column_field
from contrat_ville.models import User

from ..enums import Aggregation, JuryPhase
from ..models import Criterion, ScoreSheet
from ..services.jury import MAX_ORDER, MAX_SCALE, MAX_WEIGHT

# Beyond this many marks on a scale, a number field replaces the radio buttons.
MAX_RADIOS = 11


class JurorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.full_name} ({user.email})" if user.full_name else user.email


class JurorsForm(forms.Form):
    users = JurorChoiceField(
        label=_("Membres du jury"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Les personnes qui ont le rôle « Membre du jury ». Pour en ajouter, donnez ce rôle "
            "dans la gestion des rôles."
        ),
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        # Jurors of the edition stay listed even if they lost the role, so that
        # saving the form never drops one silently.
        self.fields["users"].queryset = (
            User.objects.filter(
                Q(role_assignments__role=Role.JUROR, is_active=True)
                | Q(juror_seats__edition=edition)
            )
            .distinct()
            .order_by("last_name", "first_name", "email")
        )


class CriterionForm(forms.Form):
    """One criterion. A new row left empty is ignored."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Optional here: a new row left empty is ignored; clean() asks for the name otherwise.
    name = column_field(Criterion, "name", label=_("Nom du critère"), required=False)
    description = column_field(
        Criterion,
        "description",
        label=_("Description (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Une phrase, montrée aux jurés à côté de la note."),
    )
    weight = forms.DecimalField(
        label=_("Poids"),
        min_value=Decimal("0.01"),
        max_value=MAX_WEIGHT - Decimal("0.01"),
        max_digits=5,
        decimal_places=2,
        initial=1,
        required=False,
        help_text=_("Un critère de poids 2 compte deux fois plus qu'un critère de poids 1."),
    )
    scale_min = forms.IntegerField(
        label=_("Note minimale"), min_value=0, max_value=MAX_SCALE - 1, initial=0, required=False
    )
    scale_max = forms.IntegerField(
        label=_("Note maximale"), min_value=1, max_value=MAX_SCALE, initial=5, required=False
    )
    order = forms.IntegerField(
        label=_("Ordre"), min_value=0, max_value=MAX_ORDER, initial=0, required=False
    )

    REQUIRED = ("name", "weight", "scale_min", "scale_max")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False

    def is_blank(self) -> bool:
        """A new row where nothing was typed (defaults left as they are)."""
        if not self.is_bound:
            return False
        value = self.data.get
        return not str(value(self.add_prefix("id"), "")).strip() and not any(
            str(value(self.add_prefix(name), "")).strip() for name in ("name", "description")
        )

    def has_changed(self) -> bool:
        return not self.is_blank()

    def clean(self):
        cleaned = super().clean()
        if self.is_blank() or cleaned.get("DELETE"):
            return cleaned
        for name in self.REQUIRED:
            if name not in self.errors and cleaned.get(name) in (None, ""):
                self.add_error(name, _("Ce champ est obligatoire."))
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error(
                "scale_max", _("La note maximale doit être plus grande que la note minimale.")
            )
        return cleaned


class BaseCriteriaFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The rows for services.jury.criteria_set. Call once the formset is valid."""
        rows = []
        for form in self.forms:
            if form.is_blank():
                continue
            data = form.cleaned_data
            rows.append(
                {
                    "id": data.get("id"),
                    "delete": bool(data.get("DELETE")),
                    "name": data.get("name") or "",
                    "description": data.get("description") or "",
                    "weight": data.get("weight"),
                    "scale_min": data.get("scale_min"),
                    "scale_max": data.get("scale_max"),
                    "order": data.get("order") or 0,
                }
            )
        return rows


CriteriaFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriteriaFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


def criteria_initial(criteria: list[Criterion]) -> list[dict]:
    return [
        {
            "id": criterion.pk,
            "name": criterion.name,
            "description": criterion.description,
            "weight": criterion.weight,
            "scale_min": criterion.scale_min,
            "scale_max": criterion.scale_max,
            "order": criterion.order,
        }
        for criterion in criteria
    ]


class JurySettingsForm(forms.Form):
    aggregation = forms.ChoiceField(
        label=_("Note d'un groupe"),
        choices=Aggregation.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "La médiane écarte l'effet d'un juré beaucoup plus sévère ou généreux que les autres."
        ),
    )
    results_public = forms.BooleanField(
        label=_("Résultats visibles du public (sans compte), une fois publiés"),
        required=False,
        help_text=_("Sinon, seuls les partenaires connectés les voient."),
    )
    gallery_public = forms.BooleanField(
        label=_("Galerie des projets visible du public (sans compte), une fois publiée"),
        required=False,
        help_text=_("Sinon, seuls les partenaires connectés la voient."),
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(choices=JuryPhase.choices)


class ScoreSheetForm(forms.Form):
    """One mark per criterion, on its scale, and a comment."""

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            marks = range(criterion.scale_min, criterion.scale_max + 1)
            label = _("%(name)s (de %(low)s à %(high)s, poids %(weight)s)") % {
                "name": criterion.name,
                "low": criterion.scale_min,
                "high": criterion.scale_max,
                "weight": f"{criterion.weight.normalize():f}".replace(".", ","),
            }
            if len(marks) <= MAX_RADIOS:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=[(mark, str(mark)) for mark in marks],
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "mark-choice"}),
                    help_text=criterion.description,
                )
            else:
                field = forms.IntegerField(
                    label=label,
                    min_value=criterion.scale_min,
                    max_value=criterion.scale_max,
                    help_text=criterion.description,
                )
            field.error_messages["required"] = _("Donnez une note à ce critère.")
            self.fields[self.field_name(criterion)] = field
        self.fields["comment"] = column_field(
            ScoreSheet,
            "comment",
            label=_("Commentaire (facultatif)"),
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("Pour la délibération : ce qui vous a convaincu, ce qui manque."),
        )

    @staticmethod
    def field_name(criterion: Criterion) -> str:
        return f"criterion_{criterion.pk}"

    def mark_fields(self) -> list:
        return [self[self.field_name(criterion)] for criterion in self.criteria]

    def values(self) -> dict[int, int]:
        return {
            criterion.pk: self.cleaned_data[self.field_name(criterion)]
            for criterion in self.criteria
        }

    def disable(self) -> None:
        for field in self.fields.values():
            field.disabled = True


def sheet_initial(criteria: list[Criterion], sheet, marks: dict[int, int]) -> dict:
    initial = {ScoreSheetForm.field_name(c): marks[c.pk] for c in criteria if c.pk in marks}
    initial["comment"] = sheet.comment if sheet is not None else ""
    return initial
