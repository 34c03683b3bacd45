"""The directory on a map: the map page, the profile's map, "situés dans" and "intervenant
dans", and the actors' section of a neighbourhood's page."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrat_ville.models import Territory
from neighbourhoods import sections
from partners.enums import ActorStatus, MembershipRole
from partners.models import Membership
from partners.neighbourhood import actors_context, actors_points
from partners.services import actor_contacts_set
from partners.views import directory as directory_views
from tests.factories import UserFactory

from .places import BIOLLAY_ADDRESS, CITY_HALL, IN_BIOLLAY, IN_HAUTS

pytestmark = pytest.mark.django_db

MAP = reverse("partners:directory_map")
LIST = reverse("partners:directory")


def point(latitude_longitude) -> dict:
    latitude, longitude = latitude_longitude
    return {"latitude": latitude, "longitude": longitude}


def labels(response) -> list[str]:
    """The actors on the map (markers' names), as the drawing lists them."""
    return [marker.label for marker in response.context["map"].markers]


def html(response) -> str:
    return response.content.decode()


# -- the map page --------------------------------------------------------------------------


def test_map_shows_the_published_actors_with_a_point(organiser_client, make_actor, contours):
    make_actor("Au Biollay", **point(IN_BIOLLAY))
    make_actor("Aux Hauts", **point(IN_HAUTS))
    make_actor("Sans position")
    make_actor("En attente", status=ActorStatus.PENDING, **point(IN_BIOLLAY))
    make_actor("Archivée", status=ActorStatus.ARCHIVED, **point(IN_BIOLLAY))
    # Organisers see every profile; the map, as the list, shows the published ones only.
    response = organiser_client.get(MAP)

    assert response.status_code == 200
    assert labels(response) == ["Au Biollay", "Aux Hauts"]
    page = unescape(html(response))
    assert "2 structures sur la carte" in page
    assert (
        "1 structure qui correspond à la recherche n'a pas encore de position : "
        "elle n'est pas sur la carte, mais elle est dans la liste."
    ) in page
    assert "En attente" not in page
    assert "Archivée" not in page
    # The neighbourhoods' contours, linked to their pages.
    assert [area.label for area in response.context["map"].areas] == [
        "Biollay - Bellevue",
        "Les Hauts de Chambéry",
    ]
    assert 'href="/quartiers/biollay-bellevue/"' in page
    assert 'href="/annuaire/au-biollay/"' in page


def test_map_applies_the_list_filters(client, make_actor, contours):
    make_actor(
        "Jeunes du Biollay",
        territories=["biollay-bellevue"],
        competences=["accueil-jeunes"],
        **point(IN_BIOLLAY),
    )
    make_actor("Jeunes des Hauts", territories=["hauts-de-chambery"], **point(IN_HAUTS))
    make_actor(
        "Santé du Biollay",
        summary="Consultations et prévention.",
        territories=["biollay-bellevue"],
        **point(IN_BIOLLAY),
    )

    words = client.get(MAP, {"q": "jeunes"})
    territory = client.get(MAP, {"q": "jeunes", "territoire": "biollay-bellevue"})

    assert labels(words) == ["Jeunes des Hauts", "Jeunes du Biollay"]
    assert labels(territory) == ["Jeunes du Biollay"]
    assert 'id="f-territoire-biollay-bellevue" checked' in html(territory)
    # The chips remove one filter and stay on the map.
    assert dict(territory.context["active_filters"]) == {
        "« jeunes »": "/annuaire/carte/?territoire=biollay-bellevue",
        "Biollay - Bellevue": "/annuaire/carte/?q=jeunes",
    }
    # The chosen neighbourhood stands out on the map.
    areas = {area.label: area.highlighted for area in territory.context["map"].areas}
    assert areas == {"Biollay - Bellevue": True, "Les Hauts de Chambéry": False}


def test_list_and_map_switch_keeps_the_search(client, make_actor):
    make_actor("Seul", territories=["chambery"])
    query = "q=seul&territoire=chambery"

    on_list = html(client.get(f"{LIST}?{query}&page=1"))
    on_map = html(client.get(f"{MAP}?{query}&bbox=5.8,45.5,6.0,45.6"))

    assert f'href="/annuaire/carte/?{query.replace("&", "&amp;")}">Carte</a>' in on_list
    assert f'href="/annuaire/?{query.replace("&", "&amp;")}">Liste</a>' in on_map
    # The current view is said, not linked.
    assert '<span aria-current="page">Liste</span>' in on_list
    assert '<span aria-current="page">Carte</span>' in on_map


def test_map_zooms_on_a_valid_box(client, make_actor, contours):
    make_actor("Au Biollay", **point(IN_BIOLLAY))
    make_actor("Aux Hauts", **point(IN_HAUTS))

    response = client.get(MAP, {"bbox": "5.89,45.55,5.92,45.57"})

    assert labels(response) == ["Au Biollay"]
    assert response.context["map"].bounds == (5.89, 45.55, 5.92, 45.57)
    page = html(response)
    assert response.context["map"].points_outside == 1
    assert response.context["map"].outside_sentence in unescape(page)
    assert 'href="/annuaire/carte/">Voir toute la carte</a>' in page


@pytest.mark.parametrize(
    "bbox",
    [
        "5.92,45.55,5.89,45.57",  # west east of east
        "5.89,45.57,5.92,45.55",  # south north of north
        "5.89,45.55,5.92",
        "5.89,45.55,5.92,45.57,1",
        "a,b,c,d",
        "nan,45.55,5.92,45.57",
        "5.89,45.55,inf,45.57",
        "-200,45.55,5.92,45.57",
        "",
    ],
)
def test_map_ignores_a_bad_box(client, make_actor, contours, bbox):
    make_actor("Au Biollay", **point(IN_BIOLLAY))
    make_actor("Aux Hauts", **point(IN_HAUTS))

    response = client.get(MAP, {"bbox": bbox})

    assert response.status_code == 200
    assert labels(response) == ["Au Biollay", "Aux Hauts"]
    assert "Voir toute la carte" not in html(response)


def test_map_clusters_many_actors_and_each_cluster_zooms_in(
    client, make_actor, contours, monkeypatch
):
    monkeypatch.setattr(directory_views, "MAP_MARKERS", 3)
    for index in range(2):
        lat, lon = IN_BIOLLAY
        make_actor(f"Biollay {index}", territories=["chambery"], **point((lat + index * 1e-4, lon)))
    for index in range(4):
        lat, lon = IN_HAUTS
        make_actor(f"Hauts {index}", territories=["chambery"], **point((lat + index * 1e-4, lon)))

    response = client.get(MAP, {"territoire": "chambery"})

    map_view = response.context["map"]
    assert map_view.clustered
    assert sorted(marker.count for marker in map_view.markers) == [2, 4]
    assert "Les structures proches sont regroupées" in html(response)
    zoom = next(m.url for m in map_view.markers if m.label == "2 structures")
    params = parse_qs(urlsplit(zoom).query)
    assert params["territoire"] == ["chambery"]
    west, south, east, north = (float(v) for v in params["bbox"][0].split(","))
    assert (west < east, south < north) == (True, True)
    # Following the link zooms in: the cluster opens into its actors.
    zoomed = client.get(zoom)
    assert labels(zoomed) == ["Biollay 0", "Biollay 1"]
    assert zoomed.context["map"].points_outside == 4


def test_map_query_count_does_not_grow(client, make_actor, contours):
    def count(expected):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(MAP, {"q": "acteur", "territoire": "chambery"})
        assert len(response.context["map"].markers) == expected
        return len(queries)

    def add(start, stop):
        for index in range(start, stop):
            lat, lon = IN_BIOLLAY if index % 2 else IN_HAUTS
            make_actor(
                f"Acteur {index}",
                territories=["chambery", "biollay-bellevue"],
                competences=["accueil-jeunes", "parentalite"],
                publics=["jeunes"],
                **point((lat + index * 1e-5, lon)),
            )

    add(0, 6)
    with_six = count(6)
    add(6, 60)
    assert count(60) == with_six


def test_map_page_repeated_reads_the_cache(client, make_actor, contours):
    make_actor("Au Biollay", **point(IN_BIOLLAY))

    with CaptureQueriesContext(connection):
        client.get(MAP)
    with CaptureQueriesContext(connection) as warm:
        response = client.get(MAP)

    assert "Au Biollay" in html(response)
    assert not any('FROM "partners_actor"' in q["sql"] for q in warm.captured_queries)


def test_map_without_any_result_says_so(client, make_actor, contours):
    make_actor("Au Biollay", **point(IN_BIOLLAY))

    response = client.get(MAP, {"q": "xylophone"})

    assert "0 structures sur la carte" in html(response)  # French plural rules once translated
    assert "Aucun acteur ne correspond" in html(response)


# -- "situés dans" and "intervenant dans" --------------------------------------------------


@pytest.fixture
def working_and_located(make_actor, contours):
    # Works in Biollay, stands in the Hauts; the other the reverse; the third has no point.
    make_actor("Travaille au Biollay", territories=["biollay-bellevue"], **point(IN_HAUTS))
    make_actor("Travaille aux Hauts", territories=["hauts-de-chambery"], **point(IN_BIOLLAY))
    make_actor("Sans position", territories=["biollay-bellevue"])


def test_territory_filter_means_working_in_by_default(client, working_and_located):
    response = client.get(LIST, {"territoire": "biollay-bellevue"})

    assert [a.name for a in response.context["page"]] == ["Sans position", "Travaille au Biollay"]
    assert 'id="f-acteurs-intervenant" checked' in html(response)


def test_territory_filter_can_mean_located_in(client, working_and_located):
    response = client.get(LIST, {"territoire": "biollay-bellevue", "acteurs": "situes"})

    assert [a.name for a in response.context["page"]] == ["Travaille aux Hauts"]
    page = html(response)
    assert 'id="f-acteurs-situes" checked' in page
    # Counts follow the meaning: one actor stands in each QPV.
    territory = next(f for f in response.context["facets"] if f.param == "territoire")
    counts = {o.value: o.count for o in territory.options if o.count}
    assert counts == {"biollay-bellevue": 1, "hauts-de-chambery": 1}
    assert ("Adresse dans le territoire", "/annuaire/?territoire=biollay-bellevue") in (
        response.context["active_filters"]
    )


def test_located_in_works_on_the_map_too(client, working_and_located):
    working = client.get(MAP, {"territoire": "biollay-bellevue"})
    located = client.get(MAP, {"territoire": "biollay-bellevue", "acteurs": "situes"})

    assert labels(working) == ["Travaille au Biollay"]
    assert "1 structure qui correspond" in html(working)
    assert labels(located) == ["Travaille aux Hauts"]


def test_an_unknown_scope_is_working_in(client, working_and_located):
    response = client.get(LIST, {"territoire": "biollay-bellevue", "acteurs": "partout"})

    assert [a.name for a in response.context["page"]] == ["Sans position", "Travaille au Biollay"]


# -- the profile ---------------------------------------------------------------------------


def profile(client, actor):
    return client.get(reverse("partners:actor_detail", args=[actor.slug]))


def test_profile_says_which_neighbourhood_holds_the_address(client, make_actor, contours):
    actor = make_actor("Au Biollay", **point(IN_BIOLLAY))

    response = profile(client, actor)

    page = html(response)
    assert (
        "Son adresse est dans le quartier prioritaire « "
        '<a href="/quartiers/biollay-bellevue/">Biollay - Bellevue</a> ».'
    ) in page
    location = response.context["location"]
    assert [a.label for a in location["map"].areas] == ["Biollay - Bellevue"]
    assert [m.label for m in location["map"].markers] == ["Au Biollay"]
    assert "<svg" in page
    assert "css/map.css" in page


def test_profile_of_an_actor_outside_every_neighbourhood(client, make_actor, contours):
    actor = make_actor("À la mairie", **point(CITY_HALL))

    page = html(profile(client, actor))

    assert "Son adresse n'est dans aucun quartier prioritaire du contrat." in page
    assert "<svg" in page


def test_profile_without_a_point_has_no_map(client, make_actor, contours):
    actor = make_actor("Sans position")

    response = profile(client, actor)

    assert response.context["location"] is None
    assert "Sur la carte" not in html(response)
    assert "css/map.css" not in html(response)


def test_profile_links_the_territories_it_works_in(client, make_actor):
    actor = make_actor("Partout", territories=["biollay-bellevue", "chambery"])

    page = html(profile(client, actor))

    assert '<li class="tag"><a href="/quartiers/biollay-bellevue/">Biollay - Bellevue</a></li>' in (
        page
    )
    # A commune has its page too: its neighbourhoods and the actors working there.
    assert '<li class="tag"><a href="/quartiers/chambery/">Chambéry</a></li>' in page


def test_editing_the_position_with_commas(client, make_actor, contours):
    actor = make_actor("Au Biollay")
    user = UserFactory()
    Membership.objects.create(actor=actor, user=user, role=MembershipRole.ADMIN)
    client.force_login(user)

    response = client.post(
        reverse("partners:actor_edit", args=[actor.slug]),
        {
            "name": actor.name,
            "kind": actor.kind,
            "summary": actor.summary,
            "update_frequency": "12",
            "latitude": "45,561203",
            "longitude": "5,904297",
        },
    )

    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.latitude, actor.longitude, actor.located_in.slug) == (
        *IN_BIOLLAY,
        "biollay-bellevue",
    )


