"""The groups of each edition: who sits where (partners), the organisers'
management page (names, rooms, facilitators, composition, moves) and the
countdown shown on the room's projector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from contrat_ville.services import ServiceError
from events.enums import RegistrationStatus
from events.models import Edition, Registration
from events.selectors import edition_for, editions_visible_to

from ..forms.groups import (
    ComposeForm,
    GroupFormSet,
    MoveForm,
    facilitator_choices,
    groups_initial,
)
from ..models import Workgroup, WorkshopSettings
from ..selectors import workgroups_of, workshop_settings
from ..services.groups import (
    ComposeReport,
    Mix,
    Source,
    groups_compose,
    groups_ensure,
    groups_mix,
    groups_update,
    seat_move,
    sizing_problem,
    sizing_warning,
)

VIEW = "workgroups.view_groups"
MANAGE = "workgroups.manage"
# The last composition's report, shown once on the management page.
REPORT_KEY = "workgroups_compose_report"
# The countdown accepts another duration in the address (?minutes=30), within these bounds.
COUNTDOWN_MINUTES = (1, 240)


def _in_group(registration: Registration) -> bool:
    """A seat counts while its registration is confirmed (a cancellation keeps
    the seat until the next composition, but the person is no longer expected)."""
    return registration.status == RegistrationStatus.CONFIRMED and not registration.anonymised_at


@login_not_required
@require_GET
def index(request):
    """The « Ateliers » menu entry, open to everyone: each edition whose results or
    gallery the visitor may open (published, and public for a visitor without a
    role), plus the groups for partners and the organisers' tools for organisers."""
    user = request.user
    is_partner = user.has_perm(VIEW)
    can_manage = user.has_perm(MANAGE)
    editions = (
        editions_visible_to(user)
        .select_related("workshop_settings")
        .annotate(group_total=Count("workgroups"))
        .order_by("-year")
    )
    cards = []
    for edition in editions:
        _settings_read(edition)
        card = {
            "edition": edition,
            "groups": is_partner and edition.group_total > 0,
            "results": user.has_perm("workgroups.view_results", edition),
            "gallery": user.has_perm("workgroups.view_gallery", edition),
        }
        if can_manage or card["groups"] or card["results"] or card["gallery"]:
            cards.append(card)
    return render(
        request,
        "workgroups/index.html",
        {
            "cards": cards,
            "is_partner": is_partner,
            "can_manage": can_manage,
            "can_run_countdown": user.has_perm("workgroups.run_countdown"),
        },
    )


def _settings_read(edition: Edition) -> None:
    """Hands the permission rules the settings already joined to ``edition``, so that
    the list costs no query per edition and a GET writes nothing: an edition without
    settings has the defaults, nothing published (selectors.workshop_settings' cache)."""
    try:
        read = edition.workshop_settings
    except WorkshopSettings.DoesNotExist:
        read = WorkshopSettings(edition=edition)
    edition.__dict__["_workshop_settings"] = read


@permission_required(VIEW, raise_exception=True)
@require_GET
def groups(request, year: int):
    edition = edition_for(request.user, year)
    rows = []
    for group in workgroups_of(edition):
        members = [seat.registration for seat in group.seats.all()]
        members = [registration for registration in members if _in_group(registration)]
        # Names only of the people who agreed to be on the participants list.
        listed = [registration for registration in members if registration.listed]
        rows.append(
            {
                "group": group,
                "facilitators": list(group.facilitators.all()),
                "listed": listed,
                "others": len(members) - len(listed),
                "size": len(members),
            }
        )
    return render(
        request,
        "workgroups/groups.html",
        {
            "edition": edition,
            "rows": rows,
            "can_manage": request.user.has_perm(MANAGE),
            "can_run_countdown": request.user.has_perm("workgroups.run_countdown"),
        },
    )


