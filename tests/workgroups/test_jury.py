"""The mock jury: criteria, jurors, phases, score sheets, the pages of the jury
and of the results, and the CSV of the scores. Jurors never see each other's
scores before deliberation, never score their own group; the public sees
nothing before publication."""

import csv
import html
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrat_ville.enums import Role
from contrat_ville.models import AuditLogEntry
from contrat_ville.services import ServiceError
from tests.factories import UserFactory
from workgroups.enums import AuditAction, JuryPhase
from workgroups.models import Criterion, Juror, ProjectSheet, Score, ScoreSheet, WorkshopSettings
from workgroups.services.jury import (
    DEFAULT_CRITERIA,
    ScoreError,
    criteria_ensure_defaults,
    criteria_set,
    jurors_set,
    jury_phase_set,
    jury_settings_set,
    score_sheet_save,
)

SECRET = "Avis-confidentiel-de-Bérénice"


def url(name, edition, *args) -> str:
    return reverse(f"workgroups:{name}", args=[edition.year, *args])


def login_url(path: str) -> str:
    return f"{reverse('account_login')}?next={path}"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def set_phase(edition, phase) -> None:
    WorkshopSettings.objects.update_or_create(edition=edition, defaults={"phase": phase})
    edition.__dict__.pop("_workshop_settings", None)


def all_marks(criteria, value: int) -> dict[int, int]:
    return {criterion.pk: value for criterion in criteria}


def post_data(criteria, value, comment: str = "") -> dict:
    data = {f"criterion_{criterion.pk}": str(value) for criterion in criteria}
    data["comment"] = comment
    return data


def checked_values(response) -> list[str]:
    """The values of the checked radio buttons of a score page."""
    return re.findall(r'<input type="radio"[^>]*value="(\d+)"[^>]*checked', response.text)


@pytest.fixture
def other_juror(db):
    return UserFactory(
        roles=[Role.JUROR], email="berenice@example.test", first_name="Bérénice", last_name="Z"
    )


@pytest.fixture
def jury(edition, make_groups, juror_user, other_juror):
    """Three groups, the five default criteria, two jurors; phase: preparation."""
    groups = make_groups(edition, 3)
    criteria = criteria_ensure_defaults(edition=edition)
    return SimpleNamespace(
        edition=edition,
        groups=groups,
        criteria=list(Criterion.objects.filter(edition=edition)),
        created=criteria,
        juror=Juror.objects.create(edition=edition, user=juror_user),
        other=Juror.objects.create(edition=edition, user=other_juror),
    )


@pytest.fixture
def scoring(jury):
    set_phase(jury.edition, JuryPhase.SCORING)
    return jury


def login(client, user):
    client.force_login(user)
    return client


def other_client() -> Client:
    """A client of its own: ``client`` and ``organiser_client`` are the same object."""
    return Client()


# -- criteria --------------------------------------------------------------------------


def test_criteria_ensure_defaults_creates_the_five_criteria_once(edition):
    created = criteria_ensure_defaults(edition=edition)
    assert [c.name for c in created] == [
        "Réponse aux besoins des jeunes",
        "Faisabilité",
        "Travailler ensemble",
        "Aller à la rencontre des jeunes",
        "Innovation",
    ]
    stored = list(Criterion.objects.filter(edition=edition))
    assert [(c.weight, c.scale_min, c.scale_max, c.order) for c in stored] == [
        (Decimal("1.00"), 0, 5, order) for order in range(1, 6)
    ]
    assert all(c.description for c in stored)
    assert len(DEFAULT_CRITERIA) == 5
    assert criteria_ensure_defaults(edition=edition) == []
    assert Criterion.objects.filter(edition=edition).count() == 5


def test_criteria_ensure_defaults_leaves_existing_criteria_alone(edition):
    Criterion.objects.create(edition=edition, name="Clarté")
    assert criteria_ensure_defaults(edition=edition) == []
    assert list(Criterion.objects.filter(edition=edition).values_list("name", flat=True)) == [
        "Clarté"
    ]


def test_criteria_set_adds_edits_and_deletes(jury, organiser):
    first, second, *_rest = jury.criteria
    criteria_set(
        by=organiser,
        edition=jury.edition,
        rows=[
            {**_row(first), "weight": Decimal("2.5"), "scale_max": 10},
            {**_row(second), "delete": True},
            {"id": None, "name": "Clarté du pitch", "weight": 1, "scale_min": 1, "scale_max": 4},
        ],
    )
    first.refresh_from_db()
    assert (first.weight, first.scale_max) == (Decimal("2.50"), 10)
    assert not Criterion.objects.filter(pk=second.pk).exists()
    assert Criterion.objects.get(edition=jury.edition, name="Clarté du pitch").scale_min == 1
    entry = AuditLogEntry.objects.filter(action=AuditAction.JURY_SET).latest("id")
    assert entry.data["critères supprimés"] == ["Faisabilité"]
    assert entry.data["critères ajoutés"] == ["Clarté du pitch"]


def _row(criterion) -> dict:
    return {
        "id": criterion.pk,
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight,
        "scale_min": criterion.scale_min,
        "scale_max": criterion.scale_max,
        "order": criterion.order,
    }


def test_criteria_set_refuses_deleting_a_criterion_with_scores(scoring, juror_user, organiser):
    score_sheet_save(
        juror_user=juror_user, workgroup=scoring.groups[0], values=all_marks(scoring.criteria, 3)
    )
    with pytest.raises(ServiceError, match="Réponse aux besoins des jeunes"):
        criteria_set(
            by=organiser,
            edition=scoring.edition,
            rows=[{**_row(scoring.criteria[0]), "delete": True}],
        )
    assert Criterion.objects.filter(edition=scoring.edition).count() == 5


