"""Organisers' pages of an edition: settings, programme, copy, new edition, invitations."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from contrat_ville.enums import Role
from contrat_ville.models import AuditLogEntry
from events.enums import (
    AuditAction,
    EditionStatus,
    EmailKind,
    ProgrammeKind,
    RegistrationStatus,
)
from events.models import Edition, OutboundEmail, ProgrammeItem, Registration
from tests.factories import UserFactory

SETTINGS_PAGES = ["edition_edit", "programme_edit", "edition_copy", "invite", "import"]


def settings_urls(edition) -> list[str]:
    return [reverse("events:edition_create")] + [
        reverse(f"events:{name}", args=[edition.year]) for name in SETTINGS_PAGES
    ]


def field_errors(response, field: str, form: str = "form") -> list[str]:
    return [str(e) for e in response.context[form].errors.get(field, [])]


def messages_of(response) -> list[str]:
    """The messages the request left for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def settings_data(edition, **changes) -> dict:
    data = {
        "year": edition.year,
        "title": edition.title,
        "date": edition.date.isoformat(),
        "starts_at": f"{edition.starts_at:%H:%M}",
        "ends_at": f"{edition.ends_at:%H:%M}",
        "venue_name": edition.venue_name,
        "venue_address": edition.venue_address,
        "description": edition.description,
        "aims": edition.aims,
        "capacity": edition.capacity,
        "registration_opens_at": "",
        "registration_closes_at": "",
        "status": edition.status,
        "group_count": edition.group_count,
    }
    data.update(changes)
    return data


def snapshot():
    return (
        list(Edition.objects.order_by("pk").values()),
        list(ProgrammeItem.objects.order_by("pk").values()),
        list(Registration.objects.order_by("pk").values_list("pk", "status")),
        OutboundEmail.objects.count(),
        AuditLogEntry.objects.count(),
    )


# --- permissions --------------------------------------------------------------


def test_settings_pages_send_anonymous_visitors_to_login(client, edition):
    for url in settings_urls(edition):
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302
            assert response.url.startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("fixture", ["partner", "no_role_user"])
def test_settings_pages_forbidden_to_non_organisers(client, edition, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    before = snapshot()

    for url in settings_urls(edition):
        assert client.get(url).status_code == 403
        assert client.post(url, settings_data(edition, capacity=1000)).status_code == 403
    # A partner cannot invite a college either.
    client.post(reverse("events:invite", args=[edition.year]), {"college": Role.COTECH})

    assert snapshot() == before


def test_settings_pages_open_to_organisers(organiser_client, edition):
    for url in settings_urls(edition):
        assert organiser_client.get(url).status_code == 200


def test_settings_pages_reach_a_draft_edition(organiser_client, make_edition):
    draft = make_edition(status=EditionStatus.DRAFT)

    for url in settings_urls(draft):
        assert organiser_client.get(url).status_code == 200


def test_settings_pages_unknown_year_is_404(organiser_client, db):
    for name in SETTINGS_PAGES:
        assert organiser_client.get(reverse(f"events:{name}", args=[1999])).status_code == 404


# --- new edition --------------------------------------------------------------


def new_edition_data(**changes) -> dict:
    data = {
        "year": "2040",
        "title": "Rencontre des partenaires 2040",
        "date": "2040-10-16",
        "starts_at": "09:00",
        "ends_at": "17:30",
        "venue_name": "Le Scarabée",
        "venue_address": "Chambéry",
        "description": "La journée des partenaires.",
        "aims": "Se connaître\nConstruire ensemble",
        "capacity": "150",
        "registration_opens_at": "2040-09-01T08:00",
        "registration_closes_at": "2040-10-10T18:00",
        "status": EditionStatus.DRAFT,
        "group_count": "17",
    }
    data.update(changes)
    return data


def test_edition_create_saves_every_setting_with_audit(organiser_client, organiser):
    response = organiser_client.post(reverse("events:edition_create"), new_edition_data())

    assert response.status_code == 302
    assert response.url == reverse("events:programme_edit", args=[2040])
    edition = Edition.objects.get(year=2040)
    paris = timezone.get_current_timezone()
    assert (
        edition.title,
        edition.date,
        edition.starts_at,
        edition.ends_at,
        edition.venue_name,
        edition.aims_list(),
        edition.capacity,
        edition.registration_opens_at,
        edition.registration_closes_at,
        edition.status,
        edition.group_count,
    ) == (
        "Rencontre des partenaires 2040",
        datetime.date(2040, 10, 16),
        datetime.time(9, 0),
        datetime.time(17, 30),
        "Le Scarabée",
        ["Se connaître", "Construire ensemble"],
        150,
        datetime.datetime(2040, 9, 1, 8, 0, tzinfo=paris),
        datetime.datetime(2040, 10, 10, 18, 0, tzinfo=paris),
        EditionStatus.DRAFT,
        17,
    )
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (
        organiser,
        AuditAction.EDITION_CREATED,
        str(edition.pk),
    )


def test_edition_create_page_offers_to_copy_the_latest_edition(organiser_client, make_edition):
    make_edition(year=2031)
    latest = make_edition(year=2032)

    response = organiser_client.get(reverse("events:edition_create"))

    assert response.context["form"].initial["year"] == 2033
    assert reverse("events:edition_copy", args=[latest.year]) in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"year": "2031"}, "year", "Une édition existe déjà pour cette année."),
        ({"ends_at": "09:00"}, "ends_at", "L'heure de fin doit être après l'heure de début."),
        (
            {"registration_closes_at": "2040-08-01T08:00"},
            "registration_closes_at",
            "La clôture des inscriptions doit être après leur ouverture.",
        ),
        ({"capacity": "-3"}, "capacity", None),
        ({"title": ""}, "title", "Ce champ est obligatoire."),
        (
            {"group_count": "0"},
            "group_count",
            "Assurez-vous que cette valeur est supérieure ou égale à 1.",
        ),
        ({"date": "16/10/2040x"}, "date", "Saisissez une date valide."),
    ],
)
def test_edition_create_bad_input_is_a_field_error(
    organiser_client, make_edition, changes, field, message
):
    make_edition(year=2031)
    before = snapshot()

    response = organiser_client.post(reverse("events:edition_create"), new_edition_data(**changes))

    assert response.status_code == 200
    errors = field_errors(response, field)
    assert len(errors) == 1
    if message is not None:
        assert errors == [message]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'aria-describedby="id_{field}_error"' in html
    )
    assert snapshot() == before


