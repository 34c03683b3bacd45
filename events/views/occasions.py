"""The events that are not the rencontre: their list, and the organisers' pages to create
one and set it up. Their other pages are the rencontre's (events.urls.event_patterns)."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from contrat_ville.services import ServiceError

from ..forms.occasion import DaysFormSet, OccasionForm, days_initial
from ..models import Edition, Training
from ..selectors import occasions_visible_to
from ..services import occasion_create, occasion_update
from .settings import _posted, promoted_message

PERMISSION = "events.manage_edition"


def _data(form) -> dict:
    return dict(form.cleaned_data)


@login_not_required
@require_GET
def occasions(request):
    return render(
        request,
        "events/occasions.html",
        {
            "coming": list(occasions_visible_to(request.user)),
            "past": list(occasions_visible_to(request.user, past=True)[:20]),
        },
    )


def occasion_form_page(request, *, edition: Edition | None, training: Training | None = None):
    """Create (``edition`` None) or set up an event of any kind but the rencontre: its
    settings and its further dates, saved together or not at all."""
    session = training is not None or (edition is not None and edition.training_id is not None)
    instance = copy.copy(edition) if edition else Edition(training=training)
    form = OccasionForm(_posted(request), instance=instance, session=session)
    days = DaysFormSet(
        _posted(request),
        initial=days_initial(edition) if edition else None,
        prefix="days",
        first_day=form.data.get("date") if form.is_bound else None,
    )
    if request.method == "POST" and form.is_valid():
        days.first_day = form.cleaned_data["date"]
        if days.is_valid():
            try:
                if edition is None:
                    edition = occasion_create(
                        by=request.user, data=_data(form), days=days.items(), training=training
                    )
                    messages.success(request, _("Événement créé."))
                    return redirect(edition.url("dashboard"))
                promoted = occasion_update(
                    by=request.user, edition=edition, data=_data(form), days=days.items()
                )
            except ServiceError as error:
                form.add_error("capacity", str(error))
            else:
                text = _("Paramètres enregistrés.")
                if promoted:
                    text = f"{text} {promoted_message(promoted)}"
                messages.success(request, text)
                return redirect(edition.url("dashboard"))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/occasion_form.html",
        {"form": form, "days": days, "edition": edition, "training": training},
        status=status,
    )


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def occasion_create_view(request):
    return occasion_form_page(request, edition=None)
