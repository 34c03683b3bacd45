"""Reads of the mock jury: criteria, jurors, who belongs to which group, the
score sheets, and the results computed by workgroups.aggregation.

Each function reads with a fixed number of queries, whatever the number of
groups, jurors or sheets: the jury and results pages stay constant in queries.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from contrat_ville import spreadsheets
from events.exports import CSV_DELIMITER
from events.models import Edition

from .aggregation import CriterionSpec, GroupResult, aggregate, as_decimal
from .enums import JuryPhase
from .models import Criterion, Juror, ProjectSheet, Score, ScoreSheet, Workgroup
from .selectors import workshop_settings

REVEALED_PHASES = (JuryPhase.DELIBERATION, JuryPhase.PUBLISHED)

# group id -> juror id -> criterion id -> mark
MarksByGroup = dict[int, dict[int, dict[int, int]]]


def criteria_of(edition: Edition) -> list[Criterion]:
    return list(Criterion.objects.filter(edition=edition).order_by("order", "pk"))


def jurors_of(edition: Edition) -> list[Juror]:
    return list(
        Juror.objects.filter(edition=edition)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def juror_seat(user, edition: Edition) -> Juror | None:
    if not user.is_authenticated:
        return None
    return Juror.objects.filter(edition=edition, user=user).first()


def groups_with_sheets(edition: Edition) -> list[Workgroup]:
    """The edition's groups in number order, their project sheet joined."""
    return list(
        Workgroup.objects.filter(edition=edition).select_related("sheet").order_by("number")
    )


def sheet_of(group: Workgroup) -> ProjectSheet | None:
    try:
        return group.sheet
    except ProjectSheet.DoesNotExist:
        return None


def project_title(group: Workgroup) -> str:
    sheet = sheet_of(group)
    return sheet.title if sheet is not None else ""


def marks_of(edition: Edition, *, juror: Juror | None = None) -> MarksByGroup:
    """Every mark of the edition (or of one juror only), in one query."""
    scores = Score.objects.filter(sheet__workgroup__edition=edition)
    if juror is not None:
        scores = scores.filter(sheet__juror=juror)
    marks: MarksByGroup = {}
    for juror_id, group_id, criterion_id, value in scores.values_list(
        "sheet__juror_id", "sheet__workgroup_id", "criterion_id", "value"
    ):
        marks.setdefault(group_id, {}).setdefault(juror_id, {})[criterion_id] = value
    return marks


def sheets_of(edition: Edition, *, juror: Juror | None = None) -> dict[tuple[int, int], ScoreSheet]:
    """(juror id, group id) -> score sheet, for the edition (or one juror), in one query."""
    sheets = ScoreSheet.objects.filter(workgroup__edition=edition)
    if juror is not None:
        sheets = sheets.filter(juror=juror)
    return {(sheet.juror_id, sheet.workgroup_id): sheet for sheet in sheets}


def results_of(
    edition: Edition, criteria: list[Criterion], groups: list[Workgroup], marks: MarksByGroup
) -> dict[int, GroupResult]:
    """Group id -> its result (ranked) by the edition's aggregation."""
    computed = aggregate(
        criteria=[CriterionSpec.of(criterion) for criterion in criteria],
        groups=[group.pk for group in groups],
        sheets=marks,
        method=workshop_settings(edition).aggregation,
    )
    return {result.group: result for result in computed}


# -- the results page ---------------------------------------------------------------


@dataclass
class ResultRow:
    group: Workgroup
    title: str
    result: GroupResult
    # Display values (rounded): the group's score out of 20, the lowest and highest
    # juror score, the standard deviation, and each criterion's mean in criteria order.
    score: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    stdev: Decimal | None = None
    criterion_means: list[Decimal | None] = field(default_factory=list)


@dataclass
class Results:
    criteria: list[Criterion]
    rows: list[ResultRow]
    aggregation: str
    phase: str
    published_at: object

    @property
    def ranked_rows(self) -> list[ResultRow]:
        return [row for row in self.rows if row.result.rank is not None]

    @property
    def unscored_rows(self) -> list[ResultRow]:
        return [row for row in self.rows if row.result.rank is None]


def edition_results(edition: Edition) -> Results:
    """The ranking of the edition's groups (ranked first, then the unscored, in
    number order), with the display values; five queries whatever the size."""
    workshop = workshop_settings(edition)
    criteria = criteria_of(edition)
    groups = groups_with_sheets(edition)
    by_pk = {group.pk: group for group in groups}
    computed = aggregate(
        criteria=[CriterionSpec.of(criterion) for criterion in criteria],
        groups=list(by_pk),
        sheets=marks_of(edition),
        method=workshop.aggregation,
    )
    rows = []
    for result in computed:
        group = by_pk[result.group]
        rows.append(
            ResultRow(
                group=group,
                title=project_title(group),
                result=result,
                score=as_decimal(result.score),
                low=as_decimal(result.low),
                high=as_decimal(result.high),
                stdev=None if result.stdev is None else Decimal(f"{result.stdev:.2f}"),
                criterion_means=[
                    as_decimal(result.criterion_means.get(criterion.pk)) for criterion in criteria
                ],
            )
        )
    return Results(
        criteria=criteria,
        rows=rows,
        aggregation=workshop.aggregation,
        phase=workshop.phase,
        published_at=workshop.published_at,
    )


# -- the scores' CSV -----------------------------------------------------------------


def scores_for_export(edition: Edition) -> list[Score]:
    """Every mark of the edition, by group number, juror and criterion order (one query)."""
    return list(
        Score.objects.filter(sheet__workgroup__edition=edition)
        .select_related("sheet__juror__user", "sheet__workgroup", "criterion")
        .order_by(
            "sheet__workgroup__number",
            "sheet__juror__user__last_name",
            "sheet__juror__user__first_name",
            "sheet__juror__user__email",
            "criterion__order",
            "criterion__pk",
        )
    )


def _decimal_text(value: Decimal) -> str:
    # French spreadsheets read "1,5" as a number, "1.5" as text.
    return f"{value.normalize():f}".replace(".", ",")


def scores_csv_lines(scores: Iterable[Score]) -> Iterator[str]:
    """The header then one line per (juror, group, criterion); ";" and a BOM for
    French spreadsheets, formula-like text quoted, as the registrations' CSV (events.exports)."""
    with translation.override(settings.LANGUAGE_CODE):
        header = [
            _("Juré"),
            _("Groupe"),
            _("Nom du groupe"),
            _("Critère"),
            _("Poids"),
            pgettext("jury", "Note"),
            _("Commentaire"),
        ]
        rows = (
            [
                str(score.sheet.juror.user),
                score.sheet.workgroup.number,
                score.sheet.workgroup.name,
                score.criterion.name,
                _decimal_text(score.criterion.weight),
                score.value,
                score.sheet.comment,
            ]
            for score in scores
        )
        yield from spreadsheets.csv_lines(header, rows, delimiter=CSV_DELIMITER)
