"""Writes on actions: the journal, the workflow, the renewal chain, the pitch-to-action link."""

from decimal import Decimal

import pytest

from actions import services
from actions.enums import ActionStatus, AuditAction, Funder, IndicatorUnit
from actions.models import Action
from actions.selectors import chain_of, history_of
from contrat_ville.models import AuditLogEntry
from contrat_ville.services import ServiceError


def _entries(action) -> list[tuple[str, dict]]:
    return [
        (entry.action, entry.data.get("changes", {}))
        for entry in AuditLogEntry.objects.filter(
            target_type="actions.action", target_id=str(action.pk)
        ).order_by("pk")
    ]


@pytest.fixture
def proposed(member_a, actor_a, priority, qpv_one):
    return services.action_create(
        by=member_a,
        year=2025,
        data={
            "title": "Permis solidaire",
            "carrier": actor_a,
            "priority": priority,
            "summary": "Des heures de conduite pour les 18-25 ans.",
            "budget_planned": Decimal("12000"),
        },
        relations={"territories": [qpv_one]},
        fundings=[{"funder": Funder.STATE, "name": "", "planned": Decimal("6000"), "actual": None}],
        indicators=[
            {"label": "Jeunes accompagnés", "unit": IndicatorUnit.YOUNG, "target": Decimal("20")}
        ],
    )


def test_action_create_proposed_and_journaled(proposed, member_a):
    assert proposed.status == ActionStatus.PROPOSED
    assert proposed.created_by == member_a
    assert list(proposed.territories.values_list("slug", flat=True)) == ["quartier-un"]
    assert proposed.fundings.get().planned == Decimal("6000.00")
    assert proposed.indicators.get().label == "Jeunes accompagnés"
    assert _entries(proposed) == [(AuditAction.ACTION_CREATED, {})]


def test_action_create_objective_of_another_priority_refused(
    member_a, actor_a, other_priority, objective
):
    with pytest.raises(ServiceError):
        services.action_create(
            by=member_a,
            year=2025,
            data={
                "title": "X",
                "carrier": actor_a,
                "priority": other_priority,
                "objective": objective,
                "summary": "y",
            },
        )
    assert Action.objects.count() == 0


def test_action_create_duplicate_reference_refused_in_words(member_a, actor_a, make_action):
    make_action(actor_a, year=2025, reference="AAP-7")
    with pytest.raises(ServiceError, match="AAP-7"):
        services.action_create(
            by=member_a,
            year=2025,
            data={"title": "X", "carrier": actor_a, "summary": "y", "reference": "AAP-7"},
        )
    assert Action.objects.count() == 1


def test_action_update_journals_content_budget_and_indicators_apart(proposed, member_a):
    services.action_update(
        by=member_a,
        action=proposed,
        data={"title": "Permis solidaire 18-25", "budget_planned": Decimal("15000")},
        fundings=[{"funder": Funder.STATE, "name": "", "planned": Decimal("7000"), "actual": None}],
        indicators=[
            {"label": "Jeunes accompagnés", "unit": IndicatorUnit.YOUNG, "target": Decimal("25")}
        ],
    )
    entries = _entries(proposed)
    assert [code for code, _ in entries] == [
        AuditAction.ACTION_CREATED,
        AuditAction.ACTION_UPDATED,
        AuditAction.ACTION_BUDGET,
        AuditAction.ACTION_INDICATORS,
    ]
    assert entries[1][1] == {"title": ["Permis solidaire", "Permis solidaire 18-25"]}
    assert entries[2][1]["budget_planned"] == ["12000.00", "15000.00"]
    assert entries[2][1]["fundings"] == ["État : 6000.00", "État : 7000.00"]
    assert entries[3][1]["indicators"] == [
        "Jeunes accompagnés (young) : — / 20.00",
        "Jeunes accompagnés (young) : — / 25.00",
    ]
    entry = history_of(proposed)[0]
    assert entry.sentence.startswith(f"{member_a.get_full_name()} a mis à jour les indicateurs")


