from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import COLLEGES, PORTAL_ROLES, Role
from .models import User


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher une personne"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Rôle"),
        required=False,
        choices=[("", _("Tous")), ("none", _("Sans rôle")), *Role.choices],
    )


class UserRolesForm(forms.Form):
    colleges = forms.MultipleChoiceField(
        label=_("Collèges"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[c for c in Role.choices if c[0] in COLLEGES],
        help_text=_("Une personne peut appartenir à plusieurs collèges."),
    )
    portal_roles = forms.MultipleChoiceField(
        label=_("Rôles du portail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[c for c in Role.choices if c[0] in PORTAL_ROLES],
    )

    @classmethod
    def for_roles(cls, roles, **kwargs):
        roles = set(roles)
        return cls(
            initial={
                "colleges": [r for r in roles if r in COLLEGES],
                "portal_roles": [r for r in roles if r in PORTAL_ROLES],
            },
            **kwargs,
        )

    def roles(self) -> set[str]:
        return set(self.cleaned_data["colleges"]) | set(self.cleaned_data["portal_roles"])


class AuditLogFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args, actions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Toutes")), *actions]


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up: organisers need a name to attach a college."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    field_order = ["first_name", "last_name"]

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        labels = {"first_name": _("Prénom"), "last_name": _("Nom")}

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()
