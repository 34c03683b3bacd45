"""Where an actor is: typed or geocoded points, the neighbourhood computed from them, and the
form's position fields."""

import pytest
from django.db import IntegrityError, transaction

from contrat_ville.models import Territory
from contrat_ville.services import territory_update
from neighbourhoods.signals import contours_changed
from partners.enums import LocationSource
from partners.forms import ActorForm
from partners.models import Actor
from partners.selectors import directory_version
from partners.services import actor_update, actors_locate_again

from .places import (
    BIOLLAY_ADDRESS,
    CITY_HALL,
    HAUTS_ADDRESS,
    IN_BIOLLAY,
    IN_HAUTS,
    UNKNOWN_ADDRESS,
)

pytestmark = pytest.mark.django_db

PLACEMENT = "Adresse non placée sur la carte : "
RETRY = " ; indiquez la position à la main ou réessayez."


def point(latitude_longitude) -> dict:
    latitude, longitude = latitude_longitude
    return {"latitude": latitude, "longitude": longitude}


def where(actor: Actor):
    actor.refresh_from_db()
    return (
        actor.latitude,
        actor.longitude,
        actor.location_source,
        actor.located_in.slug if actor.located_in else None,
    )


# -- typed points ------------------------------------------------------------------------


def test_a_typed_point_is_kept_and_placed_in_its_neighbourhood(make_actor, contours):
    actor = make_actor(**point(IN_BIOLLAY))

    assert where(actor) == (*IN_BIOLLAY, LocationSource.MANUAL, "biollay-bellevue")
    assert actor.placement_warning == ""


def test_a_point_outside_every_neighbourhood_is_located_nowhere(make_actor, contours):
    actor = make_actor(**point(CITY_HALL))

    assert where(actor) == (*CITY_HALL, LocationSource.MANUAL, None)


def test_moving_the_point_moves_the_neighbourhood(make_actor, contours):
    actor = make_actor(**point(IN_BIOLLAY))

    actor_update(by=None, actor=actor, data=point(IN_HAUTS))

    assert where(actor) == (*IN_HAUTS, LocationSource.MANUAL, "hauts-de-chambery")


def test_emptying_both_fields_removes_the_point(make_actor, contours):
    actor = make_actor(**point(IN_BIOLLAY))

    actor_update(by=None, actor=actor, data={"latitude": None, "longitude": None})

    assert where(actor) == (None, None, LocationSource.NONE, None)


def test_a_save_without_position_fields_leaves_the_point_alone(make_actor, contours):
    actor = make_actor(**point(IN_BIOLLAY))

    actor_update(by=None, actor=actor, data={"summary": "Une autre présentation."})

    assert where(actor) == (*IN_BIOLLAY, LocationSource.MANUAL, "biollay-bellevue")


def test_the_database_refuses_half_a_point_or_one_off_the_globe(make_actor):
    actor = make_actor()
    for latitude, longitude in ((45.5, None), (None, 5.9), (91.0, 5.9), (45.5, 181.0)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Actor.objects.filter(pk=actor.pk).update(latitude=latitude, longitude=longitude)


# -- geocoding ---------------------------------------------------------------------------


def test_an_address_is_geocoded_on_creation(make_actor, contours, fake_ban):
    actor = make_actor(**BIOLLAY_ADDRESS)

    assert where(actor) == (*IN_BIOLLAY, LocationSource.GEOCODER, "biollay-bellevue")
    assert actor.placement_warning == ""
    assert [q["q"] for q in fake_ban.queries] == ["12 rue du Biollay, 73000 Chambéry"]


def test_an_address_not_found_is_saved_without_a_point(make_actor, contours, fake_ban):
    actor = make_actor(**UNKNOWN_ADDRESS)

    actor.refresh_from_db()
    assert actor.address == "99 impasse Introuvable"
    assert where(actor) == (None, None, LocationSource.NONE, None)
    assert actor.placement_warning == (
        f"{PLACEMENT}le service national des adresses ne trouve pas cette adresse{RETRY}"
    )


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("timeout", "le service national des adresses ne répond pas pour le moment"),
        ("error500", "le service national des adresses est indisponible pour le moment"),
        ("invalid_json", "le service national des adresses est indisponible pour le moment"),
    ],
)
def test_a_failing_address_service_loses_nothing_typed(
    make_actor, contours, fake_ban, mode, reason
):
    actor = make_actor(summary="Un accueil de jour.", phone="01 99 00 10 01", **BIOLLAY_ADDRESS)
    fake_ban.mode = mode

    actor = actor_update(
        by=None,
        actor=actor,
        data={**HAUTS_ADDRESS, "summary": "Un accueil de jour et de nuit."},
    )

    actor.refresh_from_db()
    assert (actor.address, actor.summary, actor.phone) == (
        "3 rue du Pré de l'Âne",
        "Un accueil de jour et de nuit.",
        "01 99 00 10 01",
    )
    # The geocoded point belonged to the previous address: it goes, and the warning says why.
    assert where(actor) == (None, None, LocationSource.NONE, None)
    assert actor.placement_warning == f"{PLACEMENT}{reason}{RETRY}"