def test_criteria_set_refuses_a_scale_leaving_given_marks_outside(scoring, juror_user, organiser):
    score_sheet_save(
        juror_user=juror_user, workgroup=scoring.groups[0], values=all_marks(scoring.criteria, 4)
    )
    with pytest.raises(ServiceError, match="de 4 à 4"):
        criteria_set(
            by=organiser,
            edition=scoring.edition,
            rows=[{**_row(scoring.criteria[0]), "scale_max": 3}],
        )
    # Widening is fine.
    criteria_set(
        by=organiser, edition=scoring.edition, rows=[{**_row(scoring.criteria[0]), "scale_max": 10}]
    )
    assert Criterion.objects.get(pk=scoring.criteria[0].pk).scale_max == 10


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"name": "Faisabilité"}, "même nom"),
        ({"name": "faisabilité"}, "même nom"),
        ({"name": "  "}, "nom"),
        ({"name": "Neuf", "weight": Decimal("0")}, "poids"),
        ({"name": "Neuf", "weight": Decimal("1.234")}, "poids"),
        ({"name": "Neuf", "scale_min": 5, "scale_max": 5}, "barème"),
        ({"name": "Neuf", "scale_max": 101}, "barème"),
    ],
)
def test_criteria_set_refuses_bad_rows(jury, organiser, row, message):
    with pytest.raises(ServiceError, match=message):
        criteria_set(by=organiser, edition=jury.edition, rows=[{"id": None, **row}])
    assert Criterion.objects.filter(edition=jury.edition).count() == 5


def test_criteria_set_refuses_a_criterion_of_another_edition(jury, make_edition, organiser):
    other = make_edition()
    [foreign, *_rest] = criteria_ensure_defaults(edition=other)
    with pytest.raises(ServiceError):
        criteria_set(by=organiser, edition=jury.edition, rows=[{**_row(foreign), "delete": True}])
    assert Criterion.objects.filter(pk=foreign.pk).exists()


def test_criteria_set_refuses_swapping_two_names_cleanly(jury, organiser):
    first, second = jury.criteria[:2]
    rows = [{**_row(first), "name": second.name}, {**_row(second), "name": first.name}]
    with pytest.raises(ServiceError, match="même nom"):
        criteria_set(by=organiser, edition=jury.edition, rows=rows)
    names = sorted(Criterion.objects.filter(edition=jury.edition).values_list("name", flat=True))
    assert names == sorted(c.name for c in jury.criteria)


def test_criteria_set_is_refused_once_results_are_published(jury, organiser):
    set_phase(jury.edition, JuryPhase.PUBLISHED)
    with pytest.raises(ServiceError, match="publiés"):
        criteria_set(
            by=organiser, edition=jury.edition, rows=[{**_row(jury.criteria[0]), "weight": 3}]
        )


# -- jurors and settings -----------------------------------------------------------------


def test_jurors_set_needs_the_juror_role(jury, organiser, partner):
    with pytest.raises(ServiceError, match="rôle de membre du jury"):
        jurors_set(by=organiser, edition=jury.edition, users=[jury.juror.user, partner])
    assert set(Juror.objects.filter(edition=jury.edition)) == {jury.juror, jury.other}


def test_jurors_set_adds_and_removes(jury, organiser):
    newcomer = UserFactory(roles=[Role.JUROR])
    jurors_set(by=organiser, edition=jury.edition, users=[jury.juror.user, newcomer])
    assert set(Juror.objects.filter(edition=jury.edition).values_list("user_id", flat=True)) == {
        jury.juror.user_id,
        newcomer.pk,
    }
    entry = AuditLogEntry.objects.filter(action=AuditAction.JURY_SET).latest("id")
    assert entry.data == {"jurés ajoutés": [str(newcomer)], "jurés retirés": [str(jury.other.user)]}


def test_jurors_set_keeps_a_juror_who_lost_the_role(jury, organiser):
    jury.other.user.role_assignments.all().delete()
    jurors_set(by=organiser, edition=jury.edition, users=[jury.juror.user, jury.other.user])
    assert Juror.objects.filter(edition=jury.edition).count() == 2


def test_jurors_set_refuses_removing_a_juror_with_sheets_after_preparation(
    scoring, organiser, juror_user
):
    score_sheet_save(
        juror_user=juror_user, workgroup=scoring.groups[0], values=all_marks(scoring.criteria, 2)
    )
    with pytest.raises(ServiceError, match="ne peuvent plus être retirés"):
        jurors_set(by=organiser, edition=scoring.edition, users=[scoring.other.user])
    assert ScoreSheet.objects.count() == 1
    # A juror without sheets may still leave.
    jurors_set(by=organiser, edition=scoring.edition, users=[juror_user])
    assert list(Juror.objects.filter(edition=scoring.edition)) == [scoring.juror]


def test_jury_settings_set_saves_and_records(jury, organiser):
    jury_settings_set(
        by=organiser,
        edition=jury.edition,
        aggregation="median",
        results_public=True,
        gallery_public=False,
    )
    stored = WorkshopSettings.objects.get(edition=jury.edition)
    assert (stored.aggregation, stored.results_public, stored.gallery_public) == (
        "median",
        True,
        False,
    )
    entry = AuditLogEntry.objects.filter(action=AuditAction.JURY_SET).latest("id")
    assert entry.data == {
        "changes": {"aggregation": ["mean", "median"], "results_public": ["False", "True"]}
    }
    with pytest.raises(ServiceError):
        jury_settings_set(
            by=organiser,
            edition=jury.edition,
            aggregation="max",
            results_public=True,
            gallery_public=False,
        )


# -- phases ------------------------------------------------------------------------------

ALLOWED = [
    (JuryPhase.PREPARATION, JuryPhase.SCORING),
    (JuryPhase.SCORING, JuryPhase.DELIBERATION),
    (JuryPhase.DELIBERATION, JuryPhase.PUBLISHED),
    (JuryPhase.DELIBERATION, JuryPhase.SCORING),
    (JuryPhase.PUBLISHED, JuryPhase.DELIBERATION),
]
REFUSED = [
    (current, phase)
    for current in JuryPhase
    for phase in JuryPhase
    if current != phase and (current, phase) not in ALLOWED
]


@pytest.mark.parametrize(("current", "phase"), ALLOWED)
def test_jury_phase_set_allows_the_next_step_and_reopening(jury, organiser, current, phase):
    set_phase(jury.edition, current)
    assert jury_phase_set(by=organiser, edition=jury.edition, phase=phase) is True
    stored = WorkshopSettings.objects.get(edition=jury.edition)
    assert stored.phase == phase
    assert (stored.published_at is not None) == (phase == JuryPhase.PUBLISHED)
    entry = AuditLogEntry.objects.get(action=AuditAction.JURY_PHASE)
    assert entry.data == {
        "changes": {"phase": [str(JuryPhase(current).label), str(JuryPhase(phase).label)]}
    }