# --- settings -----------------------------------------------------------------


def test_edition_edit_saves_every_setting(organiser_client, organiser, edition):
    url = reverse("events:edition_edit", args=[edition.year])

    response = organiser_client.post(
        url,
        settings_data(
            edition,
            title="Rencontre 2031 · nouvelle formule",
            starts_at="08:30",
            venue_name="Espace Malraux",
            capacity=10,
            registration_opens_at="2031-09-01T08:00",
            registration_closes_at="2031-10-01T12:00",
            status=EditionStatus.CLOSED,
            group_count=12,
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse("events:dashboard", args=[edition.year])
    edition.refresh_from_db()
    paris = timezone.get_current_timezone()
    assert (
        edition.title,
        edition.starts_at,
        edition.venue_name,
        edition.capacity,
        edition.registration_opens_at,
        edition.registration_closes_at,
        edition.status,
        edition.group_count,
    ) == (
        "Rencontre 2031 · nouvelle formule",
        datetime.time(8, 30),
        "Espace Malraux",
        10,
        datetime.datetime(2031, 9, 1, 8, 0, tzinfo=paris),
        datetime.datetime(2031, 10, 1, 12, 0, tzinfo=paris),
        EditionStatus.CLOSED,
        12,
    )
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action) == (organiser, AuditAction.EDITION_UPDATED)
    assert entry.data["changes"]["capacity"] == ["3", "10"]


def test_edition_edit_shows_the_stored_values(organiser_client, make_edition):
    edition = make_edition(
        registration_opens_at=timezone.make_aware(datetime.datetime(2031, 9, 1, 8, 0)),
    )

    response = organiser_client.get(reverse("events:edition_edit", args=[edition.year]))

    html = response.content.decode()
    assert 'type="datetime-local" name="registration_opens_at" value="2031-09-01T08:00"' in html
    assert 'type="time" name="starts_at" value="09:00"' in html
    assert f'type="date" name="date" value="{edition.date.isoformat()}"' in html


def test_edition_edit_raised_capacity_promotes_the_first_waiting(
    organiser_client, edition, make_registration, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        make_registration(edition)
    now = timezone.now()
    first = make_registration(
        edition,
        status=RegistrationStatus.WAITING,
        first_name="Awa",
        last_name="Diop",
        queued_at=now - datetime.timedelta(minutes=3),
    )
    second = make_registration(
        edition,
        status=RegistrationStatus.WAITING,
        first_name="Jean",
        last_name="Martin",
        queued_at=now - datetime.timedelta(minutes=2),
    )
    third = make_registration(
        edition, status=RegistrationStatus.WAITING, queued_at=now - datetime.timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            reverse("events:edition_edit", args=[edition.year]),
            settings_data(edition, capacity=5),
        )

    statuses = dict(
        Registration.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {
        first.pk: RegistrationStatus.CONFIRMED,
        second.pk: RegistrationStatus.CONFIRMED,
        third.pk: RegistrationStatus.WAITING,
    }
    assert messages_of(response) == [
        "Paramètres de l'édition enregistrés. 2 personnes passent de la liste d'attente à une "
        "place confirmée et en sont prévenues par e-mail : Awa Diop, Jean Martin."
    ]
    assert sorted(
        OutboundEmail.objects.filter(kind=EmailKind.PROMOTION).values_list("recipient", flat=True)
    ) == sorted([first.email, second.email])
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.email, second.email])


def test_edition_edit_capacity_below_confirmed_is_refused_next_to_the_field(
    organiser_client, edition, make_registration
):
    for _ in range(3):
        make_registration(edition)
    before = snapshot()

    response = organiser_client.post(
        reverse("events:edition_edit", args=[edition.year]),
        settings_data(edition, capacity=2, title="Changé aussi"),
    )

    assert response.status_code == 200
    assert field_errors(response, "capacity") == [
        "3 personnes ont déjà une place confirmée : la capacité ne peut pas descendre en "
        "dessous. Annulez des inscriptions d'abord."
    ]
    assert 'id="id_capacity_error"' in response.content.decode()
    assert snapshot() == before
    # The page still names the stored edition, not the refused title.
    assert response.context["edition"].title == edition.title


def test_edition_edit_year_taken_is_a_field_error(organiser_client, make_edition):
    make_edition(year=2031)
    edition = make_edition(year=2032)
    before = snapshot()

    response = organiser_client.post(
        reverse("events:edition_edit", args=[edition.year]), settings_data(edition, year=2031)
    )

    assert field_errors(response, "year") == ["Une édition existe déjà pour cette année."]
    assert snapshot() == before


def test_edition_edit_without_change_saves_nothing(organiser_client, edition):
    response = organiser_client.post(
        reverse("events:edition_edit", args=[edition.year]), settings_data(edition)
    )

    assert messages_of(response) == ["Aucun changement."]
    assert AuditLogEntry.objects.count() == 0


# --- programme ----------------------------------------------------------------


def programme_data(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "programme-TOTAL_FORMS": str(len(rows)),
        "programme-INITIAL_FORMS": str(initial),
        "programme-MIN_NUM_FORMS": "0",
        "programme-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key in ("starts_at", "ends_at", "title", "kind", "speakers", "description"):
            data[f"programme-{index}-{key}"] = row.get(key, "")
        if row.get("DELETE"):
            data[f"programme-{index}-DELETE"] = "on"
    return data


def programme_of(edition) -> list[tuple]:
    return list(edition.programme.values_list("starts_at", "ends_at", "title", "kind", "speakers"))


def test_programme_edit_saves_filled_rows_and_ignores_empty_ones(
    organiser_client, organiser, edition
):
    rows = [
        {"starts_at": "09:00", "title": "Accueil café", "kind": ProgrammeKind.BREAK},
        {},
        {
            "starts_at": "09:30",
            "ends_at": "10:30",
            "title": "Plénière d'ouverture",
            "kind": ProgrammeKind.PLENARY,
            "speakers": "Le président de Grand Chambéry",
        },
        {},
    ]

    response = organiser_client.post(
        reverse("events:programme_edit", args=[edition.year]), programme_data(rows)
    )

    assert programme_of(edition) == [
        (datetime.time(9, 0), None, "Accueil café", ProgrammeKind.BREAK, ""),
        (
            datetime.time(9, 30),
            datetime.time(10, 30),
            "Plénière d'ouverture",
            ProgrammeKind.PLENARY,
            "Le président de Grand Chambéry",
        ),
    ]
    assert messages_of(response) == ["Programme enregistré : 2 temps."]
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.data) == (
        organiser,
        AuditAction.EDITION_UPDATED,
        {"programme": ["09:00 Accueil café", "09:30 Plénière d'ouverture"]},
    )


def test_programme_edit_deletes_and_blanks_rows(organiser_client, edition):
    for hour, title in ((9, "Accueil"), (10, "Ateliers"), (12, "Déjeuner")):
        ProgrammeItem.objects.create(
            edition=edition, starts_at=datetime.time(hour), title=title, kind=ProgrammeKind.BREAK
        )
    page = organiser_client.get(reverse("events:programme_edit", args=[edition.year]))
    assert page.context["formset"].initial_form_count() == 3
    assert len(page.context["formset"].forms) == 6

    rows = [
        {"starts_at": "09:00", "title": "Accueil", "kind": ProgrammeKind.BREAK, "DELETE": True},
        {"starts_at": "10:00", "title": "Ateliers en groupes", "kind": ProgrammeKind.WORKSHOPS},
        {},  # the lunch, blanked
        {},
    ]
    response = organiser_client.post(
        reverse("events:programme_edit", args=[edition.year]), programme_data(rows, initial=3)
    )

    assert response.status_code == 302
    assert programme_of(edition) == [
        (datetime.time(10, 0), None, "Ateliers en groupes", ProgrammeKind.WORKSHOPS, "")
    ]


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"starts_at": "09:00", "kind": ProgrammeKind.BREAK}, "title", "Ce champ est obligatoire."),
        (
            {"title": "Accueil", "kind": ProgrammeKind.BREAK},
            "starts_at",
            "Ce champ est obligatoire.",
        ),
        ({"starts_at": "09:00", "title": "Accueil"}, "kind", "Ce champ est obligatoire."),
        (
            {"starts_at": "09:00", "ends_at": "08:00", "title": "Accueil", "kind": "break"},
            "ends_at",
            "La fin doit être après l'heure de début.",
        ),
        (
            {"starts_at": "9 heures", "title": "Accueil", "kind": ProgrammeKind.BREAK},
            "starts_at",
            "Saisissez une heure valide.",
        ),
        (
            {"starts_at": "09:00", "title": "Accueil", "kind": "banquet"},
            "kind",
            "Sélectionnez un choix valide. banquet n\u2019en fait pas partie.",
        ),
    ],
)
def test_programme_edit_bad_row_saves_nothing(organiser_client, edition, row, field, message):
    ProgrammeItem.objects.create(
        edition=edition, starts_at=datetime.time(9), title="Accueil", kind=ProgrammeKind.BREAK
    )
    before = snapshot()
    rows = [{"starts_at": "12:00", "title": "Déjeuner", "kind": ProgrammeKind.BREAK}, row]

    response = organiser_client.post(
        reverse("events:programme_edit", args=[edition.year]), programme_data(rows)
    )

    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert [str(e) for e in forms[1].errors[field]] == [message]
    assert f'id="id_programme-1-{field}_error"' in response.content.decode()
    assert snapshot() == before


