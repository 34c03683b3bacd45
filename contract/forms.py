"""The organisers' forms for the contract: a priority with its objectives, a body."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Body, Objective, Priority
from .selectors import directory_choices
from .services import POSITION_STEP, ObjectiveRow

SLUG_HELP = _(
    "La fin de l'adresse de la page : des minuscules sans accent, des chiffres et des "
    "tirets, par exemple « emploi-insertion »."
)


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["title", "slug", "summary", "description"]
        labels = {"title": _("Intitulé de la priorité"), "summary": _("En une phrase")}
        help_texts = {
            "slug": SLUG_HELP,
            "summary": _("Ce que la priorité veut changer, en mots simples."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "slug": {
                "unique": _(
                    "Une autre priorité a déjà cette adresse de page : choisissez-en une autre."
                )
            }
        }


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "description", "position"]
        labels = {"title": _("Objectif"), "description": _("En clair"), "position": _("Ordre")}
        help_texts = {"position": _("Les plus petits nombres viennent en premier.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty on a new row, so an untouched extra row stays unchanged (and ignored).
        self.fields["position"].required = False
        if self.instance._state.adding:
            self.initial["position"] = None


class BaseObjectiveFormSet(forms.BaseInlineFormSet):
    def get_queryset(self):
        return super().get_queryset().order_by("position", "pk")

    def rows(self) -> list[ObjectiveRow]:
        """What the service writes: one row per filled or deleted form."""
        deleted = set(self.deleted_forms)
        found = []
        for index, form in enumerate(self.forms, start=1):
            pk = form.instance.pk if form.instance.pk and not form.instance._state.adding else None
            if pk is None and not form.has_changed():
                continue
            data = form.cleaned_data
            found.append(
                ObjectiveRow(
                    pk=pk,
                    title=data.get("title", ""),
                    description=data.get("description", ""),
                    position=(
                        data["position"]
                        if data.get("position") is not None
                        else index * POSITION_STEP
                    ),
                    delete=form in deleted,
                )
            )
        return found


ObjectiveFormSet = forms.inlineformset_factory(
    Priority,
    Objective,
    form=ObjectiveForm,
    formset=BaseObjectiveFormSet,
    extra=2,
    max_num=30,
    validate_max=True,
    can_delete=True,
)


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["kind", "name", "slug", "role", "description", "directory_code"]
        labels = {"role": _("Son rôle en une phrase")}
        help_texts = {
            "slug": SLUG_HELP,
            "role": _("Par exemple : « Il prépare les décisions du comité de pilotage. »"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "slug": {
                "unique": _(
                    "Une autre instance a déjà cette adresse de page : choisissez-en une autre."
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directory_code"] = forms.ChoiceField(
            label=_("Ses membres dans l'annuaire"),
            choices=[
                ("", _("Aucune : l'annuaire ne connaît pas cette instance")),
                *directory_choices(),
            ],
            required=False,
            help_text=_(
                "Les structures de l'annuaire qui déclarent siéger dans cette instance sont "
                "montrées comme ses membres. Chaque structure le coche sur sa fiche."
            ),
        )

    def clean_directory_code(self):
        code = self.cleaned_data["directory_code"] or None
        if code and Body.objects.filter(directory_code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Une autre instance est déjà reliée à celle-ci dans l'annuaire."), code="taken"
            )
        return code
