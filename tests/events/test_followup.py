"""After an event: certificates (PDF, e-mail once) and the anonymous survey."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contrat_ville.models import AuditLogEntry
from events.certificates import certificate_lines
from events.enums import AuditAction, EmailKind, RegistrationStatus
from events.models import OutboundEmail, SurveyResponse
from events.services.followup import certificates_send
from tests.factories import SessionFactory

SCORES = {"overall": 5, "content": 4, "facilitation": 4, "usefulness": 3, "logistics": 5}


@pytest.fixture
def past_session(db):
    return SessionFactory(
        date=timezone.localdate() - datetime.timedelta(days=3), status="closed", capacity=10
    )


@pytest.fixture
def came(past_session, make_registration):
    return make_registration(
        past_session, checked_in_at=timezone.now() - datetime.timedelta(days=3)
    )


def _certificate(client, registration):
    return client.get(reverse("events:manage_certificate", args=[registration.token]))


def test_certificate_is_a_pdf_naming_the_person(client, came):
    response = _certificate(client, came)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    lines = certificate_lines(came)
    assert came.full_name in lines[0]
    assert came.edition.training.trainer in lines[0]
    assert lines[1] == "Durée totale : 3,5 h."


def test_certificate_is_404_for_who_did_not_come_and_for_an_unknown_token(
    client, past_session, make_registration
):
    absent = make_registration(past_session)

    assert _certificate(client, absent).status_code == 404
    assert client.get(reverse("events:manage_certificate", args=["inconnu"])).status_code == 404


def test_certificates_go_once_to_those_who_came_only(
    organiser, past_session, came, make_registration, django_capture_on_commit_callbacks
):
    make_registration(past_session)  # confirmed, never came
    make_registration(past_session, status=RegistrationStatus.WAITING)
    make_registration(past_session, status=RegistrationStatus.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_send(edition=past_session, by=organiser) == 1
    assert certificates_send(edition=past_session, by=organiser) == 0

    emails = OutboundEmail.objects.filter(kind=EmailKind.CERTIFICATE)
    assert [email.recipient for email in emails] == [came.email]
    assert [len(message.attachments) for message in mail.outbox] == [1]
    name, content, kind = mail.outbox[0].attachments[0]
    assert content.startswith(b"%PDF")
    assert (name, kind) == (f"attestation-formation-{past_session.pk}.pdf", "application/pdf")
    assert reverse("events:manage_survey", args=[came.token]) in mail.outbox[0].body
    assert AuditLogEntry.objects.filter(action=AuditAction.CERTIFICATES_SENT).count() == 1


def test_sending_certificates_is_for_organisers(client, partner, past_session, came):
    url = past_session.url("certificates_send")
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(partner)
    assert client.post(url).status_code == 403
    assert OutboundEmail.objects.filter(kind=EmailKind.CERTIFICATE).count() == 0


def test_survey_answer_is_stored_once_and_without_the_person(client, came):
    url = reverse("events:manage_survey", args=[came.token])

    response = client.post(url, {**SCORES, "comment": "Très utile"})
    again = client.post(url, {**SCORES, "comment": "Encore"})

    assert response.status_code == 200
    assert again.status_code == 200
    assert SurveyResponse.objects.count() == 1
    came.refresh_from_db()
    assert came.survey_answered
    fields = {field.name for field in SurveyResponse._meta.get_fields()}
    assert fields.isdisjoint({"registration", "user", "email", "token"})


@pytest.mark.parametrize("value", ["0", "6", "-1", "cinq", ""])
def test_survey_refuses_a_score_outside_1_to_5_and_writes_nothing(client, came, value):
    response = client.post(
        reverse("events:manage_survey", args=[came.token]), {**SCORES, "overall": value}
    )

    assert response.status_code == 400
    assert "Choisissez une note de 1 à 5." in response.content.decode()
    assert SurveyResponse.objects.count() == 0
    came.refresh_from_db()
    assert not came.survey_answered


def test_survey_is_closed_before_the_event_ends_and_to_who_did_not_come(
    client, make_registration, past_session
):
    coming = SessionFactory()
    early = make_registration(coming, checked_in_at=timezone.now())
    absent = make_registration(past_session)

    for registration in (early, absent):
        url = reverse("events:manage_survey", args=[registration.token])
        assert client.get(url).status_code == 404


def _answers(session, count):
    SurveyResponse.objects.bulk_create(
        SurveyResponse(edition=session, comment=f"avis {n}", **SCORES) for n in range(count)
    )


def test_results_hidden_below_three_answers(organiser_client, past_session):
    _answers(past_session, 2)

    response = organiser_client.get(past_session.url("survey_results"))

    assert response.status_code == 200
    assert "Trop peu de réponses" in response.content.decode()
    assert "avis 0" not in response.content.decode()
    assert organiser_client.get(past_session.url("survey_csv")).status_code == 404


def test_results_show_means_and_comments(organiser_client, past_session):
    _answers(past_session, 3)

    page = organiser_client.get(past_session.url("survey_results")).content.decode()

    assert "Moyenne : 5,0 sur 5" in page
    assert "avis 2" in page


@pytest.mark.parametrize("count", [3, 8])
def test_results_queries_do_not_grow_with_answers(
    organiser_client, past_session, count, django_assert_max_num_queries
):
    _answers(past_session, count)
    with django_assert_max_num_queries(12):
        assert organiser_client.get(past_session.url("survey_results")).status_code == 200


def test_results_are_for_organisers(client, partner, past_session):
    _answers(past_session, 3)
    url = past_session.url("survey_results")
    assert client.get(url).status_code == 302
    client.force_login(partner)
    assert client.get(url).status_code == 403
    assert client.get(past_session.url("survey_csv")).status_code == 403


def test_csv_export_is_journaled_and_neutralises_formulas(organiser_client, past_session):
    SurveyResponse.objects.create(edition=past_session, comment="=HYPERLINK(1)", **SCORES)
    _answers(past_session, 2)

    response = organiser_client.get(past_session.url("survey_csv"))

    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert "'=HYPERLINK(1)" in body
    assert AuditLogEntry.objects.filter(action=AuditAction.SURVEY_EXPORTED).count() == 1


def test_manage_page_links_certificate_and_survey_after_the_event(client, came):
    page = client.get(reverse("events:manage", args=[came.token])).content.decode()

    assert reverse("events:manage_certificate", args=[came.token]) in page
    assert reverse("events:manage_survey", args=[came.token]) in page
