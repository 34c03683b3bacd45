import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from contrat_ville.enums import EmailState
from events.enums import EmailKind
from events.models import OutboundEmail, Registration


def test_send_pending_emails_sends_failed_ones(edition, make_registration, mailoutbox, capsys):
    registration = make_registration(edition)
    OutboundEmail.objects.create(
        kind=EmailKind.CONFIRMATION,
        edition=edition,
        registration=registration,
        recipient=registration.email,
        state=EmailState.FAILED,
        attempts=1,
        last_error="SMTP down",
    )
    call_command("send_pending_emails")
    assert capsys.readouterr().out == "1 sent, 0 failed\n"
    assert [m.to for m in mailoutbox] == [[registration.email]]
    assert OutboundEmail.objects.get().state == EmailState.SENT


def test_send_pending_emails_gives_up_after_five_attempts(edition, make_registration, mailoutbox):
    registration = make_registration(edition)
    OutboundEmail.objects.create(
        kind=EmailKind.CONFIRMATION,
        edition=edition,
        registration=registration,
        recipient=registration.email,
        state=EmailState.FAILED,
        attempts=5,
    )
    call_command("send_pending_emails")
    assert mailoutbox == []


def test_send_pending_emails_exits_non_zero_on_failure(edition, make_registration, settings):
    settings.EMAIL_BACKEND = "tests.events.failing_backend.FailingBackend"
    registration = make_registration(edition)
    OutboundEmail.objects.create(
        kind=EmailKind.CONFIRMATION,
        edition=edition,
        registration=registration,
        recipient=registration.email,
    )
    with pytest.raises(SystemExit) as raised:
        call_command("send_pending_emails")
    assert raised.value.code == 1
    assert OutboundEmail.objects.get().attempts == 1


def test_purge_command_anonymises_past_editions(make_edition, make_registration, capsys):
    old = make_edition(date=timezone.localdate() - datetime.timedelta(days=500), status="archived")
    make_registration(old)
    call_command("purge_registrations", "--older-than", "12")
    assert capsys.readouterr().out == f"{old.year}: 1 registrations anonymised\n"
    assert Registration.objects.get().email == ""


def test_purge_command_refuses_zero(db):
    with pytest.raises(CommandError):
        call_command("purge_registrations", "--older-than", "0")