def test_the_edit_form_shows_the_position_fieldset(client, make_actor, organiser_client):
    actor = make_actor("Au Biollay", **point(IN_BIOLLAY))

    page = html(organiser_client.get(reverse("partners:actor_edit", args=[actor.slug])))

    assert "<legend>Position sur la carte</legend>" in page
    assert re.search(
        r'<input type="text" name="latitude" value="45.561203"[^>]*inputmode="decimal"', page
    )


def test_an_address_the_service_cannot_place_is_said_on_the_profile(
    client, make_actor, contours, fake_ban
):
    actor = make_actor("Au Biollay", **BIOLLAY_ADDRESS)
    user = UserFactory()
    Membership.objects.create(actor=actor, user=user, role=MembershipRole.ADMIN)
    client.force_login(user)
    fake_ban.mode = "timeout"
    data = {
        "name": actor.name,
        "kind": actor.kind,
        "summary": actor.summary,
        "update_frequency": "12",
        "address": "3 rue du Pré de l'Âne",
        "postcode": "73000",
        "town": "Chambéry",
        "latitude": str(IN_BIOLLAY[0]),
        "longitude": str(IN_BIOLLAY[1]),
    }

    response = client.post(reverse("partners:actor_edit", args=[actor.slug]), data, follow=True)

    page = unescape(html(response))
    assert "La fiche est enregistrée." in page
    assert (
        '<p class="alert alert--warning" id="placement-warning">Adresse non placée sur la '
        "carte : le service national des adresses ne répond pas pour le moment ; indiquez la "
        "position à la main ou réessayez. "
        f'<a href="/annuaire/{actor.slug}/modifier/#id_latitude">Indiquer la position</a></p>'
    ) in page
    # Said once, next to the address; the new address is kept.
    assert "Adresse non placée" not in html(profile(client, actor))
    actor.refresh_from_db()
    assert actor.address == "3 rue du Pré de l'Âne"


