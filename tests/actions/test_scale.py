"""``seed_demo --actions N``: generated actions of one year, in batch, for the bilan benchmark."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from actions.demo import GENERATED_PREFIX, SCALE_YEAR, seed_many
from actions.enums import ActionStatus
from actions.models import Action, Funding, Indicator
from actions.selectors.bilan import bilan_for
from contract.demo import seed_contract
from contrat_ville.demo import seed_accounts
from neighbourhoods.demo import seed_perimeter
from partners.demo import seed_actors


@pytest.fixture
def directory(db):
    """What generated actions draw from: priorities, territories, publics, actors."""
    seed_accounts()
    seed_contract()
    seed_perimeter()
    seed_actors()


def generated():
    return Action.objects.filter(year=SCALE_YEAR, reference__startswith=GENERATED_PREFIX)


def test_seed_many_builds_n_actions_with_their_rows(directory):
    summary = seed_many(40)

    assert summary == f"40 generated actions added: 40 in {SCALE_YEAR}"
    assert generated().count() == 40
    assert Action.objects.filter(year=SCALE_YEAR, is_demo=True).count() == 40
    annotated = generated().annotate(
        f=Count("fundings", distinct=True),
        i=Count("indicators", distinct=True),
        t=Count("territories", distinct=True),
        p=Count("publics", distinct=True),
    )
    assert not annotated.filter(f=0).exists()
    assert not annotated.filter(i=0).exists()
    assert not annotated.filter(p=0).exists()
    assert annotated.filter(t__gt=0).count() >= 30
    assert Action.partners.through.objects.filter(action__in=generated()).exists()
    assert len(set(generated().values_list("status", flat=True))) >= 4


def test_seed_many_keeps_budgets_and_statuses_consistent(directory):
    seed_many(60)

    for action in generated().prefetch_related("fundings", "indicators"):
        fundings = list(action.fundings.all())
        assert action.budget_planned == sum(f.planned for f in fundings)
        if action.status == ActionStatus.DONE:
            assert action.budget_actual == sum(f.actual for f in fundings)
            assert all(i.achieved is not None for i in action.indicators.all())
        else:
            assert action.budget_actual is None
            assert all(i.achieved is None for i in action.indicators.all())
        if action.objective_id:
            assert action.objective.priority_id == action.priority_id
    bilan = bilan_for(SCALE_YEAR, "organisers")
    assert bilan.programme == generated().exclude(status=ActionStatus.PROPOSED).count()


def test_seed_many_writes_in_a_bounded_number_of_queries(directory):
    def queries(count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            seed_many(count)
        return len(captured.captured_queries)

    few = queries(5)
    Action.objects.filter(year=SCALE_YEAR).delete()
    many = queries(30)

    # 7 reads (the year's count and last number, actors, priorities, objectives, territories,
    # publics), a savepoint and its release, 6 inserts (actions, their partners, territories,
    # publics, fundings, indicators), then ANALYZE of those 6 tables.
    assert few == many == 21


def test_seed_many_counts_what_the_year_holds_and_continues_numbering(directory):
    seed_many(10)
    assert seed_many(10) == f"10 actions in {SCALE_YEAR} already: none generated"

    assert seed_many(13) == f"3 generated actions added: 13 in {SCALE_YEAR}"
    assert sorted(generated().values_list("reference", flat=True))[-3:] == [
        "GEN-000011",
        "GEN-000012",
        "GEN-000013",
    ]
    assert Funding.objects.filter(action__in=generated()).count() >= 13
    assert Indicator.objects.filter(action__in=generated()).count() >= 13


def test_seed_many_is_deterministic(directory):
    seed_many(20)
    first = list(generated().order_by("reference").values_list("reference", "title", "status"))
    Action.objects.all().delete()

    seed_many(20)

    assert list(generated().order_by("reference").values_list("reference", "title", "status")) == (
        first
    )


def test_seed_demo_actions_option_fills_the_year_up_to_n(settings, db):
    settings.DEBUG = True

    call_command("seed_demo", "--actions", "40")

    assert Action.objects.filter(year=SCALE_YEAR).count() == 40
    # The showcase's 2026 actions count towards the N asked for.
    assert generated().count() == 40 - 19
