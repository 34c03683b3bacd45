"""Fixtures of the actions tests: two actors with a member each, a priority, territories."""

from decimal import Decimal

import pytest

from actions.enums import ActionStatus
from actions.models import Action, Funding, Indicator
from contract.models import Objective, Priority
from contrat_ville.enums import Role, TerritoryKind
from contrat_ville.models import Territory
from events.models import Edition
from partners.enums import ActorKind, ActorStatus
from partners.models import Actor, Membership, Public
from partners.services import actor_create
from tests.events.conftest import make_edition  # noqa: F401  (the rencontre's factory)
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _actor(name: str, slug: str) -> Actor:
    return actor_create(
        by=None,
        data={
            "name": name,
            "slug": slug,
            "kind": ActorKind.ASSOCIATION,
            "summary": f"{name}, une association des quartiers.",
        },
        status=ActorStatus.PUBLISHED,
    )


@pytest.fixture
def actor_a(db):
    return _actor("Association Alpha", "alpha")


@pytest.fixture
def actor_b(db):
    return _actor("Association Bêta", "beta")


@pytest.fixture
def member_a(actor_a):
    user = UserFactory(email="membre-a@example.test", roles=[Role.PORTEUR_PROJET])
    Membership.objects.create(actor=actor_a, user=user)
    return user


@pytest.fixture
def member_b(actor_b):
    user = UserFactory(email="membre-b@example.test", roles=[Role.PORTEUR_PROJET])
    Membership.objects.create(actor=actor_b, user=user)
    return user


@pytest.fixture
def priority(db):
    return Priority.objects.create(
        title="Emploi et insertion", slug="emploi", summary="Trouver du travail.", position=1
    )


@pytest.fixture
def other_priority(db):
    return Priority.objects.create(
        title="Éducation et jeunesse", slug="education", summary="Réussir.", position=2
    )


@pytest.fixture
def objective(priority):
    return Objective.objects.create(priority=priority, title="Lever les freins à l'emploi")


@pytest.fixture
def qpv_one(db):
    return Territory.objects.create(
        kind=TerritoryKind.QVA, code="", name="Quartier Un", slug="quartier-un", order=1
    )


@pytest.fixture
def qpv_two(db):
    return Territory.objects.create(
        kind=TerritoryKind.QVA, code="", name="Quartier Deux", slug="quartier-deux", order=2
    )


@pytest.fixture
def youth(db):
    return Public.objects.get_or_create(slug="jeunes-test", defaults={"name": "Jeunes (test)"})[0]


@pytest.fixture
def make_action(db):
    """An action written straight to the database (services have their own tests)."""

    def make(
        carrier,
        *,
        title="Atelier d'insertion",
        year=2025,
        status=ActionStatus.PROGRAMMED,
        priority=None,
        territories=(),
        publics=(),
        fundings=(),
        indicators=(),
        **fields,
    ) -> Action:
        for name in ("budget_planned", "budget_actual"):
            if fields.get(name) is not None:
                fields[name] = Decimal(fields[name])
        action = Action.objects.create(
            title=title,
            year=year,
            status=status,
            carrier=carrier,
            priority=priority,
            summary=fields.pop("summary", "Une action de test."),
            **fields,
        )
        action.territories.set(territories)
        action.publics.set(publics)
        for funder, planned, actual in fundings:
            Funding.objects.create(
                action=action,
                funder=funder,
                planned=Decimal(planned),
                actual=None if actual is None else Decimal(actual),
            )
        for position, (label, unit, target, achieved) in enumerate(indicators):
            Indicator.objects.create(
                action=action,
                label=label,
                unit=unit,
                target=None if target is None else Decimal(target),
                achieved=None if achieved is None else Decimal(achieved),
                position=position,
            )
        return action

    return make


@pytest.fixture
def make_pitch(make_edition):
    """make_pitch(year=2024, title=…, published=True) -> a project sheet of that year's
    rencontre, in a gallery open to everyone when ``published``."""
    from workgroups.enums import JuryPhase
    from workgroups.models import ProjectSheet, Workgroup, WorkshopSettings

    numbers = iter(range(1, 100))

    def make(year=2024, title="Un terrain de sport ouvert le soir", *, published=True, **fields):
        edition = Edition.objects.filter(kind="rencontre", year=year).first() or make_edition(
            year=year
        )
        WorkshopSettings.objects.update_or_create(
            edition=edition,
            defaults={
                "phase": JuryPhase.PUBLISHED if published else JuryPhase.SCORING,
                "gallery_public": published,
            },
        )
        number = next(numbers)
        workgroup = Workgroup.objects.create(
            edition=edition, number=number, name=f"Groupe {number}"
        )
        return ProjectSheet.objects.create(
            workgroup=workgroup,
            title=title,
            need=fields.pop("need", "Les jeunes n'ont pas de lieu le soir."),
            actions=fields.pop("actions", "Ouvrir le gymnase deux soirs par semaine."),
            indicators=fields.pop("indicators", "Nombre de jeunes accueillis\nNombre de soirées"),
            budget=fields.pop("budget", 8000),
            **fields,
        )

    return make