def test_the_placement_warning_is_for_the_editors_only(client, make_actor, fake_ban):
    fake_ban.mode = "error500"
    actor = make_actor("Au Biollay", **BIOLLAY_ADDRESS)
    session = client.session
    session[directory_views.PLACEMENT_WARNING_KEY] = {str(actor.pk): "Adresse non placée"}
    session.save()

    assert "Adresse non placée" not in html(profile(client, actor))


# -- the neighbourhood's section -----------------------------------------------------------


@pytest.fixture
def biollay():
    return Territory.objects.get(slug="biollay-bellevue")


def render_section(territory, request=None) -> str:
    context = actors_context(territory, request)
    return render_to_string(
        "partners/_neighbourhood_actors.html", {**context, "territory": territory}
    )


def test_section_is_registered_first_on_the_page():
    section = next(s for s in sections.registered() if s.key == "actors")

    assert (section.title, section.template, section.order) == (
        "Les acteurs du quartier",
        "partners/_neighbourhood_actors.html",
        10,
    )
    assert (section.context, section.points) == (actors_context, actors_points)


def test_section_groups_the_actors_working_there_by_theme(make_actor, biollay, contours):
    make_actor(
        "Maison des jeunes",
        territories=["biollay-bellevue"],
        competences=["accueil-jeunes", "information-jeunesse", "parentalite"],
    )
    make_actor("Sans compétence", territories=["biollay-bellevue"], **point(IN_BIOLLAY))
    make_actor("Ailleurs", territories=["hauts-de-chambery"], competences=["accueil-jeunes"])
    make_actor("En attente", territories=["biollay-bellevue"], status=ActorStatus.PENDING)
    # Located in Biollay, working elsewhere: counted as located, not listed.
    make_actor("Voisine", territories=["chambery"], **point(IN_BIOLLAY))

    context = actors_context(biollay, None)

    assert [(g["title"], [a.name for a in g["actors"]]) for g in context["groups"]] == [
        ("Jeunesse", ["Maison des jeunes"]),
        ("Éducation", ["Maison des jeunes"]),
        ("Autres", ["Sans compétence"]),
    ]
    assert (context["actor_count"], context["located_count"]) == (2, 2)
    assert context["directory_url"] == "/annuaire/?territoire=biollay-bellevue"
    assert context["located_url"] == "/annuaire/?territoire=biollay-bellevue&acteurs=situes"


