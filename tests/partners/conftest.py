import pytest

from contrat_ville.enums import ContourSource
from contrat_ville.models import Territory
from neighbourhoods import reference
from neighbourhoods.geometry import bounds
from partners.enums import ActorStatus
from partners.models import Competence, Public
from partners.services import actor_create
from tests.neighbourhoods.conftest import fake_ban  # noqa: F401  (the address service)


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


# -- geography -------------------------------------------------------------------------


@pytest.fixture
def contours(db):
    """The two seeded QPV get their contours from the national file, as the perimeter
    command would give them."""
    by_code = {qpv.code: qpv for qpv in reference.qpvs()}
    for territory in Territory.objects.filter(kind="qpv"):
        coordinates = by_code[territory.code].coordinates
        west, south, east, north = bounds(coordinates)
        Territory.objects.filter(pk=territory.pk).update(
            contour=coordinates,
            contour_source=ContourSource.ANCT,
            west=west,
            south=south,
            east=east,
            north=north,
        )
