"""The groups' pages: who may see them, what they show (and never show), what
the organisers' forms write, and the projector's countdown."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrat_ville.models import AuditLogEntry
from events.enums import EditionStatus, RegistrationStatus
from workgroups.enums import AuditAction
from workgroups.models import Seat, Workgroup, WorkshopSettings


def url(name, edition=None):
    return reverse(f"workgroups:{name}", args=[] if edition is None else [edition.year])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


# -- permissions -----------------------------------------------------------------------

# The index is public, with partner-only links: tests/workgroups/test_public_index.py.
PAGES = ["groups", "manage", "countdown"]
POSTS = ["manage", "compose", "move"]


def page_url(name, edition):
    return url(name) if name == "index" else url(name, edition)


@pytest.mark.parametrize("name", PAGES)
def test_groups_pages_send_anonymous_visitors_to_login(client, edition, name):
    response = client.get(page_url(name, edition))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", POSTS)
def test_groups_actions_send_anonymous_visitors_to_login(client, edition, name):
    response = client.post(url(name, edition), {"action": "ensure"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Workgroup.objects.exists()


@pytest.mark.parametrize("name", PAGES)
def test_groups_pages_are_forbidden_to_users_without_a_role(client, no_role_user, edition, name):
    client.force_login(no_role_user)

    assert client.get(page_url(name, edition)).status_code == 403


@pytest.mark.parametrize(
    ("name", "status"), [("index", 200), ("groups", 200), ("manage", 403), ("countdown", 403)]
)
def test_partners_see_the_groups_but_not_the_organisers_pages(
    client, partner, edition, make_groups, name, status
):
    make_groups(edition, 2)
    client.force_login(partner)

    assert client.get(page_url(name, edition)).status_code == status


@pytest.mark.parametrize(
    ("name", "status"), [("index", 200), ("groups", 200), ("manage", 403), ("countdown", 200)]
)
def test_facilitators_run_the_countdown_but_do_not_manage(
    facilitator_client, edition, make_groups, name, status
):
    make_groups(edition, 2)

    assert facilitator_client.get(page_url(name, edition)).status_code == status


@pytest.mark.parametrize("name", PAGES)
def test_groups_pages_open_to_organisers(organiser_client, edition, make_groups, name):
    make_groups(edition, 2)

    assert organiser_client.get(page_url(name, edition)).status_code == 200


@pytest.mark.parametrize("name", POSTS)
def test_groups_actions_are_forbidden_to_partners_and_facilitators(
    client, partner, facilitator, edition, make_groups, confirmed, name
):
    groups = make_groups(edition, 2)
    person = confirmed(edition)
    for user in (partner, facilitator):
        client.force_login(user)

        response = client.post(
            url(name, edition),
            {
                "action": "ensure",
                "registration": person.pk,
                "group": 2,
                "source": "confirmed",
                "seed": 1,
            },
        )

        assert response.status_code == 403
    assert not Seat.objects.exists()
    assert list(Workgroup.objects.values_list("pk", flat=True)) == [g.pk for g in groups]
    assert not AuditLogEntry.objects.exists()


def test_groups_pages_of_a_draft_edition_are_hidden_from_partners(
    client, partner, make_edition, make_groups
):
    draft = make_edition(status=EditionStatus.DRAFT)
    make_groups(draft, 1)
    client.force_login(partner)

    assert client.get(url("groups", draft)).status_code == 404
    assert draft.title not in client.get(url("index")).content.decode()


# -- index -----------------------------------------------------------------------------


def test_index_lists_editions_with_groups_to_partners(client, partner, make_edition, make_groups):
    with_groups = make_edition(title="Rencontre avec groupes")
    make_edition(title="Rencontre sans groupes")
    make_groups(with_groups, 3)
    client.force_login(partner)

    response = client.get(url("index"))

    text = text_of(response)
    assert "Rencontre avec groupes" in text
    assert "Rencontre sans groupes" not in text
    assert url("groups", with_groups) in text
    assert url("manage", with_groups) not in text


def test_index_shows_organisers_the_editions_still_without_groups(organiser_client, make_edition):
    edition = make_edition(title="Rencontre sans groupes")

    response = organiser_client.get(url("index"))

    assert "Rencontre sans groupes" in text_of(response)
    assert url("manage", edition) in text_of(response)


# -- the groups page -------------------------------------------------------------------


def test_groups_page_names_only_the_listed_people(
    client, partner, edition, make_groups, confirmed, make_registration, seat, facilitator
):
    groups = make_groups(edition, 2)
    groups[0].facilitators.add(facilitator)
    seat(groups[0], confirmed(edition, first_name="Awa", last_name="Diop", listed=True))
    hidden = [
        confirmed(
            edition,
            first_name="Secret",
            last_name=f"Discret{n}",
            email=f"secret{n}@example.org",
            organisation=f"Structure cachée {n}",
        )
        for n in range(2)
    ]
    for person in hidden:
        seat(groups[0], person)
    gone = make_registration(
        edition, status=RegistrationStatus.CANCELLED, first_name="Partie", listed=True
    )
    seat(groups[1], gone)
    client.force_login(partner)

    response = client.get(url("groups", edition))

    text = text_of(response)
    assert "Awa Diop" in text
    assert "et 2 autres personnes" in text
    for person in hidden:
        assert person.last_name not in text
        assert person.email not in text
        assert person.organisation not in text
    assert "Partie" not in text
    assert facilitator.full_name in text
    assert "Salle 1" in text
    assert url("manage", edition) not in text
    assert reverse("workgroups:sheet", args=[edition.year, 1]) in text
    assert [row["size"] for row in response.context["rows"]] == [3, 0]


def test_groups_page_counts_a_group_without_listed_people(
    client, partner, edition, make_groups, confirmed, seat
):
    groups = make_groups(edition, 1)
    seat(groups[0], confirmed(edition))
    client.force_login(partner)

    text = text_of(client.get(url("groups", edition)))

    assert "1 personne" in text
    assert "et 1 autre" not in text


def test_groups_page_links_organisers_to_their_tools(organiser_client, edition, make_groups):
    make_groups(edition, 1)

    text = text_of(organiser_client.get(url("groups", edition)))

    for name in ("manage", "jury", "countdown"):
        assert url(name, edition) in text


def test_groups_page_query_count_does_not_grow(
    client, partner, make_edition, make_groups, confirmed, seat, facilitator, other_facilitator
):
    small, large = make_edition(), make_edition()
    group = make_groups(small, 1)[0]
    group.facilitators.add(facilitator)
    seat(group, confirmed(small, listed=True))
    for number, group in enumerate(make_groups(large, 5)):
        group.facilitators.add(facilitator, other_facilitator)
        for n in range(4):
            seat(group, confirmed(large, listed=bool(n % 2), email=f"p{number}-{n}@example.org"))
    client.force_login(partner)

    with CaptureQueriesContext(connection) as one:
        assert client.get(url("groups", small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("groups", large))

    assert sum(row["size"] for row in response.context["rows"]) == 20
    assert len(many) == len(one)


# -- the management page ---------------------------------------------------------------


def test_manage_offers_to_create_the_groups(organiser_client, make_edition):
    edition = make_edition(group_count=4)

    response = organiser_client.get(url("manage", edition))
    assert "Créer les 4 groupes" in text_of(response)

    response = organiser_client.post(url("manage", edition), {"action": "ensure"})

    assert response.status_code == 302
    assert list(Workgroup.objects.filter(edition=edition).values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    assert messages_of(response) == ["L'édition a maintenant 4 groupes."]


def test_manage_refuses_to_drop_groups_holding_people(
    organiser_client, make_edition, make_groups, confirmed, seat
):
    edition = make_edition(group_count=3)
    groups = make_groups(edition, 4)
    seat(groups[3], confirmed(edition))
    edition.group_count = 2
    edition.save()

    page = organiser_client.get(url("manage", edition))
    assert "Passer à 2 groupes" in text_of(page)
    response = organiser_client.post(url("manage", edition), {"action": "ensure"}, follow=True)

    assert (
        "Le nombre de groupes de l'édition est passé à 2, mais le groupe 4 a encore des "
        "participants" in text_of(response)
    )
    assert Workgroup.objects.filter(edition=edition).count() == 4


def formset_data(groups, **rows) -> dict:
    data = {
        "action": "groups",
        "groups-TOTAL_FORMS": str(len(groups)),
        "groups-INITIAL_FORMS": str(len(groups)),
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "1000",
    }
    for index, group in enumerate(groups):
        row = rows.get(f"g{group.number}", {})
        data[f"groups-{index}-number"] = str(group.number)
        data[f"groups-{index}-name"] = row.get("name", group.name)
        data[f"groups-{index}-room"] = row.get("room", group.room)
        if "facilitators" in row:
            data[f"groups-{index}-facilitators"] = [str(pk) for pk in row["facilitators"]]
    return data


def test_manage_saves_names_rooms_and_facilitators(
    organiser_client, edition, make_groups, facilitator
):
    groups = make_groups(edition, 2)

    response = organiser_client.post(
        url("manage", edition),
        formset_data(
            groups, g2={"name": "Décrochage", "room": "Salle B", "facilitators": [facilitator.pk]}
        ),
    )

    assert response.status_code == 302
    group = Workgroup.objects.get(edition=edition, number=2)
    assert (group.name, group.room) == ("Décrochage", "Salle B")
    assert list(group.facilitators.all()) == [facilitator]
    assert messages_of(response) == ["Groupes enregistrés."]
    assert AuditLogEntry.objects.get().action == AuditAction.GROUPS_SET


def test_manage_refuses_a_facilitator_without_the_role(
    organiser_client, edition, make_groups, facilitator, partner
):
    groups = make_groups(edition, 1)

    response = organiser_client.post(
        url("manage", edition),
        formset_data(groups, g1={"name": "Nouveau", "facilitators": [partner.pk]}),
    )

    assert response.status_code == 200
    assert "Cette personne n'est pas (ou plus) chargée d'animer un atelier." in text_of(response)
    assert 'aria-invalid="true"' in response.content.decode() or "errorlist" in text_of(response)
    group = Workgroup.objects.get(edition=edition, number=1)
    assert group.name == "Groupe 1"
    assert not group.facilitators.exists()
    assert not AuditLogEntry.objects.exists()


def test_manage_survives_a_broken_formset(organiser_client, edition, make_groups):
    make_groups(edition, 2)

    response = organiser_client.post(url("manage", edition), {"action": "groups"})

    assert response.status_code == 200
    # The page's error summary says why nothing was saved.
    assert "Il y a 1 erreur dans le formulaire" in text_of(response)
    assert "ManagementForm" in text_of(response)
    assert not AuditLogEntry.objects.exists()


def test_manage_compose_form_ties_help_to_its_fields(organiser_client, edition):
    text = organiser_client.get(url("manage", edition)).content.decode()

    assert 'aria-describedby="id_keep_seated_helptext"' in text
    assert 'id="id_keep_seated_helptext"' in text
    assert 'aria-describedby="id_seed_helptext"' in text


@pytest.mark.parametrize("path", ["", "gestion/", "chrono/"])
def test_groups_pages_of_an_unknown_year_are_404(organiser_client, path):
    assert organiser_client.get(f"/ateliers/1999/{path}").status_code == 404


def test_manage_lists_people_per_group_and_those_without_a_group(
    organiser_client, edition, make_groups, confirmed, seat
):
    groups = make_groups(edition, 2)
    seat(groups[1], confirmed(edition, first_name="Awa", last_name="Diop"), pinned=True)
    confirmed(edition, first_name="Léo", last_name="Martin")

    response = organiser_client.get(url("manage", edition))

    text = text_of(response)
    assert "Awa Diop" in text
    assert "place épinglée" in text
    assert [person.full_name for person in response.context["unseated"]] == ["Léo Martin"]
    assert "1 personne confirmée n'a pas encore de groupe." in text
    assert 'name="group"' in text
    assert response.context["result"]["mix"].groups[1].size == 1


def test_manage_page_query_count_does_not_grow(
    organiser_client, make_edition, make_groups, confirmed, seat, facilitator, other_facilitator
):
    small, large = make_edition(), make_edition()
    group = make_groups(small, 1)[0]
    group.facilitators.add(facilitator)
    seat(group, confirmed(small))
    confirmed(small)
    for number, group in enumerate(make_groups(large, 5)):
        group.facilitators.add(facilitator, other_facilitator)
        for n in range(4):
            seat(group, confirmed(large, email=f"p{number}-{n}@example.org"), pinned=n == 0)
    for n in range(3):
        confirmed(large, email=f"sans-groupe{n}@example.org")

    with CaptureQueriesContext(connection) as one:
        assert organiser_client.get(url("manage", small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = organiser_client.get(url("manage", large))

    assert len(response.context["unseated"]) == 3
    assert len(many) == len(one)


# -- compose ---------------------------------------------------------------------------


def test_compose_places_people_and_explains_the_result(organiser_client, make_edition, confirmed):
    edition = make_edition(group_count=3, capacity=100)
    people = [confirmed(edition, organisation=f"Structure {n % 4}") for n in range(9)]

    response = organiser_client.post(
        url("compose", edition), {"source": "confirmed", "keep_seated": "on", "seed": "12"}
    )

    assert response.status_code == 302
    assert response["Location"] == url("manage", edition) + "#resultat"
    assert Seat.objects.filter(registration__in=people).count() == 9
    assert messages_of(response) == ["Groupes composés : 9 personnes placées ou déplacées."]
    page = organiser_client.get(response["Location"])
    text = text_of(page)
    assert "Résultat de la composition" in text
    assert "Numéro de tirage : 12." in text
    report = page.context["report"]
    assert f"{round(report.mix.score * 100)} sur 100" in text
    assert f"{round(report.mix.random_score * 100)} sur 100" in text
    assert f"{round(report.mix.bound * 100)} sur 100" in text
    assert "des 3 critères (structure, collège, quartier)" in text
    # Shown once: the next visit shows the groups as they stand.
    assert "Mélange des groupes actuels" in text_of(organiser_client.get(url("manage", edition)))


def test_compose_defaults_to_the_edition_seed(organiser_client, edition, confirmed):
    WorkshopSettings.objects.create(edition=edition, composition_seed=4242)

    response = organiser_client.get(url("manage", edition))

    assert response.context["compose_form"]["seed"].value() == 4242


def test_compose_without_keep_seated_recomposes(
    organiser_client, make_edition, make_groups, confirmed, seat
):
    edition = make_edition(group_count=2, capacity=100)
    groups = make_groups(edition, 2)
    people = [confirmed(edition) for _ in range(4)]
    for person in people:
        seat(groups[0], person)

    organiser_client.post(url("compose", edition), {"source": "confirmed", "seed": "1"})

    assert sorted(
        Seat.objects.filter(workgroup__edition=edition).values_list("workgroup__number", flat=True)
    ) == [1, 1, 2, 2]


def test_compose_shows_errors_next_to_the_fields(organiser_client, edition, confirmed):
    response = organiser_client.post(url("compose", edition), {"source": "tous", "seed": "-3"})

    assert response.status_code == 200
    form = response.context["compose_form"]
    assert set(form.errors) == {"source", "seed"}
    assert not Seat.objects.exists()


def test_compose_shows_a_refusal(organiser_client, edition, confirmed):
    confirmed(edition)

    response = organiser_client.post(
        url("compose", edition), {"source": "checked_in", "keep_seated": "on", "seed": "1"}
    )

    assert response.status_code == 200
    assert "Aucune personne n'a encore été accueillie" in text_of(response)
    assert not Seat.objects.exists()


def test_compose_refuses_fewer_people_than_groups_in_plain_words(
    organiser_client, make_edition, confirmed
):
    edition = make_edition(group_count=17, capacity=100)
    for _ in range(12):
        confirmed(edition)

    response = organiser_client.post(
        url("compose", edition), {"source": "confirmed", "keep_seated": "on", "seed": "1"}
    )

    assert response.status_code == 200
    text = text_of(response)
    assert "12 personnes pour 17 groupes : certains groupes resteraient vides." in text
    assert "sur 100" not in text
    assert not Seat.objects.exists()


def test_compose_refuses_when_nobody_is_confirmed(organiser_client, edition):
    response = organiser_client.post(
        url("compose", edition), {"source": "confirmed", "keep_seated": "on", "seed": "1"}
    )

    assert response.status_code == 200
    assert "Aucune personne confirmée : il n'y a personne à répartir." in text_of(response)
    assert not Workgroup.objects.filter(edition=edition).exists()


def test_manage_warns_before_composing_with_too_few_people(
    organiser_client, make_edition, confirmed
):
    edition = make_edition(group_count=4, capacity=100)
    for _ in range(3):
        confirmed(edition)

    text = text_of(organiser_client.get(url("manage", edition)))

    assert "3 personnes pour 4 groupes : certains groupes resteraient vides." in text


def test_manage_says_nothing_when_the_numbers_fit(organiser_client, make_edition, confirmed):
    edition = make_edition(group_count=2, capacity=100)
    for _ in range(4):
        confirmed(edition)

    response = organiser_client.get(url("manage", edition))

    assert response.context["sizing_problem"] == ""
    assert response.context["sizing_warning"] == ""


def test_compose_with_groups_of_one_shows_no_mixing_score(
    organiser_client, make_edition, confirmed
):
    edition = make_edition(group_count=3, capacity=100)
    for _ in range(4):
        confirmed(edition)

    manage = text_of(organiser_client.get(url("manage", edition)))
    assert "certains groupes n'auraient qu'une personne" in manage
    response = organiser_client.post(
        url("compose", edition), {"source": "confirmed", "keep_seated": "on", "seed": "1"}
    )

    assert Seat.objects.count() == 4
    text = text_of(organiser_client.get(response["Location"]))
    assert "Pas d'indice de mélange" in text
    # The misleading "perfect mix" is gone: no overall score out of 100.
    assert "indice de mélange de ces groupes" not in text


def test_compose_only_accepts_post(organiser_client, edition):
    assert organiser_client.get(url("compose", edition)).status_code == 405


# -- move ------------------------------------------------------------------------------


def test_move_puts_a_person_in_another_group_and_pins_them(
    organiser_client, edition, make_groups, confirmed, seat
):
    groups = make_groups(edition, 3)
    person = confirmed(edition, first_name="Awa", last_name="Diop")
    seat(groups[0], person)

    response = organiser_client.post(
        url("move", edition), {"registration": person.pk, "group": "3", "pinned": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == url("manage", edition) + "#groupe-3"
    place = Seat.objects.get(registration=person)
    assert (place.workgroup.number, place.pinned) == (3, True)
    assert messages_of(response) == ["Awa Diop est dans le groupe 3 (place épinglée)."]


def test_move_unpins_without_moving(organiser_client, edition, make_groups, confirmed, seat):
    groups = make_groups(edition, 2)
    person = confirmed(edition)
    seat(groups[1], person, pinned=True)

    organiser_client.post(url("move", edition), {"registration": person.pk, "group": "2"})

    place = Seat.objects.get(registration=person)
    assert (place.workgroup.number, place.pinned) == (2, False)


def test_move_refuses_a_registration_of_another_edition(
    organiser_client, edition, make_edition, make_groups, confirmed
):
    make_groups(edition, 2)
    stranger = confirmed(make_edition())

    response = organiser_client.post(
        url("move", edition), {"registration": stranger.pk, "group": "1"}
    )

    assert response.status_code == 404
    assert not Seat.objects.exists()


def test_move_refuses_an_unknown_group(organiser_client, edition, make_groups, confirmed):
    make_groups(edition, 2)
    person = confirmed(edition)

    response = organiser_client.post(url("move", edition), {"registration": person.pk, "group": 9})

    assert response.status_code == 302
    assert messages_of(response) == ["Il n'y a pas de groupe 9 dans cette édition."]
    assert not Seat.objects.exists()


@pytest.mark.parametrize("data", [{}, {"registration": "x", "group": "1"}, {"group": "abc"}])
def test_move_refuses_bad_input_without_error(organiser_client, edition, make_groups, data):
    make_groups(edition, 1)

    response = organiser_client.post(url("move", edition), data)

    assert response.status_code == 302
    assert not Seat.objects.exists()


def test_move_refuses_a_cancelled_registration(
    organiser_client, edition, make_groups, make_registration
):
    make_groups(edition, 1)
    person = make_registration(edition, status=RegistrationStatus.CANCELLED)

    response = organiser_client.post(url("move", edition), {"registration": person.pk, "group": 1})

    assert response.status_code == 302
    assert messages_of(response) == [
        "Seule une personne dont l'inscription est confirmée peut avoir une place."
    ]
    assert not Seat.objects.exists()


# -- countdown -------------------------------------------------------------------------

EXTERNAL = re.compile(r"(https?:)?//[^\s\"'<>]+", re.IGNORECASE)


def test_countdown_shows_the_default_duration(facilitator_client, edition):
    response = facilitator_client.get(url("countdown", edition))

    text = text_of(response)
    assert 'data-seconds="2700"' in text
    assert ">45:00<" in text
    assert "<noscript>" in text
    assert "Durée de l'atelier : 45 minutes" in text
    assert 'role="timer"' in text
    assert 'aria-live="polite"' in text
    assert '<script src="/static/js/countdown.js" defer></script>' in text


def test_countdown_follows_the_edition_setting_and_the_address(facilitator_client, edition):
    WorkshopSettings.objects.create(edition=edition, countdown_minutes=90)

    assert ">1:30:00<" in text_of(facilitator_client.get(url("countdown", edition)))
    response = facilitator_client.get(url("countdown", edition), {"minutes": "30"})
    assert response.context["seconds"] == 1800
    for wrong in ("0", "999", "abc", "-5"):
        response = facilitator_client.get(url("countdown", edition), {"minutes": wrong})
        assert response.context["seconds"] == 5400


def test_countdown_loads_nothing_from_another_host(facilitator_client, edition):
    text = text_of(facilitator_client.get(url("countdown", edition)))

    assert EXTERNAL.findall(text) == []
    assert "<script>" not in text  # no inline script


def test_countdown_script_is_self_contained():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "countdown.js").read_text()

    assert re.findall(r"https?://", script) == []
    assert "fetch(" not in script
    assert "XMLHttpRequest" not in script