def test_action_update_without_change_writes_no_entry(proposed, member_a):
    services.action_update(
        by=member_a,
        action=proposed,
        data={"title": "Permis solidaire"},
        fundings=[{"funder": Funder.STATE, "name": "", "planned": Decimal("6000"), "actual": None}],
    )
    assert len(_entries(proposed)) == 1


def test_action_update_confidential_flag_only_when_allowed(proposed, member_a, organiser):
    services.action_update(by=member_a, action=proposed, data={"amounts_confidential": True})
    proposed.refresh_from_db()
    assert proposed.amounts_confidential is False
    services.action_update(
        by=organiser,
        action=proposed,
        data={"amounts_confidential": True},
        can_mark_confidential=True,
    )
    proposed.refresh_from_db()
    assert proposed.amounts_confidential is True


def test_action_update_actual_budget_of_a_proposal_refused(proposed, member_a):
    with pytest.raises(ServiceError):
        services.action_update(by=member_a, action=proposed, data={"budget_actual": Decimal("1")})


# -- the workflow -----------------------------------------------------------------------------


def test_status_organiser_programmes_carrier_reports(proposed, organiser, member_a):
    services.action_status_set(by=organiser, action=proposed, status=ActionStatus.PROGRAMMED)
    services.action_status_set(by=member_a, action=proposed, status=ActionStatus.RUNNING)
    services.action_status_set(by=member_a, action=proposed, status=ActionStatus.DONE)
    proposed.refresh_from_db()
    assert proposed.status == ActionStatus.DONE
    assert [c for code, c in _entries(proposed) if code == AuditAction.ACTION_STATUS] == [
        {"status": ["proposed", "programmed"]},
        {"status": ["programmed", "running"]},
        {"status": ["running", "done"]},
    ]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (ActionStatus.PROPOSED, ActionStatus.PROGRAMMED),  # validating is the organisers'
        (ActionStatus.PROPOSED, ActionStatus.DONE),  # not a move at all
        (ActionStatus.RUNNING, ActionStatus.ABANDONED),
        (ActionStatus.DONE, ActionStatus.RUNNING),
        (ActionStatus.RUNNING, ActionStatus.PROPOSED),
    ],
)
def test_status_carrier_refused_moves(make_action, actor_a, member_a, start, target):
    action = make_action(actor_a, status=start)
    with pytest.raises(ServiceError):
        services.action_status_set(by=member_a, action=action, status=target)
    action.refresh_from_db()
    assert action.status == start


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (ActionStatus.DONE, ActionStatus.PROPOSED),
        (ActionStatus.ABANDONED, ActionStatus.DONE),
        (ActionStatus.PROGRAMMED, ActionStatus.PROPOSED),
        (ActionStatus.RUNNING, "lost"),
    ],
)
def test_status_moves_that_make_no_sense_refused_even_to_organisers(
    make_action, actor_a, organiser, start, target
):
    action = make_action(actor_a, status=start)
    with pytest.raises(ServiceError):
        services.action_status_set(by=organiser, action=action, status=target)


def test_status_member_of_another_actor_refused(make_action, actor_a, member_b):
    action = make_action(actor_a, status=ActionStatus.PROGRAMMED)
    with pytest.raises(ServiceError):
        services.action_status_set(by=member_b, action=action, status=ActionStatus.RUNNING)


def test_status_abandoned_reinstated_by_organiser(make_action, actor_a, organiser):
    action = make_action(actor_a, status=ActionStatus.ABANDONED, budget_actual="300")
    services.action_status_set(by=organiser, action=action, status=ActionStatus.PROGRAMMED)
    action.refresh_from_db()
    assert (action.status, action.budget_actual) == (ActionStatus.PROGRAMMED, Decimal("300.00"))


# -- renewal ----------------------------------------------------------------------------------


