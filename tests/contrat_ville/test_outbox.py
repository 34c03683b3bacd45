"""The outbox with a real SMTP client against servers of our own that are down or slow
(tests/smtp.py): account e-mails never answer 500, never leave half a record, never make
every request wait, and leave when SMTP is back."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contrat_ville.enums import EmailState
from contrat_ville.models import AccountEmail, User
from contrat_ville.outbox import account_emails_send, paused
from tests.factories import TEST_PASSWORD, UserFactory
from tests.smtp import smtp_back

SIGNUP = {
    "email": "inscrite@example.test",
    "first_name": "Inès",
    "last_name": "Durand",
    "password1": TEST_PASSWORD,
    "password2": TEST_PASSWORD,
}


def post(client, captured, url, data):
    with captured(execute=True):
        return client.post(url, data)


def test_signup_with_smtp_down_keeps_a_whole_account_and_sends_later(
    client, db, smtp_down, settings, django_capture_on_commit_callbacks
):
    response = post(client, django_capture_on_commit_callbacks, reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="inscrite@example.test")
    assert EmailAddress.objects.get(user=user).verified is False
    (row,) = AccountEmail.objects.all()
    assert (row.recipient, row.state, row.attempts) == ("inscrite@example.test", "failed", 1)
    assert "refused" in row.last_error.lower() or "111" in row.last_error
    assert paused()

    smtp_back(settings)
    call_command("send_pending_emails")
    row.refresh_from_db()
    assert row.state == EmailState.SENT
    assert (row.body, row.html_body) == ("", "")  # the link does not stay in the database
    assert [m.to for m in mail.outbox] == [["inscrite@example.test"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("account_reset_password", {"email": "compte@example.test"}),
        ("account_request_login_code", {"email": "compte@example.test"}),
        ("account_login", {"login": "pas-verifie@example.test", "password": TEST_PASSWORD}),
    ],
)
def test_account_emails_with_smtp_down_never_answer_500(
    client, db, smtp_down, url_name, data, django_capture_on_commit_callbacks
):
    UserFactory(email="compte@example.test")
    UserFactory(email="pas-verifie@example.test", verified=False)
    response = post(client, django_capture_on_commit_callbacks, reverse(url_name), data)
    assert response.status_code == 302
    assert AccountEmail.objects.get().state == EmailState.FAILED


def test_expired_account_emails_are_not_sent_and_forget_their_text(db):
    row = AccountEmail.objects.create(
        template="account/email/login_code",
        recipient="x@example.test",
        subject="Code",
        body="Votre code : ABC123",
        expires_at=timezone.now() - timezone.timedelta(seconds=1),
    )
    assert account_emails_send() == (0, 0)
    row.refresh_from_db()
    assert (row.state, row.body) == (EmailState.PENDING, "")
    assert mail.outbox == []
