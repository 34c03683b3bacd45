"""The demo's actors on the map: deterministic points, inside their QPV or in the centre of
Chambéry, a few without; generated actors spread over Grand Chambéry; a light map page."""

import gzip
import math

import pytest
from django.urls import reverse

from contrat_ville.demo import seed_accounts
from contrat_ville.models import Territory
from neighbourhoods.demo import seed_perimeter
from partners.demo import CITY_CENTRE, DEMO_ACTORS, UNPLACED_DEMO_ACTORS, seed_actors, seed_many
from partners.enums import LocationSource
from partners.models import Actor

pytestmark = pytest.mark.django_db
QPV = {"biollay-bellevue", "hauts-de-chambery"}


def km(lon1, lat1, lon2, lat2) -> float:
    """Distance on the sphere, enough for a few kilometres."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371 * math.hypot(x, math.radians(lat2 - lat1))


@pytest.fixture
def demo():
    seed_accounts()
    seed_perimeter()  # the neighbourhoods' step (order 15) loads the contours first
    seed_actors()


def points():
    return {
        slug: (lat, lon, source, located)
        for slug, lat, lon, source, located in Actor.objects.values_list(
            "slug", "latitude", "longitude", "location_source", "located_in__slug"
        )
    }


def test_demo_actors_of_a_qpv_stand_inside_it(demo):
    found = points()

    for spec in DEMO_ACTORS:
        lat, lon, source, located = found[spec.slug]
        if spec.slug in UNPLACED_DEMO_ACTORS:
            assert (lat, lon, source, located) == (None, None, "", None)
            continue
        assert source == LocationSource.MANUAL
        first_qpv = next((s for s in spec.territories if s in QPV), None)
        if first_qpv:
            assert located == first_qpv, spec.slug
        else:
            # In Chambéry's centre, outside the QPV.
            assert located is None, spec.slug
            assert km(lon, lat, *CITY_CENTRE) < 2, spec.slug


def test_demo_leaves_a_few_actors_without_a_point(demo):
    unplaced = set(Actor.objects.filter(latitude__isnull=True).values_list("slug", flat=True))

    assert unplaced == UNPLACED_DEMO_ACTORS
    assert 3 <= len(unplaced) <= len(DEMO_ACTORS) // 10


def test_demo_points_are_the_same_on_every_run(demo):
    first = points()
    Actor.objects.update(latitude=None, longitude=None, location_source="", located_in=None)

    seed_actors()

    assert points() == first


def test_demo_without_contours_still_places_actors_in_their_qpv(
    db, django_capture_on_commit_callbacks
):
    # The perimeter step not run: the national file's contours place the points.
    seed_accounts()
    seed_actors()
    assert not Actor.objects.filter(located_in__isnull=False).exists()
    # The contours arrive afterwards: the actors are placed in them (contours_changed).
    with django_capture_on_commit_callbacks(execute=True):
        seed_perimeter()

    found = points()
    assert found["maison-des-jeunes-du-biollay"][3] == "biollay-bellevue"
    assert found["boxe-educative-des-hauts"][3] == "hauts-de-chambery"


def test_generated_actors_spread_over_grand_chambery(db):
    seed_perimeter()

    seed_many(400)

    rows = list(Actor.objects.values_list("latitude", "longitude", "located_in__slug"))
    placed = [(lat, lon, where) for lat, lon, where in rows if lat is not None]
    assert 0.75 * len(rows) <= len(placed) < len(rows)
    assert all(km(lon, lat, *CITY_CENTRE) < 25 for lat, lon, _where in placed)
    neighbourhoods = {where for _lat, _lon, where in placed}
    assert neighbourhoods >= QPV
    assert None in neighbourhoods
    # Every point in a QPV says so, and every generated actor of a QPV stands inside it.
    biollay = Territory.objects.get(slug="biollay-bellevue")
    own = Actor.objects.filter(territories=biollay, latitude__isnull=False)
    assert own.filter(located_in=biollay).count() >= own.count() * 0.6


def test_generated_points_are_deterministic(db):
    seed_perimeter()
    seed_many(60)
    first = list(Actor.objects.order_by("slug").values_list("slug", "latitude", "longitude"))
    Actor.objects.all().delete()

    seed_many(60)

    assert list(Actor.objects.order_by("slug").values_list("slug", "latitude", "longitude")) == (
        first
    )


def test_demo_map_page_stays_light(client, demo):
    response = client.get(reverse("partners:directory_map"))

    assert response.status_code == 200
    assert len(response.context["map"].markers) == len(
        Actor.objects.filter(status="published", latitude__isnull=False)
    )
    assert len(gzip.compress(response.content)) < 100_000
