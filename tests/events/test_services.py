import datetime

import pytest
from django.core import mail
from django.utils import timezone

from contrat_ville.enums import EmailState
from contrat_ville.models import AuditLogEntry
from contrat_ville.services import ServiceError
from events.enums import EmailKind, RegistrationSource, RegistrationStatus
from events.models import OutboundEmail, Registration
from events.selectors import seat_counts, waiting_position
from events.services import (
    DuplicateRegistration,
    RegistrationClosed,
    edition_copy,
    edition_update,
    emails_send,
    registration_cancel,
    registration_check_in,
    registration_create,
    registration_erase,
    registration_reinstate,
    registration_update,
    registrations_bulk_create,
    registrations_purge,
)
from events.services.registrations import IMPORT_SEND_NOW_LIMIT

from .conftest import person


def register(edition, email, **overrides):
    return registration_create(edition=edition, data=person(email=email, **overrides))


def statuses(edition):
    return {r.email: r.status for r in Registration.objects.filter(edition=edition).order_by("pk")}


def test_registration_confirmed_while_seats_are_free(edition):
    registration = register(edition, "a@example.org")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.queued_at is None
    assert registration.privacy_acknowledged_at is not None
    assert len(registration.token) >= 43


def test_registration_goes_to_waiting_list_when_full_in_order(edition):
    for letter in "abc":
        register(edition, f"{letter}@example.org")
    d = register(edition, "d@example.org")
    e = register(edition, "e@example.org")
    assert (d.status, e.status) == (RegistrationStatus.WAITING, RegistrationStatus.WAITING)
    assert (waiting_position(d), waiting_position(e)) == (1, 2)
    assert seat_counts(edition) == {
        "confirmed": 3,
        "waiting": 2,
        "cancelled": 0,
        "checked_in": 0,
        "free": 0,
        "total": 5,
    }


