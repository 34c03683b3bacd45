import pytest

from contrat_ville.models import Territory
from partners.enums import ActorStatus
from partners.models import Competence, Public
from partners.services import actor_create


@pytest.fixture
def make_actor(db):
    """Build an actor through the service, so search fields are filled as in real use."""

    def make(
        name="Maison des jeunes",
        *,
        kind="association",
        summary="Accueil et activités pour les jeunes du quartier.",
        description="",
        territories=(),
        competences=(),
        publics=(),
        bodies=(),
        status=ActorStatus.PUBLISHED,
        **fields,
    ):
        return actor_create(
            by=None,
            data={
                "name": name,
                "kind": kind,
                "summary": summary,
                "description": description,
                **fields,
            },
            territories=[Territory.objects.get(slug=s) for s in territories],
            competences=[Competence.objects.get(slug=s) for s in competences],
            publics=[Public.objects.get(slug=s) for s in publics],
            bodies=list(bodies),
            status=status,
        )

    return make
