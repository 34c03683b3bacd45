"""Organisers' pages of an edition: dashboard, registrations list, add, edit,
cancel and reinstate. Who may reach them, what they show, what they write."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contrat_ville.models import AuditLogEntry, Territory
from events import extensions
from events.enums import (
    AuditAction,
    College,
    EditionStatus,
    RegistrationSource,
    RegistrationStatus,
)
from events.models import OutboundEmail, Registration
from events.services import registration_create
from tests.events.conftest import person


def url(name, edition, *args):
    return reverse(f"events:{name}", args=[edition.year, *args])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Awa",
        "last_name": "Diop",
        "email": "Awa.Diop@example.org",
        "phone": "",
        "organisation": "Association des habitants",
        "college": College.PORTEUR_PROJET,
        "territory": "",
        "accessibility_needs": "",
        "dietary_needs": "",
        "image_consent": "True",
    }
    data.update(overrides)
    return data


# -- permissions -------------------------------------------------------------------

GET_PAGES = ["dashboard", "registrations", "registration_add", "registration_edit"]
POST_ACTIONS = ["registration_cancel", "registration_reinstate"]


def page_url(name, edition, registration):
    if name in ("registration_edit", *POST_ACTIONS):
        return url(name, edition, registration.pk)
    return url(name, edition)


@pytest.mark.parametrize("name", GET_PAGES + POST_ACTIONS)
def test_management_pages_send_anonymous_visitors_to_login(
    client, edition, make_registration, name
):
    registration = make_registration(edition)

    response = client.get(page_url(name, edition, registration))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", GET_PAGES)
@pytest.mark.parametrize("who", ["partner", "no_role_user"])
def test_management_pages_are_forbidden_to_partners(
    client, edition, make_registration, request, who, name
):
    registration = make_registration(edition)
    client.force_login(request.getfixturevalue(who))

    response = client.get(page_url(name, edition, registration))

    assert response.status_code == 403
    assert registration.email not in response.content.decode()


@pytest.mark.parametrize("name", POST_ACTIONS)
def test_cancel_and_reinstate_are_forbidden_to_partners(
    client, partner, edition, make_registration, name
):
    registration = make_registration(
        edition,
        status=RegistrationStatus.CANCELLED
        if name == "registration_reinstate"
        else RegistrationStatus.CONFIRMED,
    )
    client.force_login(partner)

    response = client.post(page_url(name, edition, registration))

    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == (
        RegistrationStatus.CANCELLED
        if name == "registration_reinstate"
        else RegistrationStatus.CONFIRMED
    )
    assert not AuditLogEntry.objects.exists()


@pytest.mark.parametrize("name", GET_PAGES)
def test_management_pages_open_to_organisers(organiser_client, edition, make_registration, name):
    registration = make_registration(edition)

    response = organiser_client.get(page_url(name, edition, registration))

    assert response.status_code == 200


@pytest.mark.parametrize("name", GET_PAGES)
def test_management_pages_open_to_organisers_on_a_draft(
    organiser_client, make_edition, make_registration, name
):
    draft = make_edition(status=EditionStatus.DRAFT)
    registration = make_registration(draft)

    response = organiser_client.get(page_url(name, draft, registration))

    assert response.status_code == 200


@pytest.mark.parametrize("name", POST_ACTIONS)
def test_cancel_and_reinstate_refuse_get(organiser_client, edition, make_registration, name):
    registration = make_registration(edition)

    response = organiser_client.get(page_url(name, edition, registration))

    assert response.status_code == 405


def test_management_unknown_year_is_404(organiser_client):
    assert organiser_client.get(reverse("events:dashboard", args=[1999])).status_code == 404


@pytest.mark.parametrize("name", ["registration_edit", *POST_ACTIONS])
def test_registration_of_another_edition_is_404(
    organiser_client, make_edition, make_registration, name
):
    edition_a = make_edition()
    edition_b = make_edition()
    registration = make_registration(
        edition_a,
        status=RegistrationStatus.CANCELLED
        if name == "registration_reinstate"
        else RegistrationStatus.CONFIRMED,
    )
    before = Registration.objects.get(pk=registration.pk).status

    if name == "registration_edit":
        response = organiser_client.post(
            url(name, edition_b, registration.pk), form_data(first_name="Piraté")
        )
    else:
        response = organiser_client.post(url(name, edition_b, registration.pk))

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == before
    assert registration.first_name != "Piraté"
    assert organiser_client.get(
        url("registration_edit", edition_b, registration.pk)
    ).status_code == (404)


def test_anonymised_registration_is_404(organiser_client, edition, make_registration):
    registration = make_registration(
        edition, first_name="", last_name="", email="", anonymised_at=timezone.now()
    )

    assert organiser_client.get(url("registration_edit", edition, registration.pk)).status_code == (
        404
    )
    assert organiser_client.post(
        url("registration_cancel", edition, registration.pk)
    ).status_code == (404)


# -- dashboard ---------------------------------------------------------------------


@pytest.fixture
def hauts(db) -> Territory:
    return Territory.objects.get(slug="hauts-de-chambery")


def test_dashboard_counts_are_exact(organiser_client, make_edition, make_registration, qpv):
    edition = make_edition(capacity=5)
    other = make_edition()
    make_registration(edition, territory=qpv, checked_in_at=timezone.now())
    make_registration(edition)
    make_registration(edition, college=College.COPIL)
    make_registration(edition, status=RegistrationStatus.WAITING)
    make_registration(edition, status=RegistrationStatus.CANCELLED)
    make_registration(other)  # another edition counts for nothing here

    response = organiser_client.get(url("dashboard", edition))

    assert response.status_code == 200
    assert response.context["counts"] == {
        "confirmed": 3,
        "waiting": 1,
        "cancelled": 1,
        "checked_in": 1,
        "free": 2,
        "total": 5,
    }
    html = response.content.decode()
    assert '<span class="stat-number">3</span> <span class="stat-label">confirmés</span>' in html
    assert '<span class="stat-number">2</span> <span class="stat-label">places libres</span>' in (
        html
    )
    assert '<span class="stat-number">1</span> <span class="stat-label">annulée</span>' in html


def test_dashboard_breakdowns_are_in_tables_and_charts(
    organiser_client, edition, make_registration, qpv, hauts
):
    edition.capacity = 10
    edition.save()
    make_registration(edition, territory=qpv, organisation="Régie de quartier")
    make_registration(edition, territory=qpv, organisation="Régie de quartier")
    make_registration(edition, territory=hauts, college=College.COPIL, organisation="")
    make_registration(edition, status=RegistrationStatus.WAITING, territory=hauts)

    response = organiser_client.get(url("dashboard", edition))

    html = response.content.decode()
    assert html.count('<div class="bar-chart" role="img"') == 3
    assert 'aria-labelledby="graphique-college-title graphique-college-desc"' in html
    assert '<th scope="row">Porteur de projet / association</th><td class="number">2</td>' in html
    assert '<th scope="row">COPIL — élus et préfecture</th><td class="number">1</td>' in html
    assert '<th scope="row">Régie de quartier</th><td class="number">2</td>' in html
    assert '<th scope="row">Sans structure</th><td class="number">1</td>' in html
    assert '<th scope="row">Biollay - Bellevue</th><td class="number">2</td>' in html
    # The waiting registration is not a participant yet.
    assert '<th scope="row">Les Hauts de Chambéry</th><td class="number">1</td>' in html
    charts = {item["key"]: item["chart"] for item in response.context["charts"]}
    assert [(bar["full_label"], bar["count"]) for bar in charts["territory"]["bars"]] == [
        ("Biollay - Bellevue", 2),
        ("Les Hauts de Chambéry", 1),
    ]


def test_dashboard_folds_organisations_beyond_fifteen(
    organiser_client, make_edition, make_registration
):
    edition = make_edition(capacity=100)
    for index in range(18):
        for _ in range(2 if index == 0 else 1):
            make_registration(edition, organisation=f"Structure {index:02d}")

    response = organiser_client.get(url("dashboard", edition))

    charts = {item["key"]: item["chart"] for item in response.context["charts"]}
    bars = charts["organisation"]["bars"]
    assert len(bars) == 16
    assert (bars[0]["full_label"], bars[0]["count"]) == ("Structure 00", 2)
    assert (bars[-1]["full_label"], bars[-1]["count"]) == ("Autres structures (3)", 3)
    assert charts["organisation"]["total"] == 19
    assert '<th scope="row">Autres structures (3)</th><td class="number">3</td>' in (
        response.content.decode()
    )


def test_dashboard_without_participants_says_so(organiser_client, edition):
    response = organiser_client.get(url("dashboard", edition))

    html = response.content.decode()
    assert "<svg" not in html
    assert html.count("Aucune personne confirmée pour l'instant.") == 3


def test_dashboard_links_every_management_action(organiser_client, edition):
    response = organiser_client.get(url("dashboard", edition))

    html = response.content.decode()
    for name in (
        "registrations",
        "registration_add",
        "edition_edit",
        "programme_edit",
        "edition_copy",
        "invite",
        "import",
        "export_csv",
        "export_xlsx",
        "attendance_pdf",
        "badges_pdf",
        "checkin",
        "walk_in",
    ):
        assert f'href="{url(name, edition)}"' in html, name
    assert f'href="{reverse("events:comparison")}"' in html


def test_dashboard_query_count_does_not_grow(organiser_client, make_edition, make_registration):
    territories = list(Territory.objects.order_by("pk")[:3])

    def count(edition):
        with CaptureQueriesContext(connection) as queries:
            assert organiser_client.get(url("dashboard", edition)).status_code == 200
        return len(queries)

    small = make_edition(capacity=20)
    make_registration(small, territory=territories[0], organisation="Seule")
    large = make_edition(capacity=20)
    for index in range(10):
        make_registration(
            large,
            territory=territories[index % 3],
            college=College.values[index % len(College.values)],
            organisation=f"Structure {index}",
            checked_in_at=timezone.now() if index % 2 else None,
        )

    assert count(small) == count(large)


# -- registrations list -------------------------------------------------------------


def test_registrations_list_shows_each_column(
    organiser_client, make_edition, make_registration, qpv
):
    edition = make_edition(capacity=10)
    arrival = timezone.make_aware(datetime.datetime(2031, 10, 15, 9, 12))
    make_registration(
        edition,
        first_name="Awa",
        last_name="Diop",
        email="awa@example.org",
        organisation="Régie de quartier",
        college=College.CONSEIL_CITOYEN,
        territory=qpv,
        checked_in_at=arrival,
    )

    response = organiser_client.get(url("registrations", edition))

    html = response.content.decode()
    assert '<th scope="row">Diop Awa</th>' in html
    assert "awa@example.org" in html
    assert "Régie de quartier" in html
    assert "Conseil citoyen" in html
    assert "Biollay - Bellevue" in html
    assert "Confirmée" in html
    assert "9 h 12" in html
    assert '<caption id="registrations-caption">1 inscription</caption>' in html
    assert '<span class="visually-hidden"> l\'inscription de Awa Diop</span>' in html


def test_registrations_list_excludes_other_editions_and_anonymised(
    organiser_client, make_edition, make_registration
):
    edition = make_edition()
    make_registration(edition, last_name="Visible")
    make_registration(make_edition(), last_name="Ailleurs")
    make_registration(
        edition,
        first_name="",
        last_name="",
        email="",
        status=RegistrationStatus.CANCELLED,
        anonymised_at=timezone.now(),
    )

    response = organiser_client.get(url("registrations", edition))

    assert [r.last_name for r in response.context["page"]] == ["Visible"]


def test_registrations_list_search_matches_name_email_and_organisation(
    organiser_client, make_edition, make_registration
):
    edition = make_edition(capacity=10)
    make_registration(edition, last_name="Martin", email="a@example.org")
    make_registration(edition, last_name="Bernard", email="martin.b@example.org")
    make_registration(edition, last_name="Petit", organisation="Maison Martin")
    make_registration(edition, last_name="Durand")

    response = organiser_client.get(url("registrations", edition), {"q": "  martin "})

    assert [r.last_name for r in response.context["page"]] == ["Bernard", "Martin", "Petit"]
    assert 'value="martin"' in response.content.decode()


def test_registrations_list_filters_by_status_and_college(
    organiser_client, make_edition, make_registration
):
    edition = make_edition(capacity=10)
    make_registration(edition, last_name="Alpha", college=College.COPIL)
    make_registration(edition, last_name="Bravo", college=College.HABITANT)
    make_registration(
        edition, last_name="Charlie", college=College.COPIL, status=RegistrationStatus.CANCELLED
    )

    by_status = organiser_client.get(
        url("registrations", edition), {"status": RegistrationStatus.CANCELLED}
    )
    by_college = organiser_client.get(url("registrations", edition), {"college": College.COPIL})
    both = organiser_client.get(
        url("registrations", edition),
        {"college": College.COPIL, "status": RegistrationStatus.CONFIRMED},
    )
    unknown = organiser_client.get(
        url("registrations", edition), {"college": "nope", "status": "nope"}
    )

    assert [r.last_name for r in by_status.context["page"]] == ["Charlie"]
    assert [r.last_name for r in by_college.context["page"]] == ["Alpha", "Charlie"]
    assert [r.last_name for r in both.context["page"]] == ["Alpha"]
    assert [r.last_name for r in unknown.context["page"]] == ["Alpha", "Bravo", "Charlie"]
    assert '<option value="copil" selected>' in both.content.decode()
    assert '<option value="confirmed" selected>' in both.content.decode()


def test_registrations_list_shows_waiting_positions_even_when_filtered(
    organiser_client, edition, make_registration
):
    start = timezone.now()
    for index, name in enumerate(["Zoé", "Yann", "Xavier"]):
        make_registration(
            edition,
            last_name=name,
            status=RegistrationStatus.WAITING,
            queued_at=start + datetime.timedelta(minutes=index),
        )

    everyone = organiser_client.get(url("registrations", edition))
    xavier = organiser_client.get(url("registrations", edition), {"q": "Xavier"})

    positions = {r.last_name: r.waiting_position for r in everyone.context["page"]}
    assert positions == {"Zoé": 1, "Yann": 2, "Xavier": 3}
    assert [r.waiting_position for r in xavier.context["page"]] == [3]
    assert "position 3" in xavier.content.decode()


def test_registrations_list_paginates_by_fifty_and_keeps_the_filters(
    organiser_client, make_edition
):
    edition = make_edition(capacity=100)
    Registration.objects.bulk_create(
        Registration(
            edition=edition,
            first_name="Prénom",
            last_name=f"Nom{index:02d}",
            email=f"p{index}@example.org",
            college=College.HABITANT,
            status=RegistrationStatus.CONFIRMED,
        )
        for index in range(51)
    )

    first = organiser_client.get(url("registrations", edition), {"college": College.HABITANT})
    second = organiser_client.get(
        url("registrations", edition), {"college": College.HABITANT, "page": 2}
    )

    assert len(first.context["page"]) == 50
    assert [r.last_name for r in second.context["page"]] == ["Nom50"]
    assert 'href="?college=habitant&amp;page=2"' in first.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1"])
def test_registrations_list_bad_page_or_filters_never_fail(
    organiser_client, edition, make_registration, page
):
    make_registration(edition, last_name="Seule")

    response = organiser_client.get(
        url("registrations", edition), {"page": page, "q": "x" * 5000, "status": "<b>"}
    )

    assert response.status_code == 200
    assert response.context["query"] == "x" * 200
    assert response.context["status"] == ""


def test_registrations_list_query_count_does_not_grow(
    organiser_client, make_edition, make_registration
):
    territories = list(Territory.objects.order_by("pk")[:3])
    statuses = [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
        RegistrationStatus.CANCELLED,
    ]

    def count(edition):
        with CaptureQueriesContext(connection) as queries:
            response = organiser_client.get(url("registrations", edition))
        assert response.status_code == 200
        return len(queries)

    small = make_edition(capacity=20)
    make_registration(small, territory=territories[0], organisation="Seule")
    large = make_edition(capacity=20)
    for index in range(10):
        make_registration(
            large,
            territory=territories[index % 3],
            status=statuses[index % 3],
            organisation=f"Structure {index}",
        )

    assert count(small) == count(large)


# -- add ---------------------------------------------------------------------------


def test_registration_add_confirms_when_seats_are_free(organiser_client, organiser, edition):
    response = organiser_client.post(url("registration_add", edition), form_data())

    assert response.status_code == 302
    assert response["Location"] == url("registrations", edition)
    registration = Registration.objects.get()
    assert registration.email == "awa.diop@example.org"
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.source == RegistrationSource.ORGANISER
    assert registration.image_consent is True
    assert registration.user is None
    assert messages_of(response) == ["Inscription de Awa Diop confirmée."]
    entry = AuditLogEntry.objects.get()
    assert entry.action == AuditAction.REGISTRATION_ADDED
    assert entry.actor == organiser


def test_registration_add_goes_to_the_waiting_list_when_full(
    organiser_client, edition, make_registration
):
    for _ in range(edition.capacity):
        make_registration(edition)
    make_registration(edition, status=RegistrationStatus.WAITING)

    response = organiser_client.post(url("registration_add", edition), form_data())

    registration = Registration.objects.get(email="awa.diop@example.org")
    assert registration.status == RegistrationStatus.WAITING
    assert messages_of(response) == [
        "Inscription de Awa Diop en liste d'attente, en position 2 : l'édition est complète."
    ]


def test_registration_add_works_when_public_registration_is_closed(organiser_client, make_edition):
    edition = make_edition(status=EditionStatus.CLOSED)

    response = organiser_client.post(url("registration_add", edition), form_data())

    assert response.status_code == 302
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_registration_add_duplicate_email_is_a_field_error_and_writes_nothing(
    organiser_client, edition, make_registration
):
    existing = make_registration(edition, email="awa.diop@example.org")
    emails_before = OutboundEmail.objects.count()

    response = organiser_client.post(
        url("registration_add", edition), form_data(email="AWA.DIOP@example.org")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["email"]
    html = response.content.decode()
    assert f'<a href="{url("registration_edit", edition, existing.pk)}">' in html
    assert 'id="id_email_error"' in html
    assert Registration.objects.count() == 1
    assert OutboundEmail.objects.count() == emails_before
    assert not AuditLogEntry.objects.exists()


def test_registration_add_same_email_in_another_edition_is_fine(
    organiser_client, make_edition, make_registration
):
    edition = make_edition()
    make_registration(make_edition(), email="awa.diop@example.org")

    response = organiser_client.post(url("registration_add", edition), form_data())

    assert response.status_code == 302
    assert Registration.objects.filter(edition=edition).count() == 1


def test_registration_add_missing_fields_are_errors_and_write_nothing(organiser_client, edition):
    response = organiser_client.post(
        url("registration_add", edition), form_data(last_name="", college="nope")
    )

    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == ["college", "last_name"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Registration.objects.exists()


def test_registration_add_page_has_no_privacy_checkbox(organiser_client, edition):
    response = organiser_client.get(url("registration_add", edition))

    assert "privacy" not in response.context["form"].fields
    assert 'name="privacy"' not in response.content.decode()


# -- edit --------------------------------------------------------------------------


def test_registration_edit_saves_and_logs(organiser_client, organiser, edition, qpv):
    registration = registration_create(edition=edition, data=person())

    response = organiser_client.post(
        url("registration_edit", edition, registration.pk),
        form_data(
            email="awa.diop@example.org",
            last_name="Diop-Sall",
            territory=str(qpv.pk),
            dietary_needs="Végétarien",
        ),
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.last_name == "Diop-Sall"
    assert registration.territory == qpv
    assert registration.dietary_needs == "Végétarien"
    entry = AuditLogEntry.objects.get(action=AuditAction.REGISTRATION_UPDATED)
    assert entry.actor == organiser
    assert entry.target_id == str(registration.pk)
    assert entry.data["changes"]["last_name"] == ["Diop", "Diop-Sall"]
    assert messages_of(response) == ["Inscription de Awa Diop-Sall enregistrée."]


def test_registration_edit_shows_what_the_organiser_needs(
    organiser_client, edition, make_registration, monkeypatch
):
    make_registration(edition, status=RegistrationStatus.WAITING)
    registration = make_registration(
        edition,
        first_name="Awa",
        last_name="Diop",
        status=RegistrationStatus.WAITING,
        source=RegistrationSource.IMPORT,
    )
    monkeypatch.setattr(
        extensions,
        "_providers",
        [lambda registrations: {r.pk: "Groupe 3 · salle B" for r in registrations}],
    )

    response = organiser_client.get(url("registration_edit", edition, registration.pk))

    html = response.content.decode()
    assert response.context["position"] == 2
    assert "Liste d&#x27;attente, position 2" in html
    assert "Import CSV" in html
    assert "Groupe 3 · salle B" in html
    assert response.context["form"]["last_name"].value() == "Diop"


def test_registration_edit_duplicate_email_is_a_form_error(
    organiser_client, edition, make_registration
):
    make_registration(edition, email="pris@example.org")
    registration = make_registration(edition, email="libre@example.org")

    response = organiser_client.post(
        url("registration_edit", edition, registration.pk),
        form_data(email="pris@example.org"),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Cette adresse e-mail est déjà inscrite à cette édition."
    ]
    registration.refresh_from_db()
    assert registration.email == "libre@example.org"
    assert not AuditLogEntry.objects.exists()


def test_registration_edit_without_change_writes_nothing(organiser_client, edition):
    registration = registration_create(edition=edition, data=person())

    response = organiser_client.post(
        url("registration_edit", edition, registration.pk),
        form_data(email="awa.diop@example.org"),
    )

    assert response.status_code == 302
    assert not AuditLogEntry.objects.exists()


# -- cancel and reinstate -------------------------------------------------------------


def test_registration_cancel_promotes_the_first_waiting_person(
    organiser_client, organiser, edition, make_registration
):
    confirmed = [make_registration(edition) for _ in range(edition.capacity)]
    start = timezone.now()
    first = make_registration(
        edition,
        first_name="Léa",
        last_name="Premier",
        status=RegistrationStatus.WAITING,
        queued_at=start,
    )
    second = make_registration(
        edition, status=RegistrationStatus.WAITING, queued_at=start + datetime.timedelta(seconds=1)
    )

    response = organiser_client.post(url("registration_cancel", edition, confirmed[0].pk))

    assert response.status_code == 302
    assert response["Location"] == url("registrations", edition)
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {
        confirmed[0].pk: RegistrationStatus.CANCELLED,
        confirmed[1].pk: RegistrationStatus.CONFIRMED,
        confirmed[2].pk: RegistrationStatus.CONFIRMED,
        first.pk: RegistrationStatus.CONFIRMED,
        second.pk: RegistrationStatus.WAITING,
    }
    assert messages_of(response) == [
        f"Inscription de {confirmed[0].full_name} annulée. La place libérée revient à "
        "Léa Premier ; un e-mail de confirmation lui est envoyé."
    ]
    entry = AuditLogEntry.objects.get(action=AuditAction.REGISTRATION_CANCELLED)
    assert entry.actor == organiser


def test_registration_cancel_twice_changes_nothing(organiser_client, edition, make_registration):
    registration = make_registration(edition, status=RegistrationStatus.CANCELLED)

    response = organiser_client.post(url("registration_cancel", edition, registration.pk))

    assert response.status_code == 302
    assert not AuditLogEntry.objects.exists()
    assert messages_of(response) == [
        f"L'inscription de {registration.full_name} était déjà annulée."
    ]


def test_registration_cancel_goes_back_to_the_filtered_list(
    organiser_client, edition, make_registration
):
    registration = make_registration(edition)
    back = url("registrations", edition) + "?status=confirmed&page=1"

    response = organiser_client.post(
        url("registration_cancel", edition, registration.pk), {"next": back}
    )

    assert response["Location"] == back


@pytest.mark.parametrize(
    "target", ["https://ailleurs.example/", "//ailleurs.example/", "/rencontres/"]
)
def test_registration_cancel_ignores_a_next_outside_the_management_pages(
    organiser_client, edition, make_registration, target
):
    registration = make_registration(edition)

    response = organiser_client.post(
        url("registration_cancel", edition, registration.pk), {"next": target}
    )

    assert response["Location"] == url("registrations", edition)


def test_registration_reinstate_confirms_when_a_seat_is_free(
    organiser_client, organiser, edition, make_registration
):
    registration = make_registration(
        edition, status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
    )

    response = organiser_client.post(url("registration_reinstate", edition, registration.pk))

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.cancelled_at is None
    assert messages_of(response) == [
        f"Inscription de {registration.full_name} rétablie et confirmée."
    ]
    assert AuditLogEntry.objects.get().actor == organiser


def test_registration_reinstate_when_full_joins_the_waiting_list(
    organiser_client, edition, make_registration
):
    for _ in range(edition.capacity):
        make_registration(edition)
    make_registration(edition, status=RegistrationStatus.WAITING)
    registration = make_registration(edition, status=RegistrationStatus.CANCELLED)

    response = organiser_client.post(url("registration_reinstate", edition, registration.pk))

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WAITING
    assert messages_of(response) == [
        f"Inscription de {registration.full_name} rétablie en liste d'attente, en position 2 : "
        "l'édition est complète."
    ]


def test_registration_reinstate_of_an_active_registration_changes_nothing(
    organiser_client, edition, make_registration
):
    registration = make_registration(edition)

    response = organiser_client.post(url("registration_reinstate", edition, registration.pk))

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert not AuditLogEntry.objects.exists()


def test_registrations_list_offers_reinstate_only_for_cancelled(
    organiser_client, edition, make_registration
):
    active = make_registration(edition)
    cancelled = make_registration(edition, status=RegistrationStatus.CANCELLED)

    html = organiser_client.get(url("registrations", edition)).content.decode()

    assert f'action="{url("registration_cancel", edition, active.pk)}"' in html
    assert f'action="{url("registration_reinstate", edition, active.pk)}"' not in html
    assert f'action="{url("registration_reinstate", edition, cancelled.pk)}"' in html
    assert f'action="{url("registration_cancel", edition, cancelled.pk)}"' not in html
