"""Organisers' pages of an edition: the dashboard and the registrations.

Settings, programme, import and invitations live in ``settings.py``, the
exports in ``exports.py``, the day itself in ``checkin.py``.
"""

import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from contrat_ville.redirects import safe_next
from contrat_ville.services import ServiceError

from ..charts import bar_chart, fold
from ..enums import College, RegistrationSource, RegistrationStatus
from ..extensions import assignments_for
from ..forms import RegistrationForm
from ..forms.registration import organisation_suggestions
from ..models import Edition, Registration
from ..selectors import (
    breakdowns,
    edition_for,
    registrations_of,
    seat_counts,
    waiting_position,
    with_waiting_position,
)
from ..services import (
    DuplicateRegistration,
    registration_cancel,
    registration_create,
    registration_reinstate,
    registration_update,
)

PAGE_SIZE = 50
# The organisations chart names the largest ones and adds up the rest.
ORGANISATIONS_SHOWN = 15


def _registration(edition: Edition, pk: int) -> Registration:
    """A registration of this edition only: another edition's pk is a 404, as is a purged row."""
    return get_object_or_404(
        Registration.objects.select_related("edition", "actor", "territory"),
        edition=edition,
        pk=pk,
        anonymised_at__isnull=True,
    )


def _back(request, edition: Edition) -> str:
    """Where a cancel or reinstate button sends the organiser back: the page
    they came from when it is one of this edition's management pages."""
    return safe_next(
        request,
        request.POST.get("next"),
        edition.url("registrations"),
        within=edition.url("dashboard"),
    )


@permission_required("events.manage_edition", raise_exception=True)
@require_GET
def dashboard(request, **key):
    edition = edition_for(request.user, **key)
    groups = breakdowns(edition)
    nobody = _("Non renseigné")
    by_college = groups["college"]
    by_organisation = [
        {**row, "label": _("Sans structure") if row["label"] == "—" else row["label"]}
        for row in groups["organisation"]
    ]
    by_territory = [
        {**row, "label": nobody if row["label"] == "—" else row["label"]}
        for row in groups["territory"]
    ]
    charts = [
        {
            "key": "college",
            "heading": _("Par collège"),
            "column": _("Collège"),
            "chart": bar_chart(by_college, title=_("Participants confirmés par collège")),
        },
        {
            "key": "organisation",
            "heading": _("Par structure"),
            "column": _("Structure"),
            "chart": bar_chart(
                fold(
                    by_organisation,
                    keep=ORGANISATIONS_SHOWN,
                    other_label=_("Autres structures ({count})"),
                ),
                title=_("Participants confirmés par structure"),
            ),
        },
        {
            "key": "territory",
            "heading": _("Par quartier"),
            "column": _("Quartier"),
            "chart": bar_chart(by_territory, title=_("Participants confirmés par quartier")),
        },
    ]
    return render(
        request,
        "events/dashboard.html",
        {
            "edition": edition,
            "counts": seat_counts(edition),
            "registration_open": edition.registration_is_open(),
            "charts": charts,
        },
    )


@permission_required("events.manage_edition", raise_exception=True)
@require_GET
def registrations(request, **key):
    edition = edition_for(request.user, **key)
    query = " ".join(request.GET.get("q", "").split())[:200]
    status = request.GET.get("status", "")
    status = status if status in RegistrationStatus.values else ""
    college = request.GET.get("college", "")
    college = college if college in College.values else ""
    rows = with_waiting_position(
        registrations_of(edition, query=query, status=status, college=college)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "events/registrations.html",
        {
            "edition": edition,
            "page": page,
            "querystring": params.urlencode(),
            "query": query,
            "status": status,
            "college": college,
            "status_choices": RegistrationStatus.choices,
            "college_choices": College.choices,
            "filtered": bool(query or status or college),
            "waiting": RegistrationStatus.WAITING,
            "cancelled": RegistrationStatus.CANCELLED,
        },
    )


def _registration_form(data=None, *, instance: Registration | None = None) -> RegistrationForm:
    """The person's form, worded for the organiser who fills it in for them."""
    form = RegistrationForm(data, instance=instance, with_privacy=False)
    form.fields["college"].label = _("Collège")
    form.fields["territory"].label = _("Quartier où la personne travaille ou habite")
    form.fields["email"].help_text = _(
        "La confirmation et le lien pour gérer l'inscription y seront envoyés."
    )
    form.fields["image_consent"].help_text = _(
        "La personne accepte-t-elle d'apparaître sur les photos et vidéos de la journée "
        "publiées par les organisateurs ?"
    )
    form.fields["listed"].label = _("Figure sur la liste des participants")
    form.fields["listed"].help_text = _(
        "Nom, structure et collège, visibles des partenaires connectés, seulement avec "
        "l'accord de la personne."
    )
    return form


