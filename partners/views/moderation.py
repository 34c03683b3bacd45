"""Organisers' queues: proposed actors, join and claim requests, stale profiles."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rules.contrib.views import permission_required

from contrat_ville.services import ServiceError

from ..forms import ActorStatusForm, DecisionForm
from ..models import Actor, JoinRequest
from ..selectors import actors_pending, actors_stale, join_requests_pending
from ..services import actor_status_set, join_request_decide

PAGE_SIZE = 50


@permission_required("partners.moderate", raise_exception=True)
@require_GET
def moderation(request):
    return render(
        request,
        "partners/moderation.html",
        {
            "pending_actors": actors_pending(),
            "join_requests": join_requests_pending(),
            "stale_count": actors_stale().count(),
        },
    )


@permission_required("partners.moderate", raise_exception=True)
@require_GET
def stale(request):
    page = Paginator(actors_stale(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partners/stale.html", {"page": page, "querystring": ""})


@permission_required("partners.moderate", raise_exception=True)
@require_POST
def actor_status(request, slug: str):
    actor = get_object_or_404(Actor, slug=slug)
    form = ActorStatusForm(request.POST)
    if form.is_valid():
        actor_status_set(by=request.user, actor=actor, status=form.cleaned_data["status"])
        messages.success(
            request,
            _("« %(name)s » : %(status)s.")
            % {"name": actor.name, "status": actor.get_status_display()},
        )
    else:
        messages.error(request, _("Statut inconnu : rien n'a changé."))
    if request.POST.get("next") == "moderation":
        return redirect("partners:moderation")
    return redirect("partners:actor_detail", slug=actor.slug)


@permission_required("partners.moderate", raise_exception=True)
@require_POST
def join_request_decide_view(request, pk: int):
    join_request = get_object_or_404(JoinRequest.objects.select_related("actor", "user"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez d'accepter ou de refuser la demande."))
        return redirect("partners:moderation")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        join_request_decide(by=request.user, request=join_request, approve=approve)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        template = (
            _("%(person)s a rejoint « %(actor)s ».")
            if approve
            else _("Demande de %(person)s pour « %(actor)s » refusée.")
        )
        messages.success(
            request, template % {"person": join_request.user, "actor": join_request.actor.name}
        )
    return redirect("partners:moderation")
