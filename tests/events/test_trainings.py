"""The training catalogue (/formations/): who sees what, the organisers' forms to describe a
training and add its sessions, what they refuse, and what they write to the journal."""

import datetime
import html

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contrat_ville.models import AuditLogEntry
from events.enums import AuditAction, EditionStatus, EventKind, TrainingStatus
from events.models import Edition, EventDay, Training
from tests.factories import SessionFactory, TrainingFactory

CATALOGUE = reverse("trainings:catalogue")
CREATE = reverse("trainings:training_create")


def training_form(**overrides) -> dict:
    data = {
        "title": "Animer une réunion publique",
        "slug": "animer-une-reunion",
        "theme": "Participation des habitants",
        "summary": "Préparer, animer et restituer une réunion de quartier.",
        "public": "Animateurs, conseillers citoyens",
        "level": "discovery",
        "trainer": "Centre de ressources",
        "prerequisites": "",
        "description": "",
        "status": "published",
    }
    data.update(overrides)
    return data


def session_form(*, days=(), **overrides) -> dict:
    date = timezone.localdate() + datetime.timedelta(days=40)
    data = {
        "title": "Session de printemps",
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


def text(response) -> str:
    return html.unescape(response.content.decode())


def as_who(client, who, request):
    if who == "organiser":
        request.getfixturevalue("organiser_client")
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


# -- the catalogue and a training's page: public, drafts for organisers only ------------


@pytest.mark.parametrize("who", ["anonymous", "partner", "organiser"])
def test_catalogue_is_public_and_hides_drafts_and_archived(client, who, request, db):
    TrainingFactory(title="Publiée")
    TrainingFactory(title="Brouillon secret", status=TrainingStatus.DRAFT)
    TrainingFactory(title="Ancienne", status=TrainingStatus.ARCHIVED)
    response = as_who(client, who, request).get(CATALOGUE)
    assert response.status_code == 200
    assert "Publiée" in response.text
    assert "Ancienne" not in response.text
    assert ("Brouillon secret" in response.text) == (who == "organiser")
    assert (CREATE in response.text) == (who == "organiser")


def test_catalogue_lists_coming_sessions_first(client, db):
    TrainingFactory(title="A sans session")
    SessionFactory(training=TrainingFactory(title="B avec session"))
    SessionFactory(
        training=TrainingFactory(title="C passée"),
        date=timezone.localdate() - datetime.timedelta(days=3),
    )
    response = client.get(CATALOGUE)
    titles = [training.title for training in response.context["trainings"]]
    assert titles == ["B avec session", "A sans session", "C passée"]
    assert "Prochaine session le" in response.text


def test_catalogue_hides_draft_sessions_from_the_public(client, organiser_client, db):
    training = TrainingFactory()
    SessionFactory(training=training, status=EditionStatus.DRAFT)
    (shown,) = Client().get(CATALOGUE).context["trainings"]
    assert shown.coming == []
    (shown,) = organiser_client.get(CATALOGUE).context["trainings"]
    assert len(shown.coming) == 1


def test_catalogue_filters_by_theme_and_level(client, db):
    TrainingFactory(title="Emploi", theme="Emploi", level="discovery")
    TrainingFactory(title="Emploi avancé", theme="Emploi", level="advanced")
    TrainingFactory(title="Habitat", theme="Habitat", level="discovery")

    def titles(**query):
        return [t.title for t in client.get(CATALOGUE, query).context["trainings"]]

    assert titles(theme="Emploi") == ["Emploi", "Emploi avancé"]
    assert titles(niveau="discovery") == ["Emploi", "Habitat"]
    assert titles(theme="Emploi", niveau="advanced") == ["Emploi avancé"]
    # An unknown value shows everything, never an error.
    assert len(titles(theme="<script>", niveau="expert")) == 3


def test_catalogue_themes_come_from_visible_trainings_only(client, db):
    TrainingFactory(theme="Emploi")
    TrainingFactory(theme="Thème secret", status=TrainingStatus.DRAFT)
    response = client.get(CATALOGUE)
    assert response.context["themes"] == ["Emploi"]
    # A filter on a draft's theme is ignored: it does not reveal it.
    assert client.get(CATALOGUE, {"theme": "Thème secret"}).context["theme"] == ""


@pytest.mark.parametrize("who", ["anonymous", "partner", "organiser"])
def test_training_page_is_public(client, who, request, db):
    training = TrainingFactory(title="Animer une réunion publique")
    SessionFactory(training=training)
    response = as_who(client, who, request).get(training.get_absolute_url())
    assert response.status_code == 200
    assert "Animer une réunion publique" in response.text
    assert len(response.context["training"].visible_sessions) == 1
    edit = reverse("trainings:training_edit", args=[training.slug])
    assert (edit in response.text) == (who == "organiser")


@pytest.mark.parametrize("who", ["anonymous", "partner", "no_role_user"])
def test_draft_training_is_404_for_non_organisers(client, who, request, db):
    training = TrainingFactory(status=TrainingStatus.DRAFT, title="Brouillon secret")
    response = as_who(client, who, request).get(training.get_absolute_url())
    assert response.status_code == 404
    assert "Brouillon secret" not in response.text


def test_draft_training_is_visible_to_organisers(organiser_client, db):
    training = TrainingFactory(status=TrainingStatus.DRAFT)
    assert organiser_client.get(training.get_absolute_url()).status_code == 200


def test_training_page_hides_draft_sessions_from_the_public(client, organiser_client, db):
    training = TrainingFactory()
    SessionFactory(training=training, status=EditionStatus.DRAFT, venue_name="Salle secrète")
    response = Client().get(training.get_absolute_url())
    assert response.context["training"].visible_sessions == []
    assert "Salle secrète" not in response.text
    response = organiser_client.get(training.get_absolute_url())
    assert len(response.context["training"].visible_sessions) == 1


def test_unknown_training_is_404(client, db):
    assert client.get(reverse("trainings:training", args=["inconnue"])).status_code == 404


# -- organisers' pages ----------------------------------------------------------------


def organiser_urls(training) -> list[str]:
    return [
        CREATE,
        reverse("trainings:training_edit", args=[training.slug]),
        reverse("trainings:session_create", args=[training.slug]),
    ]


def test_organiser_pages_send_anonymous_visitors_to_login(client, db):
    for url in organiser_urls(TrainingFactory()):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["partner", "no_role_user"])
