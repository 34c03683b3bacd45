"""Demo data: one verified account per role, and the steps apps add.

Every step is idempotent: running ``seed_demo`` twice leaves the same data.
Apps register their own step from AppConfig.ready(), so the core never
imports them (see ARCHITECTURE.md). Apps may also register a "scale" option,
``seed_demo --<option> N``, that generates volume for load tests.
"""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from .enums import Role
from .models import User
from .services import user_roles_set

DEMO_PASSWORD = "contrat-de-ville-2030"  # noqa: S105 (published in the README on purpose)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    roles: tuple[Role, ...]


DEMO_ACCOUNTS = (
    DemoAccount("organisateur@demo.test", "Odile", "Organisatrice", (Role.ORGANISER,)),
    DemoAccount("animateur@demo.test", "Antoine", "Animateur", (Role.FACILITATOR,)),
    DemoAccount("jury@demo.test", "Justine", "Jurée", (Role.JUROR,)),
    DemoAccount("copil@demo.test", "Claire", "Élue", (Role.COPIL,)),
    DemoAccount("cotech@demo.test", "Thomas", "Technicien", (Role.COTECH,)),
    DemoAccount("association@demo.test", "Amina", "Associative", (Role.PORTEUR_PROJET,)),
    DemoAccount("conseil-citoyen@demo.test", "Céline", "Citoyenne", (Role.CONSEIL_CITOYEN,)),
    DemoAccount("habitant@demo.test", "Hugo", "Habitant", (Role.REPRESENTANT_HABITANTS,)),
)

_steps: list[tuple[int, str, Callable[[], str]]] = []


@dataclass(frozen=True)
class ScaleOption:
    """``seed_demo --<option> N``: ``handler(N, progress)`` returns a one-line summary."""

    option: str
    help: str
    handler: Callable[[int, Callable[[str], None]], str]


_scales: dict[str, ScaleOption] = {}


def register_step(name: str, step: Callable[[], str], order: int = 100) -> None:
    """Add an app's demo step; it returns a one-line summary of what it did."""
    if all(existing != name for _order, existing, _fn in _steps):
        _steps.append((order, name, step))


def register_scale(
    option: str, help: str, handler: Callable[[int, Callable[[str], None]], str]
) -> None:
    """Add an integer option to ``seed_demo``; the handler may print progress lines."""
    _scales.setdefault(option, ScaleOption(option, help, handler))


def scale_options() -> list[ScaleOption]:
    return sorted(_scales.values(), key=lambda scale: scale.option)


@transaction.atomic
def seed_accounts() -> str:
    for account in DEMO_ACCOUNTS:
        user, _created = User.objects.update_or_create(
            email=account.email,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        user_roles_set(actor=None, user=user, roles=account.roles)
    return f"{len(DEMO_ACCOUNTS)} demo accounts (password: {DEMO_PASSWORD})"


def seed_all() -> list[str]:
    summaries = [seed_accounts()]
    for _order, _name, step in sorted(_steps, key=lambda s: (s[0], s[1])):
        summaries.append(step())
    return summaries
