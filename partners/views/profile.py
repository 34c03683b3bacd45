"""Self-service: propose an actor, keep its profile and contacts up to date,
ask to join one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from contrat_ville.services import ServiceError

from ..enums import ActorStatus
from ..forms import ActorForm, ContactFormSet, JoinRequestForm
from ..permissions import is_organiser
from ..selectors import (
    actor_for_edit,
    actors_editable_by,
    actors_visible_to,
    contacts_of,
    join_requests_of,
    memberships_of,
)
from ..services import (
    actor_contacts_set,
    actor_create,
    actor_update,
    actor_verify,
    join_request_create,
    membership_remove,
)
from .directory import PLACEMENT_WARNING_KEY


@permission_required("partners.propose_actor", raise_exception=True)
@require_http_methods(["GET", "POST"])
def actor_create_view(request):
    form = ActorForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organiser = is_organiser(request.user)
        try:
            actor = actor_create(
                by=request.user,
                data=form.data_for_service(),
                # An organiser's entry is published at once; anyone else's waits.
                status=ActorStatus.PUBLISHED if organiser else ActorStatus.PENDING,
                make_admin=not organiser,
                **form.relations(),
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            _keep_placement_warning(request, actor)
            if actor.status == ActorStatus.PENDING:
                messages.success(
                    request,
                    _(
                        "Merci ! La fiche « %(name)s » sera visible dans l'annuaire dès qu'un "
                        "organisateur l'aura validée."
                    )
                    % {"name": actor.name},
                )
            else:
                messages.success(request, _("Fiche « %(name)s » publiée.") % {"name": actor.name})
            return redirect("partners:actor_detail", slug=actor.slug)
    return render(request, "partners/actor_form.html", {"form": form, "actor": None})


def _keep_placement_warning(request, actor) -> None:
    """The profile shows, next to the address, why the address service could not place it."""
    warnings = request.session.get(PLACEMENT_WARNING_KEY, {})
    if actor.placement_warning:
        warnings[str(actor.pk)] = actor.placement_warning
    elif warnings.pop(str(actor.pk), None) is None:
        return
    request.session[PLACEMENT_WARNING_KEY] = warnings


@require_http_methods(["GET", "POST"])
def actor_edit(request, slug: str):
    # Scoped queryset first: someone who may not edit this actor gets a 404.
    actor = actor_for_edit(get_object_or_404(actors_editable_by(request.user), slug=slug))
    form = ActorForm(request.POST or None, request.FILES or None, instance=actor)
    if request.method == "POST" and form.is_valid():
        try:
            actor = actor_update(
                by=request.user, actor=actor, data=form.data_for_service(), **form.relations()
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            _keep_placement_warning(request, actor)
            messages.success(request, _("La fiche est enregistrée."))
            return redirect("partners:actor_detail", slug=actor.slug)
    return render(request, "partners/actor_form.html", {"form": form, "actor": actor})


@require_http_methods(["GET", "POST"])
def actor_contacts(request, slug: str):
    actor = get_object_or_404(actors_editable_by(request.user), slug=slug)
    if request.method == "POST":
        formset = ContactFormSet(request.POST, prefix="contacts")
        if formset.is_valid():
            actor_contacts_set(by=request.user, actor=actor, contacts=formset.contacts())
            messages.success(request, _("Les personnes contact sont enregistrées."))
            return redirect("partners:actor_detail", slug=actor.slug)
    else:
        formset = ContactFormSet(
            prefix="contacts",
            initial=[
                {"name": c.name, "function": c.function, "email": c.email, "phone": c.phone}
                for c in contacts_of(actor)
            ],
        )
    return render(request, "partners/actor_contacts.html", {"actor": actor, "formset": formset})


@require_POST
def actor_verify_view(request, slug: str):
    actor = get_object_or_404(actors_editable_by(request.user), slug=slug)
    actor_verify(by=request.user, actor=actor)
    messages.success(request, _("Merci, la fiche est marquée à jour."))
    return redirect("partners:actor_detail", slug=actor.slug)


@require_http_methods(["GET", "POST"])
def actor_join(request, slug: str):
    actor = get_object_or_404(actors_visible_to(request.user), slug=slug)
    if not request.user.has_perm("partners.request_membership", actor):
        raise PermissionDenied
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            join_request_create(user=request.user, actor=actor, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Votre demande est envoyée ; un organisateur y répondra."),
            )
            return redirect("partners:actor_detail", slug=actor.slug)
    return render(request, "partners/actor_join.html", {"actor": actor, "form": form})


@require_POST
def member_remove(request, slug: str, membership_id: int):
    actor = get_object_or_404(actors_editable_by(request.user), slug=slug)
    membership = get_object_or_404(actor.memberships.select_related("user"), pk=membership_id)
    # Organisers remove anyone; a member may only leave.
    if not (is_organiser(request.user) or membership.user_id == request.user.pk):
        raise PermissionDenied
    membership_remove(by=request.user, membership=membership)
    messages.success(
        request, _("%(person)s ne fait plus partie de la fiche.") % {"person": membership.user}
    )
    if membership.user_id == request.user.pk:
        return redirect("partners:my_actors")
    return redirect("partners:actor_detail", slug=actor.slug)


@require_GET
def my_actors(request):
    return render(
        request,
        "partners/my_actors.html",
        {
            "memberships": memberships_of(request.user),
            "requests": join_requests_of(request.user),
        },
    )