def _per_100(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def _mix_context(mix: Mix | None, *, fixed: int) -> dict | None:
    """The mixing scores as the page words them (docs/composition.md): out of 100,
    and as the number of criteria (of 3) on which two group-mates differ."""
    if mix is None:
        return None
    return {
        "mix": mix,
        "score": _per_100(mix.score),
        "random": _per_100(mix.random_score),
        "bound": _per_100(mix.bound),
        "criteria": 3 * mix.score,
        "random_criteria": 3 * mix.random_score,
        "share_of_bound": round(100 * mix.score / mix.bound) if mix.bound else 100,
        "organisation_pairs_avoidable": mix.same_organisation - mix.same_organisation_min,
        "groups": [{"row": group, "score": _per_100(group.score)} for group in mix.groups],
        # People who stayed put: the random draw and the bound leave them where they are.
        "fixed": fixed,
        # Groups of one have no pair to compare: the page says so instead of a score.
        "meaningful": mix.meaningful,
    }


def _manage_page(request, edition: Edition, *, formset=None, compose_form=None):
    groups = list(workgroups_of(edition))
    choices = facilitator_choices()
    if formset is None:
        formset = GroupFormSet(initial=groups_initial(groups), choices=choices, prefix="groups")
    if compose_form is None:
        compose_form = ComposeForm(initial={"seed": workshop_settings(edition).composition_seed})
    # A posted formset comes back in the order it was sent: match rows by number.
    forms = {str(form["number"].value()): form for form in formset.forms}
    rows = [
        {"group": group, "form": forms.get(str(group.number)), "seats": list(group.seats.all())}
        for group in groups
    ]
    seated = [seat for row in rows for seat in row["seats"] if _in_group(seat.registration)]
    seated_total = len(seated)
    pinned_total = sum(1 for seat in seated if seat.pinned)
    unseated = list(
        Registration.objects.filter(
            edition=edition,
            status=RegistrationStatus.CONFIRMED,
            anonymised_at__isnull=True,
            seat__isnull=True,
        )
        .select_related("actor", "territory")
        .order_by("last_name", "first_name", "pk")
    )
    # Warned before composing: every confirmed person counts (seated or not).
    confirmed_total = len(seated) + len(unseated)
    data = request.session.pop(REPORT_KEY, None) or {}
    report = ComposeReport.from_dict(data) if data.pop("edition", None) == edition.pk else None
    return render(
        request,
        "workgroups/manage.html",
        {
            "edition": edition,
            "rows": rows,
            "formset": formset,
            "compose_form": compose_form,
            "unseated": unseated,
            "seated_total": seated_total,
            "group_total": len(groups),
            "count_differs": bool(groups) and len(groups) != edition.group_count,
            "has_facilitators": bool(choices),
            "report": report,
            # Right after composing, the run's own figures; otherwise the groups as they stand.
            "result": (
                _mix_context(report.mix, fixed=report.pinned + report.kept)
                if report
                else _mix_context(groups_mix(groups), fixed=pinned_total)
            ),
            "checked_in": Source.CHECKED_IN,
            "sizing_problem": sizing_problem(confirmed_total, edition.group_count),
            "sizing_warning": sizing_warning(confirmed_total, edition.group_count),
        },
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def manage(request, year: int):
    edition = edition_for(request.user, year)
    if request.method == "GET":
        return _manage_page(request, edition)
    if request.POST.get("action") == "ensure":
        try:
            groups = groups_ensure(by=request.user, edition=edition)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "L'édition a maintenant %(count)d groupe.",
                    "L'édition a maintenant %(count)d groupes.",
                    len(groups),
                )
                % {"count": len(groups)},
            )
        return redirect("workgroups:manage", year=edition.year)
    formset = GroupFormSet(request.POST, choices=facilitator_choices(), prefix="groups")
    if formset.is_valid():
        try:
            changed = groups_update(by=request.user, edition=edition, rows=formset.rows())
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            if changed:
                messages.success(request, _("Groupes enregistrés."))
            else:
                messages.info(request, _("Aucun changement."))
            return redirect("workgroups:manage", year=edition.year)
    return _manage_page(request, edition, formset=formset)


@permission_required(MANAGE, raise_exception=True)
@require_POST
def compose(request, year: int):
    edition = edition_for(request.user, year)
    form = ComposeForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, edition, compose_form=form)
    try:
        report = groups_compose(
            by=request.user,
            edition=edition,
            source=form.cleaned_data["source"],
            keep_seated=form.cleaned_data["keep_seated"],
            seed=form.cleaned_data["seed"],
        )
    except ServiceError as error:
        form.add_error(None, str(error))
        return _manage_page(request, edition, compose_form=form)
    request.session[REPORT_KEY] = {**report.as_dict(), "edition": edition.pk}
    messages.success(
        request,
        ngettext(
            "Groupes composés : %(count)d personne placée ou déplacée.",
            "Groupes composés : %(count)d personnes placées ou déplacées.",
            report.placed,
        )
        % {"count": report.placed},
    )
    return redirect(reverse("workgroups:manage", args=[edition.year]) + "#resultat")


@permission_required(MANAGE, raise_exception=True)
@require_POST
def move(request, year: int):
    edition = edition_for(request.user, year)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le numéro du groupe où placer la personne."))
        return redirect("workgroups:manage", year=edition.year)
    # Only a registration of this edition: another edition's is a 404.
    registration = get_object_or_404(
        Registration.objects.select_related("seat"),
        edition=edition,
        pk=form.cleaned_data["registration"],
        anonymised_at__isnull=True,
    )
    workgroup = Workgroup.objects.filter(edition=edition, number=form.cleaned_data["group"]).first()
    if workgroup is None:
        messages.error(
            request,
            _("Il n'y a pas de groupe %(number)s dans cette édition.")
            % {"number": form.cleaned_data["group"]},
        )
        return redirect("workgroups:manage", year=edition.year)
    try:
        seat_move(
            by=request.user,
            edition=edition,
            registration=registration,
            workgroup=workgroup,
            pinned=form.cleaned_data["pinned"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        text = (
            _("%(name)s est dans le groupe %(number)s (place épinglée).")
            if form.cleaned_data["pinned"]
            else _("%(name)s est dans le groupe %(number)s.")
        )
        messages.success(
            request, text % {"name": registration.full_name, "number": workgroup.number}
        )
    anchor = f"#groupe-{workgroup.number}"
    return redirect(reverse("workgroups:manage", args=[edition.year]) + anchor)


def _clock(seconds: int) -> str:
    """45:00, or 1:30:00 beyond an hour: what static/js/countdown.js shows."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"


@permission_required("workgroups.run_countdown", raise_exception=True)
@require_GET
def countdown(request, year: int):
    edition = edition_for(request.user, year)
    minutes = workshop_settings(edition).countdown_minutes
    asked = request.GET.get("minutes", "")
    if asked.isdigit() and COUNTDOWN_MINUTES[0] <= int(asked) <= COUNTDOWN_MINUTES[1]:
        minutes = int(asked)
    return render(
        request,
        "workgroups/countdown.html",
        {
            "edition": edition,
            "minutes": minutes,
            "seconds": minutes * 60,
            "display": _clock(minutes * 60),
            "min_minutes": COUNTDOWN_MINUTES[0],
            "max_minutes": COUNTDOWN_MINUTES[1],
            "can_view_groups": request.user.has_perm(VIEW),
        },
    )
