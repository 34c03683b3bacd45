"""Organisers' forms for an edition: its settings, its programme, a copy for
next year, and the invitation of a college."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from contrat_ville.enums import COLLEGES, Role
from news.enums import Status
from news.models import Document

from ..enums import EventKind
from ..models import Edition, ProgrammeItem
from ..services.editions import EDITION_FIELDS

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DATETIME_INPUT = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


EDITION_FIELDSETS = [
    (_("L'édition"), ["year", "title", "status"]),
    (_("Date et lieu"), ["date", "starts_at", "ends_at", "venue_name", "venue_address"]),
    (_("Présentation"), ["description", "aims"]),
    (
        _("Inscriptions"),
        ["capacity", "registration_opens_at", "registration_closes_at", "group_count"],
    ),
]


class EditionForm(forms.ModelForm):
    """Every setting of an edition, capacity included."""

    class Meta:
        model = Edition
        fields = list(EDITION_FIELDS)
        labels = {
            "year": _("Année"),
            "title": _("Titre"),
            "date": _("Date"),
            "starts_at": _("Heure de début"),
            "ends_at": _("Heure de fin"),
            "venue_name": _("Lieu"),
            "venue_address": _("Adresse du lieu"),
            "description": _("Présentation"),
            "aims": _("Objectifs"),
            "capacity": _("Nombre de places"),
            "registration_opens_at": _("Ouverture des inscriptions"),
            "registration_closes_at": _("Clôture des inscriptions"),
            "status": _("Statut"),
            "group_count": _("Nombre de groupes d'atelier"),
        }
        help_texts = {
            "year": _("Une seule édition par année."),
            "capacity": _(
                "Au-delà, les inscriptions vont en liste d'attente. L'augmenter donne "
                "aussitôt les places libérées aux premières personnes en attente, qui "
                "reçoivent un e-mail."
            ),
            "registration_opens_at": _("Laissez vide pour ouvrir dès que le statut le permet."),
            "registration_closes_at": _("Laissez vide pour les fermer à la fin de la rencontre."),
            "status": _(
                "Brouillon : visible des seuls organisateurs. Inscriptions ouvertes : le "
                "formulaire accepte les inscriptions entre l'ouverture et la clôture."
            ),
        }
        widgets = {
            "date": DATE_INPUT,
            "starts_at": _time_input(),
            "ends_at": _time_input(),
            "registration_opens_at": DATETIME_INPUT,
            "registration_closes_at": DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 5}),
            "aims": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "year": {"unique": _("Une édition existe déjà pour cette année.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Bounds the database checks too, said next to the field rather than for the form.
        for name, low, high in (("year", 2000, 2100), ("group_count", 1, 200)):
            if name not in self.fields:  # the other kinds of event have neither
                continue
            field = self.fields[name]
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)

    def fieldsets(self) -> list[tuple[str, list]]:
        return [(legend, [self[name] for name in names]) for legend, names in EDITION_FIELDSETS]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("L'heure de fin doit être après l'heure de début."))
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "registration_closes_at",
                _("La clôture des inscriptions doit être après leur ouverture."),
            )
        return cleaned


class OptionalRow:
    """A row of a formset that may stay empty (it is then ignored); once anything is typed
    in it, the fields of ``REQUIRED`` are required, with the message next to them."""

    REQUIRED: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any row may stay empty (it is then ignored): required is checked in clean().
        self.empty_permitted = True
        self.use_required_attribute = False
        for field in self.fields.values():
            field.required = False

    def has_changed(self) -> bool:
        # A row is kept when something is typed in it, not when it differs
        # from its initial value: blanking an existing row removes it.
        return not self.is_blank()

    def is_blank(self) -> bool:
        if not self.is_bound:
            return False
        return not any(
            str(self.data.get(self.add_prefix(name), "")).strip() for name in self.fields
        )

    def clean(self):
        cleaned = super().clean()
        for name in self.REQUIRED:
            if name not in self.errors and not cleaned.get(name):
                self.add_error(name, _("Ce champ est obligatoire."))
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("La fin doit être après l'heure de début."))
        return cleaned


class ProgrammeItemForm(OptionalRow, forms.ModelForm):
    """One time of the programme. A row left entirely empty is ignored."""

    class Meta:
        model = ProgrammeItem
        fields = ["starts_at", "ends_at", "title", "kind", "speakers", "description"]
        labels = {
            "starts_at": _("Heure"),
            "ends_at": _("Fin (facultatif)"),
            "title": _("Titre"),
            "kind": _("Type"),
            "speakers": _("Intervenants (facultatif)"),
            "description": _("Description (facultatif)"),
        }
        widgets = {
            "starts_at": _time_input(),
            "ends_at": _time_input(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    # What a row needs once anything is typed in it.
    REQUIRED = ("starts_at", "title", "kind")


class BaseRowsFormSet(forms.BaseFormSet):
    """A formset of ``OptionalRow`` forms; ``DEFAULTS`` is each kept row's shape."""

    DEFAULTS: dict = {}

    def items(self) -> list[dict]:
        """The rows to keep, in the order of the page: neither deleted nor blank.
        Call once the formset is valid."""
        deleted = self.deleted_forms
        return [
            {
                name: form.cleaned_data.get(name) or default
                for name, default in self.DEFAULTS.items()
            }
            for form in self.forms
            if not form.is_blank() and form not in deleted
        ]


