"""Forms of the neighbourhoods app: the perimeter, an uploaded contour, the address finder."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .geometry import MAX_GEOJSON_BYTES, ContourError, in_france, parse_geojson

SIREN = re.compile(r"^\d{9}$")
INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
# "45.5646, 5.9178" or "45,5646 5,9178": a latitude then a longitude, as online maps copy them.
COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:[.,]\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$")


class EpciSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Intercommunalité"),
        max_length=100,
        min_length=2,
        help_text=gettext_lazy(
            "Son nom, le nom d'une de ses communes ou son SIREN (9 chiffres), "
            "par exemple « Chambéry » ou 200069110."
        ),
    )


class PerimeterLoadForm(forms.Form):
    epci = forms.CharField(max_length=9, required=False, widget=forms.HiddenInput)
    communes = forms.CharField(
        label=gettext_lazy("Communes hors intercommunalité (codes INSEE)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy(
            "Pour Saint-Martin ou la Polynésie française, qui n'ont pas d'intercommunalité : "
            "les codes INSEE séparés par des espaces, par exemple 97801."
        ),
    )

    def clean_epci(self) -> str:
        value = "".join(self.cleaned_data["epci"].split())
        if value and not SIREN.match(value):
            raise forms.ValidationError(_("Le SIREN d'une intercommunalité compte 9 chiffres."))
        return value

    def clean_communes(self) -> list[str]:
        codes = self.cleaned_data["communes"].replace(",", " ").upper().split()
        wrong = [code for code in codes if not INSEE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("Ces codes ne sont pas des codes INSEE de commune : %(codes)s.")
                % {"codes": ", ".join(wrong)}
            )
        return codes

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("epci") and not cleaned.get("communes"):
            raise forms.ValidationError(_("Choisissez une intercommunalité ou des communes."))
        return cleaned


class ContourUploadForm(forms.Form):
    contour = forms.FileField(
        label=gettext_lazy("Fichier du contour (GeoJSON)"),
        help_text=gettext_lazy(
            "Un fichier .geojson ou .json exporté d'un logiciel de cartographie (QGIS, uMap…), "
            "en longitude et latitude (WGS 84), de 2 Mo au plus : un polygone ou un multipolygone."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )

    def clean_contour(self) -> list:
        upload = self.cleaned_data["contour"]
        if upload.size > MAX_GEOJSON_BYTES:
            raise forms.ValidationError(
                _(
                    "Ce fichier pèse plus de %(size)s Mo : simplifiez le contour avant de "
                    "le déposer."
                )
                % {"size": MAX_GEOJSON_BYTES // 1_000_000}
            )
        try:
            return parse_geojson(upload.read(MAX_GEOJSON_BYTES + 1))
        except ContourError as error:
            raise forms.ValidationError(error.message) from error


class FinderForm(forms.Form):
    """What a resident types on "Mon quartier": an address, a street, or coordinates."""

    adresse = forms.CharField(
        label=gettext_lazy("Votre adresse ou votre rue"),
        max_length=200,
        min_length=3,
        help_text=gettext_lazy(
            "Par exemple « 12 rue du Biollay, Chambéry ». Rien n'est enregistré."
        ),
    )

    def coordinates(self) -> tuple[float, float] | None:
        """(lon, lat) when the text is a latitude and a longitude in France."""
        match = COORDINATES.match(self.cleaned_data.get("adresse", ""))
        if not match:
            return None
        lat, lon = (float(part.replace(",", ".")) for part in match.groups())
        return (lon, lat) if in_france(lon, lat) else None
