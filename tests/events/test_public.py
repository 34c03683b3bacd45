"""Public pages of the rencontre, the registration form and the manage link."""

import datetime
import html
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
from tests.pages import page_for

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


def test_registration_without_account_says_to_read_the_email(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, edition)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("events:registration_sent", args=[edition.year]) + "?email="
    )
    assert registration.email == "awa.diop@example.org"
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.image_consent is True
    assert registration.listed is False
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Un e-mail part à <strong>awa.diop@example.org</strong>." in page.text
    assert registration.token not in page.text
    # The status and the manage link travel by e-mail.
    (message,) = mailoutbox
    assert "Votre place à la rencontre des partenaires est confirmée." in message.body
    assert manage_url(registration) in message.body


def test_registration_by_the_logged_in_owner_of_the_address_opens_the_manage_page(
    client, partner, edition
):
    client.force_login(partner)
    response = post_form(client, edition, email=partner.email.upper(), college="cotech")
    registration = Registration.objects.get()
    assert response["Location"] == manage_url(registration)
    assert "Votre inscription est confirmée." in client.get(response["Location"]).text
    # Signing up again: told on the page, since the address is theirs.
    response = post_form(client, edition, email=partner.email, college="cotech")
    assert response["Location"] == manage_url(registration)
    assert "Votre inscription existe déjà : la voici." in client.get(response["Location"]).text
    assert Registration.objects.count() == 1


def test_registration_sent_page_shows_only_a_signed_address(client, edition):
    url = reverse("events:registration_sent", args=[edition.year])
    response = client.get(url, {"email": "<b>Gagnez un iPhone</b> sur evil.example"})
    assert response.status_code == 200
    assert "Gagnez un iPhone" not in response.text
    assert "Un e-mail part à l'adresse que vous avez donnée." in html.unescape(response.text)


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


