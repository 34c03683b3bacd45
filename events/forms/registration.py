"""The registration form: filled by the person (no account needed), by an
organiser for someone else, and again from the manage link."""

import hashlib
import secrets

from django import forms
from django.core.cache import cache
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contrat_ville.enums import TerritoryKind
from contrat_ville.formfields import TelInput, autofill
from contrat_ville.models import Territory

from ..enums import College
from ..models import Registration

# Beyond this many published actors, the organisation field's suggestion list
# would weigh more than the page; a typed name is still matched to the directory.
SUGGESTIONS_LIMIT = 2000

YES_NO = [(True, _("Oui")), (False, _("Non"))]


def _published_actors():
    from partners.enums import ActorStatus
    from partners.models import Actor

    return Actor.objects.filter(status=ActorStatus.PUBLISHED)


def organisation_suggestions() -> list[str]:
    names = list(
        _published_actors()
        .order_by(Lower("name"))
        .values_list("name", flat=True)[: SUGGESTIONS_LIMIT + 1]
    )
    return names if len(names) <= SUGGESTIONS_LIMIT else []


def neighbourhoods():
    return Territory.objects.filter(
        kind__in=[TerritoryKind.QPV, TerritoryKind.QVA, TerritoryKind.COMMUNE]
    ).order_by("order", "name")


# The empty form's fields are the same for every visitor who is not logged in:
# rendered once, they are kept this long under a key that changes with what they show.
FIELDS_CACHE_SECONDS = 600
# Entries of an older code version are never read (and the cache may be in the database).
_FIELDS_CACHE_BOOT = secrets.token_hex(4)


def _fields_cache_key() -> str:
    from partners.selectors import directory_version

    # The neighbourhoods are a few dozen rows: their ids and names are the fingerprint.
    territories = repr(list(neighbourhoods().values_list("pk", "name")))
    digest = hashlib.sha256(territories.encode()).hexdigest()[:16]
    # Every write that can change a published actor's name bumps the directory's version.
    return (
        f"events:registration-fields:{_FIELDS_CACHE_BOOT}:{get_language()}:"
        f"{directory_version()}:{digest}"
    )


def empty_registration_fields(form: "RegistrationForm") -> SafeString:
    """``events/_registration_fields.html`` for an unbound form without initial data
    (an anonymous visitor's), with the directory's suggestions: rendering Django's
    widget templates costs more than the rest of the page, so it is done once per
    language, neighbourhood list and directory version. Never holds a CSRF token."""
    if form.is_bound or form.initial or "privacy" not in form.fields:
        raise ValueError("Only the empty public form is the same for everyone.")
    key = _fields_cache_key()
    html = cache.get(key)
    if html is None:
        html = str(
            render_to_string(
                "events/_registration_fields.html",
                {"form": form, "suggestions": organisation_suggestions()},
            )
        )
        cache.set(key, html, FIELDS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own template's output)


def _no_constraint_checks(exclude=None) -> None:
    return None


class RegistrationForm(forms.ModelForm):
    """Every field of a registration a person fills in."""

    organisation = forms.CharField(
        label=_("Structure"),
        required=False,
        max_length=200,
        help_text=_(
            "Choisissez-la dans la liste de l'annuaire ou tapez son nom. "
            "Laissez vide si vous venez à titre personnel."
        ),
    )
    image_consent = forms.TypedChoiceField(
        label=_("Droit à l'image"),
        help_text=_(
            "Acceptez-vous d'apparaître sur les photos et vidéos de la journée publiées "
            "par les organisateurs ?"
        ),
        choices=YES_NO,
        coerce=lambda value: value in (True, "True", "true", "1", "on"),
        widget=forms.RadioSelect,
    )
    listed = forms.BooleanField(
        label=_("Je souhaite figurer sur la liste des participants"),
        help_text=_(
            "Nom, structure et collège, visibles des partenaires connectés au portail, pour "
            "savoir qui était là. Vous pouvez retirer votre accord à tout moment."
        ),
        required=False,
    )
    # A trap for robots, which fill every field: people never see it (hidden by the style
    # sheet and from screen readers), and a sign-up that fills it is dropped unsaid.
    website = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    privacy = forms.BooleanField(
        label=_("J'ai lu la notice de confidentialité de l'inscription"),
        required=True,
        error_messages={
            "required": _("Cochez cette case pour confirmer que vous avez lu la notice.")
        },
    )

    class Meta:
        model = Registration
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "organisation",
            "college",
            "territory",
            "accessibility_needs",
            "dietary_needs",
            "image_consent",
            "listed",
        ]
        labels = {
            "territory": _("Quartier où vous travaillez ou habitez"),
            "college": _("Vous venez en tant que"),
        }
        help_texts = {
            "email": _("La confirmation et le lien pour gérer votre inscription y seront envoyés."),
            "accessibility_needs": _(
                "Fauteuil roulant, boucle magnétique, interprète LSF… Nous préparons l'accueil."
            ),
            "dietary_needs": _("Pour le déjeuner : végétarien, sans porc, allergies…"),
        }
        widgets = {
            "phone": TelInput,
            "accessibility_needs": forms.Textarea(attrs={"rows": 2}),
            "dietary_needs": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, with_privacy: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = neighbourhoods()
        self.fields["territory"].empty_label = _("Aucun en particulier")
        self.fields["college"].choices = [("", "---------"), *College.choices]
        if self.instance.pk:
            self.initial.setdefault("organisation", self.instance.organisation_label)
        self.fields["organisation"].widget.attrs["list"] = "organisations"
        autofill(
            self,
            {
                "first_name": "given-name",
                "last_name": "family-name",
                "email": "email",
                "phone": "tel",
                "organisation": "organization",
            },
        )
        if not with_privacy:
            # Organisers register on someone's behalf; the person acknowledges
            # the notice through their manage link. Nor is an organiser a robot.
            del self.fields["privacy"]
            del self.fields["website"]

    def _post_clean(self):
        # Django's ModelForm also runs the model's check constraints, each one built as
        # a query from every field, one of them sent to the database: a third of a
        # submission's validation. The only one this form's fields can break, the
        # college's choices, is the college field's own check; the others concern
        # fields the services set, and the database enforces them all.
        self.instance.validate_constraints = _no_constraint_checks
        try:
            super()._post_clean()
        finally:
            del self.instance.validate_constraints

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        name = " ".join((cleaned.get("organisation") or "").split())
        cleaned["organisation"] = name
        # A typed name that is a directory actor links the registration to it.
        # Only its name is shown (organisation_label): not its search text.
        cleaned["actor"] = (
            _published_actors().filter(name__iexact=name).only("pk", "name").order_by("pk").first()
            if name
            else None
        )
        return cleaned

    @property
    def trapped(self) -> bool:
        """The robots' trap field was filled: answer as for anyone, keep nothing."""
        return bool(self.cleaned_data.get("website"))

    def data_for_service(self) -> dict:
        data = {key: self.cleaned_data[key] for key in self.Meta.fields}
        data["actor"] = self.cleaned_data["actor"]
        return data


class ManageForm(RegistrationForm):
    """The person's own corrections; the privacy notice was acknowledged at sign-up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, with_privacy=False, **kwargs)


class ResendLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=Registration._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
