"""Registrations' e-mails with a real SMTP client against a server that is down or hangs
(tests/smtp.py): the registration is kept, and a hung server holds one request only."""

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from contrat_ville.enums import EmailState
from contrat_ville.models import AccountEmail
from events.models import OutboundEmail, Registration
from tests.factories import UserFactory
from tests.smtp import smtp_back

from .test_public import FORM


def post(client, captured, url, data):
    with captured(execute=True):
        return client.post(url, data)


def test_registration_with_smtp_down_keeps_the_registration(
    client, edition, smtp_down, django_capture_on_commit_callbacks
):
    url = reverse("events:register", args=[edition.year])
    response = post(client, django_capture_on_commit_callbacks, url, FORM)
    assert response.status_code == 302
    assert Registration.objects.count() == 1
    assert OutboundEmail.objects.get().state == EmailState.FAILED


def test_slow_smtp_holds_one_request_not_every_request(
    client, edition, db, smtp_slow, settings, django_capture_on_commit_callbacks
):
    """The first e-mail waits for the short timeout; while SMTP is paused, the following
    requests do not even connect: their e-mails wait for the retry command."""
    UserFactory(email="compte@example.test")
    register = reverse("events:register", args=[edition.year])
    post(client, django_capture_on_commit_callbacks, register, FORM)
    assert smtp_slow.connections == 1
    for data in ({"email": "compte@example.test"}, {"email": "compte@example.test"}):
        response = post(
            client, django_capture_on_commit_callbacks, reverse("account_reset_password"), data
        )
        assert response.status_code == 302
    post(client, django_capture_on_commit_callbacks, register, {**FORM, "email": "b@example.org"})
    assert smtp_slow.connections == 1
    assert AccountEmail.objects.filter(state=EmailState.PENDING).count() == 2
    assert OutboundEmail.objects.filter(state=EmailState.PENDING).count() == 1

    smtp_back(settings)
    call_command("send_pending_emails")
    assert len(mail.outbox) == 4
    assert not AccountEmail.objects.exclude(state=EmailState.SENT).exists()
    assert not OutboundEmail.objects.exclude(state=EmailState.SENT).exists()