class BaseProgrammeFormSet(BaseRowsFormSet):
    # A programme row as programme_set takes it, with the value of each field left empty.
    DEFAULTS = {
        "starts_at": None,
        "ends_at": None,
        "title": "",
        "kind": "",
        "speakers": "",
        "description": "",
    }


ProgrammeFormSet = forms.formset_factory(
    ProgrammeItemForm,
    formset=BaseProgrammeFormSet,
    extra=3,
    can_delete=True,
    max_num=60,
    validate_max=True,
)


def programme_initial(edition: Edition) -> list[dict]:
    return [
        {name: getattr(item, name) for name in BaseProgrammeFormSet.DEFAULTS}
        for item in edition.programme.all()
    ]


def _same_day_in(day: datetime.date, year: int) -> datetime.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


class EditionCopyForm(forms.Form):
    """The year and date of the new edition; everything else comes from the source."""

    year = forms.IntegerField(
        label=_("Année de la nouvelle édition"), min_value=2000, max_value=2100
    )
    date = forms.DateField(label=_("Date de la rencontre"), widget=DATE_INPUT)

    def __init__(self, *args, source: Edition, **kwargs):
        kwargs.setdefault(
            "initial",
            {"year": source.year + 1, "date": _same_day_in(source.date, source.year + 1)},
        )
        super().__init__(*args, **kwargs)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if Edition.objects.filter(kind=EventKind.RENCONTRE, year=year).exists():
            raise forms.ValidationError(_("Une édition existe déjà pour cette année."))
        return year


def college_choices() -> list[tuple[str, str]]:
    """The eight colleges, in the order of the roles."""
    return [(role.value, role.label) for role in Role if role in COLLEGES]


class InviteForm(forms.Form):
    college = forms.ChoiceField(
        label=_("Collège à inviter"),
        help_text=_(
            "Chaque membre du collège reçoit un e-mail avec le lien vers le formulaire "
            "d'inscription. Les personnes déjà inscrites ne le reçoivent pas."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["college"].choices = [("", "---------"), *college_choices()]


class DocumentsForm(forms.Form):
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents de l'événement"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ils paraissent sur la page de l'événement (ceux réservés aux partenaires, pour "
            "eux seuls) et partent avec les attestations de présence."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = Document.objects.filter(
            status=Status.PUBLISHED
        ).order_by("-date", "title")
