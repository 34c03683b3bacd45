"""Open data: the published directory as CSV and JSON (see docs/open-data.md)."""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import opendata


def _rows(request):
    return opendata.structure_rows(
        opendata.actors_for_export(),
        profile_url=lambda actor: request.build_absolute_uri(
            reverse("partners:actor_detail", args=[actor.slug])
        ),
    )


@login_not_required
@require_GET
def export_csv(request):
    response = StreamingHttpResponse(
        opendata.csv_lines(_rows(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="annuaire-structures.csv"'
    return response


@login_not_required
@require_GET
def export_json(request):
    body = json.dumps(opendata.json_document(_rows(request)), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
