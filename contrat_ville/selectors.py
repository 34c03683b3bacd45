import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from .colours import DEFAULT_PRIMARY
from .enums import Role
from .logos import logo_version
from .models import AuditLogEntry, PortalIdentity, RoleAssignment, Signatory, User

_ROLES_CACHE = "_portal_roles"


def user_roles(user) -> frozenset[str]:
    """The global roles of ``user``, read once per user object (so once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        cached = frozenset(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        setattr(user, _ROLES_CACHE, cached)
    return cached


def user_roles_forget(user) -> None:
    """Drop the cached roles after they changed."""
    if hasattr(user, _ROLES_CACHE):
        delattr(user, _ROLES_CACHE)


def user_list_with_roles(*, query: str = "", role: str = "") -> QuerySet[User]:
    """Users for the roles page, their role assignments prefetched."""
    users = User.objects.filter(is_active=True)
    if query:
        for word in query.split():
            users = users.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
    if role == "none":
        users = users.filter(role_assignments__isnull=True)
    elif role in Role.values:
        users = users.filter(role_assignments__role=role)
    return users.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
    ).order_by("last_name", "first_name", "email")


def user_role_counts() -> dict[str, int]:
    counts = dict.fromkeys(Role.values, 0)
    counts.update(
        RoleAssignment.objects.filter(user__is_active=True)
        .values("role")
        .annotate(total=Count("id"))
        .values_list("role", "total")
    )
    return counts


def audit_log_list(*, action: str = "", target_type: str = "", target_id: str = "") -> QuerySet:
    # The author's current name is part of each sentence (contrat_ville.audit.who).
    entries = AuditLogEntry.objects.select_related("actor")
    if action:
        entries = entries.filter(action=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    return entries.order_by("-created_at", "-id")


# -- the installation's identity -------------------------------------------------------------


@dataclass(frozen=True)
class SignatoryShown:
    name: str
    logo_url: str
    url: str


@dataclass(frozen=True)
class IdentityShown:
    """What every page, e-mail and PDF shows of the installation: plain values, cached."""

    name: str
    operator: str
    operator_url: str
    logo_url: str
    logo_name: str  # the stored file ("identity/operateur-….png"), for the PDFs
    primary_colour: str
    stylesheet_url: str
    signatories: tuple[SignatoryShown, ...]


def _logo_url(url_name: str, field_file, args=()) -> str:
    if not field_file:
        return ""
    return f"{reverse(url_name, args=args)}?v={logo_version(field_file)}"


def stylesheet_version(colour: str) -> str:
    return hashlib.sha256(colour.encode()).hexdigest()[:12]


def identity_row() -> PortalIdentity:
    """The stored identity, or the defaults (unsaved) of an installation that has none."""
    return PortalIdentity.objects.filter(pk=PortalIdentity.SINGLETON_PK).first() or (
        PortalIdentity()
    )


def signatory_list() -> QuerySet[Signatory]:
    return Signatory.objects.order_by("order", "name", "pk")


def signatories_shown() -> list[dict]:
    """What the footer shows of each signatory, in order (stored on the identity row)."""
    return [
        {
            "name": signatory.name,
            "logo_url": _logo_url("identity_signatory_logo", signatory.logo, [signatory.pk]),
            "url": signatory.url,
        }
        for signatory in signatory_list()
    ]


def portal_identity() -> IdentityShown:
    """The identity every page shows: one small query, the signatories included.

    Not kept in Django's cache: the shared cache production needs is a database table,
    so a hit would cost this same query, and a cold cache would make the first request
    of a page cost more than the next ones."""
    row = identity_row()
    colour = row.primary_colour
    return IdentityShown(
        name=row.name or settings.PORTAL_SITE_NAME,
        operator=row.operator,
        operator_url=row.operator_url,
        logo_url=_logo_url("identity_logo", row.logo),
        logo_name=row.logo.name if row.logo else "",
        primary_colour=colour,
        stylesheet_url=""
        if colour == DEFAULT_PRIMARY
        else f"{reverse('identity_stylesheet')}?v={stylesheet_version(colour)}",
        signatories=tuple(
            SignatoryShown(name=item["name"], logo_url=item["logo_url"], url=item["url"])
            for item in row.signatories_shown
        ),
    )