def test_saving_again_retries_the_address_service(make_actor, contours, fake_ban):
    fake_ban.mode = "error500"
    actor = make_actor(**BIOLLAY_ADDRESS)
    assert actor.placement_warning.startswith(PLACEMENT)
    fake_ban.mode = "ok"

    actor = actor_update(by=None, actor=actor, data={})

    assert actor.placement_warning == ""
    assert where(actor) == (*IN_BIOLLAY, LocationSource.GEOCODER, "biollay-bellevue")


def test_a_new_address_moves_a_geocoded_point(make_actor, contours, fake_ban):
    actor = make_actor(**BIOLLAY_ADDRESS)

    # The form sends the current point back unchanged: it is not a typed one.
    actor_update(by=None, actor=actor, data={**HAUTS_ADDRESS, **point(IN_BIOLLAY)})

    assert where(actor) == (*IN_HAUTS, LocationSource.GEOCODER, "hauts-de-chambery")


def test_an_unchanged_address_is_not_sent_again(make_actor, contours, fake_ban):
    actor = make_actor(**BIOLLAY_ADDRESS)

    actor_update(by=None, actor=actor, data={**BIOLLAY_ADDRESS, **point(IN_BIOLLAY)})

    assert len(fake_ban.queries) == 1


def test_typed_coordinates_win_over_the_address(make_actor, contours, fake_ban):
    actor = make_actor(**BIOLLAY_ADDRESS, **point(IN_HAUTS))

    assert where(actor) == (*IN_HAUTS, LocationSource.MANUAL, "hauts-de-chambery")
    assert fake_ban.queries == []


def test_a_typed_point_stays_when_the_address_changes(make_actor, contours, fake_ban):
    actor = make_actor(**point(CITY_HALL))

    actor_update(by=None, actor=actor, data={**BIOLLAY_ADDRESS, **point(CITY_HALL)})

    assert where(actor) == (*CITY_HALL, LocationSource.MANUAL, None)
    assert fake_ban.queries == []


def test_without_the_setting_no_address_is_sent(make_actor, contours, fake_ban, settings):
    settings.PORTAL_GEOCODER_URL = ""

    actor = make_actor(**BIOLLAY_ADDRESS)

    assert where(actor) == (None, None, LocationSource.NONE, None)
    assert actor.placement_warning == ""
    assert fake_ban.queries == []


def test_an_actor_without_a_street_is_not_sent(make_actor, contours, fake_ban):
    make_actor(postcode="73000", town="Chambéry")

    assert fake_ban.queries == []


# -- new contours ------------------------------------------------------------------------


def test_new_contours_place_every_actor_again(
    make_actor, contours, django_capture_on_commit_callbacks
):
    in_biollay = make_actor("Dans le Biollay", **point(IN_BIOLLAY))
    at_city_hall = make_actor("À la mairie", **point(CITY_HALL))
    unplaced = make_actor("Sans position")
    version = directory_version()
    # Biollay - Bellevue's contour now covers the town hall, and not the Biollay point.
    lat, lon = CITY_HALL
    square = [[[[lon - 0.01, lat - 0.01], [lon + 0.01, lat - 0.01], [lon + 0.01, lat + 0.01],
                [lon - 0.01, lat + 0.01], [lon - 0.01, lat - 0.01]]]]  # fmt: skip
    biollay = Territory.objects.get(slug="biollay-bellevue")
    Territory.objects.filter(pk=biollay.pk).update(
        contour=square, west=lon - 0.01, south=lat - 0.01, east=lon + 0.01, north=lat + 0.01
    )

    contours_changed.send(sender=Territory, territory_ids=[biollay.pk])

    assert where(in_biollay)[3] is None
    assert where(at_city_hall)[3] == "biollay-bellevue"
    assert where(unplaced)[3] is None
    assert directory_version() > version