# --- copy ---------------------------------------------------------------------


def test_edition_copy_copies_settings_and_programme_not_registrations(
    organiser_client, organiser, make_edition, make_registration
):
    source = make_edition(
        year=2031,
        date=datetime.date(2031, 10, 15),
        title="Rencontre des partenaires 2031",
        description="La journée.",
        aims="Se connaître",
        capacity=140,
        group_count=17,
        status=EditionStatus.ARCHIVED,
        registration_opens_at=timezone.now() - datetime.timedelta(days=3),
    )
    ProgrammeItem.objects.create(
        edition=source,
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
        title="Plénière",
        kind=ProgrammeKind.PLENARY,
        speakers="Mme la Préfète",
    )
    make_registration(source)
    url = reverse("events:edition_copy", args=[source.year])

    page = organiser_client.get(url)
    assert page.context["form"].initial == {
        "year": 2032,
        "date": datetime.date(2032, 10, 15),
    }
    response = organiser_client.post(url, {"year": "2032", "date": "2032-10-14"})

    assert response.status_code == 302
    assert response.url == reverse("events:edition_edit", args=[2032])
    copy = Edition.objects.get(year=2032)
    assert (
        copy.title,
        copy.date,
        copy.starts_at,
        copy.ends_at,
        copy.venue_name,
        copy.description,
        copy.aims,
        copy.capacity,
        copy.group_count,
        copy.status,
        copy.registration_opens_at,
    ) == (
        "Rencontre des partenaires 2032",
        datetime.date(2032, 10, 14),
        source.starts_at,
        source.ends_at,
        source.venue_name,
        "La journée.",
        "Se connaître",
        140,
        17,
        EditionStatus.DRAFT,
        None,
    )
    assert programme_of(copy) == [
        (datetime.time(9), datetime.time(10), "Plénière", ProgrammeKind.PLENARY, "Mme la Préfète")
    ]
    assert copy.registrations.count() == 0
    assert source.registrations.count() == 1


