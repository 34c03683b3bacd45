"""The mock jury: its page (phases, progress, a juror's groups), its settings,
a juror's score sheet, the results and the organisers' CSV of the scores.

Jurors score independently: until deliberation, a juror's pages hold their own
sheets only, never another juror's marks or comments.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from contrat_ville.services import ServiceError
from events.selectors import edition_for

from ..aggregation import as_decimal
from ..enums import Aggregation, JuryPhase
from ..forms.jury import (
    CriteriaFormSet,
    JurorsForm,
    JurySettingsForm,
    PhaseForm,
    ScoreSheetForm,
    criteria_initial,
    sheet_initial,
)
from ..models import Juror, ProjectSheet, Score, ScoreSheet, Workgroup
from ..results import (
    REVEALED_PHASES,
    criteria_of,
    edition_results,
    groups_with_sheets,
    juror_seat,
    jurors_of,
    marks_of,
    project_title,
    results_of,
    scores_csv_lines,
    scores_for_export,
    sheets_of,
)
from ..selectors import memberships, workgroup_of, workshop_settings
from ..services.jury import (
    ScoreError,
    criteria_ensure_defaults,
    criteria_set,
    jurors_set,
    jury_phase_set,
    jury_settings_set,
    phase_moves_from,
    score_sheet_save,
    scores_export_record,
)

MANAGE = "workgroups.manage"
VIEW_RESULTS = "workgroups.view_results"
EXPORT_SCORES = "workgroups.export_scores"

# What the button moving the jury to a phase says.
PHASE_BUTTONS = {
    JuryPhase.SCORING: gettext_lazy("Ouvrir la notation"),
    JuryPhase.DELIBERATION: gettext_lazy("Clore la notation et passer en délibération"),
    JuryPhase.PUBLISHED: gettext_lazy("Publier les résultats"),
}
BACKWARD_BUTTONS = {
    (JuryPhase.DELIBERATION, JuryPhase.SCORING): gettext_lazy("Rouvrir la notation"),
    (JuryPhase.PUBLISHED, JuryPhase.DELIBERATION): gettext_lazy(
        "Retirer les résultats de la publication"
    ),
}


# -- the jury page -------------------------------------------------------------------


@dataclass
class Cell:
    juror: Juror
    state: str  # "own" (belongs to the group), "done" or "todo"
    score: Decimal | None = None
    comment: str = ""
    marks: list[int | None] = field(default_factory=list)


@dataclass
class MatrixRow:
    group: Workgroup
    title: str
    cells: list[Cell]
    score: Decimal | None = None
    rank: int | None = None
    tied: bool = False

    @property
    def sheet_count(self) -> int:
        return sum(cell.state == "done" for cell in self.cells)


@dataclass
class JurorItem:
    group: Workgroup
    title: str
    state: str  # "own", "done", "incomplete" or "todo"


def _matrix(edition, *, groups, jurors, criteria, revealed: bool) -> list[MatrixRow]:
    """Groups by jurors: who scored what; with every score once ``revealed``."""
    members = memberships(edition, [juror.user for juror in jurors])
    sheets = sheets_of(edition)
    marks = marks_of(edition) if revealed else {}
    results = results_of(edition, criteria, groups, marks) if revealed else {}
    rows = []
    for group in groups:
        result = results.get(group.pk)
        cells = []
        for juror in jurors:
            sheet = sheets.get((juror.pk, group.pk))
            # A sheet shows even if its juror joined the group later: it counts.
            state = (
                "done"
                if sheet is not None
                else "own"
                if (juror.user_id, group.pk) in members
                else "todo"
            )
            cell = Cell(juror=juror, state=state)
            if revealed and sheet is not None:
                given = marks.get(group.pk, {}).get(juror.pk, {})
                cell.score = as_decimal(result.juror_scores.get(juror.pk)) if result else None
                cell.comment = sheet.comment
                cell.marks = [given.get(criterion.pk) for criterion in criteria]
            cells.append(cell)
        row = MatrixRow(group=group, title=project_title(group), cells=cells)
        if result is not None:
            row.score, row.rank, row.tied = as_decimal(result.score), result.rank, result.tied
        rows.append(row)
    return rows


def _juror_state(group, seat: Juror, *, own, mine, marks, criterion_ids) -> str:
    if group.pk in own:
        return "own"
    if (seat.pk, group.pk) not in mine:
        return "todo"
    # A criterion added after the sheet was filled leaves it to complete.
    given = marks.get(group.pk, {}).get(seat.pk, {})
    return "done" if criterion_ids <= set(given) else "incomplete"


def _juror_items(edition, seat: Juror, groups, criteria) -> list[JurorItem]:
    """The juror's groups: read from their own sheets only."""
    own = {group_id for _user, group_id in memberships(edition, [seat.user])}
    mine = sheets_of(edition, juror=seat)
    marks = marks_of(edition, juror=seat)
    criterion_ids = {criterion.pk for criterion in criteria}
    return [
        JurorItem(
            group=group,
            title=project_title(group),
            state=_juror_state(
                group, seat, own=own, mine=mine, marks=marks, criterion_ids=criterion_ids
            ),
        )
        for group in groups
    ]


