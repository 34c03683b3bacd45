"""The actions' demo step: three years of plausible actions, written through the services."""

from collections import Counter

import pytest

from actions.demo import demo_spec, seed_actions
from actions.enums import ActionStatus, AuditAction, Funder
from actions.models import Action, Funding, Indicator
from actions.selectors import actions_visible_to
from contract.demo import seed_contract
from contrat_ville.demo import seed_accounts
from contrat_ville.models import AuditLogEntry, User
from events.demo import seed_editions
from neighbourhoods.demo import seed_perimeter
from partners.demo import seed_actors
from workgroups.demo import seed_workshops

S = ActionStatus
SUMMARY = "actions: 54 added (2024: 17, 2025: 18, 2026: 19; 27 renewals, 2 from 2024 pitches)"


def seed_before_actions() -> None:
    """The steps the actions build on, in seed_demo's order."""
    seed_accounts()
    seed_contract()
    seed_perimeter()
    seed_actors()
    seed_editions()
    seed_workshops()


@pytest.fixture
def demo(db):
    seed_before_actions()
    return seed_actions()


def journal(action_name: str):
    return AuditLogEntry.objects.filter(target_type="actions.action", action=action_name)


def test_seed_actions_gives_three_years_of_demo_actions(demo):
    assert demo == SUMMARY
    per_year = Counter(Action.objects.values_list("year", flat=True))
    assert per_year == {2024: 17, 2025: 18, 2026: 19}
    assert Action.objects.filter(is_demo=False).count() == 0
    assert sorted(Action.objects.values_list("year", "reference")) == sorted(
        (spec["year"], spec["reference"]) for spec in demo_spec()
    )


def test_seed_actions_statuses_make_sense_for_december_2026(demo):
    def statuses(year):
        return Counter(Action.objects.filter(year=year).values_list("status", flat=True))

    assert statuses(2024) == {S.DONE: 16, S.ABANDONED: 1}
    assert statuses(2025) == {S.DONE: 17, S.ABANDONED: 1}
    assert statuses(2026) == {S.RUNNING: 13, S.DONE: 2, S.PROGRAMMED: 2, S.PROPOSED: 2}


def test_seed_actions_renews_through_the_service_in_chains(demo):
    renewals = Action.objects.filter(previous__isnull=False).select_related("previous")
    assert renewals.count() == 27
    assert all(a.previous.year == a.year - 1 for a in renewals)
    # The service journals each renewal on the action renewed.
    renewed = {int(e.target_id) for e in journal(AuditAction.ACTION_RENEWED)}
    assert renewed == {a.previous_id for a in renewals}
    chains = Action.objects.filter(year=2026, previous__previous__year=2024)
    assert chains.count() == 10
    assert set(chains.values_list("previous__previous__reference", "reference")) >= {
        ("AAP-2024-001", "AAP-2026-002"),
        ("AAP-2024-002", "AAP-2026-004"),
        ("AAP-2024-003", "AAP-2026-001"),
    }


def test_seed_actions_turns_exactly_two_2024_pitches_into_programmed_actions(demo):
    from_pitches = Action.objects.filter(pitch__isnull=False).select_related(
        "pitch__workgroup__edition"
    )
    assert sorted(
        (a.title, a.year, a.pitch.workgroup.edition.year, a.pitch.workgroup.number, a.status)
        for a in from_pitches
    ) == [
        ("Cap sur le permis", 2025, 2024, 1, S.DONE),
        ("Sport au féminin", 2025, 2024, 4, S.DONE),
    ]
    assert journal(AuditAction.ACTION_FROM_PITCH).count() == 2
    assert all(a.is_demo for a in from_pitches)
    # One of them carried on the year after.
    assert Action.objects.get(year=2026, previous__pitch__workgroup__number=1).status == S.RUNNING


