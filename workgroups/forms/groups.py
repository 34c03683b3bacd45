"""Forms of the groups' management page: name, room and facilitators of each
group; composing; moving a person."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contrat_ville.enums import Role
from contrat_ville.formfields import column_field
from contrat_ville.models import User

from ..models import Workgroup
from ..services.groups import Source


def facilitator_choices() -> list[tuple[int, str]]:
    """The users who may facilitate a group, read once for the whole page."""
    users = User.objects.filter(is_active=True, role_assignments__role=Role.FACILITATOR).distinct()
    return [(user.pk, str(user)) for user in users.order_by("last_name", "first_name", "email")]


class GroupForm(forms.Form):
    """One group's name, room and facilitators. The choices are shared by every
    row of the page (a plain choice field, so they are read once, not per row)."""

    number = forms.IntegerField(widget=forms.HiddenInput)
    name = column_field(Workgroup, "name", label=_("Nom ou thème"))
    room = column_field(Workgroup, "room", label=_("Salle ou table"))
    facilitators = forms.TypedMultipleChoiceField(
        label=_("Animation"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Seules les personnes chargées d'animer un atelier sont proposées."),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].choices = choices
        self.fields["facilitators"].error_messages["invalid_choice"] = _(
            "Cette personne n'est pas (ou plus) chargée d'animer un atelier."
        )


class BaseGroupFormSet(forms.BaseFormSet):
    def __init__(self, *args, choices=(), **kwargs):
        self.choices = choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "choices": self.choices}

    def clean(self):
        super().clean()
        numbers = [form.cleaned_data.get("number") for form in self.forms if form.cleaned_data]
        if len(numbers) != len(set(numbers)):
            raise forms.ValidationError(_("Chaque groupe ne peut figurer qu'une fois."))

    def rows(self) -> list[dict]:
        """The rows as groups_update takes them; call once the formset is valid."""
        users = {
            user.pk: user
            for user in User.objects.filter(
                pk__in={pk for form in self.forms for pk in form.cleaned_data["facilitators"]}
            )
        }
        return [
            {
                "number": form.cleaned_data["number"],
                "name": form.cleaned_data["name"],
                "room": form.cleaned_data["room"],
                "facilitators": [users[pk] for pk in form.cleaned_data["facilitators"]],
            }
            for form in self.forms
        ]


GroupFormSet = forms.formset_factory(
    GroupForm, formset=BaseGroupFormSet, extra=0, max_num=200, validate_max=True
)


def groups_initial(groups: list[Workgroup]) -> list[dict]:
    """The formset's rows from the groups (their facilitators prefetched)."""
    return [
        {
            "number": group.number,
            "name": group.name,
            "room": group.room,
            "facilitators": [user.pk for user in group.facilitators.all()],
        }
        for group in groups
    ]


class ComposeForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Qui placer ?"),
        choices=[
            (Source.CONFIRMED, _("Toutes les personnes dont l'inscription est confirmée")),
            (Source.CHECKED_IN, _("Seulement les personnes arrivées (pointées à l'accueil)")),
        ],
        initial=Source.CONFIRMED,
        widget=forms.RadioSelect,
    )
    keep_seated = forms.BooleanField(
        label=_("Laisser à leur place les personnes déjà placées"),
        required=False,
        initial=True,
        help_text=_(
            "Seules les personnes sans groupe sont placées (arrivées tardives). Décochez pour "
            "tout recomposer : seules les personnes épinglées restent alors à leur place."
        ),
    )
    seed = forms.IntegerField(
        label=_("Numéro de tirage"),
        min_value=0,
        max_value=2**31 - 1,
        help_text=_(
            "Avec les mêmes personnes, le même numéro donne les mêmes groupes. Changez-le "
            "pour obtenir une autre répartition, aussi bien mélangée."
        ),
    )


class MoveForm(forms.Form):
    """Move one person to a group, pinned there or not (the manage page writes
    one small form per person by hand; this validates what it posts)."""

    registration = forms.IntegerField(min_value=1)
    group = forms.IntegerField(label=_("Groupe"), min_value=1)
    pinned = forms.BooleanField(label=_("Épinglé"), required=False)