def _phase_buttons(phase: str) -> list[dict]:
    return [
        {
            "phase": to,
            "label": BACKWARD_BUTTONS.get((phase, to)) or PHASE_BUTTONS[to],
            "backward": (phase, to) in BACKWARD_BUTTONS,
        }
        for to in phase_moves_from(phase)
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def jury(request, year: int):
    edition = edition_for(request.user, year)
    manager = request.user.has_perm(MANAGE)
    seat = juror_seat(request.user, edition)
    if not manager and seat is None:
        raise PermissionDenied
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        form = PhaseForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Phase inconnue."))
        else:
            phase = form.cleaned_data["phase"]
            try:
                changed = jury_phase_set(by=request.user, edition=edition, phase=phase)
            except ServiceError as error:
                messages.error(request, str(error))
            else:
                if changed:
                    messages.success(
                        request,
                        _("Le jury est maintenant en phase « %(phase)s ».")
                        % {"phase": JuryPhase(phase).label},
                    )
                else:
                    messages.info(request, _("Le jury était déjà dans cette phase."))
        return redirect("workgroups:jury", year=edition.year)

    workshop = workshop_settings(edition)
    revealed = workshop.phase in REVEALED_PHASES
    criteria = criteria_of(edition)
    jurors = jurors_of(edition)
    groups = groups_with_sheets(edition)
    context = {
        "edition": edition,
        "workshop": workshop,
        "manager": manager,
        "seat": seat,
        "revealed": revealed,
        "criteria": criteria,
        "jurors": jurors,
        "groups": groups,
        "phases": [
            {"value": value, "label": label, "current": value == workshop.phase}
            for value, label in JuryPhase.choices
        ],
        "phase_buttons": _phase_buttons(workshop.phase) if manager else [],
        "scoring": workshop.phase == JuryPhase.SCORING,
        "can_view_results": request.user.has_perm(VIEW_RESULTS, edition),
        "can_export_scores": request.user.has_perm(EXPORT_SCORES, edition),
    }
    # The matrix of every juror's sheets: organisers always (marks only once
    # revealed); jurors only from deliberation on.
    if manager or revealed:
        context["matrix"] = _matrix(
            edition, groups=groups, jurors=jurors, criteria=criteria, revealed=revealed
        )
    if seat is not None:
        items = _juror_items(edition, seat, groups, criteria)
        context["juror_items"] = items
        context["juror_todo"] = sum(item.state in ("todo", "incomplete") for item in items)
    return render(request, "workgroups/jury.html", context)


# -- the jury's settings -------------------------------------------------------------


@never_cache
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def jury_settings(request, year: int):
    edition = edition_for(request.user, year)
    workshop = workshop_settings(edition)
    criteria = criteria_of(edition)
    jurors = jurors_of(edition)
    action = request.POST.get("action", "") if request.method == "POST" else ""

    def bound(name):
        return request.POST if action == name else None

    jurors_form = JurorsForm(
        bound("jurors"), edition=edition, initial={"users": [juror.user for juror in jurors]}
    )
    formset = CriteriaFormSet(
        bound("criteria"), initial=criteria_initial(criteria), prefix="criteres"
    )
    settings_form = JurySettingsForm(
        bound("settings"),
        initial={
            "aggregation": workshop.aggregation,
            "results_public": workshop.results_public,
            "gallery_public": workshop.gallery_public,
        },
    )
    back = redirect("workgroups:jury_settings", year=edition.year)
    if action == "defaults":
        try:
            created = criteria_ensure_defaults(by=request.user, edition=edition)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            if created:
                messages.success(request, _("Les cinq critères par défaut sont ajoutés."))
            else:
                messages.info(
                    request,
                    _(
                        "L'édition a déjà des critères : les critères par défaut ne sont "
                        "pas ajoutés."
                    ),
                )
        return back
    if action == "jurors" and jurors_form.is_valid():
        try:
            jurors_set(by=request.user, edition=edition, users=jurors_form.cleaned_data["users"])
        except ServiceError as error:
            jurors_form.add_error("users", str(error))
        else:
            messages.success(request, _("Jury enregistré."))
            return back
    elif action == "criteria" and formset.is_valid():
        try:
            criteria_set(by=request.user, edition=edition, rows=formset.rows())
        except ServiceError as error:
            formset.service_error = str(error)
        else:
            messages.success(request, _("Critères enregistrés."))
            return back
    elif action == "settings" and settings_form.is_valid():
        jury_settings_set(by=request.user, edition=edition, **settings_form.cleaned_data)
        messages.success(request, _("Réglages enregistrés."))
        return back
    elif action not in ("", "jurors", "criteria", "settings"):
        messages.error(request, _("Action inconnue."))
        return back
    context = {
        "edition": edition,
        "workshop": workshop,
        "criteria": criteria,
        "jurors_form": jurors_form,
        "formset": formset,
        "service_error": getattr(formset, "service_error", ""),
        "settings_form": settings_form,
        "locked": workshop.phase == JuryPhase.PUBLISHED,
        "action": action,
    }
    return render(request, "workgroups/jury_settings.html", context)


# -- a juror's score sheet -----------------------------------------------------------


def _project_sheet(group: Workgroup) -> ProjectSheet | None:
    return (
        ProjectSheet.objects.filter(workgroup=group)
        .prefetch_related("territories", "partners")
        .first()
    )


@never_cache
@require_http_methods(["GET", "POST"])
def score(request, year: int, number: int):
    edition = edition_for(request.user, year)
    group = workgroup_of(edition, number)
    group.edition = edition  # one settings cache for the page
    if not request.user.has_perm("workgroups.score_group", group):
        raise PermissionDenied
    seat = juror_seat(request.user, edition)
    workshop = workshop_settings(edition)
    is_open = workshop.phase == JuryPhase.SCORING
    criteria = criteria_of(edition)
    sheet = ScoreSheet.objects.filter(juror=seat, workgroup=group).first()
    marks = (
        dict(Score.objects.filter(sheet=sheet).values_list("criterion_id", "value"))
        if sheet is not None
        else {}
    )
    if request.method == "POST":
        if not is_open:
            messages.error(
                request,
                _("La notation n'est pas ouverte : votre grille n'a pas été modifiée."),
            )
            return redirect("workgroups:score", year=edition.year, number=group.number)
        form = ScoreSheetForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                score_sheet_save(
                    juror_user=request.user,
                    workgroup=group,
                    values=form.values(),
                    comment=form.cleaned_data["comment"],
                )
            except ScoreError as error:
                field_name = next(
                    (
                        form.field_name(criterion)
                        for criterion in criteria
                        if criterion.pk == error.criterion_id
                    ),
                    None,
                )
                form.add_error(field_name, str(error))
            else:
                messages.success(
                    request,
                    _("Grille du groupe %(number)s enregistrée.") % {"number": group.number},
                )
                return redirect("workgroups:jury", year=edition.year)
    else:
        form = ScoreSheetForm(initial=sheet_initial(criteria, sheet, marks), criteria=criteria)
        if not is_open:
            form.disable()
    context = {
        "edition": edition,
        "workshop": workshop,
        "group": group,
        "project": _project_sheet(group),
        "form": form,
        "sheet": sheet,
        "is_open": is_open,
        "criteria": criteria,
    }
    return render(request, "workgroups/score.html", context)


# -- results -------------------------------------------------------------------------


def _weights_equal(criteria) -> bool:
    return len({criterion.weight for criterion in criteria}) <= 1


def _results_hidden(request, edition):
    """What an organiser finds at the results before deliberation: why there are no
    marks yet, and who has scored what (as on the jury page)."""
    workshop = workshop_settings(edition)
    jurors = jurors_of(edition)
    context = {
        "edition": edition,
        "phase_label": JuryPhase(workshop.phase).label,
        "jurors": jurors,
        "revealed": False,
        "matrix": _matrix(
            edition,
            groups=groups_with_sheets(edition),
            jurors=jurors,
            criteria=criteria_of(edition),
            revealed=False,
        ),
    }
    response = render(request, "workgroups/results_hidden.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_GET
def results(request, year: int):
    edition = edition_for(request.user, year)
    if not request.user.has_perm(VIEW_RESULTS, edition):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.has_perm(MANAGE):
            return _results_hidden(request, edition)
        raise PermissionDenied
    outcome = edition_results(edition)
    context = {
        "edition": edition,
        "results": outcome,
        "preview": outcome.phase != JuryPhase.PUBLISHED,
        "median": outcome.aggregation == Aggregation.MEDIAN,
        "weights_equal": _weights_equal(outcome.criteria),
        "manager": request.user.has_perm(MANAGE),
        "phase_label": JuryPhase(outcome.phase).label,
    }
    response = render(request, "workgroups/results.html", context)
    if context["preview"]:
        response["Cache-Control"] = "private, no-store"
    return response


# -- the CSV of the scores -----------------------------------------------------------


@require_GET
@never_cache
def scores_csv(request, year: int):
    edition = edition_for(request.user, year)
    # Organisers only, and only once the marks are revealed (deliberation).
    if not request.user.has_perm(EXPORT_SCORES, edition):
        raise PermissionDenied
    scores = scores_for_export(edition)
    scores_export_record(by=request.user, edition=edition, count=len(scores))
    response = HttpResponse(
        "".join(scores_csv_lines(scores)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="notes-jury-{edition.year}.csv"'
    return response
