"""The public side: the searchable directory and the actor profiles."""

import hashlib
import math

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from contrat_ville.uploads import image_response
from neighbourhoods import maps
from neighbourhoods.selectors import neighbourhoods

from ..enums import ActorStatus
from ..forms import DirectorySearchForm
from ..selectors import (
    CACHE_SECONDS,
    actor_members,
    actor_profile,
    actors_visible_to,
    directory_cache_key,
    directory_map,
    directory_page,
    directory_reference,
)

PAGE_SIZE = 20
# Session key: {actor pk: the sentence saying why its new address is not on the map}.
PLACEMENT_WARNING_KEY = "partners:placement_warnings"
# Above this many actors the map draws clusters, each a link that zooms in (docs/maps.md).
MAP_MARKERS = 300
# A cluster's link widens its points' box by this much, so that a cluster of actors at one
# address still opens a valid, non-empty box.
CLUSTER_PAD_DEGREES = 0.002


def results_html_cache_key(data_key: str, *, full_path: str, language: str, htmx) -> str:
    address = hashlib.sha256(full_path.encode()).hexdigest()
    return f"{data_key}:html:{language}:{bool(htmx)}:{address}"


@login_not_required
@require_GET
def directory(request):
    reference = directory_reference()
    form = DirectorySearchForm(request.GET or None, reference=reference)
    query = form.query()
    page_number = request.GET.get("page")
    # htmx asks for the results region only; without JavaScript, and when htmx restores a
    # page it has no copy of, the whole page comes.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    data_key = directory_cache_key(query, page_number=page_number, per_page=PAGE_SIZE)
    # The results region is the same for everyone (public data only), so its HTML is
    # cached too, per address, language and htmx or not, under the same version.
    html_key = results_html_cache_key(
        data_key, full_path=request.get_full_path(), language=get_language(), htmx=partial
    )
    parts = cache.get(html_key)
    if parts is None:
        parts = _render_parts(request, query, page_number, reference, data_key, partial=partial)
        cache.set(html_key, parts, CACHE_SECONDS)
    if partial:
        response = HttpResponse(parts["results"] + parts["filters"])
    else:
        response = render(
            request, "partners/directory.html", {"form": form, "query": query, **parts}
        )
    # The same address serves the region or the page: a browser cache (Back) must not mix them.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _querystring(request, *drop: str) -> str:
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def _render_parts(request, query, page_number, reference, data_key, *, partial) -> dict:
    """The results region and the filters, as HTML: the filters sit in a disclosure that
    htmx leaves in place (it stays open or closed), so they are swapped out of band."""
    result = directory_page(
        query, page_number=page_number, per_page=PAGE_SIZE, reference=reference, key=data_key
    )
    context = {
        "active_filters": _active_filters(request, query, result.facets),
        "filter_count": sum(len(facet.selected) for facet in result.facets),
        "query": query,
        "page": result.page,
        "facets": result.facets,
        "ranked": result.ranked,
        "querystring": _querystring(request, "page"),
        "map_querystring": _querystring(request, "page", "bbox"),
        "oob": partial,
    }
    return {
        "results": render_to_string("partners/_directory_results.html", context, request),
        "filters": render_to_string("partners/_directory_filters.html", context, request),
    }


def parse_bbox(value: str) -> maps.Bounds | None:
    """ "west,south,east,north" in degrees, or None when it is anything else (ignored)."""
    parts = value.split(",")
    if len(parts) != 4:
        return None
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return west, south, east, north


def _bbox_text(bounds: maps.Bounds) -> str:
    west, south, east, north = bounds
    west, east = max(west - CLUSTER_PAD_DEGREES, -180), min(east + CLUSTER_PAD_DEGREES, 180)
    south, north = max(south - CLUSTER_PAD_DEGREES, -90), min(north + CLUSTER_PAD_DEGREES, 90)
    return ",".join(f"{v:.5f}" for v in (west, south, east, north))


def neighbourhood_url(territory) -> str:
    return reverse("neighbourhoods:detail", kwargs={"slug": territory.slug})


def territory_area(territory, *, highlighted: bool = False) -> maps.Area:
    return maps.Area(
        label=territory.name,
        url=neighbourhood_url(territory),
        coordinates=territory.contour,
        kind=territory.kind,
        highlighted=highlighted,
    )


def _profile_urls():
    """slug → the profile's address, without resolving the URLconf once per actor (a map of
    50,000 actors would spend half its time there). Slugs need no quoting."""
    marker = "--slug--"
    pattern = reverse("partners:actor_detail", args=[marker])
    head, tail = pattern.split(marker)
    return lambda slug: f"{head}{slug}{tail}"


def _map_points(rows) -> list[maps.Point]:
    profile_url = _profile_urls()
    points = []
    for _pk, slug, name, latitude, longitude, address, postcode, town in rows:
        place = " ".join(part for part in (postcode, town) if part)
        points.append(
            maps.Point(
                label=name,
                url=profile_url(slug),
                lon=longitude,
                lat=latitude,
                detail=", ".join(part for part in (address, place) if part),
            )
        )
    return points


@login_not_required
@require_GET
def directory_map_view(request):
    """The current search on a map: same filters and address as the list, plus ``bbox``."""
    reference = directory_reference()
    form = DirectorySearchForm(request.GET or None, reference=reference)
    query = form.query()
    bbox = parse_bbox(request.GET.get("bbox", ""))
    data_key = directory_cache_key(query, page_number="map", per_page=0)
    # Public data only, the same for everyone: cached per address and language under the
    # directory's version, like the list's results.
    html_key = results_html_cache_key(
        f"{data_key}:map", full_path=request.get_full_path(), language=get_language(), htmx=False
    )
    parts = cache.get(html_key)
    if parts is None:
        parts = _render_map_parts(request, query, reference, bbox)
        cache.set(html_key, parts, CACHE_SECONDS)
    return render(request, "partners/directory_map.html", {"form": form, "query": query, **parts})


