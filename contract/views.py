"""Pages of the contract: public reading, organisers' editing (contract.edit_contract)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from contrat_ville.services import ServiceError

from . import selectors
from .forms import BodyForm, ObjectiveFormSet, PriorityForm
from .models import Body, Priority
from .services import (
    body_create,
    body_delete,
    body_move,
    body_update,
    priority_create,
    priority_delete,
    priority_move,
    priority_update,
)

EDIT = "contract.edit_contract"


@login_not_required
@require_GET
def index(request):
    priorities = list(selectors.priority_list())
    bodies = list(selectors.body_list())
    return render(
        request,
        "contract/index.html",
        {
            "priorities": priorities,
            "bodies": bodies,
            "territories": selectors.contract_territories(),
            "is_demo": any(p.is_demo for p in priorities) or any(b.is_demo for b in bodies),
            "can_edit": request.user.has_perm(EDIT),
        },
    )


@login_not_required
@require_GET
def priority(request, slug: str):
    item = get_object_or_404(selectors.priority_for_page(slug))
    return render(
        request,
        "contract/priority.html",
        {
            "priority": item,
            "actors": selectors.priority_actors(item),
            "projects": selectors.priority_projects(item, request.user),
            "actions": selectors.priority_actions(item),
            "can_edit": request.user.has_perm(EDIT),
        },
    )


@login_not_required
@require_GET
def body(request, slug: str):
    item = get_object_or_404(Body, slug=slug)
    return render(
        request,
        "contract/body.html",
        {
            "body": item,
            "members": selectors.body_members(item),
            "meetings": selectors.body_meetings(item),
            "can_edit": request.user.has_perm(EDIT),
        },
    )


@permission_required(EDIT, raise_exception=True)
@require_GET
def manage(request):
    return render(
        request,
        "contract/manage.html",
        {"priorities": list(selectors.priority_list()), "bodies": list(selectors.body_list())},
    )


def _priority_form_page(request, item: Priority | None):
    instance = item or Priority()
    form = PriorityForm(request.POST or None, instance=instance)
    formset = ObjectiveFormSet(request.POST or None, instance=instance, prefix="objectives")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if item is None:
                saved = priority_create(by=request.user, data=data, objectives=formset.rows())
                messages.success(request, _("Priorité « %(name)s » ajoutée.") % {"name": saved})
            else:
                saved = priority_update(
                    by=request.user, priority=item, data=data, objectives=formset.rows()
                )
                messages.success(request, _("Priorité « %(name)s » enregistrée.") % {"name": saved})
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            return redirect("contract:manage")
    return render(
        request,
        "contract/priority_form.html",
        {"form": form, "formset": formset, "priority": item},
    )


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def priority_create_view(request):
    return _priority_form_page(request, None)


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def priority_edit(request, pk: int):
    return _priority_form_page(request, get_object_or_404(Priority, pk=pk))


def _offset(request) -> int | None:
    return {"up": -1, "down": 1}.get(request.POST.get("direction", ""))


@permission_required(EDIT, raise_exception=True)
@require_POST
def priority_move_view(request, pk: int):
    item = get_object_or_404(Priority, pk=pk)
    offset = _offset(request)
    if offset is None:
        return HttpResponseBadRequest(_("Direction inconnue."))
    try:
        priority_move(by=request.user, priority=item, offset=offset)
    except ServiceError as error:
        messages.error(request, str(error))
    return redirect("contract:manage")


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def priority_delete_view(request, pk: int):
    """A page that asks first: without JavaScript, a deletion still takes two steps."""
    item = get_object_or_404(Priority, pk=pk)
    if request.method == "POST":
        priority_delete(by=request.user, priority=item)
        messages.success(request, _("Priorité « %(name)s » supprimée.") % {"name": item})
        return redirect("contract:manage")
    return render(
        request,
        "contract/delete.html",
        {
            "object": item,
            "kind": "priority",
            "actors": item.actors.count(),
            "projects": item.projects.count(),
        },
    )


def _body_form_page(request, item: Body | None):
    form = BodyForm(request.POST or None, instance=item or Body())
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if item is None:
                saved = body_create(by=request.user, data=data)
                messages.success(request, _("Instance « %(name)s » ajoutée.") % {"name": saved})
            else:
                saved = body_update(by=request.user, body=item, data=data)
                messages.success(request, _("Instance « %(name)s » enregistrée.") % {"name": saved})
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            return redirect("contract:manage")
    return render(request, "contract/body_form.html", {"form": form, "body": item})


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def body_create_view(request):
    return _body_form_page(request, None)


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def body_edit(request, pk: int):
    return _body_form_page(request, get_object_or_404(Body, pk=pk))


@permission_required(EDIT, raise_exception=True)
@require_POST
def body_move_view(request, pk: int):
    item = get_object_or_404(Body, pk=pk)
    offset = _offset(request)
    if offset is None:
        return HttpResponseBadRequest(_("Direction inconnue."))
    try:
        body_move(by=request.user, body=item, offset=offset)
    except ServiceError as error:
        messages.error(request, str(error))
    return redirect("contract:manage")


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def body_delete_view(request, pk: int):
    item = get_object_or_404(Body, pk=pk)
    if request.method == "POST":
        try:
            body_delete(by=request.user, body=item)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Instance « %(name)s » supprimée.") % {"name": item})
        return redirect("contract:manage")
    return render(
        request,
        "contract/delete.html",
        {"object": item, "kind": "body", "meetings": item.meetings.count()},
    )
