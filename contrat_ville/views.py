from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from .audit import describe, known_actions, target_url
from .audit import details as audit_details
from .colours import stylesheet
from .design import colour_tokens
from .enums import Role, TerritoryKind
from .forms import (
    AuditLogFilterForm,
    IdentityForm,
    ProfileForm,
    SignatoryForm,
    TerritoryForm,
    UserRolesForm,
    UserSearchForm,
)
from .glossary import sorted_terms
from .identity import identity_update, signatory_create, signatory_delete, signatory_update
from .logos import LONG_CACHE, SHORT_CACHE, logo_response
from .models import PortalIdentity, Signatory, Territory
from .selectors import (
    audit_log_list,
    identity_row,
    portal_identity,
    signatory_list,
    stylesheet_version,
    user_list_with_roles,
    user_role_counts,
    user_roles,
)
from .services import (
    TERRITORY_FIELDS,
    ServiceError,
    territory_create,
    territory_update,
    user_profile_update,
    user_roles_set,
)

PAGE_SIZE = 50


@login_not_required
@require_GET
def home(request):
    # The role links come from the navigation the context processor already built.
    return render(
        request, "contrat_ville/home.html", {"my_roles": _role_labels(user_roles(request.user))}
    )


@login_not_required
@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
@require_GET
def privacy(request):
    # Every other host a visitor's data may reach is named here, when the option is on.
    return render(
        request,
        "contrat_ville/privacy.html",
        {
            "operator": settings.PORTAL_OPERATOR,
            "map_tiles_host": urlsplit(settings.PORTAL_MAP_TILES_URL).netloc,
            "map_tiles_attribution": settings.PORTAL_MAP_TILES_ATTRIBUTION,
            "geocoding_host": urlsplit(settings.PORTAL_GEOCODER_URL).netloc,
        },
    )


@login_not_required
@require_GET
def legal_notice(request):
    return render(
        request, "contrat_ville/legal_notice.html", {"operator": settings.PORTAL_OPERATOR}
    )


@login_not_required
@require_GET
def accessibility(request):
    return render(
        request, "contrat_ville/accessibility.html", {"operator": settings.PORTAL_OPERATOR}
    )


@login_not_required
@require_GET
def glossary(request):
    """The contract's words in plain French, for residents first (contrat_ville/glossary.py)."""
    return render(request, "contrat_ville/glossary.html", {"terms": sorted_terms()})


@require_http_methods(["GET", "POST"])
def profile(request):
    """Any logged-in person corrects the name the partners see."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("profile")
    return render(
        request,
        "contrat_ville/profile.html",
        {"form": form, "my_roles": _role_labels(user_roles(request.user))},
    )


@permission_required("contrat_ville.manage_roles", raise_exception=True)
@require_GET
def roles(request):
    form = UserSearchForm(request.GET or None)
    query = role = ""
    if form.is_valid():
        query, role = form.cleaned_data["q"], form.cleaned_data["role"]
    page = Paginator(user_list_with_roles(query=query, role=role), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = user_role_counts()
    return render(
        request,
        "contrat_ville/roles.html",
        {
            "form": form,
            "page": page,
            "role_counts": [(label, counts[value]) for value, label in Role.choices],
            "querystring": _querystring_without_page(request),
        },
    )


@permission_required("contrat_ville.manage_roles", raise_exception=True)
@require_http_methods(["GET", "POST"])
def user_roles_edit(request, user_id: int):
    person = get_object_or_404(user_list_with_roles(), pk=user_id)
    current = {a.role for a in person.role_assignments.all()}
    if request.method == "POST":
        form = UserRolesForm(request.POST)
        if form.is_valid():
            try:
                added, removed = user_roles_set(actor=request.user, user=person, roles=form.roles())
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                if added or removed:
                    messages.success(
                        request,
                        _("Rôles de %(person)s mis à jour.") % {"person": person},
                    )
                else:
                    messages.info(request, _("Aucun changement."))
                return redirect("user_roles_edit", user_id=person.pk)
    else:
        form = UserRolesForm.for_roles(current)
    history = audit_log_list(target_type=person._meta.label_lower, target_id=str(person.pk))[:20]
    return render(
        request,
        "contrat_ville/user_roles_edit.html",
        {"person": person, "form": form, "history": history},
    )


@permission_required("contrat_ville.view_audit_log", raise_exception=True)
@require_GET
def audit_log(request):
    form = AuditLogFilterForm(request.GET or None, actions=known_actions())
    action = form.cleaned_data["action"] if form.is_valid() else ""
    page = Paginator(audit_log_list(action=action), PAGE_SIZE).get_page(request.GET.get("page"))
    # Worded now, in the reader's language, from what each entry stored.
    for entry in page:
        entry.sentence = describe(entry)
        entry.lines = audit_details(entry)
        entry.url = target_url(entry, request.user)
    return render(
        request,
        "contrat_ville/audit_log.html",
        {"form": form, "page": page, "querystring": _querystring_without_page(request)},
    )


@permission_required("contrat_ville.manage_territories", raise_exception=True)
@require_GET
def territories(request):
    return render(
        request, "contrat_ville/territories.html", {"territories": Territory.objects.all()}
    )


@permission_required("contrat_ville.manage_territories", raise_exception=True)
@require_http_methods(["GET", "POST"])
def territory_create_view(request):
    form = TerritoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            territory = territory_create(by=request.user, data=form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Territoire « %(name)s » ajouté.") % {"name": territory})
            return redirect("territories")
    return render(
        request,
        "contrat_ville/territory_form.html",
        {"form": form, "territory": None, "name": "", "history": []},
    )


@permission_required("contrat_ville.manage_territories", raise_exception=True)
@require_http_methods(["GET", "POST"])
def territory_edit(request, pk: int):
    territory = get_object_or_404(Territory, pk=pk)
    name = territory.name  # the form changes the instance as it validates
    form = TerritoryForm(request.POST or None, instance=territory)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Aucun changement."))
            return redirect("territories")
        try:
            territory = territory_update(
                by=request.user, territory=territory, data=form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Territoire « %(name)s » enregistré.") % {"name": territory}
            )
            return redirect("territories")
    return render(
        request,
        "contrat_ville/territory_form.html",
        {"form": form, "territory": territory, "name": name, "history": _territory_history(pk)},
    )


def _territory_history(pk: int) -> list[tuple]:
    """The territory's last audit entries, each with its changes in words."""

    def shown(field: str, value) -> str:
        if field == "kind" and value in TerritoryKind.values:
            return str(TerritoryKind(value).label)
        return str(value)

    history = []
    entries = audit_log_list(target_type=Territory._meta.label_lower, target_id=str(pk))[:20]
    for entry in entries:
        changes = [
            (Territory._meta.get_field(field).verbose_name, shown(field, old), shown(field, new))
            for field, (old, new) in entry.data.get("changes", {}).items()
            if field in TERRITORY_FIELDS
        ]
        history.append((entry, changes))
    return history