def test_placing_again_without_change_keeps_the_cache(make_actor, contours):
    make_actor(**point(IN_BIOLLAY))
    version = directory_version()

    assert actors_locate_again() == 0
    assert directory_version() == version


def test_a_neighbourhood_that_becomes_a_commune_loses_its_actors(
    make_actor, contours, django_capture_on_commit_callbacks
):
    actor = make_actor(**point(IN_BIOLLAY))
    biollay = Territory.objects.get(slug="biollay-bellevue")

    with django_capture_on_commit_callbacks(execute=True):
        territory_update(by=None, territory=biollay, data={"kind": "commune"})

    assert where(actor)[3] is None


# -- the form ----------------------------------------------------------------------------


def form_data(**position) -> dict:
    return {
        "name": "Maison des jeunes",
        "kind": "association",
        "summary": "Accueil des jeunes.",
        "update_frequency": "12",
        **position,
    }


def test_the_form_takes_french_decimal_commas():
    form = ActorForm(form_data(latitude="45,561203", longitude=" 5,904297 "))

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["latitude"], form.cleaned_data["longitude"]) == IN_BIOLLAY


def test_the_form_takes_points_too_and_nothing_at_all():
    assert ActorForm(form_data(latitude="45.561203", longitude="5.904297")).is_valid()
    form = ActorForm(form_data(latitude="", longitude=""))
    assert form.is_valid()
    assert (form.cleaned_data["latitude"], form.cleaned_data["longitude"]) == (None, None)


@pytest.mark.parametrize(
    ("position", "errors"),
    [
        (
            {"latitude": "45,56"},
            {"longitude": ["Indiquez aussi la longitude, ou effacez la latitude."]},
        ),
        (
            {"longitude": "5,90"},
            {"latitude": ["Indiquez aussi la latitude, ou effacez la longitude."]},
        ),
        (
            {"latitude": "40,7128", "longitude": "-74,0060"},
            {"latitude": ["Ce point n'est pas en France : vérifiez la latitude et la longitude."]},
        ),
        (
            {"latitude": "5,904297", "longitude": "45,561203"},
            {
                "latitude": [
                    "La latitude et la longitude semblent inversées : la latitude est le "
                    "premier des deux nombres, la longitude le second."
                ]
            },
        ),
        (
            {"latitude": "quarante-cinq", "longitude": "5,9"},
            {"latitude": ["Écrivez un nombre décimal, par exemple 45,5646."]},
        ),
        (
            {"latitude": "95", "longitude": "5,9"},
            {"latitude": ["Écrivez un nombre entre -90 et 90."]},
        ),
        (
            {"latitude": "nan", "longitude": "5,9"},
            {"latitude": ["Écrivez un nombre entre -90 et 90."]},
        ),
    ],
)
def test_the_form_says_what_is_wrong_next_to_the_field(position, errors):
    form = ActorForm(form_data(**position))

    assert not form.is_valid()
    assert {
        name: form.errors[name] for name in ("latitude", "longitude") if name in form.errors
    } == (errors)


def test_the_form_explains_how_to_find_a_point():
    form = ActorForm()
    help_text = str(form.fields["latitude"].help_text)

    assert "clic droit" in help_text
    assert "la virgule comme le point sont acceptés" in help_text.lower()
    assert [legend for legend, _fields in form.fieldsets()][3] == "Position sur la carte"
    assert form["latitude"].field.widget.attrs["inputmode"] == "decimal"


def test_the_form_shows_the_current_point(make_actor, contours):
    actor = make_actor(**point(IN_BIOLLAY))

    form = ActorForm(instance=actor)

    assert form["latitude"].value() == IN_BIOLLAY[0]
    assert 'value="45.561203"' in str(form["latitude"])
