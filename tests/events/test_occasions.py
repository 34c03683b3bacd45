"""A training session runs on the rencontre's engine: the same pages under
/evenements/<number>/, seats and waiting list, manage link, e-mails, calendar, exports,
attendance sheet, badges and check-in. Plus what only the other kinds have: a limit per
organisation and events for partners only."""

import csv
import datetime
import html
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from contract.models import Body
from contrat_ville.models import AuditLogEntry
from events.enums import (
    Audience,
    AuditAction,
    EditionStatus,
    EmailKind,
    EventKind,
    RegistrationSource,
    RegistrationStatus,
)
from events.models import Edition, EventDay, OutboundEmail, Registration
from events.services import (
    OrganisationFull,
    PartnersOnly,
    registration_create,
)
from tests.events.conftest import person
from tests.factories import SessionFactory

FORM = {
    "first_name": "Awa",
    "last_name": "Diop",
    "email": "awa.diop@example.org",
    "phone": "",
    "organisation": "Association des habitants",
    "college": "porteur_projet",
    "territory": "",
    "accessibility_needs": "",
    "dietary_needs": "",
    "image_consent": "True",
    "privacy": "on",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FULL = (
    "Votre structure a déjà 2 inscrits, le nombre de places qui lui est ouvert. "
    "Demandez à l'organisateur s'il en reste."
)


@pytest.fixture
def session(db):
    """An open session of 2 seats over two days: next month and a week later."""
    session = SessionFactory(capacity=2)
    EventDay.objects.create(
        edition=session,
        date=session.date + datetime.timedelta(days=7),
        starts_at=datetime.time(14, 0),
        ends_at=datetime.time(17, 0),
    )
    return session


def sign_up(client, session, **overrides):
    return client.post(session.url("register"), {**FORM, **overrides})


def status_of(email: str) -> str:
    return Registration.objects.get(email=email).status


def text(response) -> str:
    return html.unescape(response.content.decode())


# -- the same engine as the rencontre ---------------------------------------------------


def test_session_pages_are_under_evenements_by_number(session):
    assert session.url("edition") == f"/evenements/{session.pk}/"
    assert session.url("register") == f"/evenements/{session.pk}/inscription/"
    assert session.get_absolute_url() == session.url("edition")
    assert session.file_stem == f"formation-{session.pk}"


def test_a_session_is_not_found_under_rencontres(client, session):
    # Its number is no rencontre's year, and its year no rencontre.
    assert client.get(f"/rencontres/{session.year}/").status_code == 404
    assert client.get(f"/rencontres/{session.pk}/").status_code == 404


def test_session_page_is_public_and_shows_its_training(client, session):
    response = client.get(session.url("edition"))
    assert response.status_code == 200
    assert session.training.title in response.text


def test_register_confirmed_then_waiting_when_full(client, session):
    for number, name in enumerate(["awa", "bruno", "chloe"]):
        response = sign_up(client, session, email=f"{name}@example.org", first_name=name)
        assert response.status_code == 302, number
        assert response["Location"].startswith(session.url("registration_sent"))
    assert [status_of(f"{n}@example.org") for n in ("awa", "bruno", "chloe")] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
    ]
    kinds = dict(OutboundEmail.objects.values_list("recipient", "kind"))
    assert kinds == {
        "awa@example.org": EmailKind.CONFIRMATION,
        "bruno@example.org": EmailKind.CONFIRMATION,
        "chloe@example.org": EmailKind.WAITING,
    }
    sent = client.get(client.post(session.url("register"), FORM)["Location"])
    assert sent.status_code == 200


def test_confirmation_email_carries_the_manage_link_and_the_calendar(
    client, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, session)
    (message,) = mail.outbox
    registration = Registration.objects.get()
    assert reverse("events:manage", args=[registration.token]) in message.body
    (ics,) = [a for a in message.attachments if a[0].endswith(".ics")]
    assert ics[0] == f"formation-{session.pk}.ics"
    assert len(Calendar.from_ical(ics[1]).walk("VEVENT")) == 2