def test_organiser_pages_are_forbidden_to_others(client, who, request, db):
    training = TrainingFactory()
    client.force_login(request.getfixturevalue(who))
    for url in organiser_urls(training):
        assert client.get(url).status_code == 403, url
    assert client.post(CREATE, training_form()).status_code == 403
    response = client.post(
        reverse("trainings:training_edit", args=[training.slug]), training_form(title="Piraté")
    )
    assert response.status_code == 403
    response = client.post(
        reverse("trainings:session_create", args=[training.slug]), session_form()
    )
    assert response.status_code == 403
    training.refresh_from_db()
    assert training.title != "Piraté"
    assert Training.objects.count() == 1
    assert not Edition.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_organiser_pages_open_to_organisers(organiser_client, db):
    for url in organiser_urls(TrainingFactory()):
        assert organiser_client.get(url).status_code == 200, url


def test_edit_and_session_pages_of_an_unknown_training_are_404(organiser_client, db):
    for name in ("training_edit", "session_create"):
        assert organiser_client.get(
            reverse(f"trainings:{name}", args=["inconnue"])
        ).status_code == (404)


def test_organiser_creates_a_training_and_the_journal_says_so(organiser_client, organiser):
    response = organiser_client.post(CREATE, training_form())
    training = Training.objects.get()
    assert response.status_code == 302
    assert response["Location"] == training.get_absolute_url() == "/formations/animer-une-reunion/"
    assert training.title == "Animer une réunion publique"
    entry = AuditLogEntry.objects.get()
    assert entry.action == AuditAction.TRAINING_CREATED
    assert entry.actor == organiser
    assert entry.target_id == str(training.pk)


