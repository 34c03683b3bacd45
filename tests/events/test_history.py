"""/rencontres/mes-participations/: a logged-in person's own registrations to every kind
of event, and never anyone else's."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.enums import EventKind, RegistrationStatus
from tests.factories import SessionFactory

HISTORY = reverse("events:history")


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_history_needs_a_login(client, db):
    response = client.get(HISTORY)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["partner", "no_role_user", "organiser"])
def test_any_logged_in_person_has_a_history(client, who, request, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    client.force_login(request.getfixturevalue(who))
    response = client.get(HISTORY)
    assert response.status_code == 200
    assert "Aucune inscription pour le moment." in text(response)


def test_history_shows_only_the_persons_own_registrations(
    client, partner, no_role_user, make_registration, edition
):
    session = SessionFactory(title="Animer une réunion publique")
    mine_by_account = make_registration(
        session, user=partner, email="autre-adresse@example.org", first_name="Moi"
    )
    mine_by_address = make_registration(edition, email=partner.email)
    theirs = make_registration(
        SessionFactory(title="Session d'un autre"), user=no_role_user, email=no_role_user.email
    )
    client.force_login(partner)

    response = client.get(HISTORY)

    assert response.status_code == 200
    shown = {r.pk for r in response.context["coming"]}
    assert shown == {mine_by_account.pk, mine_by_address.pk}
    page = text(response)
    assert "Animer une réunion publique" in page
    assert edition.title in page
    assert reverse("events:manage", args=[mine_by_account.token]) in page
    # Another person's registration: neither its event nor its manage link.
    assert "Session d'un autre" not in page
    assert theirs.token not in page
    assert theirs.email not in page


def test_history_matches_the_address_case_blind(client, user_factory, make_registration):
    person = user_factory(email="Awa.Diop@Example.org")
    registration = make_registration(SessionFactory(), email="awa.diop@example.org")
    client.force_login(person)
    assert [r.pk for r in client.get(HISTORY).context["coming"]] == [registration.pk]


def test_history_leaves_out_cancelled_and_anonymised(client, partner, make_registration):
    make_registration(SessionFactory(), user=partner, status=RegistrationStatus.CANCELLED)
    make_registration(SessionFactory(), user=partner, anonymised_at=timezone.now())
    client.force_login(partner)
    response = client.get(HISTORY)
    assert response.context["coming"] == []
    assert "Aucune inscription pour le moment." in text(response)


def test_history_sorts_coming_attended_and_missed(client, partner, make_registration):
    today = timezone.localdate()
    later = make_registration(
        SessionFactory(date=today + datetime.timedelta(days=20)), user=partner
    )
    sooner = make_registration(
        SessionFactory(date=today + datetime.timedelta(days=5)), user=partner
    )
    attended = make_registration(
        SessionFactory(date=today - datetime.timedelta(days=5)),
        user=partner,
        checked_in_at=timezone.now() - datetime.timedelta(days=5),
    )
    missed = make_registration(
        SessionFactory(date=today - datetime.timedelta(days=9)), user=partner
    )
    client.force_login(partner)
    context = client.get(HISTORY).context
    assert [r.pk for r in context["coming"]] == [sooner.pk, later.pk]
    assert [r.pk for r in context["attended"]] == [attended.pk]
    assert [r.pk for r in context["missed"]] == [missed.pk]


def add_registrations(count, partner, make_registration, make_edition):
    today = timezone.localdate()
    for number in range(count):
        make_registration(
            SessionFactory(date=today + datetime.timedelta(days=3 + number)), user=partner
        )
        make_registration(
            make_edition(kind=EventKind.WORKSHOP, date=today - datetime.timedelta(days=3)),
            user=partner,
            checked_in_at=timezone.now(),
        )
        make_registration(make_edition(date=today - datetime.timedelta(days=40)), user=partner)


def test_history_queries_do_not_grow(client, partner, make_registration, make_edition):
    client.force_login(partner)
    add_registrations(1, partner, make_registration, make_edition)
    client.get(HISTORY)
    with CaptureQueriesContext(connection) as one:
        client.get(HISTORY)
    add_registrations(4, partner, make_registration, make_edition)
    with CaptureQueriesContext(connection) as five:
        response = client.get(HISTORY)
    assert [len(response.context[key]) for key in ("coming", "attended", "missed")] == [5, 5, 5]
    assert len(five) == len(one)
