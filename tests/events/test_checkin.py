"""Check-in on the day: organisers only, one tap, twice changes nothing."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.enums import RegistrationStatus
from events.models import Registration


def person_url(registration):
    return reverse(
        "events:checkin_person", args=[registration.edition.year, registration.checkin_code]
    )


@pytest.mark.parametrize("who", ["anonymous", "partner", "no_role_user"])
@pytest.mark.parametrize("name", ["events:checkin", "events:walk_in"])
def test_checkin_pages_are_for_organisers_only(client, edition, who, name, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(name, args=[edition.year]))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_qr_link_checks_in_nobody_without_rights(client, edition, make_registration, who, request):
    registration = make_registration(edition)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(person_url(registration))
    assert response.status_code in (302, 403)
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_checkin_search_finds_confirmed_people(organiser_client, edition, make_registration):
    make_registration(edition, first_name="Awa", last_name="Diop")
    make_registration(edition, first_name="Awa", last_name="Attente", status="waiting")
    response = organiser_client.get(reverse("events:checkin", args=[edition.year]), {"q": "awa"})
    assert [r.last_name for r in response.context["results"]] == ["Diop"]


def test_qr_link_opens_the_person_for_an_organiser(organiser_client, edition, make_registration):
    registration = make_registration(edition, first_name="Awa", last_name="Diop")
    response = organiser_client.get(person_url(registration))
    assert response.status_code == 200
    assert "Enregistrer l'arrivée" in response.text


def test_one_tap_checks_in_then_twice_says_when(
    organiser_client, organiser, edition, make_registration
):
    registration = make_registration(edition, first_name="Awa", last_name="Diop")
    first = organiser_client.post(person_url(registration), follow=True)
    registration.refresh_from_db()
    arrived = registration.checked_in_at
    assert arrived is not None
    assert registration.checked_in_by == organiser
    time = timezone.localtime(arrived)
    shown = f"{time.hour} h {time.minute:02d}"
    assert f"Awa Diop : arrivée enregistrée à {shown}." in html.unescape(first.text)
    second = organiser_client.post(person_url(registration), follow=True)
    assert f"Awa Diop : arrivée déjà notée à {shown}." in html.unescape(second.text)
    registration.refresh_from_db()
    assert registration.checked_in_at == arrived


def test_checkin_of_someone_waiting_is_refused(organiser_client, edition, make_registration):
    registration = make_registration(edition, status=RegistrationStatus.WAITING)
    response = organiser_client.post(person_url(registration), follow=True)
    assert "n'est pas confirmée" in html.unescape(response.text)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_checkin_code_of_another_edition_is_404(
    organiser_client, edition, make_edition, make_registration
):
    other = make_edition()
    registration = make_registration(other)
    url = reverse("events:checkin_person", args=[edition.year, registration.checkin_code])
    assert organiser_client.get(url).status_code == 404


def test_undo_check_in(organiser_client, edition, make_registration):
    registration = make_registration(edition, checked_in_at=timezone.now())
    organiser_client.post(person_url(registration), {"action": "undo"})
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_next_parameter_cannot_redirect_off_site(organiser_client, edition, make_registration):
    registration = make_registration(edition)
    response = organiser_client.post(person_url(registration), {"next": "https://ailleurs.test/"})
    assert response["Location"] == reverse("events:checkin", args=[edition.year])


def test_walk_in_registers_and_checks_in_when_full(organiser_client, edition, make_registration):
    for _ in range(3):
        make_registration(edition)
    response = organiser_client.post(
        reverse("events:walk_in", args=[edition.year]),
        {
            "first_name": "Sur",
            "last_name": "Place",
            "email": "sur.place@example.org",
            "college": "habitant",
            "image_consent": "False",
        },
    )
    assert response.status_code == 302
    walk_in = Registration.objects.get(email="sur.place@example.org")
    assert walk_in.status == RegistrationStatus.CONFIRMED
    assert walk_in.checked_in_at is not None
    assert walk_in.source == "walk_in"


def test_walk_in_with_bad_input_writes_nothing(organiser_client, edition):
    response = organiser_client.post(
        reverse("events:walk_in", args=[edition.year]), {"first_name": "Sur", "email": "x"}
    )
    assert response.status_code == 400
    assert Registration.objects.count() == 0


def test_checkin_search_queries_do_not_grow(organiser_client, edition, make_registration):
    url = reverse("events:checkin", args=[edition.year])
    make_registration(edition, last_name="Diop1")
    organiser_client.get(url, {"q": "diop"})
    with CaptureQueriesContext(connection) as one:
        organiser_client.get(url, {"q": "diop"})
    for number in range(2, 9):
        make_registration(edition, last_name=f"Diop{number}")
    with CaptureQueriesContext(connection) as many:
        response = organiser_client.get(url, {"q": "diop"})
    assert len(response.context["results"]) == 8
    assert len(many) == len(one)


def shown_time(value) -> str:
    time = timezone.localtime(value)
    return f"{time.hour} h {time.minute:02d}"


def test_checkin_rows_show_status_badges_in_epicene_words(
    organiser_client, edition, make_registration
):
    arrived = make_registration(
        edition, first_name="Awa", last_name="Diop", checked_in_at=timezone.now()
    )
    make_registration(edition, first_name="Binta", last_name="Diop")

    response = organiser_client.get(reverse("events:checkin", args=[edition.year]), {"q": "diop"})

    body = html.unescape(response.text)
    # The form asks no gender: "Présence notée", never "Arrivé" or "Arrivée" alone.
    assert (
        '<span class="badge badge--success checkin-row__status">'
        f"Présence notée à {shown_time(arrived.checked_in_at)}</span>" in body
    )
    assert body.count('class="button checkin-button"') == 1
    assert 'Noter l\'arrivée<span class="visually-hidden"> : Binta Diop</span>' in body
    assert "Arrivé " not in body
    assert "Arrivées : <strong>1</strong> sur 2 personnes confirmées" in body


def test_checkin_search_with_nobody_says_so_plainly(organiser_client, edition):
    response = organiser_client.get(
        reverse("events:checkin", args=[edition.year]), {"q": "personne"}
    )

    assert "Aucune personne confirmée ne correspond à « personne »." in html.unescape(response.text)


@pytest.mark.parametrize(
    ("status", "badge"),
    [
        (RegistrationStatus.WAITING, '<span class="badge badge--warning">Inscription en liste'),
        (RegistrationStatus.CANCELLED, '<span class="badge badge--danger">Inscription annulée'),
    ],
)
def test_person_page_badges_a_registration_without_a_seat(
    organiser_client, edition, make_registration, status, badge
):
    registration = make_registration(edition, status=status)

    body = html.unescape(organiser_client.get(person_url(registration)).text)

    assert badge in body
    assert "Pas de place confirmée : l'arrivée ne peut pas être notée." in body
    assert "Enregistrer l'arrivée" not in body


def test_person_page_of_someone_arrived_offers_undo(organiser_client, edition, make_registration):
    registration = make_registration(edition, checked_in_at=timezone.now())

    body = html.unescape(organiser_client.get(person_url(registration)).text)

    assert f"Arrivée déjà notée à {shown_time(registration.checked_in_at)}." in body
    assert "Annuler cette arrivée" in body
    assert "Enregistrer l'arrivée" not in body


def test_walk_in_message_is_epicene(organiser_client, edition):
    response = organiser_client.post(
        reverse("events:walk_in", args=[edition.year]),
        {
            "first_name": "Sur",
            "last_name": "Place",
            "email": "sur.place@example.org",
            "college": "habitant",
            "image_consent": "False",
        },
        follow=True,
    )

    walk_in = Registration.objects.get(email="sur.place@example.org")
    assert (
        f"Sur Place : inscription sur place et arrivée notées à "
        f"{shown_time(walk_in.checked_in_at)}." in html.unescape(response.text)
    )


@pytest.mark.parametrize("who", ["partner", "no_role_user"])
def test_person_page_shows_nobody_to_accounts_without_the_right(
    client, edition, make_registration, who, request
):
    registration = make_registration(
        edition, first_name="Awa", last_name="Diop", accessibility_needs="Fauteuil roulant"
    )
    client.force_login(request.getfixturevalue(who))

    response = client.get(person_url(registration))

    assert response.status_code == 403
    assert "Diop" not in response.text
    assert "Fauteuil" not in response.text
