"""Form helpers for every page: the error summary and the page title's "Erreur : " prefix.

base.html calls both tags, so no view has anything to do: they find the bound forms and
formsets with errors in the template context themselves."""

from dataclasses import dataclass

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

# Where the errors found are kept during one rendering: both tags walk the context once.
_CACHE_KEY = "portal_forms.errors"


@dataclass(frozen=True)
class FormError:
    message: str
    label: str = ""
    # The id of the input to focus, "" for an error about the whole form.
    target: str = ""


def _field_target(bound: forms.BoundField) -> str:
    """The id of the field's input: for a group of radios or checkboxes, the first
    option's (the group itself has no element with the field's id)."""
    if not bound.auto_id:
        return ""
    return bound.id_for_label or f"{bound.auto_id}_0"


def _form_errors(form: forms.BaseForm, row: int | None = None) -> list[FormError]:
    found = []
    for message in form.non_field_errors():
        found.append(FormError(message=str(message)))
    # In the order of the fields on the page, not the order the errors were added.
    for name, field in form.fields.items():
        messages = form.errors.get(name)
        if not messages:
            continue
        bound = form[name]
        label = str(field.label) if field.label else name
        if row is not None:
            label = _("%(label)s (ligne %(row)s)") % {"label": label, "row": row}
        target = "" if bound.is_hidden else _field_target(bound)
        found.extend(
            FormError(message=str(message), label=label, target=target) for message in messages
        )
    # An error added under a name the form has no field for: listed, never lost.
    for name, messages in form.errors.items():
        if name != NON_FIELD_ERRORS and name not in form.fields:
            found.extend(FormError(message=str(message)) for message in messages)
    return found


def _formset_errors(formset: forms.BaseFormSet) -> list[FormError]:
    # non_form_errors() includes a missing or tampered management form's.
    found = [FormError(message=str(message)) for message in formset.non_form_errors()]
    for index, form in enumerate(formset.forms, start=1):
        found.extend(_form_errors(form, row=index))
    return found


def _candidates(value):
    if isinstance(value, (forms.BaseForm, forms.BaseFormSet)):
        yield value
    elif isinstance(value, (list, tuple)):
        # A page may hold its forms in a list (one per row); nothing deeper.
        for item in value:
            if isinstance(item, (forms.BaseForm, forms.BaseFormSet)):
                yield item


def page_errors(context) -> list[FormError]:
    """Every error of the bound forms and formsets of the context, once each."""
    cache = context.render_context
    if _CACHE_KEY in cache:
        return cache[_CACHE_KEY]
    found = {}
    for value in context.flatten().values():
        for candidate in _candidates(value):
            if candidate.is_bound:
                found.setdefault(id(candidate), candidate)
    # A formset's forms may also be in the context on their own: count them once.
    in_formsets = {
        id(form)
        for candidate in found.values()
        if isinstance(candidate, forms.BaseFormSet)
        for form in candidate.forms
    }
    errors = []
    for key, candidate in found.items():
        if key in in_formsets:
            continue
        if isinstance(candidate, forms.BaseFormSet):
            if not candidate.is_valid():
                errors.extend(_formset_errors(candidate))
        elif candidate.errors:
            errors.extend(_form_errors(candidate))
    cache[_CACHE_KEY] = errors
    return errors


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    return _("Erreur : ") if page_errors(context) else ""


@register.simple_tag(takes_context=True)
def error_summary(context) -> str:
    errors = page_errors(context)
    if not errors:
        return ""
    count = len(errors)
    heading = ngettext(
        "Il y a %(count)s erreur dans le formulaire",
        "Il y a %(count)s erreurs dans le formulaire",
        count,
    ) % {"count": count}
    return render_to_string("includes/error_summary.html", {"errors": errors, "heading": heading})
