"""Demo data: one verified account per role, and the steps apps add.

Every step is idempotent: running ``seed_demo`` twice leaves the same data.
Apps register their own step from AppConfig.ready(), so the core never
imports them (see ARCHITECTURE.md). Apps may also register a "scale" option,
``seed_demo --<option> N``, that generates volume for load tests.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import transaction

from .enums import Role
from .identity import identity_update, signatory_create, signatory_update
from .models import Signatory, User
from .selectors import identity_row
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


DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


def _stored(field_file) -> bytes:
    if not field_file:
        return b""
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return b""


def _demo_logo(relative: str, field_file) -> ContentFile | None:
    """The demo logo as an upload, or None when the same one is already stored (so a
    second run changes nothing and records nothing)."""
    data = (DEMO_DATA / relative).read_bytes()
    return None if _stored(field_file) == data else ContentFile(data, name=Path(relative).name)


@transaction.atomic
def seed_identity() -> str:
    """A Grand Chambéry identity with made-up logos (demo_data/identity.json)."""
    spec = json.loads((DEMO_DATA / "identity.json").read_text(encoding="utf-8"))
    identity = identity_row()
    identity_update(
        by=None,
        data={
            "name": spec["name"],
            "operator": spec["operator"],
            "operator_url": spec["operator_url"],
            "primary_colour": spec["primary_colour"],
            "logo": _demo_logo(spec["logo"], identity.logo),
        },
    )
    for item in spec["signatories"]:
        data = {"name": item["name"], "url": item["url"], "order": item["order"]}
        signatory = Signatory.objects.filter(name=item["name"]).first()
        if signatory is None:
            signatory_create(by=None, data={**data, "logo": _demo_logo(item["logo"], None)})
        else:
            logo = _demo_logo(item["logo"], signatory.logo)
            signatory_update(by=None, signatory=signatory, data={**data, "logo": logo})
    return f"identity: {spec['name']} ({spec['operator']}), {len(spec['signatories'])} signatories"


def seed_all() -> list[str]:
    summaries = [seed_accounts(), seed_identity()]
    for _order, _name, step in sorted(_steps, key=lambda s: (s[0], s[1])):
        summaries.append(step())
    return summaries
