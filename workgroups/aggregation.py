"""How the mock jury's score sheets become a ranking. Pure functions: no database.

The method, in plain words (the results page says the same):

1. **A juror's score for a group.** Each criterion's mark is brought to a mark out
   of 20: ``(value - scale_min) / (scale_max - scale_min) * 20``, so a 4 on a 0-5
   scale is 16/20. The juror's score is the weighted mean of those marks, over the
   criteria the juror marked (a criterion added after the sheet was filled simply
   does not count for it). Criteria with different scales thus weigh only by their
   weight, and every score reads as a familiar mark out of 20.
2. **The group's score** is the mean or the median of its jurors' scores (the
   edition's setting). The median of an even number of jurors is the mean of the
   two middle scores.
3. **Per criterion**, the mean of the jurors' raw marks, on the criterion's own scale.
4. **The spread**: the lowest and the highest juror score, and their standard
   deviation (population; a float, for display only).
5. **The ranking**: highest score first. Exactly equal scores share a rank and the
   next rank skips ("1, 2, 2, 4": competition ranking). Groups without any score
   sheet come last, unranked.

Every computation uses :class:`fractions.Fraction`: no rounding happens before
display, so two groups are tied only when their scores are exactly equal.
"""

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

MEAN = "mean"
MEDIAN = "median"
OUT_OF = 20  # juror scores are marks out of 20

# criterion id -> the juror's mark
Marks = Mapping[int, int]


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    weight: Fraction
    scale_min: int
    scale_max: int

    @classmethod
    def of(cls, criterion) -> "CriterionSpec":
        """From anything with id, weight (Decimal is exact), scale_min and scale_max."""
        return cls(
            id=criterion.id,
            weight=Fraction(criterion.weight),
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
        )


@dataclass
class GroupResult:
    group: Hashable
    # juror -> their weighted score out of 20, for jurors who marked at least one criterion
    juror_scores: dict[Hashable, Fraction] = field(default_factory=dict)
    score: Fraction | None = None
    # criterion id -> mean of the raw marks, for criteria marked at least once
    criterion_means: dict[int, Fraction] = field(default_factory=dict)
    low: Fraction | None = None
    high: Fraction | None = None
    stdev: float | None = None
    rank: int | None = None
    tied: bool = False

    @property
    def juror_count(self) -> int:
        return len(self.juror_scores)

    @property
    def spread(self) -> Fraction | None:
        return None if self.low is None else self.high - self.low


def normalised(criterion: CriterionSpec, value: int) -> Fraction:
    """The mark out of 20."""
    return Fraction(value - criterion.scale_min, criterion.scale_max - criterion.scale_min) * OUT_OF


def juror_score(criteria: Mapping[int, CriterionSpec], marks: Marks) -> Fraction | None:
    """The weighted mean of the marks out of 20; None when no known criterion is marked."""
    known = [(criteria[pk], value) for pk, value in marks.items() if pk in criteria]
    if not known:
        return None
    total_weight = sum(criterion.weight for criterion, _value in known)
    return (
        sum(criterion.weight * normalised(criterion, value) for criterion, value in known)
        / total_weight
    )


def mean(values: Iterable[Fraction]) -> Fraction:
    values = list(values)
    if not values:
        raise ValueError("mean of nothing")
    return sum(values, Fraction(0)) / len(values)


def median(values: Iterable[Fraction]) -> Fraction:
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of nothing")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def combine(values: Iterable[Fraction], method: str) -> Fraction:
    if method == MEAN:
        return mean(values)
    if method == MEDIAN:
        return median(values)
    raise ValueError(f"unknown aggregation: {method!r}")


def _stdev(values: list[Fraction]) -> float:
    centre = mean(values)
    return math.sqrt(sum((value - centre) ** 2 for value in values) / len(values))


def group_result(
    group: Hashable,
    criteria: Mapping[int, CriterionSpec],
    sheets: Mapping[Hashable, Marks],
    method: str,
) -> GroupResult:
    """One group's result from its sheets (juror -> marks)."""
    result = GroupResult(group=group)
    per_criterion: dict[int, list[int]] = {}
    for juror, marks in sheets.items():
        score = juror_score(criteria, marks)
        if score is None:
            continue
        result.juror_scores[juror] = score
        for pk, value in marks.items():
            if pk in criteria:
                per_criterion.setdefault(pk, []).append(value)
    if not result.juror_scores:
        return result
    scores = list(result.juror_scores.values())
    result.score = combine(scores, method)
    result.low, result.high = min(scores), max(scores)
    result.stdev = _stdev(scores)
    result.criterion_means = {
        pk: mean(Fraction(value) for value in values)
        for pk, values in sorted(per_criterion.items())
    }
    return result


def ranked(results: Iterable[GroupResult]) -> list[GroupResult]:
    """Scored groups by score, highest first, with competition ranks (ties share a
    rank and are flagged); then the unscored ones, unranked. Otherwise the given
    order is kept (so ties stay in group order when groups come in that order)."""
    results = list(results)
    scored = sorted((r for r in results if r.score is not None), key=lambda r: -r.score)
    counts: dict[Fraction, int] = {}
    for result in scored:
        counts[result.score] = counts.get(result.score, 0) + 1
    previous = None
    for position, result in enumerate(scored, start=1):
        result.rank = previous.rank if previous and previous.score == result.score else position
        result.tied = counts[result.score] > 1
        previous = result
    unscored = [r for r in results if r.score is None]
    for result in unscored:
        result.rank, result.tied = None, False
    return scored + unscored


def aggregate(
    *,
    criteria: Iterable[CriterionSpec],
    groups: Iterable[Hashable],
    sheets: Mapping[Hashable, Mapping[Hashable, Marks]],
    method: str,
) -> list[GroupResult]:
    """Every group's result, ranked. ``sheets``: group -> juror -> marks; a group
    missing from it (or whose sheets mark no known criterion) is unscored."""
    if method not in (MEAN, MEDIAN):
        raise ValueError(f"unknown aggregation: {method!r}")
    by_id = {criterion.id: criterion for criterion in criteria}
    return ranked(group_result(group, by_id, sheets.get(group, {}), method) for group in groups)


def as_decimal(value: Fraction | None, places: int = 2) -> Decimal | None:
    """For display only: rounded half up to ``places`` decimals."""
    if value is None:
        return None
    with localcontext() as context:
        context.prec = 40
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
