"""The database refuses what makes no sense, whatever the form or the import let through."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from actions.enums import ActionStatus, Funder, IndicatorUnit
from actions.models import Action, Funding, Indicator


def _refused(make, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(**fields)


@pytest.fixture
def action(make_action, actor_a):
    return make_action(actor_a, budget_planned="1000")


@pytest.mark.parametrize("field", ["budget_planned", "budget_actual"])
def test_action_amounts_below_zero_refused(action, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(**{field: Decimal("-0.01")})


def test_action_zero_amounts_accepted(action):
    Action.objects.filter(pk=action.pk).update(budget_planned=0, budget_actual=0)
    action.refresh_from_db()
    assert (action.budget_planned, action.budget_actual) == (0, 0)


@pytest.mark.parametrize("year", [1999, 2101])
def test_action_year_outside_range_refused(action, year):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(year=year)


def test_action_unknown_status_refused(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status="lost")


def test_action_end_before_start_refused(action):
    import datetime

    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(
            start_date=datetime.date(2025, 5, 2), end_date=datetime.date(2025, 5, 1)
        )


def test_action_proposed_with_actual_budget_refused(make_action, actor_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_action(actor_a, status=ActionStatus.PROPOSED, budget_actual="10")


def test_action_empty_title_refused(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(title="")


def test_action_reference_unique_within_a_year_only(make_action, actor_a):
    make_action(actor_a, reference="AAP-1", year=2025)
    make_action(actor_a, reference="AAP-1", year=2026)
    make_action(actor_a, reference="", year=2025)
    make_action(actor_a, reference="", year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_action(actor_a, reference="AAP-1", year=2025)


def test_action_renewed_once_only(make_action, actor_a, action):
    make_action(actor_a, year=2026, previous=action)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_action(actor_a, year=2026, previous=action)


def test_funding_negative_or_unknown_refused(action):
    for fields in (
        {"funder": Funder.STATE, "planned": Decimal("-1")},
        {"funder": Funder.STATE, "planned": Decimal("1"), "actual": Decimal("-1")},
        {"funder": "bank", "planned": Decimal("1")},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Funding.objects.create(action=action, **fields)


def test_funding_one_line_per_funder_and_name(action):
    Funding.objects.create(action=action, funder=Funder.OTHER, name="Fondation A", planned=1)
    Funding.objects.create(action=action, funder=Funder.OTHER, name="Fondation B", planned=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Funding.objects.create(action=action, funder=Funder.OTHER, name="Fondation A", planned=2)


@pytest.mark.parametrize(
    ("unit", "target", "achieved"),
    [
        ("kilos", None, None),
        (IndicatorUnit.PEOPLE, Decimal("-1"), None),
        (IndicatorUnit.PEOPLE, None, Decimal("-1")),
        (IndicatorUnit.PERCENT, Decimal("101"), None),
        (IndicatorUnit.PERCENT, None, Decimal("100.01")),
    ],
)
def test_indicator_bad_values_refused(action, unit, target, achieved):
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            action=action, label="Taux", unit=unit, target=target, achieved=achieved
        )


def test_indicator_percent_up_to_100_and_people_above(action):
    Indicator.objects.create(
        action=action, label="Taux", unit=IndicatorUnit.PERCENT, target=100, achieved=80
    )
    people = Indicator.objects.create(
        action=action, label="Jeunes", unit=IndicatorUnit.PEOPLE, target=40, achieved=450
    )
    assert people.rate == 1125


def test_indicator_rate_needs_target_and_achieved(action):
    assert Indicator(label="x", unit="people", target=None, achieved=3).rate is None
    assert Indicator(label="x", unit="people", target=0, achieved=3).rate is None
    assert Indicator(label="x", unit="people", target=3, achieved=1).rate == 33