def test_cancellation_promotes_the_first_waiting_person(
    edition, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = register(edition, "a@example.org")
        for letter in "bcde":
            register(edition, f"{letter}@example.org")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_cancel(registration=first)
    assert [r.email for r in promoted] == ["d@example.org"]
    assert statuses(edition) == {
        "a@example.org": RegistrationStatus.CANCELLED,
        "b@example.org": RegistrationStatus.CONFIRMED,
        "c@example.org": RegistrationStatus.CONFIRMED,
        "d@example.org": RegistrationStatus.CONFIRMED,
        "e@example.org": RegistrationStatus.WAITING,
    }
    assert waiting_position(Registration.objects.get(email="e@example.org")) == 1
    assert sorted((m.to[0], m.subject.split(" :")[0]) for m in mailoutbox) == [
        ("a@example.org", "[Contrat de Ville] Inscription annulée"),
        ("d@example.org", "[Contrat de Ville] Une place s'est libérée"),
    ]


def test_cancelling_twice_changes_nothing(edition):
    first = register(edition, "a@example.org")
    registration_cancel(registration=first)
    assert registration_cancel(registration=first) == []
    assert OutboundEmail.objects.filter(kind=EmailKind.CANCELLATION).count() == 1


def test_raised_capacity_promotes_in_order(edition, organiser):
    for letter in "abcdef":
        register(edition, f"{letter}@example.org")
    promoted = edition_update(by=organiser, edition=edition, data={"capacity": 5})
    assert [r.email for r in promoted] == ["d@example.org", "e@example.org"]
    assert statuses(edition)["f@example.org"] == RegistrationStatus.WAITING
    assert edition.capacity == 5


def test_capacity_below_confirmed_is_refused(edition, organiser):
    for letter in "abc":
        register(edition, f"{letter}@example.org")
    with pytest.raises(ServiceError, match="3 personnes ont déjà une place confirmée"):
        edition_update(by=organiser, edition=edition, data={"capacity": 2})
    edition.refresh_from_db()
    assert edition.capacity == 3


def test_duplicate_email_is_refused_case_blind(edition):
    register(edition, "Awa.Diop@Example.org")
    with pytest.raises(DuplicateRegistration) as raised:
        register(edition, "awa.diop@example.ORG")
    assert raised.value.existing.email == "awa.diop@example.org"
    assert Registration.objects.filter(edition=edition).count() == 1


def test_same_email_may_register_to_two_editions(edition, make_edition):
    other = make_edition()
    register(edition, "a@example.org")
    register(other, "a@example.org")
    assert Registration.objects.filter(email="a@example.org").count() == 2


def test_cancelled_person_registering_again_takes_the_queue_end(edition):
    first = register(edition, "a@example.org")
    registration_cancel(registration=first)
    for letter in "bcd":
        register(edition, f"{letter}@example.org")
    again = register(edition, "a@example.org", first_name="Awa-Marie")
    assert again.pk == first.pk
    assert again.status == RegistrationStatus.WAITING
    assert again.first_name == "Awa-Marie"
    assert again.cancelled_at is None


def test_online_registration_refused_when_closed(make_edition):
    closed = make_edition(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(RegistrationClosed):
        register(closed, "a@example.org")
    assert Registration.objects.count() == 0


def test_organiser_may_add_when_closed(make_edition, organiser):
    closed = make_edition(status="closed")
    registration = registration_create(
        edition=closed, data=person(), by=organiser, source=RegistrationSource.ORGANISER
    )
    assert registration.status == RegistrationStatus.CONFIRMED
    assert AuditLogEntry.objects.filter(action="registration.added").count() == 1


def test_walk_in_is_confirmed_and_checked_in_even_when_full(edition, organiser):
    for letter in "abc":
        register(edition, f"{letter}@example.org")
    walk_in = registration_create(
        edition=edition,
        data=person(email="z@example.org"),
        by=organiser,
        source=RegistrationSource.WALK_IN,
        check_in=True,
    )
    assert walk_in.status == RegistrationStatus.CONFIRMED
    assert walk_in.checked_in_by == organiser


def test_smtp_failure_keeps_the_registration_and_retries(
    edition, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.events.failing_backend.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(edition, "a@example.org")
    assert Registration.objects.filter(pk=registration.pk).exists()
    email = OutboundEmail.objects.get(registration=registration)
    assert (email.state, email.attempts) == (EmailState.FAILED, 1)
    assert "SMTP down" in email.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails_send() == (1, 0)
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == (EmailState.SENT, 2, "")
    assert mail.outbox[0].to == ["a@example.org"]
    # Nothing is sent twice.
    assert emails_send() == (0, 0)


def test_confirmation_email_holds_manage_link_ics_and_qr(
    edition, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(edition, "a@example.org")
    (message,) = mailoutbox
    assert f"/rencontres/inscription/{registration.token}/" in message.body
    names = [name for name, _content, _mime in message.attachments]
    assert names == [f"rencontre-{edition.year}.ics", f"qr-accueil-{edition.year}.png"]
    ics = message.attachments[0][1]
    assert "BEGIN:VEVENT" in (ics.decode() if isinstance(ics, bytes) else ics)
    assert message.attachments[1][1][:8] == b"\x89PNG\r\n\x1a\n"


def test_waiting_email_says_the_position(edition, mailoutbox, django_capture_on_commit_callbacks):
    for letter in "abc":
        register(edition, f"{letter}@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        register(edition, "d@example.org")
    assert "en position 1." in mailoutbox[-1].body
    assert mailoutbox[-1].attachments == []


def test_update_keeps_one_registration_per_email(edition):
    register(edition, "a@example.org")
    second = register(edition, "b@example.org")
    with pytest.raises(ServiceError):
        registration_update(registration=second, data={"email": "A@example.org"})
    second.refresh_from_db()
    assert second.email == "b@example.org"


def test_check_in_twice_changes_nothing(edition, organiser):
    registration = register(edition, "a@example.org")
    first = registration_check_in(registration=registration, by=organiser)
    second = registration_check_in(registration=registration, by=organiser)
    assert (first.already, second.already) == (False, True)
    assert second.registration.checked_in_at == first.registration.checked_in_at


def test_check_in_of_waiting_person_is_refused(edition, organiser, make_registration):
    waiting = make_registration(edition, status=RegistrationStatus.WAITING)
    with pytest.raises(ServiceError):
        registration_check_in(registration=waiting, by=organiser)
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


def test_erase_cancels_anonymises_and_gives_the_seat(edition):
    first = register(edition, "a@example.org", phone="0199000000", dietary_needs="Végétarien")
    for letter in "bcd":
        register(edition, f"{letter}@example.org")
    old_token = first.token
    registration_erase(registration=first)
    first.refresh_from_db()
    assert (first.first_name, first.last_name, first.email, first.phone) == ("", "", "", "")
    assert first.dietary_needs == ""
    assert first.status == RegistrationStatus.CANCELLED
    assert first.anonymised_at is not None
    assert first.token != old_token
    assert first.college == "porteur_projet"
    assert statuses(edition)["d@example.org"] == RegistrationStatus.CONFIRMED
    assert not OutboundEmail.objects.filter(registration=first).exists()


def test_reinstate_gives_a_seat_or_the_queue(edition, organiser):
    first = register(edition, "a@example.org")
    registration_cancel(registration=first)
    assert registration_reinstate(registration=first, by=organiser).status == "confirmed"


def test_purge_anonymises_old_editions_and_keeps_counts(make_edition, make_registration, qpv):
    old = make_edition(date=datetime.date(2024, 10, 15), status="archived")
    recent = make_edition()
    for college in ("copil", "copil", "habitant"):
        make_registration(old, college=college, territory=qpv, checked_in_at=timezone.now())
    make_registration(old, status=RegistrationStatus.CANCELLED)
    kept = make_registration(recent)
    from events.selectors import editions_comparison

    before = editions_comparison()
    now = timezone.make_aware(datetime.datetime(2025, 11, 1, 12, 0))
    assert registrations_purge(older_than_months=12, now=now) == {old.year: 4}
    assert editions_comparison()["by_college"] == before["by_college"]
    assert editions_comparison()["by_territory"] == before["by_territory"]
    assert editions_comparison()["checked_in"] == before["checked_in"]
    rows = Registration.objects.filter(edition=old)
    assert set(rows.values_list("first_name", "email", "organisation")) == {("", "", "")}
    kept.refresh_from_db()
    assert kept.email != ""
    # Idempotent: a second run has nothing left to do.
    assert registrations_purge(older_than_months=12, now=now) == {old.year: 0}


def test_purge_spares_editions_within_the_period(make_edition, make_registration):
    old = make_edition(date=datetime.date(2024, 10, 15), status="archived")
    make_registration(old)
    now = timezone.make_aware(datetime.datetime(2025, 9, 1, 12, 0))
    assert registrations_purge(older_than_months=12, now=now) == {}


def test_copy_takes_settings_and_programme_never_registrations(
    edition, organiser, make_registration
):
    edition.programme.create(starts_at=datetime.time(9), title="Ouverture", kind="plenary")
    make_registration(edition)
    copy = edition_copy(by=organiser, source=edition, year=2040, day=datetime.date(2040, 10, 15))
    assert (copy.year, copy.status, copy.capacity) == (2040, "draft", edition.capacity)
    assert list(copy.programme.values_list("title", flat=True)) == ["Ouverture"]
    assert copy.registrations.count() == 0


def test_bulk_create_seats_then_queues_in_order(
    edition, make_registration, mailoutbox, django_capture_on_commit_callbacks
):
    make_registration(edition)
    rows = [person(email=f"p{n}@example.org") for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        created = registrations_bulk_create(
            edition=edition, rows=rows, by=None, source=RegistrationSource.IMPORT
        )
    assert [r.status for r in created] == [
        "confirmed",
        "confirmed",
        "waiting",
        "waiting",
        "waiting",
    ]
    assert [waiting_position(r) for r in created[2:]] == [1, 2, 3]
    assert sorted(m.to[0] for m in mailoutbox) == [f"p{n}@example.org" for n in range(5)]


def test_bulk_create_leaves_big_batches_to_the_command(
    edition, mailoutbox, django_capture_on_commit_callbacks
):
    rows = [person(email=f"p{n}@example.org") for n in range(IMPORT_SEND_NOW_LIMIT + 1)]
    with django_capture_on_commit_callbacks(execute=True):
        registrations_bulk_create(
            edition=edition, rows=rows, by=None, source=RegistrationSource.IMPORT
        )
    assert mailoutbox == []
    assert OutboundEmail.objects.filter(state=EmailState.PENDING).count() == len(rows)
    assert emails_send() == (len(rows), 0)


def test_bulk_create_refuses_the_whole_batch_on_a_known_address(edition, make_registration):
    make_registration(edition, email="p1@example.org", status="cancelled")
    with pytest.raises(DuplicateRegistration):
        registrations_bulk_create(
            edition=edition,
            rows=[person(email="p0@example.org"), person(email="p1@example.org")],
            by=None,
            source=RegistrationSource.IMPORT,
        )
    assert Registration.objects.count() == 1