def test_section_shows_public_channels_and_never_contact_persons(make_actor, biollay):
    actor = make_actor(
        "Maison des jeunes",
        territories=["biollay-bellevue"],
        phone="01 99 00 10 01",
        email="accueil@mj.test",
        website="https://mj.example.org",
        address="12 rue du Biollay",
        postcode="73000",
        town="Chambéry",
    )
    actor_contacts_set(
        by=None,
        actor=actor,
        contacts=[{"name": "Karim Exemple", "email": "karim@mj.test", "phone": "01 99 00 12 34"}],
    )

    page = render_section(biollay)

    assert 'href="tel:0199001001"' in page
    assert "01 99 00 10 01</a>" in page
    assert 'href="mailto:accueil@mj.test"' in page
    assert "accueil@mj.test</a>" in page
    assert 'href="https://mj.example.org"' in page
    assert "12 rue du Biollay, 73000 Chambéry" in page
    assert f'href="/annuaire/{actor.slug}/"' in page
    for private in ("Karim", "karim@mj.test", "12 34"):
        assert private not in page
    assert 'href="/annuaire/?territoire=biollay-bellevue"' in page


def test_section_caps_each_theme_and_links_to_the_rest(make_actor, biollay):
    for index in range(14):
        make_actor(
            f"Acteur {index:02d}", territories=["biollay-bellevue"], competences=["accueil-jeunes"]
        )

    context = actors_context(biollay, None)

    (group,) = context["groups"]
    assert (len(group["actors"]), group["count"], group["more"]) == (12, 14, 2)
    assert group["more_url"].startswith("/annuaire/?territoire=biollay-bellevue&competence=")
    assert "Voir les 14 structures « Jeunesse » dans l'annuaire" in render_section(biollay)


