"""Form fields built from the model column they write, for every app.

A plain form (not a ModelForm) that writes a column takes its field from that column, so its
type, choices and above all its ``max_length`` cannot drift from the database's: a longer
value gets a message next to the field instead of an error from the database.
"""

from django import forms
from django.db import models


def column_field(model: type[models.Model], name: str, **overrides) -> forms.Field:
    """The form field of ``model``'s column ``name``; ``overrides`` (label, required,
    widget, help_text…) go to ``Field.formfield``. The field remembers its column in
    ``model_column``, so the tests can check the form against it."""
    column = model._meta.get_field(name)
    field = column.formfield(**overrides)
    field.model_column = column
    return field


class TelInput(forms.TextInput):
    """``type="tel"``: the phone keypad on a phone. Setting ``type`` in a TextInput's
    attrs instead would write the attribute twice (the widget writes its own)."""

    input_type = "tel"


def autofill(form: forms.BaseForm, tokens: dict[str, str]) -> None:
    """Set the ``autocomplete`` token of each named field of ``form`` (those it has),
    so browsers fill in a person's own name, address, phone… (WCAG 1.3.5)."""
    for name, token in tokens.items():
        if name in form.fields:
            form.fields[name].widget.attrs["autocomplete"] = token


def https_formfield(model_field: models.Field, **kwargs) -> forms.Field:
    """A ModelForm's ``formfield_callback``: a web address typed without a scheme is taken
    as https (Django 6's default)."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)