def _form_page(request, edition: Edition, form, registration: Registration | None = None):
    context = {
        "edition": edition,
        "form": form,
        "registration": registration,
        "organisations": organisation_suggestions(),
        "waiting": RegistrationStatus.WAITING,
        "cancelled": RegistrationStatus.CANCELLED,
    }
    if registration is not None:
        context["position"] = waiting_position(registration)
        context["assignment"] = assignments_for([registration]).get(registration.pk, "")
    return render(request, "events/registration_edit.html", context)


@permission_required("events.manage_edition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def registration_add(request, **key):
    edition = edition_for(request.user, **key)
    form = _registration_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = registration_create(
                edition=edition,
                data=form.data_for_service(),
                by=request.user,
                source=RegistrationSource.ORGANISER,
            )
        except DuplicateRegistration as error:
            form.add_error(
                "email",
                format_html(
                    '{} <a href="{}">{}</a>',
                    str(error),
                    edition.url("registration_edit", pk=error.existing.pk),
                    _("Modifier l'inscription existante"),
                ),
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            if registration.status == RegistrationStatus.WAITING:
                messages.warning(
                    request,
                    _(
                        "Inscription de %(name)s en liste d'attente, en position %(position)s : "
                        "l'édition est complète."
                    )
                    % {"name": registration.full_name, "position": waiting_position(registration)},
                )
            else:
                messages.success(
                    request,
                    _("Inscription de %(name)s confirmée.") % {"name": registration.full_name},
                )
            return redirect(edition.url("registrations"))
    return _form_page(request, edition, form)


@permission_required("events.manage_edition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def registration_edit(request, pk: int, **key):
    edition = edition_for(request.user, **key)
    registration = _registration(edition, pk)
    # Validating a ModelForm writes the typed values onto its instance: give it
    # a copy, so the page still shows the stored name and status if the save fails.
    form = _registration_form(request.POST or None, instance=copy.copy(registration))
    if request.method == "POST" and form.is_valid():
        try:
            registration = registration_update(
                registration=registration, data=form.data_for_service(), by=request.user
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Inscription de %(name)s enregistrée.") % {"name": registration.full_name},
            )
            return redirect(edition.url("registrations"))
    return _form_page(request, edition, form, registration)


@permission_required("events.manage_edition", raise_exception=True)
@require_POST
def registration_cancel_view(request, pk: int, **key):
    edition = edition_for(request.user, **key)
    registration = _registration(edition, pk)
    if registration.status == RegistrationStatus.CANCELLED:
        messages.info(
            request,
            _("L'inscription de %(name)s était déjà annulée.") % {"name": registration.full_name},
        )
        return redirect(_back(request, edition))
    promoted = registration_cancel(registration=registration, by=request.user)
    text = _("Inscription de %(name)s annulée.") % {"name": registration.full_name}
    if promoted:
        text += " " + ngettext(
            "La place libérée revient à %(names)s ; un e-mail de confirmation lui est envoyé.",
            "Les places libérées reviennent à %(names)s ; un e-mail de confirmation leur est "
            "envoyé.",
            len(promoted),
        ) % {"names": ", ".join(person.full_name for person in promoted)}
    messages.success(request, text)
    return redirect(_back(request, edition))


@permission_required("events.manage_edition", raise_exception=True)
@require_POST
def registration_reinstate_view(request, pk: int, **key):
    edition = edition_for(request.user, **key)
    registration = _registration(edition, pk)
    if registration.status != RegistrationStatus.CANCELLED:
        messages.info(
            request,
            _("L'inscription de %(name)s n'est pas annulée : rien n'a changé.")
            % {"name": registration.full_name},
        )
        return redirect(_back(request, edition))
    registration = registration_reinstate(registration=registration, by=request.user)
    if registration.status == RegistrationStatus.WAITING:
        messages.warning(
            request,
            _(
                "Inscription de %(name)s rétablie en liste d'attente, en position "
                "%(position)s : l'édition est complète."
            )
            % {"name": registration.full_name, "position": waiting_position(registration)},
        )
    else:
        messages.success(
            request,
            _("Inscription de %(name)s rétablie et confirmée.") % {"name": registration.full_name},
        )
    return redirect(_back(request, edition))