def test_edition_copy_year_taken_is_a_field_error(organiser_client, make_edition):
    source = make_edition(year=2031)
    make_edition(year=2032)
    before = snapshot()

    response = organiser_client.post(
        reverse("events:edition_copy", args=[source.year]), {"year": "2032", "date": "2032-10-14"}
    )

    assert response.status_code == 200
    assert field_errors(response, "year") == ["Une édition existe déjà pour cette année."]
    assert 'id="id_year_error"' in response.content.decode()
    assert snapshot() == before


def test_edition_copy_missing_date_is_a_field_error(organiser_client, edition):
    before = snapshot()

    response = organiser_client.post(
        reverse("events:edition_copy", args=[edition.year]), {"year": "2040", "date": ""}
    )

    assert field_errors(response, "date") == ["Ce champ est obligatoire."]
    assert snapshot() == before


# --- invitations --------------------------------------------------------------


@pytest.fixture
def copil(db):
    """Three active COPIL members (one already registered), an inactive one, a COTECH one."""
    members = [UserFactory(roles=[Role.COPIL], email=f"elu{n}@example.org") for n in range(1, 4)]
    UserFactory(roles=[Role.COPIL], email="parti@example.org", is_active=False)
    UserFactory(roles=[Role.COTECH], email="technicien@example.org")
    return members


