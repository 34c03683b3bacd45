"""The training catalogue (/formations/): public pages, and the organisers' pages to
describe a training and add its sessions. A session's own pages are an event's."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from contrat_ville.services import ServiceError

from ..enums import TrainingLevel
from ..forms.occasion import TrainingForm
from ..models import Training
from ..selectors import training_catalogue, training_for, training_themes
from ..services import training_create, training_update
from ..services.occasions import TRAINING_FIELDS
from .occasions import occasion_form_page
from .settings import _posted

PERMISSION = "events.manage_edition"


def _data(form) -> dict:
    return {key: form.cleaned_data[key] for key in TRAINING_FIELDS if key in form.cleaned_data}


@login_not_required
@require_GET
def catalogue(request):
    themes = training_themes(request.user)
    theme = request.GET.get("theme", "")
    level = request.GET.get("niveau", "")
    # An unknown filter value shows everything rather than nothing.
    theme = theme if theme in themes else ""
    level = level if level in TrainingLevel.values else ""
    return render(
        request,
        "events/trainings.html",
        {
            "trainings": training_catalogue(request.user, theme=theme, level=level),
            "themes": themes,
            "levels": TrainingLevel.choices,
            "theme": theme,
            "level": level,
        },
    )


@login_not_required
@require_GET
def training(request, slug: str):
    item = training_for(request.user, slug)
    return render(request, "events/training.html", {"training": item})


def _training_form_page(request, item: Training | None):
    form = TrainingForm(_posted(request), instance=copy.copy(item) if item else None)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = training_create(by=request.user, data=_data(form))
                messages.success(request, _("Formation créée. Ajoutez maintenant une session."))
            else:
                item = training_update(by=request.user, training=item, data=_data(form))
                messages.success(request, _("Formation enregistrée."))
        except ServiceError as error:
            form.add_error("slug", str(error))
        else:
            return redirect(item.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "events/training_form.html", {"form": form, "training": item}, status=status
    )


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def training_create_view(request):
    return _training_form_page(request, None)


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def training_edit(request, slug: str):
    return _training_form_page(request, get_object_or_404(Training, slug=slug))


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_create(request, slug: str):
    return occasion_form_page(
        request, edition=None, training=get_object_or_404(Training, slug=slug)
    )
