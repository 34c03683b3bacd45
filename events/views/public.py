"""Public pages of the rencontre: editions, programme, .ics, the registration
form, the manage link, and the participants list for partners."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from contrat_ville.enums import COLLEGES
from contrat_ville.ratelimits import address_rate_limited, client_rate_limited
from contrat_ville.selectors import user_roles
from contrat_ville.services import ServiceError
from news.selectors import documents_visible_to

from ..calendar import edition_ics
from ..enums import Audience, EditionStatus, RegistrationStatus
from ..extensions import assignments_for, edition_links
from ..forms import ManageForm, RegistrationForm, ResendLinkForm
from ..forms.registration import empty_registration_fields, organisation_suggestions
from ..qrcodes import qr_svg
from ..selectors import (
    edition_for,
    editions_visible_to,
    participants_list,
    registration_by_token,
    seat_counts,
    waiting_position,
)
from ..services import (
    DuplicateRegistration,
    OrganisationFull,
    PartnersOnly,
    RegistrationClosed,
    manage_link_send,
    registration_cancel,
    registration_create,
    registration_erase,
    registration_reminder_send,
    registration_update,
)
from ..services.emails import checkin_url
from ..services.followup import survey_open

# How long personal data is kept: the purge command's default, said on the form.
RETENTION_MONTHS = 12


@login_not_required
@require_GET
def editions(request):
    items = list(editions_visible_to(request.user).order_by("-year"))
    return render(request, "events/editions.html", {"editions": items})


@login_not_required
@require_GET
def edition(request, **key):
    item = edition_for(request.user, **key, with_programme=True)
    context = {
        "edition": item,
        "counts": seat_counts(item),
        "registration_open": item.registration_is_open(),
        "opens_later": item.status == EditionStatus.OPEN
        and item.registration_opens_at is not None
        and item.registration_opens_at > timezone.now(),
        "aims": item.aims_list(),
        "documents": list(documents_visible_to(request.user).filter(editions=item)),
        "links": edition_links(item),
    }
    return render(request, "events/edition.html", context)


@login_not_required
@require_GET
def edition_ics_view(request, **key):
    item = edition_for(request.user, **key)
    response = HttpResponse(edition_ics(item), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{item.calendar_name}.ics"'
    return response


def _initial_for(user) -> dict:
    if not user.is_authenticated:
        return {}
    colleges = [role for role in user_roles(user) if role in COLLEGES]
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "college": sorted(colleges)[0] if len(colleges) == 1 else "",
    }


def _owns_address(user, email: str) -> bool:
    """A logged-in person signing up with their own (verified) address may be told about
    their registration on the page; anyone else only by e-mail."""
    return user.is_authenticated and user.email.lower() == email


def _too_many(wait: int) -> str:
    minutes = max(1, round(wait / 60))
    return ngettext(
        "Trop de demandes depuis cette connexion ou pour cette adresse : réessayez dans "
        "%(minutes)s minute.",
        "Trop de demandes depuis cette connexion ou pour cette adresse : réessayez dans "
        "%(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def register(request, **key):
    # Unlike the edition's page, this one does not show the programme: no prefetch.
    item = edition_for(request.user, **key)
    form = RegistrationForm(request.POST or None, initial=_initial_for(request.user))
    status = 200
    # An event for partners asks an anonymous visitor to log in first, and keeps no form.
    login_first = item.audience == Audience.PARTNERS and not request.user.has_perm(
        "contrat_ville.view_partner_area"
    )
    if login_first and request.method == "POST":
        status = 403
    elif request.method == "POST" and item.registration_is_open():
        # Every post counts for its client, robots' invalid ones too; only a valid one counts
        # for its address, so that a person's typos never lock them out.
        wait = client_rate_limited(request, "registration")
        if form.is_valid() and wait is None:
            wait = address_rate_limited(form.cleaned_data["email"], "registration")
            if wait is None:
                answered = _register(request, item, form)
                if answered is not None:
                    return answered
        if wait is not None:
            form.add_error(None, _too_many(wait))
            status = 429
    if status == 200 and request.method == "POST" and form.errors:
        status = 400
    # Only a page shown (again) reads the seats and the directory's names.
    registration_open = item.registration_is_open() and not login_first
    context = {
        "edition": item,
        "counts": seat_counts(item),
        "form": form,
        "registration_open": registration_open,
        "login_first": login_first and item.registration_is_open(),
        "retention_months": RETENTION_MONTHS,
        "fields_html": "",
        "suggestions": [],
    }
    if registration_open and not form.is_bound and not request.user.is_authenticated:
        # The same empty fields for every anonymous visitor: rendered once (see the form).
        context["fields_html"] = empty_registration_fields(form)
    elif registration_open:
        context["suggestions"] = organisation_suggestions()
    return render(request, "events/register.html", context, status=status)


def _register(request, item, form):
    """A valid sign-up: the response, or None to show the form again with its error."""
    email = form.cleaned_data["email"]
    if form.trapped:
        return _sent(item, email)
    try:
        registration = registration_create(
            edition=item, data=form.data_for_service(), by=request.user
        )
    except DuplicateRegistration as error:
        registration_reminder_send(registration=error.existing)
        if _owns_address(request.user, email):
            messages.info(request, _("Votre inscription existe déjà : la voici."))
            return redirect("events:manage", token=error.existing.token)
        return _sent(item, email)
    except (RegistrationClosed, OrganisationFull, PartnersOnly) as error:
        form.add_error(None, str(error))
        return None
    if not _owns_address(request.user, email):
        return _sent(item, email)
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(
            request,
            _(
                "Votre inscription est confirmée. Un e-mail de confirmation part à "
                "%(email)s avec le lien de cette page : gardez-le pour la modifier."
            )
            % {"email": registration.email},
        )
    else:
        # Counted already when the e-mail was rendered, after commit.
        position = getattr(registration, "waiting_position", None) or waiting_position(registration)
        messages.warning(
            request,
            _(
                "La rencontre est complète : vous êtes sur la liste d'attente, en "
                "position %(position)s. Vous recevrez un e-mail dès qu'une place se libère."
            )
            % {"position": position},
        )
    return redirect("events:manage", token=registration.token)


def _sent(item, email: str):
    """The answer to every sign-up by someone who is not its address's logged-in owner:
    new, already registered or a robot's, the same page, and the news by e-mail."""
    query = urlencode({"email": signing.dumps(email, salt=SENT_SALT, compress=True)})
    return redirect(f"{item.url('registration_sent')}?{query}")


