"""After an event: attendance certificates and the satisfaction survey.

The certificate and the survey are reached through the manage link's secret token; the
organisers send the certificates and read the answers, which never name anyone."""

from statistics import mean

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from contrat_ville import spreadsheets
from contrat_ville.services import ServiceError, audit_log_record

from ..certificates import certificate_pdf
from ..charts import bar_chart
from ..enums import AuditAction
from ..forms.survey import QUESTIONS, SurveyForm
from ..models import SURVEY_SCORES
from ..selectors import edition_for, registration_by_token
from ..services.followup import (
    certificate_recipients,
    certificates_send,
    survey_answer,
    survey_open,
)

PERMISSION = "events.manage_edition"
# Below this many answers, the results are not shown: with three people or fewer, a
# comment or a mark could tell who wrote it.
SURVEY_MINIMUM = 3


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def certificates_send_view(request, **key):
    edition = edition_for(request.user, **key)
    if request.method == "POST":
        count = certificates_send(edition=edition, by=request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)s attestation part par e-mail.",
                    "%(count)s attestations partent par e-mail.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Aucune nouvelle attestation à envoyer."))
        return redirect(edition.url("dashboard"))
    return render(
        request,
        "events/followup/certificates_send.html",
        {"edition": edition, "count": certificate_recipients(edition).count()},
    )


def _results(edition) -> dict:
    answers = list(edition.survey_responses.all())
    questions = []
    for name in SURVEY_SCORES:
        values = [getattr(answer, name) for answer in answers]
        rows = [{"label": str(score), "count": values.count(score)} for score in range(1, 6)]
        questions.append(
            {
                "key": name,
                "label": QUESTIONS[name],
                "mean": formats.number_format(mean(values), decimal_pos=1) if values else "—",
                "rows": rows,
                "chart": bar_chart(rows, title=str(QUESTIONS[name])),
            }
        )
    comments = sorted(answer.comment for answer in answers if answer.comment)
    return {"count": len(answers), "questions": questions, "comments": comments}


@permission_required(PERMISSION, raise_exception=True)
@require_GET
def survey_results(request, **key):
    edition = edition_for(request.user, **key)
    results = _results(edition)
    return render(
        request,
        "events/followup/survey_results.html",
        {
            "edition": edition,
            "results": results,
            "shown": results["count"] >= SURVEY_MINIMUM,
            "minimum": SURVEY_MINIMUM,
        },
    )


@permission_required(PERMISSION, raise_exception=True)
@never_cache
@require_GET
def survey_csv(request, **key):
    edition = edition_for(request.user, **key)
    answers = list(edition.survey_responses.all())
    if len(answers) < SURVEY_MINIMUM:
        raise Http404
    audit_log_record(
        actor=request.user,
        action=AuditAction.SURVEY_EXPORTED,
        target=edition,
        data={"réponses": len(answers)},
    )
    headers = [str(QUESTIONS[name]) for name in SURVEY_SCORES] + [_("Commentaire")]
    rows = ([getattr(a, name) for name in SURVEY_SCORES] + [a.comment] for a in answers)
    response = HttpResponse(
        "".join(spreadsheets.csv_lines(headers, rows, delimiter=";")),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="avis-{edition.file_stem}.csv"'
    return response


@login_not_required
@never_cache
@require_GET
def manage_certificate(request, token: str):
    registration = registration_by_token(token)
    if registration.checked_in_at is None:
        raise Http404
    response = HttpResponse(certificate_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-{registration.edition.file_stem}.pdf"'
    )
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_survey(request, token: str):
    registration = registration_by_token(token)
    if not survey_open(registration):
        raise Http404
    context = {"registration": registration, "edition": registration.edition}
    if registration.survey_answered:
        return render(request, "events/followup/survey_thanks.html", {**context, "already": True})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(registration=registration, data=form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "events/followup/survey_thanks.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "events/followup/survey.html", {**context, "form": form}, status=status)
