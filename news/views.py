"""Pages of news and documents: public reading, and the editors' desk (news.edit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from contrat_ville.services import ServiceError
from contrat_ville.uploads import image_response

from . import selectors, services
from .forms import DocumentForm, DocumentSearchForm, NewsFilterForm, NewsItemForm
from .models import Document, NewsItem
from .selectors import DocumentQuery
from .uploads import document_max_bytes, document_response

EDIT = "news.edit"
NEWS_PAGE_SIZE = 10
DOCUMENTS_PAGE_SIZE = 20


def _querystring(request, *drop: str) -> str:
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def _cache_control(item) -> str:
    """Only what everyone may read is kept by shared caches."""
    if item.is_public and item.is_published:
        return "public, max-age=3600"
    return "private, no-store"


# -- news, public -----------------------------------------------------------------------------


@login_not_required
@require_GET
def news_list(request):
    form = NewsFilterForm(
        request.GET or None,
        priorities=selectors.filter_priorities(),
        territories=selectors.filter_territories(),
    )
    items = selectors.news_list(request.user, **form.values())
    page = Paginator(items, NEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/list.html",
        {
            "form": form,
            "page": page,
            "items": list(page.object_list),
            "filtered": any(form.values().values()),
            "querystring": _querystring(request, "page"),
            "can_edit": request.user.has_perm(EDIT),
        },
    )


@login_not_required
@require_GET
def news_detail(request, slug: str):
    item = get_object_or_404(selectors.news_for_page(request.user), slug=slug)
    return render(
        request,
        "news/detail.html",
        {"item": item, "can_edit": request.user.has_perm(EDIT)},
    )


@login_not_required
@require_GET
def news_image(request, slug: str):
    """Images go through Django, with the audience checked and the type of their content."""
    item = get_object_or_404(selectors.news_for_page(request.user), slug=slug)
    response = image_response(item.image)
    response["Cache-Control"] = _cache_control(item)
    return response


# -- documents, public ------------------------------------------------------------------------


@login_not_required
@require_GET
def document_list(request):
    form = DocumentSearchForm(
        request.GET or None,
        priorities=selectors.filter_priorities(),
        territories=selectors.filter_territories(),
        years=selectors.document_years(request.user),
    )
    query = DocumentQuery(**form.values())
    documents = selectors.document_search(request.user, query)
    page = Paginator(documents, DOCUMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/documents.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "documents": list(page.object_list),
            "querystring": _querystring(request, "page"),
            "can_edit": request.user.has_perm(EDIT),
        },
    )


@login_not_required
@require_GET
def document_detail(request, slug: str):
    document = get_object_or_404(selectors.document_for_page(request.user), slug=slug)
    return render(
        request,
        "news/document_detail.html",
        {"document": document, "can_edit": request.user.has_perm(EDIT)},
    )


@login_not_required
@require_GET
def document_file(request, slug: str):
    """The stored file, after the audience check: a partners-only file is a 404 for the
    public, as its page is."""
    document = get_object_or_404(selectors.document_for_page(request.user), slug=slug)
    response = document_response(document.file, document.title)
    response["Cache-Control"] = _cache_control(document)
    return response


# -- the editors' desk ------------------------------------------------------------------------


@permission_required(EDIT, raise_exception=True)
@require_GET
def editor(request):
    return render(
        request,
        "news/editor.html",
        {
            "news_items": list(selectors.editor_news()),
            "documents": list(selectors.editor_documents()),
        },
    )


def _tags(form) -> dict:
    return {
        "priorities": list(form.cleaned_data.get("priorities") or []),
        "territories": list(form.cleaned_data.get("territories") or []),
    }


def _data(form, exclude=("priorities", "territories")) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields if name not in exclude}


def _news_form_page(request, item: NewsItem | None):
    form = NewsItemForm(request.POST or None, request.FILES or None, instance=item or NewsItem())
    if request.method == "POST" and form.is_valid():
        data = _data(form)
        if "image" not in request.FILES and data.get("image") is not False:
            data["image"] = None  # untouched: keep the stored one
        if item is None:
            item = services.news_create(by=request.user, data=data, **_tags(form))
            messages.success(
                request,
                _("Actualité « %(title)s » enregistrée comme brouillon.") % {"title": item},
            )
        else:
            # The form wrote its values on ``item``: the service compares with the stored row.
            stored = NewsItem.objects.get(pk=item.pk)
            services.news_update(by=request.user, item=stored, data=data, **_tags(form))
            messages.success(request, _("Actualité « %(title)s » enregistrée.") % {"title": item})
        return redirect("news:editor")
    return render(request, "news/news_form.html", {"form": form, "item": item})


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def news_create(request):
    return _news_form_page(request, None)


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def news_edit(request, pk: int):
    return _news_form_page(request, get_object_or_404(NewsItem, pk=pk))


def _status_change(request, action, success: str, **target):
    try:
        item = action(by=request.user, **target)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success % {"title": item})
    return redirect("news:editor")


@permission_required(EDIT, raise_exception=True)
@require_POST
def news_publish(request, pk: int):
    return _status_change(
        request,
        services.news_publish,
        _("Actualité « %(title)s » publiée."),
        item=get_object_or_404(NewsItem, pk=pk),
    )


@permission_required(EDIT, raise_exception=True)
@require_POST
def news_unpublish(request, pk: int):
    return _status_change(
        request,
        services.news_unpublish,
        _("Actualité « %(title)s » retirée : elle n'est plus en ligne."),
        item=get_object_or_404(NewsItem, pk=pk),
    )


def _document_form_page(request, document: Document | None):
    form = DocumentForm(
        request.POST or None, request.FILES or None, instance=document or Document()
    )
    if request.method == "POST" and form.is_valid():
        data = _data(form)
        if "file" not in request.FILES and data.get("file") is not False:
            data["file"] = None
        if document is None:
            document = services.document_create(by=request.user, data=data, **_tags(form))
            messages.success(
                request,
                _("Document « %(title)s » enregistré comme brouillon.") % {"title": document},
            )
        else:
            stored = Document.objects.get(pk=document.pk)
            services.document_update(by=request.user, document=stored, data=data, **_tags(form))
            messages.success(request, _("Document « %(title)s » enregistré.") % {"title": document})
        return redirect("news:editor")
    return render(
        request,
        "news/document_form.html",
        {"form": form, "document": document, "max_size": document_max_bytes()},
    )


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def document_create(request):
    return _document_form_page(request, None)


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    return _document_form_page(request, get_object_or_404(Document, pk=pk))


@permission_required(EDIT, raise_exception=True)
@require_POST
def document_publish(request, pk: int):
    return _status_change(
        request,
        services.document_publish,
        _("Document « %(title)s » publié."),
        document=get_object_or_404(Document, pk=pk),
    )


@permission_required(EDIT, raise_exception=True)
@require_POST
def document_unpublish(request, pk: int):
    return _status_change(
        request,
        services.document_unpublish,
        _("Document « %(title)s » retiré : il n'est plus en ligne."),
        document=get_object_or_404(Document, pk=pk),
    )
