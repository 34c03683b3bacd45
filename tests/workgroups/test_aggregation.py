"""The jury's arithmetic (workgroups.aggregation): exact, no database."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workgroups.aggregation import (
    MEAN,
    MEDIAN,
    CriterionSpec,
    aggregate,
    as_decimal,
    juror_score,
    median,
    normalised,
)

# Three criteria with different weights and scales.
NEED = CriterionSpec(id=1, weight=Fraction(2), scale_min=0, scale_max=5)
FEASIBLE = CriterionSpec(id=2, weight=Fraction(1), scale_min=0, scale_max=10)
NEW = CriterionSpec(id=3, weight=Fraction(1), scale_min=1, scale_max=5)
CRITERIA = [NEED, FEASIBLE, NEW]
BY_ID = {c.id: c for c in CRITERIA}

# Three jurors on one group. By hand, marks out of 20 then weighted (2, 1, 1):
#   ann:  4/5 -> 16, 5/10 -> 10, (3-1)/4 -> 10  => (32 + 10 + 10) / 4 = 13
#   ben:  5/5 -> 20, 10/10 -> 20, (5-1)/4 -> 20 => 20
#   cleo: 1/5 -> 4,  3/10 -> 6,  (2-1)/4 -> 5   => (8 + 6 + 5) / 4 = 19/4
SHEETS = {
    "ann": {1: 4, 2: 5, 3: 3},
    "ben": {1: 5, 2: 10, 3: 5},
    "cleo": {1: 1, 2: 3, 3: 2},
}


def test_normalised_brings_each_mark_to_twenty():
    assert normalised(NEED, 4) == 16
    assert normalised(FEASIBLE, 5) == 10
    assert normalised(NEW, 1) == 0
    assert normalised(NEW, 4) == 15


def test_juror_score_is_the_weighted_mean_out_of_twenty():
    assert juror_score(BY_ID, SHEETS["ann"]) == 13
    assert juror_score(BY_ID, SHEETS["ben"]) == 20
    assert juror_score(BY_ID, SHEETS["cleo"]) == Fraction(19, 4)


def test_juror_score_ignores_unknown_criteria_and_needs_one_known():
    assert juror_score(BY_ID, {1: 4, 99: 0}) == 16
    assert juror_score(BY_ID, {99: 3}) is None
    assert juror_score(BY_ID, {}) is None


def test_mean_with_weights_is_exact():
    [result] = aggregate(criteria=CRITERIA, groups=["g"], sheets={"g": SHEETS}, method=MEAN)
    # (13 + 20 + 19/4) / 3 = 151/12
    assert result.score == Fraction(151, 12)
    assert result.juror_scores == {"ann": 13, "ben": 20, "cleo": Fraction(19, 4)}
    assert result.criterion_means == {1: Fraction(10, 3), 2: Fraction(6), 3: Fraction(10, 3)}
    assert (result.low, result.high, result.spread) == (Fraction(19, 4), 20, Fraction(61, 4))
    assert result.juror_count == 3
    assert result.rank == 1
    assert result.tied is False


def test_median_with_weights_is_exact():
    [result] = aggregate(criteria=CRITERIA, groups=["g"], sheets={"g": SHEETS}, method=MEDIAN)
    assert result.score == 13
    # The criterion means stay means, whatever the aggregation.
    assert result.criterion_means == {1: Fraction(10, 3), 2: Fraction(6), 3: Fraction(10, 3)}


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_scores():
    two = {"ann": SHEETS["ann"], "cleo": SHEETS["cleo"]}
    [result] = aggregate(criteria=CRITERIA, groups=["g"], sheets={"g": two}, method=MEDIAN)
    # (19/4 + 13) / 2 = 71/8
    assert result.score == Fraction(71, 8)
    assert median([Fraction(1), Fraction(4), Fraction(2), Fraction(3)]) == Fraction(5, 2)


def test_decimal_weights_are_read_exactly():
    spec = CriterionSpec.of(
        type("C", (), {"id": 7, "weight": Decimal("0.10"), "scale_min": 0, "scale_max": 20})
    )
    assert spec.weight == Fraction(1, 10)


def test_standard_deviation_is_the_population_one():
    [result] = aggregate(
        criteria=[FEASIBLE],
        groups=["g"],
        sheets={"g": {"a": {2: 2}, "b": {2: 6}}},  # 4 and 12 out of 20
        method=MEAN,
    )
    assert result.stdev == 4.0


def test_ties_are_ranked_as_ties_on_exact_values():
    # Weights 0.1, 0.2, 0.3 on 0-20 scales (a mark is its own score out of 20).
    criteria = [
        CriterionSpec(id=pk, weight=Fraction(Decimal(weight)), scale_min=0, scale_max=20)
        for pk, weight in ((1, "0.1"), (2, "0.2"), (3, "0.3"))
    ]
    sheets = {
        "first": {"j": {1: 20, 2: 20, 3: 20}},
        "p": {"j": {1: 0, 2: 0, 3: 1}},  # 0.3 / 0.6 = 1/2
        "q": {"j": {1: 1, 2: 1, 3: 0}},  # 0.3 / 0.6 = 1/2 as well
        "last": {"j": {1: 0, 2: 0, 3: 0}},
    }

    # Floats would split the tie: the test is meaningful.
    def floating(a, b, c):
        return (0.1 * a + 0.2 * b + 0.3 * c) / (0.1 + 0.2 + 0.3)

    assert floating(0, 0, 1) != floating(1, 1, 0)
    results = aggregate(
        criteria=criteria, groups=["q", "last", "p", "first"], sheets=sheets, method=MEAN
    )
    assert [(r.group, r.rank, r.tied) for r in results] == [
        ("first", 1, False),
        ("q", 2, True),
        ("p", 2, True),
        ("last", 4, False),
    ]
    assert results[1].score == results[2].score == Fraction(1, 2)


def test_groups_without_sheets_come_last_unranked():
    sheets = {"b": {"j": {2: 10}}, "d": {"j": {99: 3}}}  # d marks no known criterion
    results = aggregate(criteria=CRITERIA, groups=["a", "b", "c", "d"], sheets=sheets, method=MEAN)
    assert [(r.group, r.rank, r.score, r.juror_count) for r in results] == [
        ("b", 1, 20, 1),
        ("a", None, None, 0),
        ("c", None, None, 0),
        ("d", None, None, 0),
    ]
    assert results[1].spread is None
    assert results[1].criterion_means == {}


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown aggregation"):
        aggregate(criteria=CRITERIA, groups=["g"], sheets={"g": SHEETS}, method="max")


def test_as_decimal_rounds_half_up_for_display():
    assert as_decimal(Fraction(151, 12)) == Decimal("12.58")
    assert as_decimal(Fraction(1, 8)) == Decimal("0.13")
    assert as_decimal(None) is None


# -- properties ----------------------------------------------------------------------

marks = st.integers(min_value=0, max_value=5)
sheet = st.fixed_dictionaries({1: marks, 2: st.integers(0, 10), 3: st.integers(1, 5)})
group_sheets = st.dictionaries(st.integers(0, 5), sheet, max_size=4)
scene = st.dictionaries(st.integers(0, 30), group_sheets, min_size=1, max_size=12)


@given(scene, st.sampled_from([MEAN, MEDIAN]))
def test_ranks_are_competition_ranks(sheets, method):
    results = aggregate(criteria=CRITERIA, groups=sorted(sheets), sheets=sheets, method=method)
    scored = [r for r in results if r.score is not None]
    assert results[: len(scored)] == scored
    for result in scored:
        better = sum(1 for other in scored if other.score > result.score)
        equal = sum(1 for other in scored if other.score == result.score)
        assert result.rank == better + 1
        assert result.tied == (equal > 1)
        assert result.low <= result.score <= result.high
        assert result.low >= 0
        assert result.high <= 20
    assert all(r.rank is None for r in results[len(scored) :])


@given(group_sheets.filter(bool), st.sampled_from([MEAN, MEDIAN]), st.randoms())
def test_juror_order_does_not_change_the_result(sheets, method, random):
    jurors = list(sheets)
    random.shuffle(jurors)
    shuffled = {juror: sheets[juror] for juror in jurors}
    [a] = aggregate(criteria=CRITERIA, groups=["g"], sheets={"g": sheets}, method=method)
    [b] = aggregate(criteria=CRITERIA, groups=["g"], sheets={"g": shuffled}, method=method)
    assert (a.score, a.criterion_means, a.low, a.high) == (
        b.score,
        b.criterion_means,
        b.low,
        b.high,
    )
