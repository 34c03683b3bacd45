"""The composition algorithm (workgroups/composition.py, docs/composition.md): properties
checked by hypothesis on generated people, and exact figures on tiny cases."""

from collections import Counter
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workgroups.composition import Person, compose, evaluate

ORGANISATIONS = [None, "mjc", "centre-social", "mission-locale", "bailleur", "ville", "caf"]
COLLEGES = ["porteur_projet", "cotech", "habitant", "copil"]
TERRITORIES = [None, "biollay-bellevue", "hauts-de-chambery", "le-covet"]


def people_lists(max_people=40):
    attributes = st.tuples(
        st.sampled_from(ORGANISATIONS), st.sampled_from(COLLEGES), st.sampled_from(TERRITORIES)
    )
    return st.lists(attributes, max_size=max_people).map(
        lambda rows: [Person(i, *row) for i, row in enumerate(rows, start=1)]
    )


@st.composite
def problems(draw, with_fixed=False):
    people = draw(people_lists())
    group_count = draw(st.integers(min_value=1, max_value=8))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    pinned, seated = {}, {}
    if with_fixed and people:
        fixed = draw(st.lists(st.sampled_from(people), unique=True, max_size=len(people)))
        for person in fixed:
            target = pinned if draw(st.booleans()) else seated
            target[person.id] = draw(st.integers(min_value=0, max_value=group_count - 1))
    return people, group_count, seed, pinned, seated


def pigeonhole_minimum(people, group_count):
    """Fewest same-organisation pairs: each organisation spread evenly over the groups."""
    sizes = Counter(p.organisation for p in people if p.organisation is not None)
    total = 0
    for size in sizes.values():
        per_group, remainder = divmod(size, group_count)
        total += remainder * comb(per_group + 1, 2) + (group_count - remainder) * comb(per_group, 2)
    return total


def same_organisation_pairs(people, assignment):
    pairs = Counter(
        (assignment[p.id], p.organisation) for p in people if p.organisation is not None
    )
    return sum(comb(count, 2) for count in pairs.values())


# -- properties ----------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(problems())
def test_compose_places_everyone_once_in_groups_within_one(problem):
    people, group_count, seed, _pinned, _seated = problem
    composition = compose(people, group_count, seed=seed)
    assert sorted(composition.assignment) == sorted(p.id for p in people)
    assert set(composition.assignment.values()) <= set(range(group_count))
    sizes = Counter(composition.assignment.values())
    assert composition.sizes == tuple(sizes[g] for g in range(group_count))
    assert max(composition.sizes) - min(composition.sizes) <= 1
    assert composition.balanced is True


@settings(max_examples=80, deadline=None)
@given(problems())
def test_compose_same_organisation_pairs_minimal_without_pins(problem):
    people, group_count, seed, _pinned, _seated = problem
    composition = compose(people, group_count, seed=seed)
    minimum = pigeonhole_minimum(people, group_count)
    assert same_organisation_pairs(people, composition.assignment) == minimum
    assert composition.same_organisation == minimum
    assert composition.same_organisation_min == minimum


@settings(max_examples=80, deadline=None)
@given(problems(with_fixed=True))
def test_compose_keeps_pinned_and_seated_and_balances_the_rest(problem):
    people, group_count, seed, pinned, seated = problem
    composition = compose(people, group_count, seed=seed, pinned=pinned, seated=seated)
    for person_id, group in {**seated, **pinned}.items():
        assert composition.assignment[person_id] == group
    assert sorted(composition.assignment) == sorted(p.id for p in people)
    # As balanced as the fixed people allow: nobody who could have gone elsewhere sits in
    # a group two people larger than the smallest one.
    smallest = min(composition.sizes)
    for person_id, group in composition.assignment.items():
        if person_id not in pinned and person_id not in seated:
            assert composition.sizes[group] <= smallest + 1
    assert composition.balanced == (max(composition.sizes) - smallest <= 1)


@settings(max_examples=60, deadline=None)
@given(problems(with_fixed=True))
def test_compose_same_seed_same_groups(problem):
    people, group_count, seed, pinned, seated = problem
    first = compose(people, group_count, seed=seed, pinned=pinned, seated=seated)
    again = compose(list(reversed(people)), group_count, seed=seed, pinned=pinned, seated=seated)
    assert again == first


