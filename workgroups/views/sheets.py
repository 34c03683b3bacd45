"""Project sheets: each group's page and its form, the gallery of every
project and the booklet (PDF).

Who sees what (workgroups/permissions.py):
- the sheet's content: organisers, the group's facilitators, and whoever may
  see the gallery (partners once the results are published; the public too
  if the organisers made the gallery public);
- the group's header and members, without the sheet: logged-in partners;
- the form: organisers and the group's facilitators, even after the day.

The gallery, the booklet and the group page may be public: they opt out of
the login requirement and check the permission themselves (anonymous visitors
without it go to the login page, logged-in people without it get a 403).
The form opts out too, to keep what a person typed when their session expired (only
for someone the signed ``draft_owner`` field proves may edit that sheet).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from contrat_ville.models import User
from contrat_ville.services import ServiceError
from events.selectors import edition_for

from ..booklet import booklet_pdf, sheet_entries, sheet_of_group, target
from ..extensions import sheet_links
from ..forms.sheets import ProjectSheetForm
from ..models import ProjectSheet
from ..selectors import gallery_of, sheet_of, workgroup_of
from ..services.sheets import sheet_save

# A stash bigger than this is not kept in the session (the sheet's text fields
# together stay far below it): with one stash per session, the most a session holds.
STASH_MAX_CHARACTERS = 100_000


def _refuse(request):
    """Anonymous: the login page, then back here. Logged in: 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _can_see_names(user) -> bool:
    # Names of people on the participants list are for logged-in partners.
    return user.has_perm("workgroups.view_groups")


@login_not_required
@require_GET
def sheet(request, year: int, number: int):
    edition = edition_for(request.user, year)
    workgroup = workgroup_of(edition, number)
    user = request.user
    can_edit = user.has_perm("workgroups.edit_sheet", workgroup)
    is_partner = _can_see_names(user)
    shows_sheet = can_edit or user.has_perm("workgroups.view_gallery", edition)
    if not (shows_sheet or is_partner):
        return _refuse(request)
    project = sheet_of(workgroup) if shows_sheet else None
    members = []
    unlisted = 0
    if is_partner:
        people = [
            seat.registration for seat in workgroup.seats.select_related("registration__actor")
        ]
        members = sorted(
            (p for p in people if p.listed and p.full_name),
            key=lambda p: (p.last_name.casefold(), p.first_name.casefold(), p.pk),
        )
        unlisted = len(people) - len(members)
    context = {
        "edition": edition,
        "workgroup": workgroup,
        "facilitators": list(workgroup.facilitators.all()) if is_partner else [],
        "shows_sheet": shows_sheet,
        "project": project,
        "entries": sheet_entries(project, with_names=is_partner),
        "is_partner": is_partner,
        "members": members,
        "unlisted": unlisted,
        "can_edit": can_edit,
        "gallery_visible": user.has_perm("workgroups.view_gallery", edition),
        "sheet_links": sheet_links(project, user) if shows_sheet else [],
    }
    return render(request, "workgroups/sheet.html", context)


# A form carries who loaded it, signed: when their session has expired by the time they
# save, the text is kept only if that person may edit this very sheet.
DRAFT_OWNER_SALT = "workgroups.sheet_draft_owner"
DRAFT_OWNER_MAX_AGE = 24 * 3600
# One stash per session, whatever the number of groups posted to.
STASH_KEY = "workgroups.sheet_draft"


def draft_owner_token(user, workgroup) -> str:
    return signing.dumps({"user": user.pk, "group": workgroup.pk}, salt=DRAFT_OWNER_SALT)


