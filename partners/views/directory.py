"""The public side: the searchable directory and the actor profiles."""

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from contrat_ville.uploads import image_response

from ..enums import ActorStatus
from ..forms import DirectorySearchForm
from ..selectors import (
    CACHE_SECONDS,
    actor_members,
    actor_profile,
    actors_visible_to,
    directory_cache_key,
    directory_page,
    directory_reference,
)

PAGE_SIZE = 20


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


def _render_parts(request, query, page_number, reference, data_key, *, partial) -> dict:
    """The results region and the filters, as HTML: the filters sit in a disclosure that
    htmx leaves in place (it stays open or closed), so they are swapped out of band."""
    result = directory_page(
        query, page_number=page_number, per_page=PAGE_SIZE, reference=reference, key=data_key
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "active_filters": _active_filters(request, query, result.facets),
        "filter_count": sum(len(facet.selected) for facet in result.facets),
        "query": query,
        "page": result.page,
        "facets": result.facets,
        "ranked": result.ranked,
        "querystring": params.urlencode(),
        "oob": partial,
    }
    return {
        "results": render_to_string("partners/_directory_results.html", context, request),
        "filters": render_to_string("partners/_directory_filters.html", context, request),
    }


@login_not_required
@require_GET
def actor_detail(request, slug: str):
    actor = get_object_or_404(actors_visible_to(request.user), slug=slug)
    can_edit = request.user.has_perm("partners.change_actor", actor)
    return render(
        request,
        "partners/actor_detail.html",
        {
            "actor": actor,
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


def _active_filters(request, query, facets) -> list[tuple[str, str]]:
    """(label, link that removes it) for the search words and each chosen value."""
    base = reverse("partners:directory")
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
    return active
