"""Organisers' exports of an edition's registrations: CSV, XLSX, the attendance
sheet and the badges (see docs/exports.md). Each download is recorded in the
audit log: these files hold personal data."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from .. import exports
from ..selectors import attendees_for_sheet, edition_for, registrations_for_export
from ..services import registrations_export_record

PERMISSION = "events.export_registrations"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(request, edition, *, kind, count, body, content_type, filename) -> HttpResponse:
    registrations_export_record(by=request.user, edition=edition, kind=kind, count=count)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@never_cache
@permission_required(PERMISSION, raise_exception=True)
def registrations_csv(request, **key):
    edition = edition_for(request.user, **key)
    registrations = list(registrations_for_export(edition))
    return _download(
        request,
        edition,
        kind="csv",
        count=len(registrations),
        body="".join(exports.registrations_csv_lines(registrations)),
        content_type="text/csv; charset=utf-8",
        filename=f"inscriptions-{edition.file_stem}.csv",
    )


@require_GET
@never_cache
@permission_required(PERMISSION, raise_exception=True)
def registrations_xlsx(request, **key):
    edition = edition_for(request.user, **key)
    registrations = list(registrations_for_export(edition))
    return _download(
        request,
        edition,
        kind="xlsx",
        count=len(registrations),
        body=exports.registrations_xlsx(edition, registrations),
        content_type=XLSX,
        filename=f"inscriptions-{edition.file_stem}.xlsx",
    )


@require_GET
@never_cache
@permission_required(PERMISSION, raise_exception=True)
def attendance_pdf(request, **key):
    edition = edition_for(request.user, **key)
    attendees = list(attendees_for_sheet(edition))
    return _download(
        request,
        edition,
        kind="émargement",
        count=len(attendees),
        body=exports.attendance_pdf(edition, attendees),
        content_type="application/pdf",
        filename=f"emargement-{edition.file_stem}.pdf",
    )


@require_GET
@never_cache
@permission_required(PERMISSION, raise_exception=True)
def badges_pdf(request, **key):
    edition = edition_for(request.user, **key)
    attendees = list(attendees_for_sheet(edition))
    return _download(
        request,
        edition,
        kind="badges",
        count=len(attendees),
        body=exports.badges_pdf(edition, attendees),
        content_type="application/pdf",
        filename=f"badges-{edition.file_stem}.pdf",
    )
