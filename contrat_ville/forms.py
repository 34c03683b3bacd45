from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import COLLEGES, PORTAL_ROLES, Role


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