@settings(max_examples=60, deadline=None)
@given(problems(with_fixed=True))
def test_compose_score_between_bound_and_counts(problem):
    people, group_count, seed, pinned, seated = problem
    composition = compose(people, group_count, seed=seed, pinned=pinned, seated=seated)
    assert 0 <= composition.score <= composition.bound + 1e-9
    assert composition.bound <= 1
    assert composition.same_organisation >= composition.same_organisation_min
    assert composition.same_college >= composition.same_college_min
    assert composition.same_territory >= composition.same_territory_min
    assert composition.pairs == sum(comb(size, 2) for size in composition.sizes)
    assert [g.size for g in composition.groups] == list(composition.sizes)


@settings(max_examples=60, deadline=None)
@given(problems(with_fixed=True), st.integers(min_value=0, max_value=2**32 - 1))
def test_compose_with_everyone_seated_changes_nothing(problem, other_seed):
    people, group_count, seed, pinned, seated = problem
    composition = compose(people, group_count, seed=seed, pinned=pinned, seated=seated)
    again = compose(people, group_count, seed=other_seed, seated=composition.assignment)
    assert again.assignment == composition.assignment


@settings(max_examples=60, deadline=None)
@given(problems(with_fixed=True))
def test_evaluate_gives_the_scores_of_compose(problem):
    people, group_count, seed, pinned, seated = problem
    composition = compose(people, group_count, seed=seed, pinned=pinned, seated=seated)
    scored = evaluate(
        people, group_count, composition.assignment, fixed={**seated, **pinned}.keys()
    )
    assert scored.groups == composition.groups
    assert (scored.score, scored.bound, scored.random_score) == (
        composition.score,
        composition.bound,
        composition.random_score,
    )


@st.composite
def realistic_problems(draw):
    """Several people per group, organisations of a few people each, as on the day."""
    group_count = draw(st.integers(min_value=2, max_value=6))
    organisations = draw(st.lists(st.integers(min_value=1, max_value=5), min_size=4, max_size=25))
    people = []
    for number, size in enumerate(organisations):
        college = draw(st.sampled_from(COLLEGES))
        for _ in range(size):
            people.append(
                Person(
                    id=len(people) + 1,
                    organisation=f"org-{number}",
                    college=draw(st.sampled_from([college, college, *COLLEGES])),
                    territory=draw(st.sampled_from(TERRITORIES)),
                )
            )
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    return people, group_count, seed


@settings(max_examples=60, deadline=None)
@given(realistic_problems())
def test_compose_scores_at_least_random_on_realistic_people(problem):
    people, group_count, seed = problem
    composition = compose(people, group_count, seed=seed)
    assert composition.random_score - 1e-9 <= composition.score <= composition.bound + 1e-9


def test_compose_other_seed_may_give_other_groups():
    people = [Person(i, None, "cotech", None) for i in range(1, 21)]
    results = {tuple(sorted(compose(people, 4, seed=s).assignment.items())) for s in range(5)}
    assert len(results) > 1


# -- tiny cases, exact figures ---------------------------------------------------------------


def six_people():
    return [
        Person(1, "mjc", "porteur_projet", "le-covet"),
        Person(2, "mjc", "porteur_projet", "le-covet"),
        Person(3, "caf", "cotech", "le-covet"),
        Person(4, "caf", "cotech", "le-covet"),
        Person(5, None, "porteur_projet", "le-covet"),
        Person(6, None, "cotech", None),
    ]


def test_compose_six_people_two_groups_reaches_the_bound():
    composition = compose(six_people(), 2, seed=7)
    assert composition.sizes == (3, 3)
    assert composition.assignment[1] != composition.assignment[2]
    assert composition.assignment[3] != composition.assignment[4]
    # Best possible: no organisation pair; each group one college pair; neighbourhoods
    # 3 + 1 pairs (five people of le-covet, one of unknown neighbourhood).
    assert (
        composition.same_organisation,
        composition.same_college,
        composition.same_territory,
    ) == (0, 2, 4)
    assert (
        composition.same_organisation_min,
        composition.same_college_min,
        composition.same_territory_min,
    ) == (0, 2, 4)
    assert composition.pairs == 6
    assert composition.score == pytest.approx(2 / 3)  # 6 shared of 18 (6 pairs, 3 dimensions)
    assert composition.bound == pytest.approx(2 / 3)
    # Random: 2 + 6 + 10 same-value pairs among the 15 pairs, each together with
    # probability 6 / 15: 7.2 shared of 18.
    assert composition.random_score == pytest.approx(0.6)
    with_six = composition.groups[composition.assignment[6]]
    other = composition.groups[1 - composition.assignment[6]]
    assert (with_six.same_college, with_six.same_territory, with_six.score) == (
        1,
        1,
        pytest.approx(7 / 9),
    )
    assert (other.same_college, other.same_territory, other.score) == (1, 3, pytest.approx(5 / 9))