def test_seed_actions_budgets_add_up_and_name_the_usual_funders(demo):
    for action in Action.objects.prefetch_related("fundings"):
        fundings = list(action.fundings.all())
        assert fundings, action
        assert action.budget_planned == sum(f.planned for f in fundings), action
        assert 2000 <= action.budget_planned <= 60000, action
        if action.status == S.DONE:
            assert action.budget_actual == sum(f.actual for f in fundings), action
        else:
            assert action.budget_actual is None, action
            assert [f.actual for f in fundings] == [None] * len(fundings), action
    funders = set(Funding.objects.values_list("funder", flat=True))
    assert {Funder.STATE, Funder.EPCI, Funder.COMMUNE, Funder.CAF, Funder.LANDLORD} <= funders
    assert sorted(
        Action.objects.filter(amounts_confidential=True).values_list("reference", flat=True)
    ) == ["AAP-2025-006", "AAP-2026-005"]


def test_seed_actions_indicators_have_targets_and_achievements_only_when_done(demo):
    assert not Action.objects.filter(indicators__isnull=True).exists()
    indicators = Indicator.objects.select_related("action")
    assert not indicators.filter(target__isnull=True).exists()
    done = indicators.filter(action__status=S.DONE)
    assert done.count() == 84
    assert done.filter(achieved__isnull=True).count() == 0
    assert indicators.exclude(action__status=S.DONE).filter(achieved__isnull=False).count() == 0
    assert set(indicators.values_list("unit", flat=True)) >= {
        "people",
        "young",
        "families",
        "sessions",
        "hours",
        "percent",
    }
    # An abandoned action says why.
    assert Indicator.objects.get(action__reference="AAP-2024-008").comment == (
        "Action arrêtée en avril : l'association a cessé son activité."
    )


def test_seed_actions_journals_each_step_with_who(demo):
    actions = Action.objects.count()
    assert journal(AuditAction.ACTION_CREATED).count() == actions
    # Every action but the two proposals was programmed by the organisers.
    programmed = [
        e
        for e in journal(AuditAction.ACTION_STATUS)
        if e.data["changes"]["status"] == [S.PROPOSED, S.PROGRAMMED]
    ]
    assert len(programmed) == actions - 2
    assert {e.actor_label for e in programmed} == {"organisateur@demo.test"}
    # The demo partner account reported on its own actions.
    reported = journal(AuditAction.ACTION_STATUS).filter(actor__email="association@demo.test")
    assert reported.count() == 5


def test_seed_actions_a_second_run_adds_nothing(demo):
    def snapshot():
        return (
            sorted(Action.objects.values_list("year", "reference", "status", "previous_id")),
            Funding.objects.count(),
            Indicator.objects.count(),
            AuditLogEntry.objects.filter(target_type="actions.action").count(),
        )

    first = snapshot()

    assert seed_actions() == SUMMARY.replace("54 added", "0 added")
    assert snapshot() == first


def test_seed_actions_keeps_a_renewal_made_during_a_demo(demo):
    # Someone deleted a 2026 renewal and renewed 2025's action again by hand: no second copy.
    Action.objects.get(reference="AAP-2026-002").delete()
    Action.objects.filter(year=2026, previous__reference="AAP-2025-003").delete()
    previous = Action.objects.get(reference="AAP-2025-003")
    Action.objects.create(
        title="Copie faite à la main",
        year=2026,
        carrier=previous.carrier,
        summary="Une copie.",
        previous=previous,
        status=S.PROPOSED,
    )

    assert seed_actions().startswith("actions: 0 added")
    assert Action.objects.filter(previous=previous).count() == 1


def test_seed_actions_gives_the_demo_partner_account_actions_to_edit(demo):
    user = User.objects.get(email="association@demo.test")
    carried = Action.objects.filter(carrier__memberships__user=user)
    assert carried.count() == 4
    assert all(user.has_perm("actions.change_action", action) for action in carried)
    # Its own proposal is visible to it, another carrier's is not.
    proposal = Action.objects.get(reference="AAP-2026-018")
    other = Action.objects.get(reference="AAP-2026-019")
    visible = actions_visible_to(user)
    assert visible.filter(pk=proposal.pk).exists()
    assert not visible.filter(pk=other.pk).exists()
    assert not user.has_perm("actions.change_action", other)


def test_seed_actions_without_the_organiser_account_does_nothing(db):
    assert seed_actions() == "actions: no organiser account"
    assert Action.objects.count() == 0
