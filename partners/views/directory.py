"""The public side: the searchable directory and the actor profiles."""

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
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
    data_key = directory_cache_key(query, page_number=page_number, per_page=PAGE_SIZE)
    # The results region is the same for everyone (public data only), so its HTML is
    # cached too, per address, language and htmx or not, under the same version.
    html_key = results_html_cache_key(
        data_key, full_path=request.get_full_path(), language=get_language(), htmx=request.htmx
    )
    results_html = cache.get(html_key)
    if results_html is None:
        result = directory_page(
            query, page_number=page_number, per_page=PAGE_SIZE, reference=reference, key=data_key
        )
        params = request.GET.copy()
        params.pop("page", None)
        context = {
            "active_filters": _active_filters(request, query, result.facets),
            "query": query,
            "page": result.page,
            "facets": result.facets,
            "ranked": result.ranked,
            "querystring": params.urlencode(),
        }
        results_html = render_to_string("partners/_directory_results.html", context, request)
        cache.set(html_key, results_html, CACHE_SECONDS)
    # htmx asks for the results region only; without JavaScript the whole page comes.
    if request.htmx:
        return HttpResponse(results_html)
    return render(
        request,
        "partners/directory.html",
        {"form": form, "query": query, "results_html": results_html},
    )


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
