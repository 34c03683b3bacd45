"""Public pages of the rencontre, the registration form and the manage link."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.enums import EditionStatus, RegistrationStatus
from events.forms import RegistrationForm
from events.forms.registration import organisation_suggestions
from events.models import Registration

FORM = {
    "first_name": "Awa",
    "last_name": "Diop",
    "email": "Awa.Diop@example.org",
    "phone": "",
    "organisation": "Association des habitants",
    "college": "porteur_projet",
    "territory": "",
    "accessibility_needs": "",
    "dietary_needs": "",
    "image_consent": "True",
    "privacy": "on",
}


def post_form(client, edition, **overrides):
    data = {**FORM, **overrides}
    return client.post(reverse("events:register", args=[edition.year]), data)


def manage_url(registration):
    return reverse("events:manage", args=[registration.token])


def test_editions_list_is_public_and_hides_drafts(client, edition, make_edition):
    make_edition(title="Brouillon secret", status=EditionStatus.DRAFT)
    response = client.get(reverse("events:editions"))
    assert response.status_code == 200
    assert edition.title in response.text
    assert "Brouillon secret" not in response.text


def test_draft_edition_is_404_for_public_and_partners(client, partner, make_edition):
    draft = make_edition(status=EditionStatus.DRAFT)
    assert client.get(reverse("events:edition", args=[draft.year])).status_code == 404
    assert client.get(reverse("events:register", args=[draft.year])).status_code == 404
    client.force_login(partner)
    assert client.get(reverse("events:edition", args=[draft.year])).status_code == 404


def test_draft_edition_is_visible_to_organisers(organiser_client, make_edition):
    draft = make_edition(status=EditionStatus.DRAFT)
    assert organiser_client.get(reverse("events:edition", args=[draft.year])).status_code == 200


def test_edition_page_shows_programme_and_free_seats(client, edition):
    edition.programme.create(
        starts_at=datetime.time(9, 15), title="Ouverture", kind="plenary", speakers="Élus"
    )
    response = client.get(reverse("events:edition", args=[edition.year]))
    assert "Ouverture" in response.text
    assert "9 h 15" in response.text
    assert "Il reste 3 places." in response.text


def test_ics_is_public_and_valid(client, edition):
    response = client.get(reverse("events:edition_ics", args=[edition.year]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR")
    assert f"UID:rencontre-{edition.year}@contrat-ville" in body
    assert "DTSTART;TZID=Europe/Paris:" in body


def test_registration_without_account_redirects_to_manage_page(client, edition):
    response = post_form(client, edition)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == manage_url(registration)
    assert registration.email == "awa.diop@example.org"
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.image_consent is True
    assert registration.listed is False
    page = client.get(response["Location"])
    assert "Votre inscription est confirmée." in page.text


def test_registration_links_a_typed_directory_name(client, edition, make_actor):
    actor = make_actor("Maison des jeunes du Biollay")
    post_form(client, edition, organisation="maison des jeunes du biollay")
    registration = Registration.objects.get()
    assert registration.actor == actor
    assert registration.organisation_label == "Maison des jeunes du Biollay"


def test_registration_is_prefilled_for_logged_in_partner(client, partner, edition):
    client.force_login(partner)
    response = client.get(reverse("events:register", args=[edition.year]))
    form = response.context["form"]
    assert form.initial["email"] == partner.email
    assert form.initial["college"] == "cotech"


def test_registration_errors_are_next_to_fields_and_keep_input(client, edition):
    response = post_form(client, edition, email="pas-une-adresse", privacy="", college="")
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"email", "privacy", "college"}
    assert 'value="Awa"' in response.text
    assert 'aria-describedby="id_email_helptext id_email_error"' in response.text
    assert Registration.objects.count() == 0


def test_registration_when_full_tells_the_position(client, edition, make_registration):
    for _ in range(3):
        make_registration(edition)
    make_registration(edition, status=RegistrationStatus.WAITING)
    response = post_form(client, edition)
    page = client.get(response["Location"])
    assert "en position 2" in page.text


def test_duplicate_registration_gives_clear_message_and_resend(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    post_form(client, edition)
    response = post_form(client, edition, email="awa.diop@EXAMPLE.org")
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "Cette adresse e-mail est déjà inscrite à cette édition."
    ]
    assert "Renvoyer le lien de gestion" in response.text
    assert Registration.objects.count() == 1
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        resend = client.post(
            reverse("events:resend_link", args=[edition.year]), {"email": "awa.diop@example.org"}
        )
    assert resend.status_code == 302
    assert [m.to for m in mailoutbox] == [["awa.diop@example.org"]]
    assert Registration.objects.get().token in mailoutbox[0].body


def test_resend_answers_the_same_for_unknown_address(client, edition, mailoutbox):
    response = client.post(
        reverse("events:resend_link", args=[edition.year]),
        {"email": "x@example.org"},
        follow=True,
    )
    assert "Si cette adresse est inscrite" in response.text
    assert mailoutbox == []


def test_closed_registration_form_says_so_and_writes_nothing(client, make_edition):
    closed = make_edition(registration_closes_at=timezone.now() - datetime.timedelta(days=1))
    response = post_form(client, closed)
    assert "Les inscriptions à cette édition sont closes." in response.text
    assert Registration.objects.count() == 0


def test_manage_link_shows_and_corrects(client, edition):
    post_form(client, edition)
    registration = Registration.objects.get()
    response = client.post(
        manage_url(registration), {**FORM, "first_name": "Awa-Marie", "listed": "on"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.first_name, registration.listed) == ("Awa-Marie", True)


def test_manage_link_error_keeps_what_was_typed(client, edition):
    post_form(client, edition)
    registration = Registration.objects.get()
    response = client.post(
        manage_url(registration), {**FORM, "first_name": "Awa-Marie", "email": "bad"}
    )
    assert response.status_code == 400
    assert 'value="Awa-Marie"' in response.text
    registration.refresh_from_db()
    assert registration.first_name == "Awa"


def test_manage_link_cancel_promotes(client, edition, make_registration):
    post_form(client, edition)
    registration = Registration.objects.get()
    make_registration(edition)
    make_registration(edition)
    waiting = make_registration(edition, status=RegistrationStatus.WAITING)
    response = client.post(reverse("events:manage_cancel", args=[registration.token]))
    assert response.status_code == 302
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == ("cancelled", "confirmed")


def test_wrong_token_is_404(client, edition):
    for name in ("events:manage", "events:manage_erase"):
        assert client.get(reverse(name, args=["pas-le-bon-jeton"])).status_code == 404
    assert client.post(reverse("events:manage_cancel", args=["x" * 43])).status_code == 404


def test_erase_removes_personal_data_and_the_link(client, edition):
    post_form(client, edition)
    registration = Registration.objects.get()
    url = manage_url(registration)
    assert client.get(reverse("events:manage_erase", args=[registration.token])).status_code == 200
    response = client.post(reverse("events:manage_erase", args=[registration.token]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.email, registration.last_name) == ("", "")
    assert client.get(url).status_code == 404


def test_participants_list_shows_only_those_who_agreed(client, partner, edition, make_registration):
    make_registration(edition, first_name="Visible", listed=True)
    make_registration(edition, first_name="Discret", listed=False)
    make_registration(edition, first_name="Annulé", listed=True, status="cancelled")
    client.force_login(partner)
    response = client.get(reverse("events:participants", args=[edition.year]))
    assert response.status_code == 200
    assert [p.first_name for p in response.context["people"]] == ["Visible"]
    assert "Discret" not in response.text
    assert "1 autre participant n'a pas souhaité y figurer." in response.text


def test_withdrawing_consent_removes_from_the_list_at_once(client, partner, edition):
    post_form(client, edition, listed="on")
    registration = Registration.objects.get()
    viewer = Client()
    viewer.force_login(partner)
    url = reverse("events:participants", args=[edition.year])
    assert "Diop" in viewer.get(url).text
    client.post(manage_url(registration), {**FORM})  # "listed" unticked
    assert "Diop" not in viewer.get(url).text


@pytest.mark.parametrize("who", ["anonymous", "no_role_user"])
def test_participants_list_is_for_partners_only(client, edition, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("events:participants", args=[edition.year]))
    assert response.status_code == (302 if who == "anonymous" else 403)


def test_participants_list_queries_do_not_grow(
    client, partner, edition, make_registration, django_assert_num_queries, make_actor
):
    actor = make_actor("Centre social du Biollay")
    client.force_login(partner)
    make_registration(edition, listed=True, actor=actor)
    url = reverse("events:participants", args=[edition.year])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(6):
        make_registration(edition, listed=True, actor=actor)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_cached_form_fields_follow_the_directory_and_keep_csrf_per_visitor(
    edition, make_actor, qpv
):
    url = reverse("events:register", args=[edition.year])
    first, second = Client(), Client()
    page = first.get(url).text
    assert "Centre social des Hauts" not in page
    make_actor("Centre social des Hauts")
    qpv.name = "Biollay - Bellevue (renommé)"
    qpv.save()
    page = first.get(url).text
    assert '<option value="Centre social des Hauts">' in page
    assert "Biollay - Bellevue (renommé)" in page
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(page).group(1) != token.search(second.get(url).text).group(1)


def test_cached_form_fields_are_the_uncached_ones(edition):
    url = reverse("events:register", args=[edition.year])
    anonymous = Client().get(url).context
    cached = str(anonymous["fields_html"])
    fresh = render_to_string(
        "events/_registration_fields.html",
        {"form": RegistrationForm(), "suggestions": organisation_suggestions()},
    )
    assert cached == fresh