def test_manage_link_shows_the_seat_then_cancel_promotes_the_first_waiting(client, session):
    first, _second, waiting = (
        registration_create(edition=session, data=person(email=f"p{n}@example.org"))
        for n in range(3)
    )
    assert waiting.status == RegistrationStatus.WAITING
    response = client.get(reverse("events:manage", args=[first.token]))
    assert response.status_code == 200
    assert "Votre place est confirmée." in text(response)
    response = client.get(reverse("events:manage", args=[waiting.token]))
    assert "Vous êtes sur la liste d'attente, en position 1." in text(response)

    response = client.post(reverse("events:manage_cancel", args=[first.token]), {"confirm": "yes"})

    assert response.status_code == 302
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED
    promotion = OutboundEmail.objects.get(kind=EmailKind.PROMOTION)
    assert promotion.recipient == "p2@example.org"
    assert promotion.edition == session
    response = client.get(reverse("events:manage", args=[waiting.token]))
    assert "Votre place est confirmée." in text(response)


def test_ics_has_one_event_per_day(client, session):
    response = client.get(session.url("edition_ics"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="formation-{session.pk}.ics"' in response["Content-Disposition"]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [event["dtstart"].dt.date() for event in events] == [
        session.date,
        session.date + datetime.timedelta(days=7),
    ]
    assert [event["dtend"].dt.time() for event in events] == [
        datetime.time(12, 30),
        datetime.time(17, 0),
    ]
    uids = [str(event["uid"]) for event in events]
    assert len(set(uids)) == 2
    assert all(str(event["summary"]) == session.title for event in events)


def test_ics_of_a_one_day_session_has_one_event(client, db):
    session = SessionFactory()
    response = client.get(session.url("edition_ics"))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 1


@pytest.mark.parametrize(
    ("name", "content_type", "filename"),
    [
        ("export_csv", "text/csv; charset=utf-8", "inscriptions-formation-{pk}.csv"),
        ("export_xlsx", XLSX, "inscriptions-formation-{pk}.xlsx"),
        ("attendance_pdf", "application/pdf", "emargement-formation-{pk}.pdf"),
        ("badges_pdf", "application/pdf", "badges-formation-{pk}.pdf"),
    ],
)
def test_downloads_of_a_session(
    organiser_client, session, make_registration, name, content_type, filename
):
    make_registration(session, first_name="Awa", last_name="Diop")
    response = organiser_client.get(session.url(name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert filename.format(pk=session.pk) in response["Content-Disposition"]
    body = response.content
    if name.endswith("pdf"):
        assert body.startswith(b"%PDF")
    elif name == "export_xlsx":
        assert body.startswith(b"PK")
    else:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
        assert any("Diop" in row for row in rows)


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx", "attendance_pdf", "badges_pdf"])
def test_downloads_of_a_session_are_for_organisers(client, partner, session, name):
    assert client.get(session.url(name)).status_code == 302
    client.force_login(partner)
    assert client.get(session.url(name)).status_code == 403


ORGANISER_PAGES = [
    "dashboard",
    "registrations",
    "registration_add",
    "edition_edit",
    "programme_edit",
    "invite",
    "import",
    "checkin",
    "walk_in",
    "participants",
]


@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_of_a_session_open(organiser_client, session, make_registration, name):
    make_registration(session)
    response = organiser_client.get(session.url(name))
    assert response.status_code == 200, name


def test_registration_edit_of_a_session_opens(organiser_client, session, make_registration):
    registration = make_registration(session)
    response = organiser_client.get(session.url("registration_edit", pk=registration.pk))
    assert response.status_code == 200
    assert registration.email in response.text


def test_registration_of_another_event_is_not_found_under_a_session(
    organiser_client, session, make_registration, edition
):
    elsewhere = make_registration(edition)
    response = organiser_client.get(session.url("registration_edit", pk=elsewhere.pk))
    assert response.status_code == 404


def test_check_in_by_code(organiser_client, organiser, session, make_registration):
    registration = make_registration(session, first_name="Awa", last_name="Diop")
    url = session.url("checkin_person", code=registration.checkin_code)
    assert organiser_client.get(url).status_code == 200
    response = organiser_client.post(url, follow=True)
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == organiser
    assert "Awa Diop : arrivée enregistrée à" in text(response)


def test_check_in_search_finds_the_session_people(organiser_client, session, make_registration):
    make_registration(session, first_name="Awa", last_name="Diop")
    response = organiser_client.get(session.url("checkin"), {"q": "diop"})
    assert [r.last_name for r in response.context["results"]] == ["Diop"]


def test_a_badge_of_another_event_checks_in_nobody(
    organiser_client, session, make_registration, edition
):
    elsewhere = make_registration(edition)
    response = organiser_client.post(session.url("checkin_person", code=elsewhere.checkin_code))
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


def test_walk_in_to_a_full_session(organiser_client, session, make_registration):
    for _ in range(session.capacity):
        make_registration(session)
    response = organiser_client.post(
        session.url("walk_in"),
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
    assert walk_in.edition == session
    assert walk_in.status == RegistrationStatus.CONFIRMED
    assert walk_in.checked_in_at is not None
    assert walk_in.source == RegistrationSource.WALK_IN


def test_a_meeting_and_a_workshop_use_the_same_pages(client, make_edition):
    body = Body.objects.create(kind="cotech", name="Comité technique", slug="cotech", role="R")
    meeting = make_edition(kind=EventKind.MEETING, body=body, title="COTECH de printemps")
    workshop = make_edition(kind=EventKind.WORKSHOP, title="Atelier mobilité")
    for event in (meeting, workshop):
        assert event.url("edition") == f"/evenements/{event.pk}/"
        assert client.get(event.url("edition")).status_code == 200
        assert client.get(event.url("register")).status_code == 200
        response = sign_up(client, event, email=f"{event.kind}@example.org")
        assert response.status_code == 302
        assert Registration.objects.get(email=f"{event.kind}@example.org").edition == event


# -- places per organisation -----------------------------------------------------------


@pytest.fixture
def limited(db):
    """Ten seats, two per organisation."""
    return SessionFactory(capacity=10, per_organisation_limit=2)


def test_organisation_limit_counts_colleagues_of_the_same_actor(limited, make_actor):
    actor = make_actor("Centre social du Biollay")
    other = make_actor("Maison des jeunes")
    for number in range(2):
        registration_create(
            edition=limited, data=person(email=f"c{number}@example.org", actor=actor)
        )
    with pytest.raises(OrganisationFull) as refused:
        registration_create(edition=limited, data=person(email="c3@example.org", actor=actor))
    assert str(refused.value) == FULL
    assert not Registration.objects.filter(email="c3@example.org").exists()
    # Another organisation still has its seats.
    registration_create(edition=limited, data=person(email="o1@example.org", actor=other))


def test_organisation_limit_counts_free_text_names_case_blind(limited):
    registration_create(
        edition=limited, data=person(email="a@example.org", organisation="Regie de quartier")
    )
    registration_create(
        edition=limited, data=person(email="b@example.org", organisation="  REGIE   de Quartier ")
    )
    with pytest.raises(OrganisationFull):
        registration_create(
            edition=limited, data=person(email="c@example.org", organisation="regie de quartier")
        )
    # Someone who names no organisation is counted with nobody.
    for number in range(3):
        registration_create(
            edition=limited, data=person(email=f"r{number}@example.org", organisation="")
        )


def test_waiting_counts_and_cancelled_does_not(limited, make_registration, make_actor):
    actor = make_actor("Centre social du Biollay")
    make_registration(limited, actor=actor, status=RegistrationStatus.WAITING)
    cancelled = make_registration(limited, actor=actor, status=RegistrationStatus.CANCELLED)
    assert cancelled.status == RegistrationStatus.CANCELLED
    registration_create(edition=limited, data=person(email="a@example.org", actor=actor))
    with pytest.raises(OrganisationFull):
        registration_create(edition=limited, data=person(email="b@example.org", actor=actor))


def test_third_colleague_online_gets_the_message_next_to_the_form(client, limited, make_actor):
    make_actor("Centre social du Biollay")
    for name in ("awa", "bruno"):
        response = sign_up(
            client, limited, email=f"{name}@example.org", organisation="Centre social du Biollay"
        )
        assert response.status_code == 302
    assert Registration.objects.filter(actor__name="Centre social du Biollay").count() == 2

    response = sign_up(
        client, limited, email="chloe@example.org", organisation="centre social du biollay"
    )

    assert response.status_code == 400
    assert FULL in text(response)
    assert not Registration.objects.filter(email="chloe@example.org").exists()
    assert "2 places au plus par structure." in text(client.get(limited.url("register")))


def test_organisers_adding_people_are_not_bound_by_the_limit(
    organiser_client, limited, make_registration, make_actor
):
    actor = make_actor("Centre social du Biollay")
    for _ in range(2):
        make_registration(limited, actor=actor, organisation=actor.name)
    response = organiser_client.post(
        limited.url("registration_add"),
        {
            "first_name": "Chloé",
            "last_name": "Nguyen",
            "email": "chloe@example.org",
            "phone": "",
            "organisation": "Centre social du Biollay",
            "college": "porteur_projet",
            "territory": "",
            "accessibility_needs": "",
            "dietary_needs": "",
            "image_consent": "True",
        },
    )
    assert response.status_code == 302
    added = Registration.objects.get(email="chloe@example.org")
    assert added.actor == actor
    assert added.status == RegistrationStatus.CONFIRMED


# -- events for partners only ----------------------------------------------------------


@pytest.fixture
def partners_only(db):
    return SessionFactory(audience=Audience.PARTNERS)


def test_anonymous_visitor_is_asked_to_log_in(client, partners_only):
    response = client.get(partners_only.url("register"))
    assert response.status_code == 200
    page = text(response)
    assert "Cet événement est réservé aux partenaires du contrat." in page
    assert f"/accounts/login/?next={partners_only.url('register')}" in page
    assert 'name="first_name"' not in page


@pytest.mark.parametrize("who", ["anonymous", "no_role_user"])
def test_non_partner_post_is_refused_and_writes_nothing(client, partners_only, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = sign_up(client, partners_only)
    assert response.status_code == 403
    assert not Registration.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_partner_registers_to_a_partners_only_session(client, partner, partners_only):
    client.force_login(partner)
    page = client.get(partners_only.url("register"))
    assert 'name="first_name"' in page.text
    response = sign_up(client, partners_only, email=partner.email)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.user == partner
    assert registration.status == RegistrationStatus.CONFIRMED


def test_the_service_refuses_a_non_partner(partners_only, no_role_user):
    for by in (None, AnonymousUser(), no_role_user):
        with pytest.raises(PartnersOnly):
            registration_create(edition=partners_only, data=person(), by=by)
    assert not Registration.objects.exists()


def test_organisers_add_people_to_a_partners_only_session(organiser, partners_only):
    registration = registration_create(
        edition=partners_only,
        data=person(),
        by=organiser,
        source=RegistrationSource.ORGANISER,
    )
    assert registration.status == RegistrationStatus.CONFIRMED


# -- /evenements/: the list, creating a meeting or workshop, an event's settings ---------

INDEX = reverse("occasions:index")
CREATE = reverse("occasions:create")


def occasion_form(*, days=(), **overrides) -> dict:
    date = timezone.localdate() + datetime.timedelta(days=40)
    data = {
        "kind": EventKind.WORKSHOP,
        "body": "",
        "title": "Atelier mobilité",
        "status": EditionStatus.OPEN,
        "date": date.isoformat(),
        "starts_at": "09:00",
        "ends_at": "12:30",
        "venue_name": "Maison des associations",
        "venue_address": "Chambéry",
        "online_url": "",
        "description": "",
        "audience": "everyone",
        "capacity": "12",
        "per_organisation_limit": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "days-TOTAL_FORMS": str(max(len(days), 1)),
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "20",
    }
    for number, (day, starts, ends) in enumerate(days):
        data[f"days-{number}-date"] = day
        data[f"days-{number}-starts_at"] = starts
        data[f"days-{number}-ends_at"] = ends
    data.update(overrides)
    return data


@pytest.fixture
def body(db):
    return Body.objects.create(
        kind="cotech", name="Comité technique", slug="cotech", role="Prépare le COPIL."
    )


def as_who(client, who, request):
    if who == "organiser":
        request.getfixturevalue("organiser_client")
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


@pytest.mark.parametrize("who", ["anonymous", "partner", "organiser"])
def test_index_is_public_and_hides_drafts(client, who, request, make_edition, edition):
    SessionFactory(title="Session ouverte")
    SessionFactory(title="Session brouillon", status=EditionStatus.DRAFT)
    make_edition(
        kind=EventKind.WORKSHOP,
        title="Atelier passé",
        date=timezone.localdate() - datetime.timedelta(days=10),
    )
    response = as_who(client, who, request).get(INDEX)
    assert response.status_code == 200
    page = text(response)
    assert "Session ouverte" in page
    assert "Atelier passé" in page
    assert ("Session brouillon" in page) == (who == "organiser")
    # The rencontre has its own pages.
    assert edition.title not in page
    assert (CREATE in page) == (who == "organiser")


def test_index_sorts_coming_and_past(client, make_edition):
    today = timezone.localdate()
    later = SessionFactory(date=today + datetime.timedelta(days=20))
    sooner = SessionFactory(date=today + datetime.timedelta(days=5))
    today_event = SessionFactory(date=today)
    old = SessionFactory(date=today - datetime.timedelta(days=30))
    recent = SessionFactory(date=today - datetime.timedelta(days=2))
    response = client.get(INDEX)
    assert response.context["coming"] == [today_event, sooner, later]
    assert response.context["past"] == [recent, old]


def test_draft_event_pages_are_404_for_non_organisers(client, partner, organiser_client):
    draft = SessionFactory(status=EditionStatus.DRAFT)
    assert organiser_client.get(draft.url("edition")).status_code == 200
    anonymous, partner_client = Client(), Client()
    partner_client.force_login(partner)
    for name in ("edition", "register", "edition_ics"):
        assert anonymous.get(draft.url(name)).status_code == 404, name
        assert partner_client.get(draft.url(name)).status_code == 404, name


def test_unknown_event_number_is_404(client, db):
    assert client.get("/evenements/999999/").status_code == 404


def test_create_page_sends_anonymous_visitors_to_login(client, db):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client.post(CREATE, occasion_form()).status_code == 302
    assert not Edition.objects.exists()


@pytest.mark.parametrize("who", ["partner", "no_role_user"])
def test_create_page_is_forbidden_to_others(client, who, request, db):
    client.force_login(request.getfixturevalue(who))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, occasion_form()).status_code == 403
    assert not Edition.objects.exists()


def test_organiser_creates_a_meeting_of_a_body(organiser_client, organiser, body):
    assert organiser_client.get(CREATE).status_code == 200
    response = organiser_client.post(
        CREATE,
        occasion_form(kind=EventKind.MEETING, body=str(body.pk), title="COTECH de printemps"),
    )
    meeting = Edition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.url("dashboard")
    assert (meeting.kind, meeting.body, meeting.training) == (EventKind.MEETING, body, None)
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.actor) == (AuditAction.EDITION_CREATED, organiser)


def test_organiser_creates_a_workshop_over_two_days(organiser_client):
    later = (timezone.localdate() + datetime.timedelta(days=41)).isoformat()
    response = organiser_client.post(CREATE, occasion_form(days=[(later, "09:00", "12:00")]))
    assert response.status_code == 302
    workshop = Edition.objects.get()
    assert workshop.kind == EventKind.WORKSHOP
    assert workshop.days.count() == 1


@pytest.mark.parametrize("kind", [EventKind.RENCONTRE, EventKind.TRAINING])
def test_create_page_makes_neither_a_rencontre_nor_a_session(organiser_client, kind):
    response = organiser_client.post(CREATE, occasion_form(kind=kind))
    assert response.status_code == 400
    assert response.context["form"].errors["kind"]
    assert not Edition.objects.exists()


def test_meeting_without_body_is_refused(organiser_client, body):
    response = organiser_client.post(CREATE, occasion_form(kind=EventKind.MEETING))
    assert response.status_code == 400
    message = "Choisissez l'instance qui se réunit."
    assert response.context["form"].errors["body"] == [message]
    assert message in text(response)
    assert not Edition.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_workshop_with_a_body_is_refused(organiser_client, body):
    response = organiser_client.post(CREATE, occasion_form(body=str(body.pk)))
    assert response.status_code == 400
    assert response.context["form"].errors["body"] == [
        "Seule une réunion d'instance a une instance."
    ]
    assert not Edition.objects.exists()


def test_event_ending_before_it_starts_is_refused(organiser_client):
    response = organiser_client.post(CREATE, occasion_form(starts_at="14:00", ends_at="10:00"))
    assert response.status_code == 400
    assert response.context["form"].errors["ends_at"] == [
        "L'heure de fin doit être après l'heure de début."
    ]
    assert not Edition.objects.exists()


def test_further_date_equal_to_the_first_day_is_refused(organiser_client):
    first = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    response = organiser_client.post(CREATE, occasion_form(days=[(first, "14:00", "17:00")]))
    assert response.status_code == 400
    message = "Cette date figure déjà parmi les dates de l'événement."
    assert response.context["days"].forms[0].errors["date"] == [message]
    assert message in text(response)
    assert not Edition.objects.exists()
    assert not EventDay.objects.exists()


# The settings page of a session (edition_edit): the occasion form, for organisers only.


def test_settings_page_sends_anonymous_visitors_to_login(client, session):
    response = client.get(session.url("edition_edit"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["partner", "no_role_user"])
def test_settings_page_is_forbidden_to_others(client, who, request, session):
    client.force_login(request.getfixturevalue(who))
    assert client.get(session.url("edition_edit")).status_code == 403
    response = client.post(session.url("edition_edit"), occasion_form(title="Piraté"))
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.title != "Piraté"


def test_settings_page_of_a_session_shows_its_days_and_no_kind(organiser_client, session):
    response = organiser_client.get(session.url("edition_edit"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "kind" not in form.fields
    assert "body" not in form.fields
    assert [day["date"] for day in response.context["days"].initial] == [
        session.date + datetime.timedelta(days=7)
    ]


def session_settings(session, **overrides) -> dict:
    data = occasion_form(
        title=session.title,
        date=session.date.isoformat(),
        capacity=str(session.capacity),
        days=[((session.date + datetime.timedelta(days=7)).isoformat(), "14:00", "17:00")],
    )
    del data["kind"], data["body"]
    data.update(overrides)
    return data


def test_settings_raise_capacity_and_promote(organiser_client, session, make_registration):
    for _ in range(2):
        make_registration(session)
    waiting = make_registration(session, status=RegistrationStatus.WAITING)
    response = organiser_client.post(
        session.url("edition_edit"), session_settings(session, capacity="3")
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    session.refresh_from_db()
    assert session.kind == EventKind.TRAINING
    assert session.training is not None


def test_settings_capacity_below_confirmed_is_refused(organiser_client, session, make_registration):
    for _ in range(2):
        make_registration(session)
    response = organiser_client.post(
        session.url("edition_edit"), session_settings(session, capacity="1", title="Autre")
    )
    assert response.status_code == 400
    message = (
        "2 personnes ont déjà une place confirmée : la capacité ne peut pas descendre en "
        "dessous. Annulez des inscriptions d'abord."
    )
    assert response.context["form"].errors["capacity"] == [message]
    assert message in text(response)
    session.refresh_from_db()
    assert (session.capacity, session.title) == (2, session.training.title)
    assert session.days.count() == 1


def test_settings_change_the_further_dates(organiser_client, session):
    later = session.date + datetime.timedelta(days=14)
    data = session_settings(session)
    data["days-0-date"] = later.isoformat()
    response = organiser_client.post(session.url("edition_edit"), data)
    assert response.status_code == 302
    assert [day.date for day in session.days.all()] == [later]
    assert AuditLogEntry.objects.filter(action=AuditAction.EDITION_UPDATED).exists()


# -- query counts of /evenements/ -----------------------------------------------------


def add_events(count: int, make_edition, body):
    today = timezone.localdate()
    for number in range(count):
        session = SessionFactory(date=today + datetime.timedelta(days=5 + number))
        EventDay.objects.create(
            edition=session,
            date=session.date + datetime.timedelta(days=30),
            starts_at=datetime.time(9, 0),
            ends_at=datetime.time(12, 0),
        )
        make_edition(
            kind=EventKind.MEETING, body=body, date=today - datetime.timedelta(days=1 + number)
        )


@pytest.mark.parametrize("who", ["anonymous", "organiser"])
def test_index_queries_do_not_grow(client, who, request, make_edition, body, make_registration):
    as_who(client, who, request)
    add_events(1, make_edition, body)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as one:
        client.get(INDEX)
    add_events(4, make_edition, body)
    for session in Edition.objects.filter(kind=EventKind.TRAINING):
        make_registration(session)
    with CaptureQueriesContext(connection) as five:
        response = client.get(INDEX)
    assert (len(response.context["coming"]), len(response.context["past"])) == (5, 5)
    assert len(five) == len(one)


def test_every_event_page_exists_for_a_session_and_a_rencontre(session, edition):
    from events.urls import event_patterns

    for pattern in event_patterns:
        extra = {name: 1 if name == "pk" else "code" for name in pattern.pattern.regex.groupindex}
        assert session.url(pattern.name, **extra).startswith(f"/evenements/{session.pk}/")
        assert edition.url(pattern.name, **extra).startswith(f"/rencontres/{edition.year}/")