def test_section_query_count_does_not_grow(make_actor, biollay):
    def count():
        with CaptureQueriesContext(connection) as queries:
            render_section(biollay)
            actors_points(biollay)
        return len(queries)

    def add(start, stop):
        for index in range(start, stop):
            make_actor(
                f"Acteur {index}",
                territories=["biollay-bellevue"],
                competences=["accueil-jeunes", "parentalite"] if index % 3 else [],
                phone="01 99 00 10 01",
                **(point(IN_BIOLLAY) if index % 2 else {}),
            )

    add(0, 6)
    with_six = count()
    add(6, 60)
    assert count() == with_six


def test_section_points_are_the_placed_actors_working_there(make_actor, biollay, contours):
    make_actor(
        "Au Biollay",
        territories=["biollay-bellevue"],
        address="12 rue du Biollay",
        **point(IN_BIOLLAY),
    )
    make_actor("Sans position", territories=["biollay-bellevue"])
    make_actor(
        "Masquée",
        territories=["biollay-bellevue"],
        status=ActorStatus.ARCHIVED,
        **point(IN_BIOLLAY),
    )

    points = actors_points(biollay)

    assert [(p.label, p.url, p.lat, p.lon, p.detail) for p in points] == [
        ("Au Biollay", "/annuaire/au-biollay/", *IN_BIOLLAY, "12 rue du Biollay")
    ]


def test_neighbourhood_page_shows_the_section(client, make_actor, contours):
    make_actor("Maison des jeunes", territories=["biollay-bellevue"], **point(IN_BIOLLAY))

    page = html(client.get(reverse("neighbourhoods:detail", args=["biollay-bellevue"])))

    assert "Les acteurs du quartier" in page
    assert 'href="/annuaire/maison-des-jeunes/"' in page