# The "check your e-mail" page names the address it wrote to, signed so that nobody can make
# it display text of their own.
SENT_SALT = "events.registration_sent"


@login_not_required
@never_cache
@require_GET
def registration_sent(request, **key):
    item = edition_for(request.user, **key)
    try:
        email = signing.loads(request.GET.get("email", ""), salt=SENT_SALT, max_age=3600)
    except signing.BadSignature:
        email = ""
    return render(
        request,
        "events/registration_sent.html",
        {
            "edition": item,
            "email": email,
            "counts": seat_counts(item),
            "resend_form": ResendLinkForm(initial={"email": email}),
        },
    )


@login_not_required
@require_POST
def resend_link(request, **key):
    item = edition_for(request.user, **key)
    form = ResendLinkForm(request.POST)
    wait = client_rate_limited(request, "manage_link")
    if not form.is_valid():
        messages.error(request, _("Saisissez une adresse e-mail valide."))
        return redirect(item.url("register"))
    wait = wait or address_rate_limited(form.cleaned_data["email"], "manage_link")
    if wait is not None:
        # Counted alike for every address: saying so tells nothing of who is registered.
        messages.error(request, _too_many(wait))
        return redirect(item.url("edition"))
    manage_link_send(edition=item, email=form.cleaned_data["email"])
    # The same answer whether or not the address is registered.
    messages.info(
        request,
        _(
            "Un e-mail part à %(email)s : le lien de gestion de l'inscription si cette adresse "
            "est inscrite, sinon un message qui le dit."
        )
        % {"email": form.cleaned_data["email"]},
    )
    return redirect(item.url("edition"))


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    registration = registration_by_token(token)
    item = registration.edition
    cancelled = registration.status == RegistrationStatus.CANCELLED
    status = 200
    # A cancelled registration is not corrected: its page only says so (an old tab's
    # form posted anyway changes nothing).
    form = None if cancelled else ManageForm(request.POST or None, instance=registration)
    if request.method == "POST" and cancelled:
        messages.error(
            request,
            _("Cette inscription est annulée : elle ne peut plus être modifiée."),
        )
        status = 409
    elif request.method == "POST" and form.is_valid():
        try:
            registration_update(registration=registration, data=form.data_for_service())
        except ServiceError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Vos modifications sont enregistrées."))
            return redirect("events:manage", token=registration.token)
    elif request.method == "POST":
        # Keep what the person typed, but show the record as saved.
        registration.refresh_from_db()
    if form is not None and form.errors:
        status = 400
    context = {
        "edition": item,
        "registration": registration,
        "form": form,
        "position": waiting_position(registration),
        "assignment": assignments_for([registration]).get(registration.pk, ""),
        "qr": qr_svg(checkin_url(registration))
        if registration.status == RegistrationStatus.CONFIRMED
        else "",
        "suggestions": organisation_suggestions() if form is not None else [],
        "retention_months": RETENTION_MONTHS,
        "survey_open": survey_open(registration),
    }
    return render(request, "events/manage.html", context, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_cancel(request, token: str):
    """Asks first, then cancels: only a POST that says "yes" (the confirmation page's
    button) cancels; any other request, an older page's one-click form included, gets
    the confirmation page."""
    registration = registration_by_token(token)
    if registration.status == RegistrationStatus.CANCELLED:
        return redirect("events:manage", token=registration.token)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        registration_cancel(registration=registration)
        messages.success(
            request,
            _(
                "Votre inscription est annulée. Merci de nous avoir prévenus : "
                "la place est libérée."
            ),
        )
        return redirect("events:manage", token=registration.token)
    return render(
        request,
        "events/manage_cancel.html",
        {"registration": registration, "edition": registration.edition},
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_erase(request, token: str):
    registration = registration_by_token(token)
    if request.method == "POST":
        back = registration.edition.get_absolute_url()
        registration_erase(registration=registration)
        messages.success(
            request,
            _(
                "Vos données d'inscription sont effacées. Seuls restent, sans votre nom, votre "
                "collège et votre quartier dans les statistiques de la rencontre."
            ),
        )
        return redirect(back)
    return render(
        request,
        "events/manage_erase.html",
        {"registration": registration, "edition": registration.edition},
    )


@permission_required("events.view_participants", raise_exception=True)
@require_GET
def participants(request, **key):
    item = edition_for(request.user, **key)
    people = list(participants_list(item))
    counts = seat_counts(item)
    return render(
        request,
        "events/participants.html",
        {
            "edition": item,
            "people": people,
            "unlisted": counts["confirmed"] - len(people),
            "counts": counts,
        },
    )
