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
