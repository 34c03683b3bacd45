"""The upload form of the CSV import of participants."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.imports import MAX_BYTES


class RegistrationsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des participants"),
        help_text=_(
            "Une ligne d'en-tête puis une ligne par personne, en UTF-8, séparateur « , » ou "
            "« ; ». 2 Mo et 5 000 lignes au plus."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Vérifier seulement"),
        help_text=_("Le fichier est contrôlé ligne par ligne, mais rien n'est enregistré."),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers et "
                    "importez-les un à un."
                )
            )
        return upload