@pytest.mark.parametrize(("current", "phase"), REFUSED)
def test_jury_phase_set_refuses_other_moves(jury, organiser, current, phase):
    set_phase(jury.edition, current)
    with pytest.raises(ServiceError, match="ne peut pas passer"):
        jury_phase_set(by=organiser, edition=jury.edition, phase=phase)
    assert WorkshopSettings.objects.get(edition=jury.edition).phase == current
    assert not AuditLogEntry.objects.filter(action=AuditAction.JURY_PHASE).exists()


def test_jury_phase_set_to_the_same_phase_changes_nothing(jury, organiser):
    assert jury_phase_set(by=organiser, edition=jury.edition, phase=JuryPhase.PREPARATION) is False
    with pytest.raises(ServiceError):
        jury_phase_set(by=organiser, edition=jury.edition, phase="closed")


def test_scoring_needs_criteria_and_jurors(edition, organiser):
    with pytest.raises(ServiceError, match="au moins un juré et un critère"):
        jury_phase_set(by=organiser, edition=edition, phase=JuryPhase.SCORING)


def test_unpublishing_clears_the_publication_date(jury, organiser):
    set_phase(jury.edition, JuryPhase.DELIBERATION)
    jury_phase_set(by=organiser, edition=jury.edition, phase=JuryPhase.PUBLISHED)
    assert WorkshopSettings.objects.get(edition=jury.edition).published_at is not None
    jury_phase_set(by=organiser, edition=jury.edition, phase=JuryPhase.DELIBERATION)
    assert WorkshopSettings.objects.get(edition=jury.edition).published_at is None


# -- score sheets ------------------------------------------------------------------------


def test_score_sheet_save_writes_every_mark(scoring, juror_user):
    values = dict(zip([c.pk for c in scoring.criteria], [0, 1, 2, 3, 5], strict=True))
    sheet = score_sheet_save(
        juror_user=juror_user, workgroup=scoring.groups[1], values=values, comment=" Bien. "
    )
    assert (sheet.juror, sheet.workgroup, sheet.comment) == (
        scoring.juror,
        scoring.groups[1],
        "Bien.",
    )
    assert dict(Score.objects.filter(sheet=sheet).values_list("criterion_id", "value")) == values


def test_second_save_updates_the_same_sheet(scoring, juror_user):
    group = scoring.groups[0]
    first = score_sheet_save(
        juror_user=juror_user, workgroup=group, values=all_marks(scoring.criteria, 1), comment="a"
    )
    second = score_sheet_save(
        juror_user=juror_user, workgroup=group, values=all_marks(scoring.criteria, 4), comment="b"
    )
    assert first.pk == second.pk
    assert ScoreSheet.objects.count() == 1
    assert ScoreSheet.objects.get().comment == "b"
    assert set(Score.objects.values_list("value", flat=True)) == {4}
    assert Score.objects.count() == 5