def _render_map_parts(request, query, reference, bbox) -> dict:
    result = directory_map(query, reference=reference)
    chosen = set(query.territories)
    areas = [territory_area(t, highlighted=t.slug in chosen) for t in neighbourhoods() if t.contour]
    base = request.GET.copy()
    base.pop("page", None)

    def cluster_url(bounds: maps.Bounds) -> str:
        params = base.copy()
        params["bbox"] = _bbox_text(bounds)
        return f"{reverse('partners:directory_map')}?{params.urlencode()}"

    map_view = maps.build_map(
        title=_("Carte des structures de l'annuaire"),
        areas=areas,
        points=_map_points(result.rows),
        bounds=bbox,
        max_markers=MAP_MARKERS,
        cluster_url=cluster_url,
    )
    context = {
        "active_filters": _active_filters(
            request, query, result.facets, base=reverse("partners:directory_map")
        ),
        "filter_count": sum(len(facet.selected) for facet in result.facets),
        "query": query,
        "facets": result.facets,
        "map": map_view,
        "total": result.total,
        "placed": len(result.rows),
        "without_point": result.without_point,
        "without_point_sentence": _without_point_sentence(result.without_point),
        "zoomed": bbox is not None,
        "querystring": _querystring(request, "page"),
        "list_querystring": _querystring(request, "page", "bbox"),
        "whole_map_querystring": _querystring(request, "page", "bbox"),
        "oob": False,
    }
    return {
        "results": render_to_string("partners/_directory_map_results.html", context, request),
        "filters": render_to_string("partners/_directory_filters.html", context, request),
    }


def _without_point_sentence(count: int) -> str:
    if not count:
        return ""
    return ngettext(
        "%(count)s structure qui correspond à la recherche n'a pas encore de position : "
        "elle n'est pas sur la carte, mais elle est dans la liste.",
        "%(count)s structures qui correspondent à la recherche n'ont pas encore de position : "
        "elles ne sont pas sur la carte, mais elles sont dans la liste.",
        count,
    ) % {"count": count}


def _profile_map(actor) -> dict | None:
    """The profile's small map, and the sentence saying which neighbourhood holds the point."""
    if actor.latitude is None or actor.longitude is None:
        return None
    territory = actor.located_in
    areas = [territory_area(territory, highlighted=True)] if territory and territory.contour else []
    point = maps.Point(
        label=actor.name,
        url="",
        lon=actor.longitude,
        lat=actor.latitude,
        detail=", ".join(p for p in (actor.address, f"{actor.postcode} {actor.town}".strip()) if p),
    )
    return {
        "map": maps.build_map(
            title=_("Où se trouve %(name)s") % {"name": actor.name},
            areas=areas,
            points=[point],
            width=480,
            height=300,
        ),
        "territory": territory,
        "territory_name": territory.name if territory else "",
        "territory_url": neighbourhood_url(territory) if territory else "",
    }


@login_not_required
@require_GET
def actor_detail(request, slug: str):
    actor = get_object_or_404(
        actors_visible_to(request.user).select_related("located_in"), slug=slug
    )
    can_edit = request.user.has_perm("partners.change_actor", actor)
    # Set by the edit form when the address service could not place the new address.
    warnings = request.session.get(PLACEMENT_WARNING_KEY) if can_edit else None
    placement_warning = ""
    if warnings and str(actor.pk) in warnings:
        placement_warning = warnings.pop(str(actor.pk))
        request.session[PLACEMENT_WARNING_KEY] = warnings
    return render(
        request,
        "partners/actor_detail.html",
        {
            "actor": actor,
            "location": _profile_map(actor),
            "placement_warning": placement_warning,
            "profile": actor_profile(
                actor, show_contacts=request.user.has_perm("partners.view_contacts", actor)
            ),
            "can_edit": can_edit,
            "members": actor_members(actor) if can_edit else None,
            "can_request": request.user.has_perm("partners.request_membership", actor),
            "can_moderate": request.user.has_perm("partners.moderate"),
            "status_choices": ActorStatus.choices,
        },
    )


@login_not_required
@require_GET
def actor_logo(request, slug: str):
    """Logos go through Django so uploads need no public media folder. The type served is
    read from the file's content (404 if it is no accepted image), never from its name."""
    actor = get_object_or_404(actors_visible_to(request.user), slug=slug)
    response = image_response(actor.logo)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _active_filters(request, query, facets, *, base: str = "") -> list[tuple[str, str]]:
    """(label, link that removes it) for the search words and each chosen value."""
    base = base or reverse("partners:directory")
    active = []
    if query.q:
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("q", None)
        active.append((f"« {query.q} »", f"{base}?{params.urlencode()}"))
    for facet in facets:
        for option in facet.selected:
            params = request.GET.copy()
            params.pop("page", None)
            params.setlist(
                facet.param, [v for v in params.getlist(facet.param) if v != option.value]
            )
            active.append((option.label, f"{base}?{params.urlencode()}"))
    if query.located and query.territories:
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("acteurs", None)
        active.append((_("Adresse dans le territoire"), f"{base}?{params.urlencode()}"))
    return active
