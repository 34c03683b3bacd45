"""Pages of the neighbourhoods app.

"Mon quartier" is public; the perimeter and the contours are for organisers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from contrat_ville.enums import NEIGHBOURHOOD_KINDS, ContourSource, TerritoryKind
from contrat_ville.models import Territory
from contrat_ville.ratelimits import client_rate_limited
from contrat_ville.services import ServiceError

from . import maps, reference, sections, selectors
from .forms import ContourUploadForm, EpciSearchForm, FinderForm, PerimeterLoadForm
from .geocoder import GeocodingError, geocode, geocoding_enabled
from .services import contour_remove, contour_set, perimeter_load, perimeter_plan

KIND_WORDS = {
    TerritoryKind.QPV: "qpv",
    TerritoryKind.QVA: "qva",
    TerritoryKind.SECTOR: "secteur",
}


def _area(territory: Territory, *, highlighted: bool = False) -> maps.Area:
    return maps.Area(
        label=territory.name,
        url=reverse("neighbourhoods:detail", kwargs={"slug": territory.slug}),
        coordinates=territory.contour,
        kind=KIND_WORDS.get(territory.kind, territory.kind),
        highlighted=highlighted,
    )


def _with_communes(territories) -> list[dict]:
    return [{"territory": t, "communes": selectors.commune_names(t)} for t in territories]


@login_not_required
@require_GET
def index(request):
    neighbourhoods = selectors.neighbourhoods()
    drawn = [t for t in neighbourhoods if t.contour]
    map_view = maps.build_map(
        title=_("Carte des quartiers du contrat de ville"),
        areas=[_area(t) for t in drawn],
    )
    return render(
        request,
        "neighbourhoods/index.html",
        {
            "neighbourhoods": _with_communes(neighbourhoods),
            "communes": selectors.communes(),
            "map": map_view,
            "finder": FinderForm(),
            "geocoding": geocoding_enabled(),
        },
    )


def _neighbourhoods_in(territory: Territory) -> list[Territory]:
    """The neighbourhoods lying in a commune or in the EPCI (one query); none in a neighbourhood."""
    if territory.kind == TerritoryKind.EPCI:
        return selectors.neighbourhoods()
    if territory.kind == TerritoryKind.COMMUNE:
        return [t for t in selectors.neighbourhoods() if territory.code in (t.insee_codes or [])]
    return []


def _detail_map(territory: Territory, inside: list[Territory], points) -> maps.MapView | None:
    if territory.kind in NEIGHBOURHOOD_KINDS:
        areas = [_area(territory, highlighted=True)] if territory.contour else []
    else:
        areas = [_area(t) for t in inside if t.contour]
    if not areas and not points:
        return None
    return maps.build_map(
        title=_("Carte : %(name)s") % {"name": territory.name}, areas=areas, points=points
    )


@login_not_required
@require_GET
def detail(request, slug: str):
    territory = get_object_or_404(Territory, slug=slug)
    shown = sections.sections_for(territory, request)
    inside = _neighbourhoods_in(territory)
    return render(
        request,
        "neighbourhoods/detail.html",
        {
            "territory": territory,
            "communes": selectors.commune_names(territory),
            "map": _detail_map(territory, inside, sections.points_for(territory)),
            "sections": shown,
            "inside": inside if territory.kind == TerritoryKind.COMMUNE else [],
        },
    )


def _finder_results(form: FinderForm) -> tuple[list[dict], str]:
    """Each place the text may mean, with the neighbourhood holding it; and a message."""
    point = form.coordinates()
    if point:
        lon, lat = point
        label = _("Le point %(lat)s, %(lon)s") % {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}"}
        return [{"label": label, "territory": selectors.locate(lon, lat)}], ""
    if not geocoding_enabled():
        return [], _(
            "La recherche par adresse n'est pas activée sur ce portail. Choisissez votre commune "
            "ou votre quartier dans la liste ci-dessous, ou tapez les coordonnées du lieu "
            "(latitude, longitude), par exemple 45.5646, 5.9178."
        )
    try:
        addresses = geocode(form.cleaned_data["adresse"])
    except GeocodingError as error:
        return [], error.message
    if not addresses:
        return [], _(
            "Aucune adresse ne correspond. Vérifiez l'orthographe, ajoutez la commune, ou "
            "choisissez votre quartier dans la liste ci-dessous."
        )
    return [
        {"label": a.label, "territory": selectors.locate(a.lon, a.lat), "address": a}
        for a in addresses
    ], ""


@login_not_required
@require_http_methods(["GET", "POST"])
def finder(request):
    # POST, so that the address typed ends in no server log, browser history or shared link.
    form = FinderForm(request.POST or None)
    results, problem, status = [], "", 200
    if request.method == "POST" and form.is_valid():
        wait = client_rate_limited(request, "address_search")
        if wait:
            status = 429
            problem = ngettext(
                "Trop de recherches d'affilée : réessayez dans %(seconds)d seconde.",
                "Trop de recherches d'affilée : réessayez dans %(seconds)d secondes.",
                wait,
            ) % {"seconds": wait}
        else:
            results, problem = _finder_results(form)
        if problem:
            form.add_error("adresse", problem)
    response = render(
        request,
        "neighbourhoods/finder.html",
        {
            "form": form,
            "results": results,
            "geocoding": geocoding_enabled(),
            "neighbourhoods": _with_communes(selectors.neighbourhoods()),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


# -- organisers ----------------------------------------------------------------


def _perimeter_summary() -> dict:
    territories = list(Territory.objects.defer("contour").order_by("order", "name"))
    return {
        "epcis": [t for t in territories if t.kind == TerritoryKind.EPCI],
        "communes": [t for t in territories if t.kind == TerritoryKind.COMMUNE],
        "neighbourhoods": _with_communes(t for t in territories if t.kind in NEIGHBOURHOOD_KINDS),
    }


@permission_required("neighbourhoods.manage_perimeter", raise_exception=True)
@require_http_methods(["GET", "POST"])
def perimeter(request):
    search = EpciSearchForm(request.GET if "q" in request.GET else None)
    found = reference.search_epci(search.cleaned_data["q"]) if search.is_valid() else []
    load_form = PerimeterLoadForm(
        request.POST or None, initial={"epci": request.GET.get("epci", "")}
    )
    plan = problem = None
    if request.method == "POST":
        if load_form.is_valid():
            try:
                plan = perimeter_plan(
                    epci=load_form.cleaned_data["epci"], communes=load_form.cleaned_data["communes"]
                )
                report = perimeter_load(by=request.user, plan=plan)
            except ServiceError as error:
                load_form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Périmètre chargé : %(created)d territoires ajoutés, %(updated)d mis à "
                        "jour, %(unchanged)d déjà à jour."
                    )
                    % {
                        "created": sum(report.created.values()),
                        "updated": sum(report.updated.values()),
                        "unchanged": sum(report.unchanged.values()),
                    },
                )
                return redirect("neighbourhoods:perimeter")
    elif request.GET.get("epci"):
        try:
            plan = perimeter_plan(epci=request.GET["epci"].strip())
        except ServiceError as error:
            problem = str(error)
    present = set()
    if plan:
        present = set(
            Territory.objects.filter(code__in=[q.code for q in plan.qpvs]).values_list(
                "code", flat=True
            )
        )
    status = 400 if request.method == "POST" or problem else 200
    return render(
        request,
        "neighbourhoods/perimeter.html",
        {
            **_perimeter_summary(),
            "search": search,
            "found": found,
            "plan": plan,
            "present": present,
            "problem": problem,
            "load_form": load_form,
        },
        status=status,
    )


@permission_required("neighbourhoods.manage_perimeter", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contour_edit(request, pk: int):
    territory = get_object_or_404(Territory, pk=pk)
    form = ContourUploadForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                contour_remove(by=request.user, territory=territory)
                messages.success(request, _("Contour retiré."))
                return redirect("neighbourhoods:perimeter")
            if form.is_valid():
                contour_set(
                    by=request.user, territory=territory, coordinates=form.cleaned_data["contour"]
                )
                messages.success(
                    request, _("Contour de « %(name)s » enregistré.") % {"name": territory.name}
                )
                return redirect("neighbourhoods:perimeter")
        except ServiceError as error:
            form.add_error(None, str(error))
    map_view = (
        maps.build_map(
            title=_("Contour actuel : %(name)s") % {"name": territory.name},
            areas=[_area(territory, highlighted=True)],
        )
        if territory.contour
        else None
    )
    response = render(
        request,
        "neighbourhoods/contour_form.html",
        {
            "territory": territory,
            "form": form,
            "map": map_view,
            "anct": territory.contour_source == ContourSource.ANCT,
        },
    )
    if request.method == "POST":
        response.status_code = 400
    return response
