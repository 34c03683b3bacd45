"""Organisers' pages for the competence taxonomy and the publics.

Nothing is deleted from here: a competence or public in use would silently
vanish from the actors' profiles, and a theme still holds its competences.
"""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from contrat_ville.services import ServiceError

from ..forms.taxonomy import CompetenceForm, PublicForm, ThemeForm
from ..models import Competence, Public, Theme
from ..services import competence_save, public_save, theme_save

PERMISSION = "partners.manage_taxonomy"


@permission_required(PERMISSION, raise_exception=True)
@require_GET
def taxonomy(request):
    # Three queries whatever the size: themes, their competences with a count
    # of actors each, the publics with theirs.
    competences = Competence.objects.annotate(actor_count=Count("actors")).order_by("order", "name")
    themes = Theme.objects.prefetch_related(Prefetch("competences", queryset=competences))
    publics = Public.objects.annotate(actor_count=Count("actors"))
    return render(request, "partners/taxonomy.html", {"themes": themes, "publics": publics})


# What each kind of item needs: its model, form and service, and the words of its page.
# The service takes the item under the kind's name (theme_save(theme=...)).
KINDS = {
    "theme": {
        "model": Theme,
        "form": ThemeForm,
        "save": theme_save,
        "add_title": gettext_lazy("Ajouter une thématique"),
        "edit_title": gettext_lazy("Modifier la thématique %(name)s"),
        "saved": gettext_lazy("Thématique « %(name)s » enregistrée."),
    },
    "competence": {
        "model": Competence,
        "form": CompetenceForm,
        "save": competence_save,
        "add_title": gettext_lazy("Ajouter une compétence"),
        "edit_title": gettext_lazy("Modifier la compétence %(name)s"),
        "saved": gettext_lazy("Compétence « %(name)s » enregistrée."),
    },
    "public": {
        "model": Public,
        "form": PublicForm,
        "save": public_save,
        "add_title": gettext_lazy("Ajouter un public"),
        "edit_title": gettext_lazy("Modifier le public %(name)s"),
        "saved": gettext_lazy("Public « %(name)s » enregistré."),
    },
}


def _edit(request, kind: str, pk: int | None = None, initial: dict | None = None):
    spec = KINDS[kind]
    instance = get_object_or_404(spec["model"], pk=pk) if pk is not None else None
    # The title keeps the stored name: the form changes the instance as it validates.
    if instance is None:
        title = str(spec["add_title"])
    else:
        title = str(spec["edit_title"]) % {"name": instance.name}
    form = spec["form"](request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        if instance is not None and not form.has_changed():
            messages.info(request, _("Aucun changement."))
            return redirect("partners:taxonomy")
        try:
            saved = spec["save"](by=request.user, data=form.cleaned_data, **{kind: instance})
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, str(spec["saved"]) % {"name": saved.name})
            return redirect("partners:taxonomy")
    return render(
        request,
        "partners/taxonomy_form.html",
        {"form": form, "kind": kind, "title": title, "instance": instance},
    )


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def theme_create(request):
    return _edit(request, "theme")


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def theme_edit(request, pk: int):
    return _edit(request, "theme", pk)


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def competence_create(request):
    # "Add a competence" next to a theme preselects it (?theme=<id>).
    theme = request.GET.get("theme", "")
    return _edit(
        request,
        "competence",
        initial={"theme": theme} if theme.isascii() and theme.isdigit() else None,
    )


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def competence_edit(request, pk: int):
    return _edit(request, "competence", pk)


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def public_create(request):
    return _edit(request, "public")


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def public_edit(request, pk: int):
    return _edit(request, "public", pk)
