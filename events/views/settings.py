"""Organisers' pages for an edition: settings, programme, copy for next year,
college invitations and the CSV import of participants."""

import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from contrat_ville.models import RoleAssignment
from contrat_ville.services import ServiceError

from ..enums import EventKind
from ..forms.edition import (
    DocumentsForm,
    EditionCopyForm,
    EditionForm,
    InviteForm,
    ProgrammeFormSet,
    college_choices,
    programme_initial,
)
from ..forms.imports import RegistrationsImportForm
from ..models import Edition, Registration
from ..selectors import edition_for
from ..services import (
    college_invite,
    edition_copy,
    edition_create,
    edition_update,
    programme_set,
    registrations_import,
)
from ..services.editions import EDITION_FIELDS, edition_documents_set

PERMISSION = "events.manage_edition"
# Beyond this many, the import page says "and N more" rather than a page of errors.
ERRORS_SHOWN = 200
PROMOTED_NAMED = 10


def _posted(request):
    """The submitted data, even when empty, so an empty submission is refused, not ignored."""
    return request.POST if request.method == "POST" else None


def _settings_data(form) -> dict:
    return {key: form.cleaned_data[key] for key in EDITION_FIELDS if key in form.cleaned_data}


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def edition_create_view(request):
    latest = Edition.objects.filter(kind=EventKind.RENCONTRE).order_by("-year").first()
    next_year = (latest.year + 1) if latest else timezone.localdate().year
    form = EditionForm(_posted(request), initial={"year": next_year})
    if request.method == "POST" and form.is_valid():
        try:
            edition = edition_create(by=request.user, data=_settings_data(form))
        except ServiceError as error:
            form.add_error("year", str(error))
        else:
            messages.success(
                request,
                _("Édition %(year)s créée. Ajoutez maintenant son programme.")
                % {"year": edition.year},
            )
            return redirect(edition.url("programme_edit"))
    return render(
        request, "events/edition_form.html", {"form": form, "edition": None, "latest": latest}
    )


def promoted_message(promoted) -> str:
    names = [registration.full_name for registration in promoted[:PROMOTED_NAMED]]
    rest = len(promoted) - len(names)
    listed = ", ".join(names)
    if rest:
        listed += " " + ngettext("et %(count)d autre", "et %(count)d autres", rest) % {
            "count": rest
        }
    return ngettext(
        "%(count)d personne passe de la liste d'attente à une place confirmée et en est "
        "prévenue par e-mail : %(names)s.",
        "%(count)d personnes passent de la liste d'attente à une place confirmée et en sont "
        "prévenues par e-mail : %(names)s.",
        len(promoted),
    ) % {"count": len(promoted), "names": listed}


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def edition_edit(request, **key):
    edition = edition_for(request.user, **key)
    if not edition.is_rencontre:
        from .occasions import occasion_form_page  # it imports this module

        return occasion_form_page(request, edition=edition)
    # The form changes its instance as it validates: the page keeps the stored edition.
    form = EditionForm(_posted(request), instance=copy.copy(edition))
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Aucun changement."))
            return redirect(edition.url("dashboard"))
        data = _settings_data(form)
        try:
            promoted = edition_update(by=request.user, edition=edition, data=data)
        except ServiceError as error:
            year_taken = (
                Edition.objects.filter(kind=EventKind.RENCONTRE, year=data["year"])
                .exclude(pk=edition.pk)
                .exists()
            )
            form.add_error("year" if year_taken else "capacity", str(error))
        else:
            text = _("Paramètres de l'édition enregistrés.")
            if promoted:
                text = f"{text} {promoted_message(promoted)}"
            messages.success(request, text)
            return redirect(edition.url("dashboard"))
    return render(request, "events/edition_form.html", {"form": form, "edition": edition})


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def programme_edit(request, **key):
    edition = edition_for(request.user, **key)
    formset = ProgrammeFormSet(
        _posted(request), initial=programme_initial(edition), prefix="programme"
    )
    if request.method == "POST" and formset.is_valid():
        items = formset.items()
        programme_set(by=request.user, edition=edition, items=items)
        messages.success(
            request,
            ngettext(
                "Programme enregistré : %(count)d temps.",
                "Programme enregistré : %(count)d temps.",
                len(items),
            )
            % {"count": len(items)},
        )
        return redirect(edition.url("programme_edit"))
    return render(request, "events/programme_form.html", {"formset": formset, "edition": edition})


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def edition_copy_view(request, **key):
    source = edition_for(request.user, **key)
    form = EditionCopyForm(_posted(request), source=source)
    if request.method == "POST" and form.is_valid():
        try:
            edition = edition_copy(
                by=request.user,
                source=source,
                year=form.cleaned_data["year"],
                day=form.cleaned_data["date"],
            )
        except ServiceError as error:
            form.add_error("year", str(error))
        else:
            messages.success(
                request,
                _(
                    "Édition %(year)s créée en brouillon, avec les paramètres et le programme "
                    "de l'édition %(source)s. Vérifiez-les avant d'ouvrir les inscriptions."
                )
                % {"year": edition.year, "source": source.year},
            )
            return redirect(edition.url("edition_edit"))
    return render(
        request,
        "events/edition_copy.html",
        {"form": form, "edition": source, "programme_count": source.programme.count()},
    )