def test_invite_queues_one_email_per_member_not_yet_registered(
    organiser_client,
    organiser,
    edition,
    copil,
    make_registration,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    make_registration(edition, email="elu2@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            reverse("events:invite", args=[edition.year]), {"college": Role.COPIL}
        )

    assert messages_of(response) == ["2 invitations envoyées (COPIL — élus et préfecture)."]
    assert sorted(
        OutboundEmail.objects.filter(kind=EmailKind.INVITATION).values_list("recipient", flat=True)
    ) == ["elu1@example.org", "elu3@example.org"]
    assert sorted(m.to[0] for m in mailoutbox) == ["elu1@example.org", "elu3@example.org"]
    message = mailoutbox[0]
    assert message.subject.startswith("[Contrat de Ville] Invitation : Rencontre des partenaires")
    assert reverse("events:register", args=[edition.year]) in message.body
    assert "&#x27;" not in message.body
    entry = AuditLogEntry.objects.get(action=AuditAction.COLLEGE_INVITED)
    assert (entry.actor, entry.data) == (organiser, {"collège": Role.COPIL, "invitations": 2})


def test_invite_page_counts_members_per_college(
    organiser_client, edition, copil, make_registration
):
    make_registration(edition, email="elu2@example.org")

    response = organiser_client.get(reverse("events:invite", args=[edition.year]))

    rows = {row["value"]: row for row in response.context["colleges"]}
    assert len(rows) == 8
    assert (rows["copil"]["members"], rows["copil"]["registered"], rows["copil"]["to_invite"]) == (
        3,
        1,
        2,
    )
    # The partner fixture is not created here: only the technician is in COTECH.
    assert rows["cotech"]["members"] == 1
    assert rows["conseil_citoyen"]["members"] == 0
    assert "déjà inscrites" in response.content.decode()


def test_invite_college_without_members_sends_nothing(organiser_client, edition, copil):
    response = organiser_client.post(
        reverse("events:invite", args=[edition.year]),
        {"college": Role.CONSEIL_CITOYEN},
    )

    assert messages_of(response) == [
        "Aucune invitation envoyée (Conseil citoyen) : ce collège n'a pas de membre, "
        "ou tous sont déjà inscrits."
    ]
    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize("college", ["", "organiser", "habitant", "nimporte"])
def test_invite_unknown_college_is_a_field_error(organiser_client, edition, copil, college):
    response = organiser_client.post(
        reverse("events:invite", args=[edition.year]), {"college": college}
    )

    assert response.status_code == 200
    assert len(field_errors(response, "college")) == 1
    assert OutboundEmail.objects.count() == 0


def test_invite_refused_while_registration_is_closed(organiser_client, make_edition, copil):
    draft = make_edition(status=EditionStatus.DRAFT)
    before = snapshot()

    response = organiser_client.post(
        reverse("events:invite", args=[draft.year]), {"college": Role.COPIL}
    )

    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].non_field_errors()] == [
        "Les inscriptions à cette édition ne sont pas ouvertes : le lien de l'invitation ne "
        "mènerait nulle part. Ouvrez-les dans les paramètres d'abord."
    ]
    assert snapshot() == before
