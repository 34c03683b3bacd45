from django.db.models import Count, Prefetch, Q, QuerySet

from .enums import Role
from .models import AuditLogEntry, RoleAssignment, User

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
