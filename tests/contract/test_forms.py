"""The contract's forms: every text field has its column's limit."""

import pytest
from django import forms

from contract.forms import BodyForm, ObjectiveForm, PriorityForm
from tests.contrat_ville.test_form_limits import written_column


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [PriorityForm, ObjectiveForm, BodyForm])
def test_every_text_field_has_the_columns_limit(form_class):
    form = form_class()
    checked = 0
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        column = written_column(form, name, field)
        assert column is not None, name
        assert column.max_length, name
        assert field.max_length == column.max_length, name
        checked += 1
    assert checked >= 2


@pytest.mark.django_db
def test_body_form_offers_the_directorys_bodies():
    choices = dict(BodyForm().fields["directory_code"].choices)
    assert "copil" in choices
    assert "conseil_citoyen" in choices