def _role_labels(roles) -> list[str]:
    return [label for value, label in Role.choices if value in roles]


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@permission_required("contrat_ville.view_design", raise_exception=True)
@require_GET
def design(request):
    """The living design page: every component and state, and the colour tokens.

    It still needs a login, DEBUG or not (deny by default, tests/contrat_ville/test_urls.py);
    with DEBUG any logged-in person may open it, otherwise organisers only.
    """
    return render(request, "contrat_ville/design.html", {"colour_tokens": colour_tokens()})


# -- the installation's identity -------------------------------------------------------------


@login_not_required
@require_GET
def identity_stylesheet(request):
    """The palette derived from the identity's colour, after tokens.css. Its URL carries a
    version of the colour, so browsers keep it a year and fetch the new one after a change."""
    colour = portal_identity().primary_colour
    response = HttpResponse(stylesheet(colour), content_type="text/css; charset=utf-8")
    current = request.GET.get("v") == stylesheet_version(colour)
    response["Cache-Control"] = LONG_CACHE if current else SHORT_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
@require_GET
def identity_logo(request):
    """The operator's logo, shown on every page: public, served by its content."""
    return logo_response(identity_row().logo, version=request.GET.get("v", ""))


@login_not_required
@require_GET
def identity_signatory_logo(request, pk: int):
    signatory = get_object_or_404(Signatory, pk=pk)
    return logo_response(signatory.logo, version=request.GET.get("v", ""))


@permission_required("contrat_ville.edit_identity", raise_exception=True)
@require_http_methods(["GET", "POST"])
def identity_edit(request):
    identity = identity_row()
    form = IdentityForm(request.POST or None, request.FILES or None, instance=identity)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Aucun changement."))
            return redirect("identity_edit")
        identity_update(by=request.user, data=form.cleaned_data)
        messages.success(request, _("L'identité du portail est enregistrée."))
        return redirect("identity_edit")
    return render(
        request,
        "contrat_ville/identity.html",
        {
            "form": form,
            "signatories": signatory_list(),
            "history": _identity_history(),
        },
    )


@permission_required("contrat_ville.edit_identity", raise_exception=True)
@require_http_methods(["GET", "POST"])
def identity_signatory_create(request):
    form = SignatoryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        signatory = signatory_create(by=request.user, data=form.cleaned_data)
        messages.success(request, _("Signataire « %(name)s » ajouté.") % {"name": signatory})
        return redirect("identity_edit")
    return render(
        request, "contrat_ville/identity_signatory_form.html", {"form": form, "signatory": None}
    )


@permission_required("contrat_ville.edit_identity", raise_exception=True)
@require_http_methods(["GET", "POST"])
def identity_signatory_edit(request, pk: int):
    signatory = get_object_or_404(Signatory, pk=pk)
    name = signatory.name  # the form changes the instance as it validates
    form = SignatoryForm(request.POST or None, request.FILES or None, instance=signatory)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            signatory = signatory_update(
                by=request.user, signatory=signatory, data=form.cleaned_data
            )
            messages.success(
                request, _("Signataire « %(name)s » enregistré.") % {"name": signatory}
            )
        else:
            messages.info(request, _("Aucun changement."))
        return redirect("identity_edit")
    return render(
        request,
        "contrat_ville/identity_signatory_form.html",
        {"form": form, "signatory": signatory, "name": name},
    )


@permission_required("contrat_ville.edit_identity", raise_exception=True)
@require_http_methods(["GET", "POST"])
def identity_signatory_delete(request, pk: int):
    """A page that asks first: without JavaScript, a removal still takes two steps."""
    signatory = get_object_or_404(Signatory, pk=pk)
    if request.method == "POST":
        signatory_delete(by=request.user, signatory=signatory)
        messages.success(request, _("Signataire « %(name)s » retiré.") % {"name": signatory})
        return redirect("identity_edit")
    return render(request, "contrat_ville/identity_signatory_delete.html", {"signatory": signatory})


def _identity_history() -> list:
    """The identity's last changes, worded as in the journal."""
    entries = list(
        audit_log_list(
            target_type=PortalIdentity._meta.label_lower,
            target_id=str(PortalIdentity.SINGLETON_PK),
        )[:10]
    )
    for entry in entries:
        entry.sentence = describe(entry)
        entry.lines = audit_details(entry)
    return entries
