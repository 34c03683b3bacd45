"""Organisers' forms for the events that are not the rencontre: a training of the
catalogue, and the settings and further dates of a session, meeting or workshop."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from contrat_ville.formfields import https_formfield

from ..enums import EventKind
from ..models import Edition, EventDay, Training
from .edition import (
    DATE_INPUT,
    BaseRowsFormSet,
    EditionForm,
    OptionalRow,
    _time_input,
)

OCCASION_FIELDSETS = [
    (_("L'événement"), ["kind", "body", "title", "status"]),
    (
        _("Date et lieu"),
        ["date", "starts_at", "ends_at", "venue_name", "venue_address", "online_url"],
    ),
    (_("Présentation"), ["description"]),
    (
        _("Inscriptions"),
        [
            "audience",
            "capacity",
            "per_organisation_limit",
            "registration_opens_at",
            "registration_closes_at",
        ],
    ),
]


class OccasionForm(EditionForm):
    """The settings of a training session, a body's meeting or a thematic workshop: the
    rencontre's, without its year and workshop groups, with who may register and how many
    per organisation. A session's kind is fixed (it belongs to its training)."""

    class Meta(EditionForm.Meta):
        formfield_callback = https_formfield
        fields = [
            "kind",
            "body",
            "title",
            "status",
            "date",
            "starts_at",
            "ends_at",
            "venue_name",
            "venue_address",
            "online_url",
            "description",
            "audience",
            "capacity",
            "per_organisation_limit",
            "registration_opens_at",
            "registration_closes_at",
        ]
        labels = {
            **EditionForm.Meta.labels,
            "kind": _("Type d'événement"),
            "body": _("Instance (pour une réunion d'instance)"),
            "online_url": _("Lien de la visioconférence (facultatif)"),
            "audience": _("Inscription ouverte à"),
            "per_organisation_limit": _("Places au plus par structure (facultatif)"),
            "venue_name": _("Lieu (ou « En ligne »)"),
        }
        help_texts = {
            **EditionForm.Meta.help_texts,
            "registration_closes_at": _("Laissez vide pour les fermer à la fin de l'événement."),
            "per_organisation_limit": _(
                "Pour qu'une même structure ne prenne pas toutes les places. Laissez vide pour "
                "ne pas limiter."
            ),
        }
        widgets = {**EditionForm.Meta.widgets, "date": DATE_INPUT}

    def __init__(self, *args, session: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind.value, kind.label)
            for kind in EventKind
            if kind not in (EventKind.RENCONTRE, EventKind.TRAINING)
        ]
        if session:
            del self.fields["kind"]
            del self.fields["body"]
        limit = self.fields["per_organisation_limit"]
        limit.validators += [MinValueValidator(1), MaxValueValidator(1000)]
        limit.widget.attrs.update(min=1, max=1000)

    def fieldsets(self) -> list[tuple[str, list]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in OCCASION_FIELDSETS
        ]

    def clean(self):
        cleaned = super().clean()
        kind, body = cleaned.get("kind"), cleaned.get("body")
        if "kind" in self.fields:
            if kind == EventKind.MEETING and body is None and "body" not in self.errors:
                self.add_error("body", _("Choisissez l'instance qui se réunit."))
            if kind != EventKind.MEETING and body is not None:
                self.add_error("body", _("Seule une réunion d'instance a une instance."))
        return cleaned


class DayForm(OptionalRow, forms.ModelForm):
    """A further date of the event. A row left empty is ignored."""

    class Meta:
        model = EventDay
        fields = ["date", "starts_at", "ends_at"]
        labels = {"date": _("Date"), "starts_at": _("Début"), "ends_at": _("Fin")}
        widgets = {"date": DATE_INPUT, "starts_at": _time_input(), "ends_at": _time_input()}

    REQUIRED = ("date", "starts_at", "ends_at")


class BaseDaysFormSet(BaseRowsFormSet):
    DEFAULTS = {"date": None, "starts_at": None, "ends_at": None}

    def __init__(self, *args, first_day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_day = first_day

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if form.is_blank() or form in self.deleted_forms:
                continue
            day = form.cleaned_data.get("date")
            if day in seen or (self.first_day and day == self.first_day):
                form.add_error("date", _("Cette date figure déjà parmi les dates de l'événement."))
            seen.add(day)


DaysFormSet = forms.formset_factory(
    DayForm, formset=BaseDaysFormSet, extra=2, can_delete=True, max_num=20, validate_max=True
)


def days_initial(edition: Edition) -> list[dict]:
    return [
        {name: getattr(day, name) for name in BaseDaysFormSet.DEFAULTS}
        for day in edition.days.all()
    ]


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = [
            "title",
            "slug",
            "theme",
            "summary",
            "public",
            "level",
            "trainer",
            "prerequisites",
            "description",
            "status",
        ]
        labels = {
            "title": _("Intitulé"),
            "slug": _("Adresse de la page"),
            "theme": _("Thème"),
            "summary": _("En une phrase"),
            "public": _("Pour qui"),
            "level": _("Niveau"),
            "trainer": _("Formateur ou formatrice"),
            "prerequisites": _("Prérequis (facultatif)"),
            "description": _("Présentation (facultatif)"),
            "status": _("Statut"),
        }
        help_texts = {
            "slug": _("Lettres minuscules, chiffres et tirets : /formations/<adresse>/."),
            "status": _("Brouillon : visible des seuls organisateurs."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "prerequisites": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "slug": {
                "unique": _("Une autre formation a déjà cette adresse : choisissez-en une autre.")
            }
        }

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_TRAINING_SLUGS:
            raise forms.ValidationError(_("Cette adresse est réservée : choisissez-en une autre."))
        return slug


# Paths of /formations/ itself.
RESERVED_TRAINING_SLUGS = frozenset({"nouvelle"})