def test_organiser_edits_a_training_and_the_journal_keeps_the_change(
    organiser_client, organiser, db
):
    training = TrainingFactory(title="Ancien titre", slug="ancien")
    url = reverse("trainings:training_edit", args=[training.slug])
    response = organiser_client.post(url, training_form(title="Nouveau titre", slug="ancien"))
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.title == "Nouveau titre"
    entry = AuditLogEntry.objects.get()
    assert entry.action == AuditAction.TRAINING_UPDATED
    assert entry.actor == organiser
    assert entry.data["changes"]["title"] == ["Ancien titre", "Nouveau titre"]


def test_saving_a_training_unchanged_writes_no_entry(organiser_client, db):
    training = TrainingFactory(**{k: v for k, v in training_form().items() if k != "level"})
    url = reverse("trainings:training_edit", args=[training.slug])
    response = organiser_client.post(url, training_form(level=training.level))
    assert response.status_code == 302
    assert not AuditLogEntry.objects.exists()


def test_organiser_adds_a_session_over_two_days(organiser_client, organiser, db):
    training = TrainingFactory()
    url = reverse("trainings:session_create", args=[training.slug])
    first = timezone.localdate() + datetime.timedelta(days=40)
    later = first + datetime.timedelta(days=7)
    response = organiser_client.post(
        url, session_form(days=[(later.isoformat(), "14:00", "17:00")])
    )
    session = Edition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.url("dashboard")
    assert session.kind == EventKind.TRAINING
    assert session.training == training
    assert session.year == first.year
    assert [(d.date, d.starts_at) for d in session.days.all()] == [(later, datetime.time(14, 0))]
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert actions == {AuditAction.EDITION_CREATED, AuditAction.SESSION_CREATED}
    entry = AuditLogEntry.objects.get(action=AuditAction.SESSION_CREATED)
    assert entry.actor == organiser
    assert entry.target_id == str(training.pk)
    assert entry.data == {"session": session.pk}
    # Its page is on the training's.
    page = organiser_client.get(training.get_absolute_url())
    assert session.url("edition") in page.text


def test_a_session_can_be_added_in_a_year_that_has_a_rencontre(organiser_client, make_edition, db):
    date = timezone.localdate() + datetime.timedelta(days=40)
    make_edition(year=date.year)
    training = TrainingFactory()
    response = organiser_client.post(
        reverse("trainings:session_create", args=[training.slug]), session_form()
    )
    assert response.status_code == 302
    assert Edition.objects.filter(kind=EventKind.TRAINING, year=date.year).count() == 1


# -- bad input: a message next to the field, a 400, nothing written --------------------


def field_errors(response, name) -> list[str]:
    return response.context["form"].errors.get(name, [])


def test_a_taken_slug_is_refused_next_to_the_field(organiser_client, db):
    TrainingFactory(slug="animer-une-reunion", title="La première")
    response = organiser_client.post(CREATE, training_form())
    assert response.status_code == 400
    message = "Une autre formation a déjà cette adresse : choisissez-en une autre."
    assert field_errors(response, "slug") == [message]
    assert message in text(response)
    assert Training.objects.count() == 1
    assert not AuditLogEntry.objects.exists()


def test_editing_to_a_taken_slug_is_refused(organiser_client, db):
    TrainingFactory(slug="prise")
    training = TrainingFactory(slug="la-mienne")
    title = training.title
    url = reverse("trainings:training_edit", args=[training.slug])
    response = organiser_client.post(url, training_form(slug="prise", title="Autre titre"))
    assert response.status_code == 400
    assert field_errors(response, "slug")
    training.refresh_from_db()
    assert (training.slug, training.title) == ("la-mienne", title)
    assert not AuditLogEntry.objects.exists()


def test_the_reserved_slug_is_refused(organiser_client, db):
    response = organiser_client.post(CREATE, training_form(slug="nouvelle"))
    assert response.status_code == 400
    message = "Cette adresse est réservée : choisissez-en une autre."
    assert field_errors(response, "slug") == [message]
    assert message in text(response)
    assert not Training.objects.exists()
    # The path still creates a training.
    assert organiser_client.get("/formations/nouvelle/").context["training"] is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("slug", "Pas un slug !"), ("level", "expert"), ("title", "x" * 201)],
)
def test_other_bad_training_input_is_refused(organiser_client, db, field, value):
    response = organiser_client.post(CREATE, training_form(**{field: value}))
    assert response.status_code == 400
    assert field_errors(response, field)
    assert not Training.objects.exists()