def test_evaluate_six_people_all_together():
    composition = evaluate(six_people(), 2, dict.fromkeys(range(1, 7), 0))
    assert composition.sizes == (6, 0)
    assert composition.balanced is False
    assert (
        composition.same_organisation,
        composition.same_college,
        composition.same_territory,
    ) == (2, 6, 10)
    assert composition.score == pytest.approx(1 - 18 / 45)
    assert composition.groups[1].score is None
    # With these sizes, nothing could do better or worse.
    assert composition.bound == pytest.approx(composition.score)
    assert composition.random_score == pytest.approx(composition.score)


def test_compose_unknown_organisations_are_not_one_organisation():
    people = [Person(i, None, "habitant", None) for i in range(1, 5)]
    composition = compose(people, 1, seed=1)
    assert composition.same_organisation == 0
    assert composition.same_college == 6
    assert composition.same_territory == 6
    assert composition.score == pytest.approx(1 / 3)


def test_compose_organisation_larger_than_the_groups_count():
    people = [Person(i, "ville", "cotech", None) for i in range(1, 6)]
    composition = compose(people, 2, seed=1)
    assert sorted(composition.sizes) == [2, 3]
    assert composition.same_organisation == 1 + 3
    assert composition.same_organisation_min == 4


def test_compose_pins_that_unbalance_the_groups_are_reported():
    people = [Person(i, None, "cotech", None) for i in range(1, 6)]
    composition = compose(people, 2, seed=1, pinned={1: 0, 2: 0, 3: 0, 4: 0})
    assert composition.assignment == {1: 0, 2: 0, 3: 0, 4: 0, 5: 1}
    assert composition.sizes == (4, 1)
    assert composition.balanced is False


def test_compose_pinned_wins_over_seated():
    people = [Person(i, None, "cotech", None) for i in range(1, 5)]
    composition = compose(people, 2, seed=1, pinned={1: 1}, seated={1: 0, 2: 0})
    assert composition.assignment[1] == 1
    assert composition.assignment[2] == 0


def test_compose_late_arrivals_keep_the_seated_in_place():
    first = compose(six_people(), 2, seed=3)
    late = [Person(7, "mjc", "cotech", "le-covet"), Person(8, "caf", "habitant", None)]
    again = compose([*six_people(), *late], 2, seed=3, seated=first.assignment)
    assert {i: again.assignment[i] for i in first.assignment} == first.assignment
    assert again.sizes == (4, 4)
    # Both groups already hold one person of the mjc and one of the caf: each newcomer
    # makes one pair wherever they go.
    assert again.same_organisation == 2


def test_compose_no_people():
    composition = compose([], 3, seed=1)
    assert composition.assignment == {}
    assert composition.sizes == (0, 0, 0)
    assert (composition.score, composition.bound, composition.random_score) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    ("group_count", "pinned", "message"),
    [
        (0, {}, "At least one group"),
        (2, {99: 0}, "not among the people"),
        (2, {1: 2}, "not between 0 and 1"),
    ],
)
def test_compose_refuses_bad_input(group_count, pinned, message):
    with pytest.raises(ValueError, match=message):
        compose(six_people(), group_count, seed=1, pinned=pinned)


def test_compose_refuses_the_same_person_twice():
    with pytest.raises(ValueError, match="appears twice"):
        compose([*six_people(), Person(1, None, "cotech", None)], 2, seed=1)


def test_evaluate_refuses_an_incomplete_assignment():
    with pytest.raises(ValueError, match="every person"):
        evaluate(six_people(), 2, {1: 0})
