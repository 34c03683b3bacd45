"""The organisers' import of a year's programme (CSV or XLSX) and its export."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from .. import exports
from ..forms.programme_import import ProgrammeImportForm, encode, keeps_in_page
from ..imports import FUNDER_COLUMNS, programme_check, programme_write
from ..models import Action

PERMISSION = "actions.manage"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Beyond this many, the page says "and N more" rather than a page of errors or rows.
ERRORS_SHOWN = 200
ROWS_SHOWN = 300


@never_cache
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def programme_import(request):
    form = ProgrammeImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    result = None
    keep_form = None
    if request.method == "POST" and form.is_valid():
        raw, name = form.cleaned_data["raw"], form.cleaned_data["name"]
        result = programme_check(raw=raw, name=name, user=request.user)
        if result.ok and request.POST.get("step") == "import":
            result = programme_write(by=request.user, result=result)
            if result.ok:
                messages.success(
                    request,
                    _(
                        "Programme importé depuis « %(name)s ». Actions créées : %(created)d ; "
                        "modifiées : %(updated)d ; inchangées : %(unchanged)d."
                    )
                    % {
                        "name": name,
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect("actions:import")
        if result.ok and keeps_in_page(raw):
            keep_form = ProgrammeImportForm(initial={"content": encode(raw), "file_name": name})
    errors = result.errors if result else []
    shown = [row for row in (result.rows if result else []) if row.kind != "unchanged"]
    return render(
        request,
        "actions/import.html",
        {
            "form": form,
            "keep_form": keep_form,
            "result": result,
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(len(errors) - ERRORS_SHOWN, 0),
            "rows": shown[:ROWS_SHOWN],
            "rows_hidden": max(len(shown) - ROWS_SHOWN, 0),
            "funder_columns": list(FUNDER_COLUMNS),
            "years": list(
                Action.objects.order_by("-year").values_list("year", flat=True).distinct()
            ),
        },
    )


@require_GET
@never_cache
@permission_required(PERMISSION, raise_exception=True)
def programme_export(request, year, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    actions = list(exports.actions_for_export(request.user, year))
    if fmt == "csv":
        body = "".join(exports.programme_csv_lines(actions))
        content_type = "text/csv; charset=utf-8"
    else:
        body = exports.programme_xlsx(year, actions)
        content_type = XLSX
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="programme-actions-{year}.{fmt}"'
    return response