def test_session_ending_before_it_starts_is_refused(organiser_client, db):
    training = TrainingFactory()
    response = organiser_client.post(
        reverse("trainings:session_create", args=[training.slug]),
        session_form(starts_at="14:00", ends_at="09:00"),
    )
    assert response.status_code == 400
    assert field_errors(response, "ends_at") == ["L'heure de fin doit être après l'heure de début."]
    assert not Edition.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_session_with_a_further_date_equal_to_the_first_is_refused(organiser_client, db):
    training = TrainingFactory()
    first = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    response = organiser_client.post(
        reverse("trainings:session_create", args=[training.slug]),
        session_form(days=[(first, "14:00", "17:00")]),
    )
    assert response.status_code == 400
    (day,) = [form for form in response.context["days"].forms if form.errors]
    message = "Cette date figure déjà parmi les dates de l'événement."
    assert day.errors["date"] == [message]
    assert message in text(response)
    assert not Edition.objects.exists()
    assert not EventDay.objects.exists()


def test_session_with_twice_the_same_further_date_is_refused(organiser_client, db):
    training = TrainingFactory()
    later = (timezone.localdate() + datetime.timedelta(days=50)).isoformat()
    response = organiser_client.post(
        reverse("trainings:session_create", args=[training.slug]),
        session_form(days=[(later, "09:00", "12:00"), (later, "14:00", "17:00")]),
    )
    assert response.status_code == 400
    assert not Edition.objects.exists()


def test_further_date_ending_before_it_starts_is_refused(organiser_client, db):
    training = TrainingFactory()
    later = (timezone.localdate() + datetime.timedelta(days=50)).isoformat()
    response = organiser_client.post(
        reverse("trainings:session_create", args=[training.slug]),
        session_form(days=[(later, "17:00", "14:00")]),
    )
    assert response.status_code == 400
    assert not Edition.objects.exists()


def test_session_with_a_zero_organisation_limit_is_refused(organiser_client, db):
    training = TrainingFactory()
    response = organiser_client.post(
        reverse("trainings:session_create", args=[training.slug]),
        session_form(per_organisation_limit="0"),
    )
    assert response.status_code == 400
    assert field_errors(response, "per_organisation_limit") == [
        "Assurez-vous que cette valeur est supérieure ou égale à 1."
    ]
    assert not Edition.objects.exists()


# -- query counts ---------------------------------------------------------------------


def queries(client, url) -> int:
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def add_training(number: int):
    training = TrainingFactory(theme=f"Thème {number % 2}")
    for offset in (10, 20):
        session = SessionFactory(
            training=training, date=timezone.localdate() + datetime.timedelta(days=offset)
        )
        EventDay.objects.create(
            edition=session,
            date=session.date + datetime.timedelta(days=1),
            starts_at=datetime.time(9, 0),
            ends_at=datetime.time(12, 0),
        )


@pytest.mark.parametrize("who", ["anonymous", "organiser"])
def test_catalogue_queries_do_not_grow_with_trainings(client, who, request, db):
    as_who(client, who, request)
    add_training(0)
    one = queries(client, CATALOGUE)
    for number in range(1, 5):
        add_training(number)
    assert len(client.get(CATALOGUE).context["trainings"]) == 5
    assert queries(client, CATALOGUE) == one


def test_training_page_queries_do_not_grow_with_sessions(client, db):
    training = TrainingFactory()
    SessionFactory(training=training)
    one = queries(client, training.get_absolute_url())
    for offset in range(5):
        session = SessionFactory(
            training=training, date=timezone.localdate() + datetime.timedelta(days=40 + offset)
        )
        EventDay.objects.create(
            edition=session,
            date=session.date + datetime.timedelta(days=1),
            starts_at=datetime.time(9, 0),
            ends_at=datetime.time(12, 0),
        )
    assert queries(client, training.get_absolute_url()) == one