def test_registration_when_full_tells_the_position(
    client, edition, make_registration, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        make_registration(edition)
    make_registration(edition, status=RegistrationStatus.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, edition)
    page = client.get(response["Location"])
    assert "La rencontre est complète" in page.text
    assert "vous êtes sur la liste d'attente, en position 2." in mailoutbox[-1].body


def sign_up_and_mails(client, edition, captured, mailoutbox, **overrides):
    """Post the form; the response, and the e-mails that left after commit."""
    mailoutbox.clear()
    with captured(execute=True):
        response = post_form(client, edition, **overrides)
    return response, list(mailoutbox)


def test_duplicate_registration_answers_as_a_new_one_and_tells_the_owner_by_email(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    """The form never says "already registered": a stranger typing a known address gets
    the same page and the same one e-mail's work as for a new address."""
    first, first_mails = sign_up_and_mails(
        client, edition, django_capture_on_commit_callbacks, mailoutbox
    )
    again, again_mails = sign_up_and_mails(
        client,
        edition,
        django_capture_on_commit_callbacks,
        mailoutbox,
        email="awa.diop@EXAMPLE.org",
    )
    new, new_mails = sign_up_and_mails(
        client, edition, django_capture_on_commit_callbacks, mailoutbox, email="ines@example.org"
    )
    assert first.status_code == again.status_code == new.status_code == 302
    sent = reverse("events:registration_sent", args=[edition.year])
    assert again["Location"].startswith(sent)
    assert new["Location"].startswith(sent)
    page_again = client.get(again["Location"]).text
    page_new = client.get(new["Location"]).text
    assert page_for(page_again, "awa.diop@example.org") == page_for(page_new, "ines@example.org")
    assert "déjà inscrit" not in page_again
    assert Registration.objects.count() == 2
    assert (len(first_mails), len(again_mails), len(new_mails)) == (1, 1, 1)
    (reminder,) = again_mails
    assert reminder.to == ["awa.diop@example.org"]
    assert "Vous étiez déjà inscrit(e) : rien n'a changé." in reminder.body
    assert Registration.objects.get(email="awa.diop@example.org").token in reminder.body


def resend(client, edition, email, captured):
    with captured(execute=True):
        return client.post(reverse("events:resend_link", args=[edition.year]), {"email": email})


def test_resend_link_sends_the_link_to_a_registered_address(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    post_form(client, edition)
    mailoutbox.clear()
    response = resend(client, edition, "awa.diop@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["awa.diop@example.org"]]
    assert Registration.objects.get().token in mailoutbox[0].body


def test_resend_link_answers_and_works_the_same_for_an_unknown_address(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    post_form(client, edition)
    mailoutbox.clear()
    known = resend(client, edition, "awa.diop@example.org", django_capture_on_commit_callbacks)
    known_page = client.get(known["Location"]).text
    unknown = resend(client, edition, "x@example.org", django_capture_on_commit_callbacks)
    unknown_page = client.get(unknown["Location"]).text
    assert known["Location"] == unknown["Location"]
    assert page_for(known_page, "awa.diop@example.org") == page_for(unknown_page, "x@example.org")
    assert "Un e-mail part à x@example.org" in unknown_page
    assert [m.to for m in mailoutbox] == [["awa.diop@example.org"], ["x@example.org"]]
    assert "Nous n'avons aucune inscription à cette adresse." in " ".join(
        mailoutbox[1].body.split()
    )
    assert reverse("events:register", args=[edition.year]) in mailoutbox[1].body


def test_resend_link_at_most_once_every_five_minutes_per_address(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    post_form(client, edition)
    mailoutbox.clear()
    for _ in range(3):
        response = resend(
            client, edition, "awa.diop@example.org", django_capture_on_commit_callbacks
        )
    assert len(mailoutbox) == 1
    assert "Trop de demandes" in client.get(response["Location"]).text


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
    response = client.post(
        reverse("events:manage_cancel", args=[registration.token]), {"confirm": "yes"}
    )
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


# -- anti-automation: rate limits and the robots' trap ----------------------------------


def test_registration_is_rate_limited_per_client_and_keeps_what_was_typed(client, edition):
    edition.capacity = 50
    edition.save()
    answers = [
        post_form(client, edition, email=f"personne{n}@example.org").status_code for n in range(6)
    ]
    assert answers == [302, 302, 302, 302, 302, 429]
    assert Registration.objects.count() == 5
    response = post_form(client, edition, email="patiente@example.org", first_name="Patiente")
    assert response.status_code == 429
    assert "Trop de demandes depuis cette connexion" in response.text
    assert 'value="Patiente"' in response.text
    # Another client is not held back by this one.
    other = Client(REMOTE_ADDR="203.0.113.5")
    assert post_form(other, edition, email="autre@example.org").status_code == 302


def test_registration_is_rate_limited_per_address_across_clients(edition):
    answers = [
        post_form(Client(REMOTE_ADDR=f"203.0.113.{n}"), edition).status_code for n in range(1, 5)
    ]
    assert answers == [302, 302, 302, 429]


def test_registration_typos_do_not_count_for_the_address(client, edition, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "registration:client": ""}
    for _ in range(4):
        assert post_form(client, edition, privacy="").status_code == 400
    assert post_form(client, edition).status_code == 302


def test_registration_rate_limit_keys_on_the_client_behind_the_proxy(edition, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    edition.capacity = 50
    edition.save()
    proxy = Client(REMOTE_ADDR="10.0.0.2")

    def through_proxy(client_address, n):
        return proxy.post(
            reverse("events:register", args=[edition.year]),
            {**FORM, "email": f"p{n}@example.org"},
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, {client_address}",
        ).status_code

    # Ten people behind the same proxy: none held back by the others.
    assert [through_proxy(f"198.51.100.{n}", n) for n in range(10)] == [302] * 10
    # One client spoofing the left part of the header is still one client.
    assert [through_proxy("198.51.100.99", n) for n in range(10, 16)][-1] == 429


def test_registration_trap_field_is_hidden_from_people(client, edition):
    page = client.get(reverse("events:register", args=[edition.year])).text
    trap = re.search(r'<div class="field trap" aria-hidden="true">(.*?)</div>', page, re.S)
    assert trap is not None
    assert 'name="website"' in trap.group(1)
    assert 'tabindex="-1"' in trap.group(1)


def test_registration_filled_trap_answers_as_usual_and_keeps_nothing(
    client, edition, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, edition, website="https://spam.example")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("events:registration_sent", args=[edition.year]))
    assert Registration.objects.count() == 0
    assert mailoutbox == []


def test_registration_trap_is_not_on_the_manage_page(client, edition):
    post_form(client, edition)
    registration = Registration.objects.get()
    assert 'name="website"' not in client.get(manage_url(registration)).text


# -- the workshops of an edition, linked from its page ----------------------------------


def _workshop(edition, *, phase="published", results=False, gallery=False):
    # The workshops sit above the rencontre: their page links come through permissions.
    from workgroups.models import WorkshopSettings

    WorkshopSettings.objects.create(
        edition=edition, phase=phase, results_public=results, gallery_public=gallery
    )


def _edition_page(client, edition) -> str:
    response = client.get(reverse("events:edition", args=[edition.year]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_edition_page_links_the_public_results_and_gallery(client, edition):
    _workshop(edition, results=True, gallery=True)

    text = _edition_page(client, edition)

    assert f'href="{reverse("workgroups:results", args=[edition.year])}"' in text
    assert f'href="{reverse("workgroups:gallery", args=[edition.year])}"' in text


@pytest.mark.parametrize(
    ("phase", "public"), [("published", False), ("deliberation", True), ("scoring", True)]
)
def test_edition_page_hides_workshops_not_published_for_everyone(client, edition, phase, public):
    _workshop(edition, phase=phase, results=public, gallery=public)

    text = _edition_page(client, edition)

    assert "Les ateliers de cette rencontre" not in text
    assert reverse("workgroups:results", args=[edition.year]) not in text
    assert reverse("workgroups:gallery", args=[edition.year]) not in text


def test_edition_page_links_partners_to_results_published_for_partners(client, partner, edition):
    _workshop(edition)
    client.force_login(partner)

    text = _edition_page(client, edition)

    assert f'href="{reverse("workgroups:results", args=[edition.year])}"' in text


def test_edition_page_without_workshops_says_nothing_of_them(client, edition):
    assert "Les ateliers de cette rencontre" not in _edition_page(client, edition)