def _college_members(edition: Edition) -> list[dict]:
    """Per college: its active members, those already registered, those an
    invitation would reach (as ``college_invite`` counts them)."""
    registered = set(
        Registration.objects.filter(edition=edition)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    members: dict[str, set[str]] = {}
    for role, email in RoleAssignment.objects.filter(
        role__in=[value for value, _label in college_choices()], user__is_active=True
    ).values_list("role", "user__email"):
        members.setdefault(role, set()).add(email.lower())
    rows = []
    for value, label in college_choices():
        emails = members.get(value, set())
        already = len(emails & registered)
        rows.append(
            {
                "value": value,
                "label": label,
                "members": len(emails),
                "registered": already,
                "to_invite": len(emails) - already,
            }
        )
    return rows


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def invite(request, **key):
    edition = edition_for(request.user, **key)
    form = InviteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if not edition.registration_is_open():
            form.add_error(
                None,
                _(
                    "Les inscriptions à cette édition ne sont pas ouvertes : le lien de "
                    "l'invitation ne mènerait nulle part. Ouvrez-les dans les paramètres "
                    "d'abord."
                ),
            )
        else:
            college = form.cleaned_data["college"]
            count = college_invite(by=request.user, edition=edition, role=college)
            label = dict(college_choices())[college]
            if count:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d invitation envoyée (%(college)s).",
                        "%(count)d invitations envoyées (%(college)s).",
                        count,
                    )
                    % {"count": count, "college": label},
                )
            else:
                messages.info(
                    request,
                    _(
                        "Aucune invitation envoyée (%(college)s) : ce collège n'a pas de "
                        "membre, ou tous sont déjà inscrits."
                    )
                    % {"college": label},
                )
            return redirect(edition.url("invite"))
    return render(
        request,
        "events/invite.html",
        {"form": form, "edition": edition, "colleges": _college_members(edition)},
    )


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def registrations_import_view(request, **key):
    edition = edition_for(request.user, **key)
    form = RegistrationsImportForm(
        _posted(request), request.FILES if request.method == "POST" else None
    )
    result = None
    if request.method == "POST" and form.is_valid():
        result = registrations_import(
            edition=edition,
            file=form.cleaned_data["file"],
            by=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.ok and not result.dry_run:
            messages.success(
                request,
                ngettext(
                    "%(count)d personne importée : %(confirmed)d avec une place confirmée, "
                    "%(waiting)d en liste d'attente.",
                    "%(count)d personnes importées : %(confirmed)d avec une place confirmée, "
                    "%(waiting)d en liste d'attente.",
                    result.rows,
                )
                % {"count": result.rows, "confirmed": result.confirmed, "waiting": result.waiting},
            )
            return redirect(edition.url("registrations"))
    errors = result.errors if result else []
    return render(
        request,
        "events/import.html",
        {
            "form": form,
            "edition": edition,
            "result": result,
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(len(errors) - ERRORS_SHOWN, 0),
        },
    )


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def documents_edit(request, **key):
    edition = edition_for(request.user, **key)
    form = DocumentsForm(_posted(request), initial={"documents": list(edition.documents.all())})
    if request.method == "POST" and form.is_valid():
        edition_documents_set(
            by=request.user, edition=edition, documents=form.cleaned_data["documents"]
        )
        messages.success(request, _("Documents de l'événement enregistrés."))
        return redirect(edition.url("dashboard"))
    return render(request, "events/documents_form.html", {"form": form, "edition": edition})