def test_renewal_copies_without_results_and_links(make_action, actor_a, actor_b, qpv_one, youth):
    first = make_action(
        actor_a,
        year=2024,
        status=ActionStatus.DONE,
        reference="AAP-2024-1",
        territories=[qpv_one],
        publics=[youth],
        budget_planned="10000",
        budget_actual="9500",
        fundings=[("state", "5000", "5000"), ("commune", "3000", "2500")],
        indicators=[("Jeunes", "young", "20", "23")],
    )
    first.partners.set([actor_b])
    second = services.action_renew(by=None, action=first)
    assert (second.year, second.previous, second.status) == (2025, first, ActionStatus.PROPOSED)
    Action.objects.filter(pk=second.pk).update(status=ActionStatus.PROGRAMMED)
    third = services.action_renew(by=None, action=second)
    assert second.reference == ""
    assert second.budget_planned == Decimal("10000.00")
    assert second.budget_actual is None
    assert list(second.fundings.values_list("funder", "planned", "actual")) == [
        ("commune", Decimal("3000.00"), None),
        ("state", Decimal("5000.00"), None),
    ]
    assert list(second.indicators.values_list("label", "target", "achieved")) == [
        ("Jeunes", Decimal("20.00"), None)
    ]
    assert list(second.partners.all()) == [actor_b]
    assert list(second.territories.all()) == [qpv_one]
    assert list(second.publics.all()) == [youth]
    assert [a.year for a in chain_of(second)] == [2024, 2025, 2026]
    assert chain_of(first) == chain_of(third) == [first, second, third]
    assert _entries(first)[-1][0] == AuditAction.ACTION_RENEWED


def test_renewal_twice_refused(make_action, actor_a):
    first = make_action(actor_a, year=2024, status=ActionStatus.DONE)
    services.action_renew(by=None, action=first)
    with pytest.raises(ServiceError):
        services.action_renew(by=None, action=first)
    assert Action.objects.count() == 2


def test_renewal_of_a_proposal_refused(make_action, actor_a):
    with pytest.raises(ServiceError):
        services.action_renew(by=None, action=make_action(actor_a, status=ActionStatus.PROPOSED))


def test_renewal_survives_the_deletion_of_its_predecessor(make_action, actor_a, organiser):
    first = make_action(actor_a, year=2024, status=ActionStatus.DONE)
    second = services.action_renew(by=None, action=first)
    services.action_delete(by=organiser, action=first)
    second.refresh_from_db()
    assert second.previous is None
    assert chain_of(second) == [second]


# -- from a pitch to an action ----------------------------------------------------------------


def test_pitch_becomes_a_proposed_action_of_the_next_year(
    make_pitch, actor_a, actor_b, member_a, qpv_one, priority
):
    sheet = make_pitch(2024)
    sheet.territories.set([qpv_one])
    sheet.priorities.set([priority])
    sheet.partners.set([actor_a, actor_b])
    action = services.action_from_pitch(by=member_a, sheet=sheet, carrier=actor_a)
    assert (action.year, action.status, action.pitch) == (2025, ActionStatus.PROPOSED, sheet)
    assert action.title == sheet.title
    assert action.summary == (
        "Les jeunes n'ont pas de lieu le soir.\n\nOuvrir le gymnase deux soirs par semaine."
    )
    assert action.priority == priority
    assert action.budget_planned == Decimal("8000.00")
    assert list(action.partners.all()) == [actor_b]  # the carrier is not its own partner
    assert list(action.territories.all()) == [qpv_one]
    assert list(action.indicators.values_list("label", flat=True)) == [
        "Nombre de jeunes accueillis",
        "Nombre de soirées",
    ]
    assert sheet.action == action
    assert [code for code, _ in _entries(action)] == [
        AuditAction.ACTION_CREATED,
        AuditAction.ACTION_FROM_PITCH,
    ]


def test_pitch_turned_twice_refused(make_pitch, actor_a):
    sheet = make_pitch(2024)
    services.action_from_pitch(by=None, sheet=sheet, carrier=actor_a)
    with pytest.raises(ServiceError):
        services.action_from_pitch(by=None, sheet=sheet, carrier=actor_a)
    assert Action.objects.count() == 1


def test_pitch_keeps_its_link_through_renewal(make_pitch, actor_a, organiser):
    sheet = make_pitch(2024)
    action = services.action_from_pitch(by=None, sheet=sheet, carrier=actor_a)
    services.action_status_set(by=organiser, action=action, status=ActionStatus.PROGRAMMED)
    renewal = services.action_renew(by=None, action=action)
    assert renewal.pitch is None
    assert chain_of(renewal)[0].pitch == sheet
