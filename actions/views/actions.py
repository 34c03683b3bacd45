"""Pages of the actions: the public list and page, the carriers' and organisers' forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrat_ville.permissions import is_organiser
from contrat_ville.services import ServiceError
from partners.enums import ActorStatus
from partners.models import Actor
from workgroups.models import ProjectSheet

from .. import selectors, services
from ..enums import ActionStatus
from ..forms import (
    ActionFilterForm,
    ActionForm,
    FundingFormSet,
    IndicatorFormSet,
    PitchForm,
    funding_initial,
    indicator_initial,
)
from ..models import Action
from ..permissions import allowed_statuses
from ..selectors.bilan import bilan_years

PAGE_SIZE = 25


def _querystring(request, *drop: str) -> str:
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def _carriers(user) -> QuerySet[Actor]:
    """Who ``user`` may name as the carrier: any published actor for an organiser, else the
    actors they are a member of."""
    if is_organiser(user):
        return Actor.objects.filter(status=ActorStatus.PUBLISHED).order_by("name")
    return Actor.objects.filter(memberships__user=user).order_by("name").distinct()


def _visible(request, pk: int) -> Action:
    action = selectors.action_for_page(request.user, pk)
    if action is None:
        raise Http404
    return action


@login_not_required
@require_GET
def action_list(request):
    form = ActionFilterForm(request.GET or None, years=bilan_years())
    actions = selectors.actions_list(request.user, **form.values())
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/list.html",
        {
            "form": form,
            "page": page,
            "actions": list(page.object_list),
            "filtered": any(form.values().values()),
            "querystring": _querystring(request, "page"),
            "can_propose": request.user.has_perm("actions.propose_action"),
            "can_manage": request.user.has_perm("actions.manage"),
            "latest_year": next(iter(bilan_years()), None),
        },
    )


@login_not_required
@require_GET
def action_detail(request, pk: int):
    action = _visible(request, pk)
    user = request.user
    can_history = user.has_perm("actions.view_history", action)
    pitch = action.pitch
    pitch_url = ""
    if pitch is not None:
        edition = pitch.workgroup.edition
        if user.has_perm("workgroups.view_gallery", edition) or is_organiser(user):
            pitch_url = reverse(
                "workgroups:sheet", kwargs={"year": edition.year, "number": pitch.workgroup.number}
            )
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "can_edit": user.has_perm("actions.change_action", action),
            "can_manage": user.has_perm("actions.manage"),
            "can_renew": user.has_perm("actions.renew_action", action)
            and action.status != ActionStatus.PROPOSED
            and not hasattr(action, "renewal"),
            "shows_amounts": user.has_perm("actions.view_amounts", action),
            "statuses": [(s, ActionStatus(s).label) for s in allowed_statuses(user, action)],
            "chain": selectors.chain_of(action),
            "history": selectors.history_of(action) if can_history else [],
            "pitch_url": pitch_url,
        },
    )


def _form_page(request, action: Action | None):
    user = request.user
    instance = action or Action()
    can_confidential = user.has_perm("actions.manage")
    post = request.POST if request.method == "POST" else None
    form = ActionForm(
        post,
        instance=instance,
        user=user,
        carriers=_carriers(user),
        can_mark_confidential=can_confidential,
    )
    fundings = FundingFormSet(
        post, prefix="fundings", initial=funding_initial(action) if action else None
    )
    indicators = IndicatorFormSet(
        post, prefix="indicators", initial=indicator_initial(action) if action else None
    )
    if post is not None and all([form.is_valid(), fundings.is_valid(), indicators.is_valid()]):
        try:
            if action is None:
                saved = services.action_create(
                    by=user,
                    year=form.cleaned_data["year"],
                    data=form.data_for_service(),
                    relations=form.relations(),
                    fundings=fundings.items(),
                    indicators=indicators.items(),
                )
                messages.success(
                    request, _("Action « %(title)s » proposée.") % {"title": saved.title}
                )
            else:
                saved = services.action_update(
                    by=user,
                    action=action,
                    data=form.data_for_service(),
                    relations=form.relations(),
                    fundings=fundings.items(),
                    indicators=indicators.items(),
                    can_mark_confidential=can_confidential,
                )
                messages.success(
                    request, _("Action « %(title)s » enregistrée.") % {"title": saved.title}
                )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            return redirect(saved)
    return render(
        request,
        "actions/form.html",
        {"form": form, "fundings": fundings, "indicators": indicators, "action": action},
    )


@require_http_methods(["GET", "POST"])
def action_create(request):
    if not request.user.has_perm("actions.propose_action"):
        raise PermissionDenied
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int):
    action = _visible(request, pk)
    if not request.user.has_perm("actions.change_action", action):
        raise PermissionDenied
    return _form_page(request, action)


@require_POST
def action_status(request, pk: int):
    action = _visible(request, pk)
    if not request.user.has_perm("actions.change_action", action):
        raise PermissionDenied
    try:
        action = services.action_status_set(
            by=request.user, action=action, status=request.POST.get("status", "")
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("L'action est maintenant « %(status)s ».") % {"status": action.get_status_display()},
        )
    return redirect(action)


@require_POST
def action_renew(request, pk: int):
    action = _visible(request, pk)
    if not request.user.has_perm("actions.renew_action", action):
        raise PermissionDenied
    try:
        renewal = services.action_renew(by=request.user, action=action)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect(action)
    messages.success(
        request,
        _("L'action est reconduite en %(year)s : vérifiez son budget et ses indicateurs.")
        % {"year": renewal.year},
    )
    return redirect("actions:edit", pk=renewal.pk)


@require_http_methods(["GET", "POST"])
def action_delete(request, pk: int):
    if not request.user.has_perm("actions.manage"):
        raise PermissionDenied
    action = _visible(request, pk)
    if request.method == "POST":
        services.action_delete(by=request.user, action=action)
        messages.success(request, _("Action « %(title)s » supprimée.") % {"title": action.title})
        return redirect("actions:list")
    return render(request, "actions/delete.html", {"action": action})


@require_http_methods(["GET", "POST"])
def action_from_pitch(request, sheet: int):
    """ "Du pitch à l'action": a project sheet the reader may see becomes a proposed action."""
    user = request.user
    if not user.has_perm("actions.pitch_to_action"):
        raise PermissionDenied
    project = get_object_or_404(
        ProjectSheet.objects.select_related("workgroup__edition").exclude(title=""), pk=sheet
    )
    edition = project.workgroup.edition
    if not (is_organiser(user) or user.has_perm("workgroups.view_gallery", edition)):
        raise Http404
    existing = Action.objects.filter(pitch=project).first()
    form = PitchForm(
        request.POST if request.method == "POST" else None,
        carriers=_carriers(user),
        default_year=edition.year + 1,
    )
    if existing is None and request.method == "POST" and form.is_valid():
        try:
            action = services.action_from_pitch(
                by=user,
                sheet=project,
                carrier=form.cleaned_data["carrier"],
                year=form.cleaned_data["year"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Le pitch est devenu une action proposée : complétez-la."))
            return redirect("actions:edit", pk=action.pk)
    return render(
        request,
        "actions/from_pitch.html",
        {"form": form, "sheet": project, "edition": edition, "existing": existing},
    )