def _draft_owner(token: str, workgroup):
    """The person who loaded the form, if the token is theirs for this group and they may
    still edit it; else None."""
    try:
        claim = signing.loads(token, salt=DRAFT_OWNER_SALT, max_age=DRAFT_OWNER_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(claim, dict) or claim.get("group") != workgroup.pk:
        return None
    owner = User.objects.filter(pk=claim.get("user"), is_active=True).first()
    if owner is None or not owner.has_perm("workgroups.edit_sheet", workgroup):
        return None
    return owner


def _stash(request, workgroup) -> bool:
    """Keep what a POST without a session carried, for after the login: only for a person
    who may edit this sheet, only the sheet's fields, within a size limit. True if kept."""
    owner = _draft_owner(request.POST.get("draft_owner", ""), workgroup)
    if owner is None:
        return False
    names = set(ProjectSheetForm.base_fields)
    data = {key: request.POST.getlist(key) for key in request.POST if key in names}
    if sum(len(value) for values in data.values() for value in values) > STASH_MAX_CHARACTERS:
        return False
    request.session[STASH_KEY] = {"user": owner.pk, "group": workgroup.pk, "data": data}
    return True


def _stashed(request, workgroup) -> dict | None:
    """The text kept for this person and this sheet, if any."""
    stash = request.session.get(STASH_KEY)
    if stash and stash.get("user") == request.user.pk and stash.get("group") == workgroup.pk:
        return stash["data"]
    return None


def _unstash(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def sheet_edit(request, year: int, number: int):
    # Found first: a group that does not exist is a 404 for everyone, and nothing is kept.
    edition = edition_for(request.user, year)
    workgroup = workgroup_of(edition, number)
    if not request.user.is_authenticated:
        if request.method == "POST" and _stash(request, workgroup):
            # The session expired while the person typed: keep the text.
            messages.warning(
                request, _("Votre session a expiré : connectez-vous, votre texte vous attend.")
            )
        return redirect_to_login(request.path)
    if not request.user.has_perm("workgroups.edit_sheet", workgroup):
        raise PermissionDenied
    instance = sheet_of(workgroup) or ProjectSheet(workgroup=workgroup)
    restored = False
    stashed = _stashed(request, workgroup)
    if request.method == "POST" and "discard_draft" in request.POST:
        request.session.pop(STASH_KEY, None)
        messages.info(request, _("Le texte restauré a été écarté."))
        return redirect("workgroups:sheet_edit", year=year, number=number)
    if request.method == "POST":
        form = ProjectSheetForm(request.POST, instance=instance, workgroup=workgroup)
        if form.is_valid():
            try:
                sheet_save(by=request.user, workgroup=workgroup, **form.data_for_service())
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                if stashed is not None:
                    request.session.pop(STASH_KEY, None)
                messages.success(request, _("La fiche projet est enregistrée."))
                return redirect("workgroups:sheet", year=year, number=number)
    elif stashed is not None:
        form = ProjectSheetForm(_unstash(stashed), instance=instance, workgroup=workgroup)
        restored = True
        messages.info(
            request,
            _("Votre texte non enregistré a été restauré : vérifiez-le puis enregistrez."),
        )
    else:
        form = ProjectSheetForm(instance=instance, workgroup=workgroup)
    context = {
        "edition": edition,
        "workgroup": workgroup,
        "form": form,
        "sheet": instance,
        "restored": restored,
        "draft_owner": draft_owner_token(request.user, workgroup),
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "workgroups/sheet_form.html", context, status=status)


def _partner_names(project: ProjectSheet) -> list[str]:
    names = [actor.name for actor in project.partners.all()]
    return names + [line.strip() for line in project.other_partners.splitlines() if line.strip()]


@login_not_required
@require_GET
def gallery(request, year: int):
    edition = edition_for(request.user, year)
    if not request.user.has_perm("workgroups.view_gallery", edition):
        return _refuse(request)
    cards = []
    for workgroup in gallery_of(edition):
        project = sheet_of_group(workgroup)
        cards.append(
            {
                "workgroup": workgroup,
                "sheet": project,
                "target": target(project) if project else "",
                "territories": list(project.territories.all()) if project else [],
                "partners": _partner_names(project) if project else [],
            }
        )
    return render(request, "workgroups/gallery.html", {"edition": edition, "cards": cards})


@login_not_required
@require_GET
def booklet(request, year: int):
    edition = edition_for(request.user, year)
    if not request.user.has_perm("workgroups.view_gallery", edition):
        return _refuse(request)
    body = booklet_pdf(
        edition,
        gallery_of(edition, with_members=True),
        with_names=_can_see_names(request.user),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="recueil-des-projets-{edition.year}.pdf"'
    return response
