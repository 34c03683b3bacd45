"""Mixed workshop groups: who sits in which group (docs/composition.md).

Pure Python, no Django: the service reads the registrations and seats, turns them into
`Person`s, calls `compose`, and writes the seats; pages call `evaluate` to score the groups
as they stand after organisers moved people by hand.

Everything is deterministic: the only randomness is a `random.Random(seed)`, people are
handled in the order of their ids, values in sorted order, and the search stops after a
fixed amount of work (never after a time), so the same people, pins and seed give the same
groups on every machine.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from math import comb

# Local-search work limit, in swap evaluations (a count, not a time, so that the result does
# not depend on the machine). A pass over 500 people is about 130,000 evaluations; the limit
# only bites above about 1,400 people (docs/composition.md).
MAX_EVALUATIONS = 1_000_000

ORGANISATION, COLLEGE, TERRITORY = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Person:
    """One participant, as far as mixing goes.

    `organisation` is a string equal for two people of the same structure (for instance
    "actor:12" for a directory actor, else the typed name, normalised); None means unknown,
    and such a person is never counted as sharing an organisation with anyone. A None
    `college` or `territory` is one more value like the others: two people of unknown
    neighbourhood count as the same one.
    """

    id: int
    organisation: str | None
    college: str | None
    territory: str | None


@dataclass(frozen=True, slots=True)
class GroupScore:
    index: int
    size: int
    pairs: int  # pairs of people in the group: size * (size - 1) / 2
    same_organisation: int  # pairs of the group from the same organisation
    same_college: int
    same_territory: int
    score: float | None  # mixing score of the group; None below two people (no pair)


@dataclass(frozen=True, slots=True)
class Composition:
    """Groups and their scores. Numbers only: pages write the sentences.

    score, bound and random_score are mixing scores between 0 and 1 (1: nobody shares an
    organisation, a college or a neighbourhood with a group-mate). `bound` is an upper
    bound on the score any assignment with these sizes (and these fixed people) could
    reach; `random_score` is the exact expected score of placing the people who are not
    fixed at random into the same sizes. The `*_min` figures are lower bounds on the
    same-value pairs any such assignment must have.
    """

    group_count: int
    assignment: dict[int, int]  # person id: group index (0 .. group_count - 1)
    sizes: tuple[int, ...]
    balanced: bool  # group sizes differ by at most one
    groups: tuple[GroupScore, ...]
    pairs: int  # same-group pairs, all groups
    same_organisation: int
    same_organisation_min: int
    same_college: int
    same_college_min: int
    same_territory: int
    same_territory_min: int
    score: float
    bound: float
    random_score: float
    improvements: int = 0  # moves and swaps made after the first placement (compose only)


# -- whether composing makes sense ----------------------------------------------------------

# Below two people a group has nobody to talk with and no pair to score: the mixing score
# of such groups says nothing (it would read 100 for groups of one).
MIN_GROUP_SIZE = 2


class Sizing:
    """How many people there are for how many groups (the service words it)."""

    OK = "ok"
    NOBODY = "nobody"  # no one to place: refused
    EMPTY_GROUPS = "empty_groups"  # fewer people than groups: some would stay empty, refused
    SMALL_GROUPS = "small_groups"  # some group would get a single person: warned


def sizing(people: int, group_count: int) -> str:
    """Whether `people` people can be spread over `group_count` groups of at least two,
    sizes differing by at most one (as `compose` does without pins)."""
    if people <= 0:
        return Sizing.NOBODY
    if people < group_count:
        return Sizing.EMPTY_GROUPS
    if people < MIN_GROUP_SIZE * group_count:
        return Sizing.SMALL_GROUPS
    return Sizing.OK


def score_meaningful(sizes: Sequence[int]) -> bool:
    """A mixing score compares group-mates: it means something only when every group has
    at least two people."""
    return bool(sizes) and min(sizes) >= MIN_GROUP_SIZE


# -- public functions ---------------------------------------------------------------------


def compose(
    people: Sequence[Person],
    group_count: int,
    *,
    seed: int,
    pinned: Mapping[int, int] | None = None,
    seated: Mapping[int, int] | None = None,
) -> Composition:
    """Spread `people` over `group_count` groups, mixing organisations, colleges, territories.

    `pinned` (placed by an organiser) and `seated` (already in a group: re-running for late
    arrivals) people stay where they are; a person in both keeps the pinned group. Sizes
    differ by at most one when the fixed people allow it, otherwise they are as even as
    possible (`balanced` is False). Raises ValueError on unknown ids or group indexes.
    """
    fixed = _fixed_groups(people, group_count, pinned, seated)
    problem = _Problem(people, group_count, fixed)
    rng = random.Random(seed)  # noqa: S311 (reproducible draws, not secrets)
    problem.place_greedily(rng)
    improvements = problem.repair_organisations()
    improvements += problem.local_search(rng)
    assignment = {problem.ids[i]: problem.group[i] for i in range(problem.n)}
    return _evaluate(problem.people, group_count, assignment, set(fixed), improvements)


def evaluate(
    people: Sequence[Person],
    group_count: int,
    assignment: Mapping[int, int],
    *,
    fixed: Collection[int] = (),
) -> Composition:
    """Score an assignment (every person in one group), e.g. after moves made by hand.

    `fixed`: ids of people who could not have been placed elsewhere (pinned): the bound and
    the random baseline keep them in their group.
    """
    ordered = _sorted_people(people)
    ids = {person.id for person in ordered}
    if set(assignment) != ids:
        raise ValueError("The assignment must place every person, and only them.")
    _check_groups(assignment, group_count)
    unknown = set(fixed) - ids
    if unknown:
        raise ValueError(f"Unknown fixed people: {sorted(unknown)}")
    return _evaluate(ordered, group_count, dict(assignment), set(fixed), 0)


# -- validation ----------------------------------------------------------------------------


def _sorted_people(people: Sequence[Person]) -> list[Person]:
    ordered = sorted(people, key=lambda person: person.id)
    for previous, person in pairwise(ordered):
        if previous.id == person.id:
            raise ValueError(f"Person {person.id} appears twice.")
    return ordered


def _check_groups(assignment: Mapping[int, int], group_count: int) -> None:
    if group_count < 1:
        raise ValueError("At least one group is needed.")
    for person_id, index in assignment.items():
        if not 0 <= index < group_count:
            raise ValueError(
                f"Person {person_id}: group {index} is not between 0 and {group_count - 1}."
            )


def _fixed_groups(
    people: Sequence[Person],
    group_count: int,
    pinned: Mapping[int, int] | None,
    seated: Mapping[int, int] | None,
) -> dict[int, int]:
    fixed = {**(seated or {}), **(pinned or {})}  # pinned wins over seated
    _check_groups(fixed, group_count)
    unknown = set(fixed) - {person.id for person in people}
    if unknown:
        raise ValueError(f"Pinned or seated people who are not among the people: {sorted(unknown)}")
    return fixed


# -- the search ----------------------------------------------------------------------------


def _value_key(value: str | None) -> tuple[bool, str]:
    return (value is None, value or "")


class _Problem:
    """People as integer codes, per-group counters, and the moves that keep them up to date.

    The cost of an assignment is, over all groups, the pairs of group-mates sharing an
    organisation times W, plus those sharing a college, plus those sharing a territory.
    W is larger than anything one move or swap can change in the other two, so a move that
    adds a same-organisation pair is never accepted: organisations come first, always.
    """

    def __init__(self, people: Sequence[Person], group_count: int, fixed: Mapping[int, int]):
        self.people = _sorted_people(people)
        self.n = len(self.people)
        self.k = group_count
        self.ids = [person.id for person in self.people]
        # Codes: one per distinct value, in sorted order; an unknown organisation gets a
        # code of its own, shared with nobody.
        organisations = sorted({p.organisation for p in self.people if p.organisation is not None})
        organisation_code = {value: code for code, value in enumerate(organisations)}
        solo = len(organisations)
        self.value: list[list[int]] = [[], [], []]
        for person in self.people:
            if person.organisation is None:
                self.value[ORGANISATION].append(solo)
                solo += 1
            else:
                self.value[ORGANISATION].append(organisation_code[person.organisation])
        value_counts = [solo, 0, 0]
        for dimension, attribute in ((COLLEGE, "college"), (TERRITORY, "territory")):
            values = sorted({getattr(p, attribute) for p in self.people}, key=_value_key)
            code = {value: index for index, value in enumerate(values)}
            self.value[dimension] = [code[getattr(p, attribute)] for p in self.people]
            value_counts[dimension] = len(values)
        # Organisations with more than one member (the only ones that can form a pair).
        members: dict[int, list[int]] = {}
        for i, code in enumerate(self.value[ORGANISATION]):
            members.setdefault(code, []).append(i)
        self.organisation_members = {c: m for c, m in sorted(members.items()) if len(m) > 1}

        index_of = {person_id: i for i, person_id in enumerate(self.ids)}
        self.group = [-1] * self.n
        self.free = [True] * self.n
        self.size = [0] * self.k
        self.count = [[[0] * value_counts[d] for _ in range(self.k)] for d in range(3)]
        self.members: list[list[int]] = [[] for _ in range(self.k)]  # free people per group
        self.position = [-1] * self.n  # index of a free person in self.members[its group]
        for person_id, g in sorted(fixed.items()):
            i = index_of[person_id]
            self.free[i] = False
            self._add(i, g)
        self.capacity = self._capacities()
        largest = max(self.capacity, default=0)
        self.W = 4 * largest + 5

    # counters

    def _add(self, i: int, g: int) -> None:
        self.group[i] = g
        self.size[g] += 1
        for d in range(3):
            self.count[d][g][self.value[d][i]] += 1
        if self.free[i]:
            self.position[i] = len(self.members[g])
            self.members[g].append(i)

    def _remove(self, i: int) -> None:
        g = self.group[i]
        self.size[g] -= 1
        for d in range(3):
            self.count[d][g][self.value[d][i]] -= 1
        if self.free[i]:
            members = self.members[g]
            last = members.pop()
            if last != i:
                members[self.position[i]] = last
                self.position[last] = self.position[i]
        self.group[i] = -1

    def _move(self, i: int, g: int) -> None:
        self._remove(i)
        self._add(i, g)

    def _swap(self, a: int, b: int) -> None:
        group_a, group_b = self.group[a], self.group[b]
        self._move(a, group_b)
        self._move(b, group_a)

    def _capacities(self) -> list[int]:
        """Final sizes: the fixed people, then each free seat to the smallest group."""
        capacity = list(self.size)
        heap = [(size, g) for g, size in enumerate(capacity)]
        heapq.heapify(heap)
        for _ in range(sum(self.free)):
            size, g = heapq.heappop(heap)
            capacity[g] = size + 1
            heapq.heappush(heap, (size + 1, g))
        return capacity

    # deltas

    def _swap_delta(self, a: int, b: int) -> int:
        group_a, group_b = self.group[a], self.group[b]
        delta = 0
        for d, weight in ((0, self.W), (1, 1), (2, 1)):
            x, y = self.value[d][a], self.value[d][b]
            if x != y:
                in_a, in_b = self.count[d][group_a], self.count[d][group_b]
                delta += weight * (in_a[y] + in_b[x] - in_a[x] - in_b[y] + 2)
        return delta

    # phases

    def place_greedily(self, rng: random.Random) -> None:
        """Free people one by one, each into the group with room where it costs least.

        Order: members of the largest organisations first (they are the hardest to keep
        apart), then people whose college and territory are common (the rare ones fit
        anywhere). Ties between groups: the one with most room, then a seeded draw.
        """
        free = [i for i in range(self.n) if self.free[i]]
        organisation_size: dict[int, int] = {}
        for i in free:
            code = self.value[ORGANISATION][i]
            organisation_size[code] = organisation_size.get(code, 0) + 1
        organisation_draw = {code: rng.random() for code in sorted(organisation_size)}
        frequency = [[0] * len(self.count[d][0]) for d in range(3)]
        for i in range(self.n):
            for d in (COLLEGE, TERRITORY):
                frequency[d][self.value[d][i]] += 1
        person_draw = {i: rng.random() for i in free}

        def order(i: int) -> tuple[int, float, int, float]:
            code = self.value[ORGANISATION][i]
            size = organisation_size[code]
            common = frequency[COLLEGE][self.value[COLLEGE][i]]
            common += frequency[TERRITORY][self.value[TERRITORY][i]]
            return (-size, organisation_draw[code] if size > 1 else 0.0, -common, person_draw[i])

        groups = list(range(self.k))
        count_o, count_c, count_t = self.count
        for i in sorted(free, key=order):
            o, c, t = self.value[0][i], self.value[1][i], self.value[2][i]
            rng.shuffle(groups)
            best, best_key = -1, None
            for g in groups:
                room = self.capacity[g] - self.size[g]
                if room <= 0:
                    continue
                key = (self.W * count_o[g][o] + count_c[g][c] + count_t[g][t], -room)
                if best_key is None or key < best_key:
                    best, best_key = g, key
            self._add(i, best)

    def repair_organisations(self) -> int:
        """Even out every organisation: while one group holds two more of an organisation
        than another, move or swap one of them there (a swap that removes a same-organisation
        pair always exists when nobody is fixed; with fixed people, as far as they allow)."""
        repairs = 0
        improved = True
        while improved:
            improved = False
            for code, members in self.organisation_members.items():
                if self._repair_one(code, members):
                    repairs += 1
                    improved = True
        return repairs

    def _repair_one(self, code: int, members: list[int]) -> bool:
        counts = self.count[ORGANISATION]
        movable = sorted(
            {self.group[i] for i in members if self.free[i]},
            key=lambda g: (-counts[g][code], g),
        )
        for source in movable:
            targets = [g for g in range(self.k) if counts[g][code] <= counts[source][code] - 2]
            targets.sort(key=lambda g: (counts[g][code], g))
            for a in members:
                if not self.free[a] or self.group[a] != source:
                    continue
                for target in targets:
                    if self.size[source] == self.size[target] + 1:
                        self._move(a, target)
                        return True
                    best, best_delta = -1, 0
                    for b in self.members[target]:
                        delta = self._swap_delta(a, b)
                        if delta < best_delta:
                            best, best_delta = b, delta
                    if best >= 0:
                        self._swap(a, best)
                        return True
        return False

    def local_search(self, rng: random.Random) -> int:
        """First-improvement swaps (and moves between groups one apart in size, which keep
        the sizes as they are) between free people, until a whole pass finds nothing or the
        work limit is reached.

        For a person a and another group B, m(a, B) is the change of cost if a alone moved
        to B. A swap of a with b in B changes the cost by m(a, B) + m(b, A) - 2 s(a, b),
        where s(a, b) is the weight of what a and b share; so an improving swap has
        m(a, B) < s(a, b) or m(b, A) < s(a, b), and only groups B where m(a, B) is below
        what a could share with someone there need to be searched.
        """
        order = [i for i in range(self.n) if self.free[i]]
        rng.shuffle(order)
        W, k = self.W, self.k
        value_o, value_c, value_t = self.value
        count_o, count_c, count_t = self.count
        group, size, members = self.group, self.size, self.members
        evaluations = improvements = 0
        improved = True
        while improved and evaluations < MAX_EVALUATIONS:
            improved = False
            for a in order:
                A = group[a]
                o, c, t = value_o[a], value_c[a], value_t[a]
                in_o, in_c, in_t = count_o[A], count_c[A], count_t[A]
                here = W * (in_o[o] - 1) + in_c[c] - 1 + in_t[t] - 1
                candidates = []
                for B in range(k):
                    if B == A:
                        continue
                    shared_o, shared_c, shared_t = count_o[B][o], count_c[B][c], count_t[B][t]
                    m = W * shared_o + shared_c + shared_t - here
                    share = (W if shared_o else 0) + (1 if shared_c else 0) + (1 if shared_t else 0)
                    if m < share:
                        candidates.append((m, B))
                candidates.sort()
                for m, B in candidates:
                    if m < 0 and size[A] == size[B] + 1:
                        self._move(a, B)
                        improvements += 1
                        improved = True
                        break
                    out_o, out_c, out_t = count_o[B], count_c[B], count_t[B]
                    found = -1
                    for b in members[B]:
                        evaluations += 1
                        delta = 0
                        y = value_o[b]
                        if y != o:
                            delta += W * (in_o[y] + out_o[o] - in_o[o] - out_o[y] + 2)
                        y = value_c[b]
                        if y != c:
                            delta += in_c[y] + out_c[c] - in_c[c] - out_c[y] + 2
                        y = value_t[b]
                        if y != t:
                            delta += in_t[y] + out_t[t] - in_t[t] - out_t[y] + 2
                        if delta < 0:
                            found = b
                            break
                    if found >= 0:
                        self._swap(a, found)
                        improvements += 1
                        improved = True
                        break
                if evaluations >= MAX_EVALUATIONS:
                    break
        return improvements


# -- scores --------------------------------------------------------------------------------


def _same_pairs(counts: Sequence[int]) -> int:
    return sum(c * (c - 1) // 2 for c in counts if c > 1)


def _fewest_pairs(floor: list[int], ceiling: list[int], total: int) -> int:
    """Fewest same-value pairs when `total` people of one value are spread over groups,
    group g holding at least floor[g] and at most ceiling[g] of them: each one goes where
    the value is rarest (optimal for a sum of convex costs)."""
    held = list(floor)
    heap = [(held[g], g) for g in range(len(held)) if held[g] < ceiling[g]]
    heapq.heapify(heap)
    for _ in range(total - sum(floor)):
        if not heap:
            break  # cannot happen with consistent sizes
        x, g = heapq.heappop(heap)
        held[g] = x + 1
        if x + 1 < ceiling[g]:
            heapq.heappush(heap, (x + 1, g))
    return _same_pairs(held)


def _evaluate(
    people: list[Person],
    group_count: int,
    assignment: dict[int, int],
    fixed: set[int],
    improvements: int,
) -> Composition:
    k = group_count
    sizes = [0] * k
    fixed_sizes = [0] * k
    for person in people:
        g = assignment[person.id]
        sizes[g] += 1
        if person.id in fixed:
            fixed_sizes[g] += 1
    free_total = len(people) - sum(fixed_sizes)
    free_seats = [sizes[g] - fixed_sizes[g] for g in range(k)]

    def key(person: Person, d: int) -> object:
        if d == ORGANISATION:
            return person.organisation
        return person.college if d == COLLEGE else person.territory

    same = [[0] * k for _ in range(3)]
    minimum = [0, 0, 0]
    expected = [0.0, 0.0, 0.0]
    for d in range(3):
        # per value: people per group, fixed people per group, free people
        per_group: dict[object, list[int]] = {}
        fixed_per_group: dict[object, list[int]] = {}
        for person in people:
            value = key(person, d)
            if d == ORGANISATION and value is None:
                continue  # an unknown organisation is shared with nobody
            g = assignment[person.id]
            per_group.setdefault(value, [0] * k)[g] += 1
            if person.id in fixed:
                fixed_per_group.setdefault(value, [0] * k)[g] += 1
        for value, counts in per_group.items():
            total = sum(counts)
            for g in range(k):
                same[d][g] += counts[g] * (counts[g] - 1) // 2
            if total < 2:
                continue
            floor = fixed_per_group.get(value, [0] * k)
            ceiling = [free_seats[g] + floor[g] for g in range(k)]
            minimum[d] += _fewest_pairs(floor, ceiling, total)
            expected[d] += _expected_pairs(floor, total - sum(floor), free_seats, free_total)

    group_scores = []
    for g in range(k):
        pairs = comb(sizes[g], 2)
        shared = same[0][g] + same[1][g] + same[2][g]
        group_scores.append(
            GroupScore(
                index=g,
                size=sizes[g],
                pairs=pairs,
                same_organisation=same[0][g],
                same_college=same[1][g],
                same_territory=same[2][g],
                score=1 - shared / (3 * pairs) if pairs else None,
            )
        )
    pairs = sum(group.pairs for group in group_scores)

    def score(shared: float) -> float:
        return 1 - shared / (3 * pairs) if pairs else 1.0

    return Composition(
        group_count=k,
        assignment={person.id: assignment[person.id] for person in people},
        sizes=tuple(sizes),
        balanced=max(sizes) - min(sizes) <= 1,
        groups=tuple(group_scores),
        pairs=pairs,
        same_organisation=sum(same[0]),
        same_organisation_min=minimum[0],
        same_college=sum(same[1]),
        same_college_min=minimum[1],
        same_territory=sum(same[2]),
        same_territory_min=minimum[2],
        score=score(sum(map(sum, same))),
        bound=score(sum(minimum)),
        random_score=score(sum(expected)),
        improvements=improvements,
    )


def _expected_pairs(
    fixed_counts: list[int], free_count: int, free_seats: list[int], free_total: int
) -> float:
    """Expected same-group pairs of one value when the free people are shuffled at random
    into the free seats: fixed-fixed pairs as they are, a free person joins a fixed one with
    probability (free seats of that group) / (free people), two free people meet with
    probability sum(seats * (seats - 1)) / (free * (free - 1))."""
    expected = float(_same_pairs(fixed_counts))
    if free_count and free_total:
        expected += sum(
            f * free_count * seats / free_total
            for f, seats in zip(fixed_counts, free_seats, strict=True)
        )
    if free_count > 1:
        meet = sum(s * (s - 1) for s in free_seats) / (free_total * (free_total - 1))
        expected += comb(free_count, 2) * meet
    return expected
