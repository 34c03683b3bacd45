"""The day itself: find a person, one tap to check them in; the badge's QR
code opens that person's check-in for a logged-in organiser.

Registration asks no gender, so every message about a person is worded épicène
("arrivée notée", never "arrivé")."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from contrat_ville.redirects import safe_next
from contrat_ville.services import ServiceError

from ..enums import RegistrationSource
from ..extensions import assignments_for
from ..forms import RegistrationForm
from ..forms.registration import organisation_suggestions
from ..selectors import checkin_search, edition_for, seat_counts
from ..services import (
    DuplicateRegistration,
    registration_check_in,
    registration_check_in_undo,
    registration_create,
)

SEARCH_LIMIT = 30


def _time(value) -> str:
    return formats.time_format(timezone.localtime(value))


def _back(request, edition):
    default = edition.url("checkin")
    return redirect(safe_next(request, request.POST.get("next"), default))


@permission_required("events.check_in", raise_exception=True)
@never_cache
@require_http_methods(["GET"])
def checkin(request, **key):
    edition = edition_for(request.user, **key)
    query = request.GET.get("q", "").strip()[:100]
    results = list(checkin_search(edition, query)[: SEARCH_LIMIT + 1]) if query else []
    return render(
        request,
        "events/checkin.html",
        {
            "edition": edition,
            "query": query,
            "results": results[:SEARCH_LIMIT],
            "more": len(results) > SEARCH_LIMIT,
            "counts": seat_counts(edition),
        },
    )


@permission_required("events.check_in", raise_exception=True)
@never_cache
@require_http_methods(["GET", "POST"])
def checkin_person(request, code: str, **key):
    edition = edition_for(request.user, **key)
    registration = get_object_or_404(
        edition.registrations.select_related("actor", "territory"),
        checkin_code=code,
        anonymised_at__isnull=True,
    )
    if request.method == "POST":
        if request.POST.get("action") == "undo":
            registration_check_in_undo(registration=registration, by=request.user)
            messages.info(
                request,
                _("Arrivée de %(name)s annulée.") % {"name": registration.full_name},
            )
            return _back(request, edition)
        try:
            result = registration_check_in(registration=registration, by=request.user)
        except ServiceError as error:
            messages.error(request, str(error))
            return redirect(edition.url("checkin_person", code=code))
        values = {
            "name": result.registration.full_name,
            "time": _time(result.registration.checked_in_at),
        }
        if result.already:
            messages.warning(request, _("%(name)s : arrivée déjà notée à %(time)s.") % values)
        else:
            messages.success(request, _("%(name)s : arrivée enregistrée à %(time)s.") % values)
        return _back(request, edition)
    return render(
        request,
        "events/checkin_person.html",
        {
            "edition": edition,
            "registration": registration,
            "assignment": assignments_for([registration]).get(registration.pk, ""),
        },
    )


@permission_required("events.check_in", raise_exception=True)
@require_http_methods(["GET", "POST"])
def walk_in(request, **key):
    edition = edition_for(request.user, **key)
    form = RegistrationForm(request.POST or None, with_privacy=False)
    if request.method == "POST" and form.is_valid():
        try:
            registration = registration_create(
                edition=edition,
                data=form.data_for_service(),
                by=request.user,
                source=RegistrationSource.WALK_IN,
                check_in=True,
            )
        except DuplicateRegistration as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                _("%(name)s : inscription sur place et arrivée notées à %(time)s.")
                % {"name": registration.full_name, "time": _time(registration.checked_in_at)},
            )
            return redirect(edition.url("checkin"))
    return render(
        request,
        "events/walk_in.html",
        {
            "edition": edition,
            "form": form,
            "counts": seat_counts(edition),
            "suggestions": organisation_suggestions(),
        },
        status=400 if form.errors else 200,
    )
