"""The bilan as a file to hand to the councils: PDF and OpenDocument text.

The same version rules as the page (``version_for``): the public version for anyone, the
partners' or the organisers' one for those who may read it. The year is in the path twice
(``/bilan/2025/bilan-2025.pdf``) so the saved file is named after it; both must agree.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from contrat_ville.printing import printed_identity

from ..documents import FILE_SUFFIXES, ODT_CONTENT_TYPE, PDF_CONTENT_TYPE
from ..documents import bilan_odt as odt_of
from ..documents import bilan_pdf as pdf_of
from ..models import FIRST_YEAR, LAST_YEAR
from ..selectors.bilan import PUBLIC, bilan_cached, version_for


def _document(request, year: int, same_year: int, *, build, extension: str, content_type: str):
    if same_year != year or not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    version = version_for(request.user, request.GET.get("version"))
    # The labels the bilan computes (statuses, "Sans priorité") in the document's language.
    with translation.override(settings.LANGUAGE_CODE):
        body = build(bilan_cached(year, version), printed_identity())
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="bilan-{year}-{FILE_SUFFIXES[version]}.{extension}"'
    )
    if version != PUBLIC:
        response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_GET
def bilan_pdf(request, year: int, same_year: int):
    return _document(
        request, year, same_year, build=pdf_of, extension="pdf", content_type=PDF_CONTENT_TYPE
    )


@login_not_required
@require_GET
def bilan_odt(request, year: int, same_year: int):
    return _document(
        request, year, same_year, build=odt_of, extension="odt", content_type=ODT_CONTENT_TYPE
    )
