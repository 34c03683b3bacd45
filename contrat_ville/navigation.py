"""The site navigation: each app registers its entries with the permission
they need, and a person only sees the entries their roles allow."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    permission: str | None = None  # None: everyone, the public included
    order: int = 100
    description: str | Promise = ""


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _items[item.key] = item


def items_for(user) -> list[dict]:
    visible = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.key)):
        if item.permission is None or user.has_perm(item.permission):
            visible.append(
                {
                    "key": item.key,
                    "label": item.label,
                    "url": reverse(item.url_name),
                    "description": item.description,
                }
            )
    return visible


def register_core_items() -> None:
    register(NavItem("home", _("Accueil"), "home", order=0))
    register(
        NavItem(
            "territories",
            _("Territoires"),
            "territories",
            permission="contrat_ville.manage_territories",
            order=75,
            description=_(
                "Les quartiers, communes et l'intercommunalité, avec leurs codes officiels."
            ),
        )
    )
    register(
        NavItem(
            "roles",
            _("Rôles"),
            "roles",
            permission="contrat_ville.manage_roles",
            order=80,
            description=_("Attribuer et retirer les collèges et les rôles du portail."),
        )
    )
    register(
        NavItem(
            "identity",
            _("Identité du portail"),
            "identity_edit",
            permission="contrat_ville.edit_identity",
            order=85,
            description=_(
                "Le nom du portail, l'opérateur, les logos des signataires et la couleur."
            ),
        )
    )
    register(
        NavItem(
            "audit",
            _("Journal"),
            "audit_log",
            permission="contrat_ville.view_audit_log",
            order=90,
            description=_("Qui a fait quoi, et quand, sur le portail."),
        )
    )
