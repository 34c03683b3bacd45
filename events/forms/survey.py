"""The satisfaction survey: five questions on a 1 to 5 scale and a free comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contrat_ville.formfields import column_field

from ..models import SurveyResponse

SCALE = [(value, str(value)) for value in range(1, 6)]
QUESTIONS = {
    "overall": _("Dans l'ensemble, êtes-vous satisfait ?"),
    "content": _("Le contenu répondait-il à vos attentes ?"),
    "facilitation": _("L'animation vous a-t-elle aidé à participer ?"),
    "usefulness": _("Ce que vous avez appris vous servira-t-il dans votre travail ?"),
    "logistics": _("L'organisation pratique (lieu, horaires, accueil) était-elle bonne ?"),
}


class SurveyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in QUESTIONS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 : pas du tout, 5 : tout à fait."),
                error_messages={
                    "required": _("Choisissez une note de 1 à 5."),
                    "invalid_choice": _("Choisissez une note de 1 à 5."),
                },
            )
        self.fields["comment"] = column_field(
            SurveyResponse,
            "comment",
            label=_("Un commentaire ? (facultatif)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