def test_database_holds_one_sheet_per_juror_and_group(scoring):
    ScoreSheet.objects.create(juror=scoring.juror, workgroup=scoring.groups[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.create(juror=scoring.juror, workgroup=scoring.groups[0])
    # Another juror, or another group, is fine.
    ScoreSheet.objects.create(juror=scoring.other, workgroup=scoring.groups[0])
    ScoreSheet.objects.create(juror=scoring.juror, workgroup=scoring.groups[1])
    assert ScoreSheet.objects.count() == 3


def test_database_holds_one_mark_per_sheet_and_criterion(scoring):
    sheet = ScoreSheet.objects.create(juror=scoring.juror, workgroup=scoring.groups[0])
    Score.objects.create(sheet=sheet, criterion=scoring.criteria[0], value=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(sheet=sheet, criterion=scoring.criteria[0], value=3)


@pytest.mark.parametrize("value", [-1, 6, 100, True, "3", None])
def test_marks_outside_the_scale_are_refused(scoring, juror_user, value):
    values = all_marks(scoring.criteria, 3)
    values[scoring.criteria[1].pk] = value
    with pytest.raises(ScoreError, match="Faisabilité") as raised:
        score_sheet_save(juror_user=juror_user, workgroup=scoring.groups[0], values=values)
    assert raised.value.criterion_id == scoring.criteria[1].pk
    assert ScoreSheet.objects.count() == 0


def test_a_missing_or_unknown_criterion_is_refused(scoring, juror_user, make_edition):
    values = all_marks(scoring.criteria, 3)
    del values[scoring.criteria[4].pk]
    with pytest.raises(ScoreError, match="Innovation"):
        score_sheet_save(juror_user=juror_user, workgroup=scoring.groups[0], values=values)
    foreign = criteria_ensure_defaults(edition=make_edition())[0]
    values = {**all_marks(scoring.criteria, 3), foreign.pk: 3}
    with pytest.raises(ScoreError, match="critère inconnu"):
        score_sheet_save(juror_user=juror_user, workgroup=scoring.groups[0], values=values)
    assert ScoreSheet.objects.count() == 0


@pytest.mark.parametrize(
    "phase", [JuryPhase.PREPARATION, JuryPhase.DELIBERATION, JuryPhase.PUBLISHED]
)
def test_scoring_outside_the_scoring_phase_is_refused(jury, juror_user, phase):
    set_phase(jury.edition, phase)
    with pytest.raises(ScoreError, match="notation n'est pas ouverte"):
        score_sheet_save(
            juror_user=juror_user, workgroup=jury.groups[0], values=all_marks(jury.criteria, 3)
        )
    assert ScoreSheet.objects.count() == 0


def test_reopened_scoring_lets_a_juror_change_a_sheet(scoring, juror_user, organiser):
    group = scoring.groups[0]
    score_sheet_save(juror_user=juror_user, workgroup=group, values=all_marks(scoring.criteria, 1))
    jury_phase_set(by=organiser, edition=scoring.edition, phase=JuryPhase.DELIBERATION)
    jury_phase_set(by=organiser, edition=scoring.edition, phase=JuryPhase.SCORING)
    score_sheet_save(juror_user=juror_user, workgroup=group, values=all_marks(scoring.criteria, 5))
    assert set(Score.objects.values_list("value", flat=True)) == {5}


def test_someone_who_is_not_a_juror_of_the_edition_cannot_score(
    scoring, make_edition, partner, organiser
):
    for user in (partner, organiser):
        with pytest.raises(ScoreError, match="pas membre du jury"):
            score_sheet_save(
                juror_user=user, workgroup=scoring.groups[0], values=all_marks(scoring.criteria, 3)
            )
    # A juror of another edition neither.
    elsewhere = UserFactory(roles=[Role.JUROR])
    Juror.objects.create(edition=make_edition(), user=elsewhere)
    with pytest.raises(ScoreError, match="pas membre du jury"):
        score_sheet_save(
            juror_user=elsewhere, workgroup=scoring.groups[0], values=all_marks(scoring.criteria, 3)
        )
    assert ScoreSheet.objects.count() == 0


@pytest.mark.parametrize("how", ["account", "email", "facilitator"])
def test_a_juror_cannot_score_their_own_group(scoring, juror_user, confirmed, seat, how):
    group = scoring.groups[1]
    if how == "account":
        seat(group, confirmed(scoring.edition, user=juror_user))
    elif how == "email":
        seat(group, confirmed(scoring.edition, email="JURE@example.test"))
    else:
        group.facilitators.add(juror_user)
    with pytest.raises(ScoreError, match="faites partie de ce groupe"):
        score_sheet_save(
            juror_user=juror_user, workgroup=group, values=all_marks(scoring.criteria, 3)
        )
    assert ScoreSheet.objects.count() == 0
    # Other groups stay open to them.
    score_sheet_save(
        juror_user=juror_user, workgroup=scoring.groups[0], values=all_marks(scoring.criteria, 3)
    )


# -- the jury page -----------------------------------------------------------------------


def test_jury_page_permissions(jury, client, partner, make_edition, juror_user):
    path = url("jury", jury.edition)
    assert client.get(path).url == login_url(path)
    assert login(client, partner).get(path).status_code == 403
    # A juror of another edition only.
    elsewhere = UserFactory(roles=[Role.JUROR])
    Juror.objects.create(edition=make_edition(), user=elsewhere)
    assert login(client, elsewhere).get(path).status_code == 403
    assert login(client, juror_user).get(path).status_code == 200


def test_jury_page_for_organisers_shows_phase_jurors_criteria_and_links(
    jury, organiser_client, juror_user
):
    response = organiser_client.get(url("jury", jury.edition))
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "Ouvrir la notation" in text
    assert str(juror_user) in text
    assert "Réponse aux besoins des jeunes : de 0 à 5, poids 1" in text
    assert url("jury_settings", jury.edition) in text
    # Preparation: no marks yet, so neither the results nor the scores' CSV (docs/jury.md).
    assert url("scores_csv", jury.edition) not in text
    assert url("results", jury.edition) not in text
    assert "Les notes restent cachées jusqu'à la délibération" in text
    assert "Avancement de la notation" in text


def test_jury_page_lists_the_jurors_groups_with_their_state(
    scoring, client, juror_user, confirmed, seat
):
    own, done, todo = scoring.groups
    seat(own, confirmed(scoring.edition, user=juror_user))
    score_sheet_save(juror_user=juror_user, workgroup=done, values=all_marks(scoring.criteria, 2))
    response = login(client, juror_user).get(url("jury", scoring.edition))
    items = {item.group.number: item.state for item in response.context["juror_items"]}
    assert items == {own.number: "own", done.number: "done", todo.number: "todo"}
    text = html.unescape(response.text)
    assert "votre groupe (vous ne pouvez pas le noter)" in text
    assert url("score", scoring.edition, own.number) not in text
    assert url("score", scoring.edition, todo.number) in text
    assert "Il vous reste 1 groupe à noter." in text


def test_a_criterion_added_during_scoring_leaves_sheets_to_complete(
    scoring, client, juror_user, organiser
):
    group = scoring.groups[0]
    score_sheet_save(juror_user=juror_user, workgroup=group, values=all_marks(scoring.criteria, 2))
    criteria_set(
        by=organiser,
        edition=scoring.edition,
        rows=[{"id": None, "name": "Clarté", "weight": 1, "scale_min": 0, "scale_max": 5}],
    )
    response = login(client, juror_user).get(url("jury", scoring.edition))
    assert response.context["juror_items"][0].state == "incomplete"
    assert "à compléter (un critère a été ajouté)" in html.unescape(response.text)
    with pytest.raises(ScoreError, match="Clarté"):
        score_sheet_save(
            juror_user=juror_user, workgroup=group, values=all_marks(scoring.criteria, 2)
        )


def test_juror_never_sees_other_jurors_scores_during_scoring(scoring, client, juror_user):
    group = scoring.groups[0]
    score_sheet_save(
        juror_user=scoring.other.user,
        workgroup=group,
        values=all_marks(scoring.criteria, 5),
        comment=SECRET,
    )
    score_sheet_save(
        juror_user=juror_user, workgroup=group, values=all_marks(scoring.criteria, 1), comment="Moi"
    )
    login(client, juror_user)
    jury_page = client.get(url("jury", scoring.edition))
    score_page = client.get(url("score", scoring.edition, group.number))
    unscored_page = client.get(url("score", scoring.edition, scoring.groups[1].number))
    for response in (jury_page, score_page, unscored_page):
        text = html.unescape(response.text)
        assert SECRET not in text
        assert "Bérénice" not in text
        assert "20,00" not in text  # the other juror's score out of 20
    assert "matrix" not in jury_page.context
    assert checked_values(score_page) == ["1"] * 5
    assert "Moi" in score_page.text
    assert checked_values(unscored_page) == []


def test_organisers_see_progress_but_no_marks_during_scoring(scoring, organiser_client):
    score_sheet_save(
        juror_user=scoring.other.user,
        workgroup=scoring.groups[0],
        values=all_marks(scoring.criteria, 5),
        comment=SECRET,
    )
    response = organiser_client.get(url("jury", scoring.edition))
    text = html.unescape(response.text)
    assert SECRET not in text
    assert "20,00" not in text
    row = response.context["matrix"][0]
    assert [(cell.juror, cell.state, cell.score) for cell in row.cells] == [
        (scoring.juror, "todo", None),
        (scoring.other, "done", None),
    ]


def test_everyone_on_the_jury_sees_all_scores_from_deliberation(
    scoring, client, juror_user, organiser_client
):
    client = other_client()
    score_sheet_save(
        juror_user=scoring.other.user,
        workgroup=scoring.groups[0],
        values=all_marks(scoring.criteria, 5),
        comment=SECRET,
    )
    set_phase(scoring.edition, JuryPhase.DELIBERATION)
    for response in (
        login(client, juror_user).get(url("jury", scoring.edition)),
        organiser_client.get(url("jury", scoring.edition)),
    ):
        text = html.unescape(response.text)
        assert SECRET in text
        assert "20,00" in text
        assert "Bérénice" in text


def test_organiser_moves_the_phase_from_the_jury_page(jury, organiser_client):
    path = url("jury", jury.edition)
    response = organiser_client.post(path, {"phase": JuryPhase.SCORING})
    assert response.url == path
    assert WorkshopSettings.objects.get(edition=jury.edition).phase == JuryPhase.SCORING
    response = organiser_client.post(path, {"phase": JuryPhase.PUBLISHED})
    assert "ne peut pas passer" in html.unescape(messages_of(response)[-1])
    assert WorkshopSettings.objects.get(edition=jury.edition).phase == JuryPhase.SCORING
    response = organiser_client.post(path, {"phase": "n'importe quoi"})
    assert response.status_code == 302
    assert WorkshopSettings.objects.get(edition=jury.edition).phase == JuryPhase.SCORING


def test_published_jury_page_offers_to_withdraw_the_results_in_plain_words(jury, organiser_client):
    set_phase(jury.edition, JuryPhase.PUBLISHED)
    text = html.unescape(organiser_client.get(url("jury", jury.edition)).text)
    assert "Retirer les résultats de la publication" in text
    assert "dépubli" not in text.casefold()


def test_jurors_cannot_move_the_phase(jury, client, juror_user):
    response = login(client, juror_user).post(url("jury", jury.edition), {"phase": "scoring"})
    assert response.status_code == 403
    assert WorkshopSettings.objects.get(edition=jury.edition).phase == JuryPhase.PREPARATION


def _scene(edition, make_groups, count: int, jurors) -> None:
    groups = make_groups(edition, count)
    criteria = criteria_ensure_defaults(edition=edition)
    for user in jurors:
        Juror.objects.create(edition=edition, user=user)
    set_phase(edition, JuryPhase.SCORING)
    for index, group in enumerate(groups):
        ProjectSheet.objects.create(workgroup=group, title=f"Projet {index}")
        for user in jurors:
            score_sheet_save(
                juror_user=user,
                workgroup=group,
                values=all_marks(criteria, index % 6),
                comment="ok",
            )
    set_phase(edition, JuryPhase.DELIBERATION)


@pytest.mark.parametrize("who", ["organiser", "juror"])
def test_jury_page_query_count_does_not_grow(
    make_edition, make_groups, client, organiser, juror_user, other_juror, settings, who
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    small, large = make_edition(), make_edition()
    _scene(small, make_groups, 1, [juror_user, other_juror])
    _scene(large, make_groups, 5, [juror_user, other_juror])
    login(client, organiser if who == "organiser" else juror_user)

    def count(edition):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("jury", edition)).status_code == 200
        return len(queries)

    assert count(small) == count(large)


# -- the jury's settings ----------------------------------------------------------------


def test_jury_settings_permissions(jury, client, partner, juror_user, organiser_client):
    client = other_client()
    path = url("jury_settings", jury.edition)
    assert client.get(path).url == login_url(path)
    assert login(client, partner).get(path).status_code == 403
    assert login(client, juror_user).get(path).status_code == 403
    assert login(client, juror_user).post(path, {"action": "defaults"}).status_code == 403
    assert organiser_client.get(path).status_code == 200


def test_jury_settings_adds_the_default_criteria(edition, organiser_client):
    path = url("jury_settings", edition)
    assert "Ajouter les cinq critères par défaut" in html.unescape(organiser_client.get(path).text)
    response = organiser_client.post(path, {"action": "defaults"})
    assert response.url == path
    assert Criterion.objects.filter(edition=edition).count() == 5


def test_jury_settings_chooses_jurors(jury, organiser_client, juror_user, partner):
    newcomer = UserFactory(roles=[Role.JUROR], first_name="Nouvelle", last_name="Jurée")
    path = url("jury_settings", jury.edition)
    page = html.unescape(organiser_client.get(path).text)
    assert "Nouvelle Jurée" in page
    assert partner.email not in page  # only people with the juror role are offered
    response = organiser_client.post(
        path, {"action": "jurors", "users": [juror_user.pk, newcomer.pk]}
    )
    assert response.url == path
    assert set(Juror.objects.filter(edition=jury.edition).values_list("user_id", flat=True)) == {
        juror_user.pk,
        newcomer.pk,
    }
    # Someone without the role cannot be slipped in.
    response = organiser_client.post(path, {"action": "jurors", "users": [partner.pk]})
    assert response.status_code == 200
    assert Juror.objects.filter(edition=jury.edition).count() == 2


def _criteria_post(criteria, *, extra_rows=(), **changes) -> dict:
    rows = [
        {
            "id": criterion.pk,
            "name": criterion.name,
            "description": criterion.description,
            "weight": str(criterion.weight),
            "scale_min": criterion.scale_min,
            "scale_max": criterion.scale_max,
            "order": criterion.order,
        }
        for criterion in criteria
    ]
    for index, values in changes.items():
        rows[int(index.removeprefix("row"))].update(values)
    rows += list(extra_rows)
    data = {
        "action": "criteria",
        "criteres-TOTAL_FORMS": len(rows),
        "criteres-INITIAL_FORMS": len(criteria),
        "criteres-MIN_NUM_FORMS": 0,
        "criteres-MAX_NUM_FORMS": 1000,
    }
    for number, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                data[f"criteres-{number}-{key}"] = "on"
            elif value is not False:
                data[f"criteres-{number}-{key}"] = value
    return data


def test_jury_settings_edits_the_criteria(jury, organiser_client):
    path = url("jury_settings", jury.edition)
    blank = {"id": "", "name": "", "description": "", "weight": "1", "scale_min": "0"}
    data = _criteria_post(
        jury.criteria,
        extra_rows=[
            {"name": "Clarté", "weight": "0.5", "scale_min": "0", "scale_max": "10"},
            {**blank, "scale_max": "5", "order": "0"},
        ],
        row0={"weight": "2"},
        row4={"DELETE": True},
    )
    response = organiser_client.post(path, data)
    assert response.url == path
    assert list(
        Criterion.objects.filter(edition=jury.edition).values_list("name", "weight", "scale_max")
    ) == [
        ("Clarté", Decimal("0.50"), 10),
        ("Réponse aux besoins des jeunes", Decimal("2.00"), 5),
        ("Faisabilité", Decimal("1.00"), 5),
        ("Travailler ensemble", Decimal("1.00"), 5),
        ("Aller à la rencontre des jeunes", Decimal("1.00"), 5),
    ]


def test_jury_settings_shows_field_errors_and_writes_nothing(jury, organiser_client):
    data = _criteria_post(jury.criteria, row0={"scale_min": "5", "scale_max": "2", "name": ""})
    response = organiser_client.post(url("jury_settings", jury.edition), data)
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "La note maximale doit être plus grande que la note minimale." in text
    assert "Ce champ est obligatoire." in text
    assert Criterion.objects.get(pk=jury.criteria[0].pk).scale_max == 5


def test_jury_settings_shows_a_refused_deletion(scoring, organiser_client, juror_user):
    score_sheet_save(
        juror_user=juror_user, workgroup=scoring.groups[0], values=all_marks(scoring.criteria, 3)
    )
    data = _criteria_post(scoring.criteria, row1={"DELETE": True})
    response = organiser_client.post(url("jury_settings", scoring.edition), data)
    assert response.status_code == 200
    assert "Le critère « Faisabilité » a déjà reçu des notes" in html.unescape(response.text)
    assert Criterion.objects.filter(edition=scoring.edition).count() == 5


def test_jury_settings_saves_aggregation_and_visibility(jury, organiser_client):
    path = url("jury_settings", jury.edition)
    response = organiser_client.post(
        path, {"action": "settings", "aggregation": "median", "results_public": "on"}
    )
    assert response.url == path
    stored = WorkshopSettings.objects.get(edition=jury.edition)
    assert (stored.aggregation, stored.results_public, stored.gallery_public) == (
        "median",
        True,
        False,
    )
    response = organiser_client.post(path, {"action": "settings", "aggregation": "max"})
    assert response.status_code == 200
    assert WorkshopSettings.objects.get(edition=jury.edition).aggregation == "median"


# -- the score page ----------------------------------------------------------------------


def test_score_page_permissions(
    scoring, client, partner, organiser_client, juror_user, confirmed, seat, make_edition
):
    client = other_client()
    own, other = scoring.groups[0], scoring.groups[1]
    seat(own, confirmed(scoring.edition, user=juror_user))
    path = url("score", scoring.edition, other.number)
    assert client.get(path).url == login_url(path)
    assert login(client, partner).get(path).status_code == 403
    assert organiser_client.get(path).status_code == 403  # organisers are not jurors
    elsewhere = UserFactory(roles=[Role.JUROR])
    Juror.objects.create(edition=make_edition(), user=elsewhere)
    assert login(client, elsewhere).get(path).status_code == 403
    login(client, juror_user)
    assert client.get(path).status_code == 200
    assert client.get(url("score", scoring.edition, own.number)).status_code == 403
    assert client.get(url("score", scoring.edition, 99)).status_code == 404


def test_facilitator_juror_cannot_score_their_group_by_post(scoring, client, juror_user):
    group = scoring.groups[2]
    group.facilitators.add(juror_user)
    response = login(client, juror_user).post(
        url("score", scoring.edition, group.number), post_data(scoring.criteria, 5)
    )
    assert response.status_code == 403
    assert ScoreSheet.objects.count() == 0


def test_score_page_shows_the_project_sheet_and_the_criteria(scoring, client, juror_user):
    group = scoring.groups[0]
    ProjectSheet.objects.create(
        workgroup=group, title="Un local ados au Biollay", need="Un lieu à eux", age_min=12
    )
    response = login(client, juror_user).get(url("score", scoring.edition, group.number))
    text = html.unescape(response.text)
    assert "Un local ados au Biollay" in text
    assert "Un lieu à eux" in text
    assert "à partir de 12 ans" in text
    assert "Réponse aux besoins des jeunes (de 0 à 5, poids 1)" in text
    assert str(DEFAULT_CRITERIA[0][1]) in text
    empty = login(client, juror_user).get(url("score", scoring.edition, scoring.groups[1].number))
    assert "pas encore rempli sa fiche projet" in html.unescape(empty.text)


def test_juror_saves_then_updates_a_sheet_from_the_page(scoring, client, juror_user):
    group = scoring.groups[0]
    path = url("score", scoring.edition, group.number)
    login(client, juror_user)
    response = client.post(path, post_data(scoring.criteria, 3, "Clair"))
    assert response.url == url("jury", scoring.edition)
    response = client.post(path, post_data(scoring.criteria, 4, "Très clair"))
    assert response.url == url("jury", scoring.edition)
    sheet = ScoreSheet.objects.get()
    assert (sheet.juror, sheet.workgroup, sheet.comment) == (scoring.juror, group, "Très clair")
    assert set(Score.objects.values_list("value", flat=True)) == {4}
    assert checked_values(client.get(path)) == ["4"] * 5


@pytest.mark.parametrize("value", ["6", "-1", "trois", ""])
def test_score_page_refuses_marks_outside_the_scale(scoring, client, juror_user, value):
    data = post_data(scoring.criteria, 3)
    data[f"criterion_{scoring.criteria[2].pk}"] = value
    response = login(client, juror_user).post(
        url("score", scoring.edition, scoring.groups[0].number), data
    )
    assert response.status_code == 200
    # The page's error summary links to the first mark of the refused criterion.
    summary = re.search(r"<div class=\"error-summary\".*?</div>", response.text, re.S)[0]
    assert f'href="#id_criterion_{scoring.criteria[2].pk}_0"' in summary
    assert response.context["form"].errors.keys() == {f"criterion_{scoring.criteria[2].pk}"}
    assert ScoreSheet.objects.count() == 0


@pytest.mark.parametrize(
    "phase", [JuryPhase.PREPARATION, JuryPhase.DELIBERATION, JuryPhase.PUBLISHED]
)
def test_score_page_outside_scoring_is_read_only(jury, client, juror_user, phase):
    group = jury.groups[0]
    path = url("score", jury.edition, group.number)
    set_phase(jury.edition, phase)
    login(client, juror_user)
    page = client.get(path)
    assert page.status_code == 200
    assert "Enregistrer ma grille" not in page.text
    response = client.post(path, post_data(jury.criteria, 3))
    assert response.url == path
    assert "n'a pas été modifiée" in html.unescape(messages_of(response)[0])
    assert ScoreSheet.objects.count() == 0


def test_score_page_in_deliberation_shows_the_jurors_own_sheet_disabled(
    scoring, client, juror_user
):
    group = scoring.groups[0]
    score_sheet_save(juror_user=juror_user, workgroup=group, values=all_marks(scoring.criteria, 2))
    set_phase(scoring.edition, JuryPhase.DELIBERATION)
    response = login(client, juror_user).get(url("score", scoring.edition, group.number))
    assert checked_values(response) == ["2"] * 5
    assert all(field.field.disabled for field in response.context["form"])
    assert "lecture seule" in html.unescape(response.text)


# -- results -----------------------------------------------------------------------------


@pytest.fixture
def ranked(scoring, juror_user, other_juror):
    """Group 1 first; groups 2 and 3 tied; then unpublished (deliberation)."""
    first, second, third = scoring.groups
    marks = {first: (5, 4), second: (3, 2), third: (2, 3)}
    for group, (mine, theirs) in marks.items():
        score_sheet_save(
            juror_user=juror_user, workgroup=group, values=all_marks(scoring.criteria, mine)
        )
        score_sheet_save(
            juror_user=other_juror, workgroup=group, values=all_marks(scoring.criteria, theirs)
        )
    ProjectSheet.objects.create(workgroup=first, title="Foot et métiers")
    set_phase(scoring.edition, JuryPhase.DELIBERATION)
    return scoring


def publish(edition, *, public: bool = False) -> None:
    WorkshopSettings.objects.filter(edition=edition).update(
        phase=JuryPhase.PUBLISHED, results_public=public
    )
    edition.__dict__.pop("_workshop_settings", None)


def test_public_sees_nothing_before_publication_even_if_results_are_public(ranked, client):
    WorkshopSettings.objects.filter(edition=ranked.edition).update(results_public=True)
    path = url("results", ranked.edition)
    assert client.get(path).url == login_url(path)


def test_public_sees_results_after_publication_only_if_the_organiser_chose_it(ranked, client):
    path = url("results", ranked.edition)
    publish(ranked.edition, public=False)
    assert client.get(path).url == login_url(path)
    publish(ranked.edition, public=True)
    response = client.get(path)
    assert response.status_code == 200
    assert "Foot et métiers" in html.unescape(response.text)
    assert "Aperçu" not in response.text


def test_partners_see_results_after_publication_only(ranked, client, partner, no_role_user):
    path = url("results", ranked.edition)
    login(client, partner)
    assert client.get(path).status_code == 403
    publish(ranked.edition)
    assert client.get(path).status_code == 200
    # An account without a role is not a partner.
    assert login(client, no_role_user).get(path).status_code == 403


def test_jurors_see_results_after_publication_only(ranked, client, juror_user):
    path = url("results", ranked.edition)
    assert login(client, juror_user).get(path).status_code == 403
    publish(ranked.edition)
    assert client.get(path).status_code == 200


def test_organisers_see_a_labelled_preview_before_publication(ranked, organiser_client):
    response = organiser_client.get(url("results", ranked.edition))
    assert response.status_code == 200
    assert "Aperçu : ces résultats ne sont pas publiés." in html.unescape(response.text)


def test_results_page_ranks_with_ties_spread_and_juror_count(ranked, organiser_client):
    response = organiser_client.get(url("results", ranked.edition))
    rows = response.context["results"].rows
    # Group 1: 20 and 16 -> 18. Groups 2 and 3: 12 and 8 -> 10, tied.
    assert [
        (row.group.number, row.result.rank, row.result.tied, row.score, row.low, row.high)
        for row in rows
    ] == [
        (1, 1, False, Decimal("18.00"), Decimal("16.00"), Decimal("20.00")),
        (2, 2, True, Decimal("10.00"), Decimal("8.00"), Decimal("12.00")),
        (3, 2, True, Decimal("10.00"), Decimal("8.00"), Decimal("12.00")),
    ]
    assert [row.result.juror_count for row in rows] == [2, 2, 2]
    assert rows[0].criterion_means == [Decimal("4.50")] * 5
    text = html.unescape(response.text)
    assert text.count("2 (à égalité)") == 2
    assert "de 16,00 à 20,00" in text
    assert "La note d'un groupe est la moyenne des notes des membres du jury." in text
    assert "Tous les critères ont le même poids" in text


def test_results_page_says_median_and_weights(ranked, organiser_client, organiser):
    jury_settings_set(
        by=organiser,
        edition=ranked.edition,
        aggregation="median",
        results_public=False,
        gallery_public=False,
    )
    Criterion.objects.filter(pk=ranked.criteria[0].pk).update(weight=Decimal("2"))
    text = html.unescape(organiser_client.get(url("results", ranked.edition)).text)
    assert "médiane</a> des notes des membres du jury" in text
    assert "Réponse aux besoins des jeunes, noté de 0 à 5 : poids 2" in text
    assert "Faisabilité, noté de 0 à 5 : poids 1" in text


def test_results_page_lists_unscored_groups_last(jury, make_groups, organiser_client):
    set_phase(jury.edition, JuryPhase.DELIBERATION)  # organisers see results from then on
    response = organiser_client.get(url("results", jury.edition))
    assert [row.result.rank for row in response.context["results"].rows] == [None] * 3
    assert "pas de note" in html.unescape(response.text)


def test_results_page_never_names_jurors_nor_shows_comments(ranked, client):
    ScoreSheet.objects.update(comment=SECRET)
    publish(ranked.edition, public=True)
    text = html.unescape(client.get(url("results", ranked.edition)).text)
    assert SECRET not in text
    assert "Bérénice" not in text


def test_results_page_query_count_does_not_grow(
    make_edition, make_groups, organiser_client, juror_user, other_juror
):
    small, large = make_edition(), make_edition()
    _scene(small, make_groups, 1, [juror_user, other_juror])
    _scene(large, make_groups, 5, [juror_user, other_juror])

    def count(edition):
        with CaptureQueriesContext(connection) as queries:
            assert organiser_client.get(url("results", edition)).status_code == 200
        return len(queries)

    assert count(small) == count(large)


# -- marks follow the jury's phase, organisers included (docs/jury.md) -------------------


@pytest.fixture
def one_sheet(scoring, other_juror):
    """Scoring, and one sheet: every mark 5 (20 out of 20) with a comment."""
    score_sheet_save(
        juror_user=other_juror,
        workgroup=scoring.groups[0],
        values=all_marks(scoring.criteria, 5),
        comment=SECRET,
    )
    return scoring


HIDDEN_PHASES = [JuryPhase.PREPARATION, JuryPhase.SCORING]


@pytest.mark.parametrize("phase", HIDDEN_PHASES)
def test_organisers_see_no_marks_on_the_results_page_before_deliberation(
    one_sheet, organiser_client, phase
):
    set_phase(one_sheet.edition, phase)
    response = organiser_client.get(url("results", one_sheet.edition))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "results" not in response.context
    text = html.unescape(response.text)
    assert "Les notes restent cachées jusqu'à la délibération." in text
    assert f"Phase du jury : {JuryPhase(phase).label}." in text
    for mark in ("20,00", "Classement", "Notes par critère", SECRET):
        assert mark not in text
    # The progress, as on the jury page: who has filled which sheet.
    row = response.context["matrix"][0]
    assert [(cell.juror, cell.state, cell.score) for cell in row.cells] == [
        (one_sheet.juror, "todo", None),
        (one_sheet.other, "done", None),
    ]
    assert "Grilles remplies par groupe et par juré" in text


@pytest.mark.parametrize("phase", HIDDEN_PHASES)
def test_organisers_cannot_download_the_scores_before_deliberation(
    one_sheet, organiser_client, phase
):
    set_phase(one_sheet.edition, phase)
    assert organiser_client.get(url("scores_csv", one_sheet.edition)).status_code == 403
    assert not AuditLogEntry.objects.filter(action=AuditAction.SCORES_EXPORTED).exists()


@pytest.mark.parametrize("phase", HIDDEN_PHASES)
def test_jury_page_links_to_results_and_scores_only_from_deliberation(
    one_sheet, organiser_client, phase
):
    set_phase(one_sheet.edition, phase)
    text = html.unescape(organiser_client.get(url("jury", one_sheet.edition)).text)
    assert url("results", one_sheet.edition) not in text
    assert url("scores_csv", one_sheet.edition) not in text
    assert "Les notes restent cachées jusqu'à la délibération" in text

    set_phase(one_sheet.edition, JuryPhase.DELIBERATION)
    text = html.unescape(organiser_client.get(url("jury", one_sheet.edition)).text)
    assert url("results", one_sheet.edition) in text
    assert url("scores_csv", one_sheet.edition) in text
    assert "Aperçu des résultats (organisateurs)" in text


def test_organisers_see_marks_and_download_them_from_deliberation(one_sheet, organiser_client):
    set_phase(one_sheet.edition, JuryPhase.DELIBERATION)
    response = organiser_client.get(url("results", one_sheet.edition))
    assert response.status_code == 200
    assert response.context["results"].rows[0].score == Decimal("20.00")
    text = html.unescape(response.text)
    assert "Aperçu : ces résultats ne sont pas publiés." in text
    assert "Les notes restent cachées" not in text
    response = organiser_client.get(url("scores_csv", one_sheet.edition))
    assert response.status_code == 200
    body = response.content.decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert {(row[1], row[5], row[6]) for row in rows[1:]} == {("1", "5", SECRET)}


@pytest.mark.parametrize("who", ["juror", "partner"])
def test_nobody_else_sees_results_nor_scores_during_deliberation(
    one_sheet, client, juror_user, partner, who
):
    set_phase(one_sheet.edition, JuryPhase.DELIBERATION)
    login(client, juror_user if who == "juror" else partner)
    assert client.get(url("results", one_sheet.edition)).status_code == 403
    assert client.get(url("scores_csv", one_sheet.edition)).status_code == 403


def test_hidden_results_page_query_count_does_not_grow(
    make_edition, make_groups, organiser_client, juror_user, other_juror
):
    small, large = make_edition(), make_edition()
    for edition, count in ((small, 1), (large, 5)):
        _scene(edition, make_groups, count, [juror_user, other_juror])
        set_phase(edition, JuryPhase.SCORING)

    def count(edition):
        with CaptureQueriesContext(connection) as queries:
            response = organiser_client.get(url("results", edition))
        assert "Les notes restent cachées" in html.unescape(response.text)
        return len(queries)

    assert count(small) == count(large)


# -- the CSV of the scores ---------------------------------------------------------------


def test_scores_csv_permissions(jury, client, partner, juror_user, organiser_client):
    client = other_client()
    path = url("scores_csv", jury.edition)
    assert client.get(path).url == login_url(path)
    assert login(client, partner).get(path).status_code == 403
    assert login(client, juror_user).get(path).status_code == 403
    # Organisers download the marks once they are revealed, at deliberation (docs/jury.md).
    assert organiser_client.get(path).status_code == 403
    set_phase(jury.edition, JuryPhase.DELIBERATION)
    assert login(client, partner).get(path).status_code == 403
    assert login(client, juror_user).get(path).status_code == 403
    assert organiser_client.get(path).status_code == 200


def test_scores_csv_has_one_row_per_juror_group_and_criterion(
    ranked, organiser_client, organiser, juror_user
):
    ScoreSheet.objects.filter(juror__user=juror_user, workgroup=ranked.groups[0]).update(
        comment="=1+1 ; « top »"
    )
    response = organiser_client.get(url("scores_csv", ranked.edition))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="notes-jury-{ranked.edition.year}.csv"'
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffJuré;Groupe;Nom du groupe;Critère;Poids;Note;Commentaire\r\n")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == 1 + 3 * 2 * 5
    assert rows[1] == [
        str(juror_user),
        "1",
        "Groupe 1",
        "Réponse aux besoins des jeunes",
        "1",
        "5",
        "'=1+1 ; « top »",  # never run as a formula
    ]
    entry = AuditLogEntry.objects.get(action=AuditAction.SCORES_EXPORTED)
    assert (entry.actor, entry.target_id, entry.data) == (
        organiser,
        str(ranked.edition.pk),
        {"lignes": 30},
    )


@pytest.mark.parametrize(
    "comment",
    [
        "-1+1",
        '\n=HYPERLINK("http://evil.example")',
        " @SUM(A1)",
        "\uff1d1+1",  # full-width equals sign
    ],
)
def test_scores_csv_quotes_every_formula_like_comment(ranked, organiser_client, comment):
    ScoreSheet.objects.update(comment=comment)
    body = organiser_client.get(url("scores_csv", ranked.edition)).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert {row[6] for row in rows[1:]} == {"'" + comment}


def test_scores_csv_writes_decimal_weights_with_a_comma(ranked, organiser_client):
    Criterion.objects.filter(pk=ranked.criteria[0].pk).update(weight=Decimal("1.50"))
    body = organiser_client.get(url("scores_csv", ranked.edition)).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert {row[4] for row in rows[1:] if row[3] == "Réponse aux besoins des jeunes"} == {"1,5"}
