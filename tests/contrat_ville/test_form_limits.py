"""Every text field of every form of the project has a length limit, and the limit of a field
that writes a model column is the column's: a longer value gets a message next to the field,
never an error from the database (a 500)."""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator
from django.db import models

from actions import forms as actions_forms
from contrat_ville.forms import AuditLogFilterForm
from contrat_ville.models import User
from events.forms.edition import EditionCopyForm
from events.models import Edition
from partners.forms import DirectorySearchForm
from partners.models import Actor, ContactPerson, JoinRequest
from partners.selectors import directory_reference
from workgroups.forms import sheets
from workgroups.forms.jury import JurorsForm, ScoreSheetForm
from workgroups.models import Criterion, ScoreSheet, Workgroup

APPS = (
    "contrat_ville",
    "contract",
    "neighbourhoods",
    "news",
    "partners",
    "events",
    "workgroups",
    "actions",
)


def dotted(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def forms_modules():
    for app in APPS:
        package = importlib.import_module(f"{app}.forms")
        yield package
        for info in pkgutil.walk_packages(getattr(package, "__path__", []), f"{package.__name__}."):
            yield importlib.import_module(info.name)


def form_classes() -> list[type[forms.BaseForm]]:
    """The form classes defined (not only imported) in the apps' forms modules."""
    found = {}
    for module in forms_modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            if issubclass(cls, forms.BaseModelForm) and cls._meta.model is None:
                continue  # an abstract base, such as the taxonomy's TaxonomyForm
            found[dotted(cls)] = cls
    return [found[key] for key in sorted(found)]


def _edition() -> Edition:
    return Edition.objects.get_or_create(
        year=2040,
        defaults={
            "title": "Rencontre des partenaires 2040",
            "date": datetime.date(2040, 6, 1),
            "starts_at": datetime.time(9, 0),
            "ends_at": datetime.time(17, 0),
            "venue_name": "Le Scarabée",
            "capacity": 10,
        },
    )[0]


def _audit_log_filter_forms(monkeypatch):
    return [AuditLogFilterForm(actions=[("actor.updated", "Fiche modifiée")])]


def _edition_copy_forms(monkeypatch):
    return [EditionCopyForm(source=_edition())]


def _directory_search_forms(monkeypatch):
    return [DirectorySearchForm(reference=directory_reference())]


def _jurors_forms(monkeypatch):
    return [JurorsForm(edition=_edition())]


def _score_sheet_forms(monkeypatch):
    edition = _edition()
    # Radio buttons for a short scale, a number field for a long one.
    criteria = [
        Criterion.objects.create(edition=edition, name=f"Critère {high}", scale_max=high)
        for high in (5, 20)
    ]
    return [ScoreSheetForm(criteria=criteria)]


def _project_sheet_forms(monkeypatch):
    group = Workgroup.objects.create(edition=_edition(), number=1)
    with_checkboxes = sheets.ProjectSheetForm(workgroup=group)
    # Past the limit, the directory's partners are typed by name, one per line.
    monkeypatch.setattr(sheets, "PARTNERS_CHECKBOX_LIMIT", -1)
    with_names = sheets.ProjectSheetForm(workgroup=group)
    assert isinstance(with_names.fields["partners"], sheets.PartnerNamesField)
    return [with_checkboxes, with_names]


def _action_filter_forms(monkeypatch):
    return [actions_forms.ActionFilterForm(years=[2025])]


def _action_forms(monkeypatch):
    # The organiser's form: the confidentiality box is there too.
    return [
        actions_forms.ActionForm(
            user=None, carriers=Actor.objects.all(), can_mark_confidential=True
        )
    ]


def _pitch_forms(monkeypatch):
    return [actions_forms.PitchForm(carriers=Actor.objects.all(), default_year=2025)]


# How to build the forms whose __init__ needs arguments. Every form is instantiated, since
# an __init__ may add fields that base_fields does not hold (a score sheet's comment).
BUILDERS = {
    AuditLogFilterForm: _audit_log_filter_forms,
    EditionCopyForm: _edition_copy_forms,
    DirectorySearchForm: _directory_search_forms,
    JurorsForm: _jurors_forms,
    ScoreSheetForm: _score_sheet_forms,
    sheets.ProjectSheetForm: _project_sheet_forms,
    actions_forms.ActionFilterForm: _action_filter_forms,
    actions_forms.ActionForm: _action_forms,
    actions_forms.PitchForm: _pitch_forms,
}


def instances(cls, monkeypatch) -> list[forms.BaseForm]:
    if cls in BUILDERS:
        return BUILDERS[cls](monkeypatch)
    try:
        return [cls()]
    except TypeError as error:
        pytest.fail(f"{dotted(cls)} needs arguments: say how to build it in BUILDERS ({error})")


def written_column(form: forms.BaseForm, name: str, field: forms.Field) -> models.Field | None:
    """The model column the field writes: a plain form's field built by column_field,
    or a ModelForm's field of the same name as a column of its model."""
    column = getattr(field, "model_column", None)
    if column is not None:
        return column
    if isinstance(form, forms.BaseModelForm):
        try:
            column = form._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if isinstance(column, (models.CharField, models.TextField)):
            return column
    return None


def text_fields(monkeypatch):
    for cls in form_classes():
        for form in instances(cls, monkeypatch):
            for name, field in form.fields.items():
                if isinstance(field, forms.CharField):
                    yield f"{dotted(cls)}.{name}", form, name, field


def test_the_walk_finds_the_forms_of_every_app():
    names = {dotted(cls) for cls in form_classes()}
    for expected in (
        "contrat_ville.forms.SignupForm",
        "partners.forms.ContactPersonForm",
        "partners.forms.taxonomy.CompetenceForm",
        "events.forms.registration.RegistrationForm",
        "events.forms.registration.ResendLinkForm",
        "events.forms.edition.InviteForm",
        "workgroups.forms.groups.GroupForm",
        "workgroups.forms.jury.CriterionForm",
        "workgroups.forms.jury.ScoreSheetForm",
        "workgroups.forms.sheets.ProjectSheetForm",
    ):
        assert expected in names


@pytest.mark.django_db
def test_every_text_field_has_a_length_limit_enforced_by_the_field(monkeypatch):
    unbounded = []
    for label, _form, _name, field in text_fields(monkeypatch):
        limit = field.max_length
        enforced = any(
            isinstance(validator, MaxLengthValidator) and validator.limit_value == limit
            for validator in field.validators
        )
        if not (isinstance(limit, int) and limit > 0 and enforced):
            unbounded.append(label)
    assert unbounded == []


@pytest.mark.django_db
def test_a_text_field_writing_a_column_has_the_columns_limit(monkeypatch):
    wrong, checked = [], 0
    for label, form, name, field in text_fields(monkeypatch):
        column = written_column(form, name, field)
        if column is None:
            continue
        checked += 1
        # Every text column a form writes states its limit, TextField included (the
        # database would take any length): the form's is that one.
        if column.max_length is None or field.max_length != column.max_length:
            wrong.append((label, field.max_length, column.max_length))
    assert wrong == []
    assert checked > 40  # the walk reaches the ModelForms and the plain forms alike


# Plain forms and the model each writes: a text field named like a column of that model
# is built from the column (column_field), so its limit follows the column's.
PLAIN_FORMS_WRITING = {
    "contrat_ville.forms.SignupForm": User,
    "partners.forms.ContactPersonForm": ContactPerson,
    "partners.forms.JoinRequestForm": JoinRequest,
    "workgroups.forms.groups.GroupForm": Workgroup,
    "workgroups.forms.jury.CriterionForm": Criterion,
    "workgroups.forms.jury.ScoreSheetForm": ScoreSheet,
}


@pytest.mark.django_db
def test_plain_forms_build_their_text_fields_from_the_columns_they_write(monkeypatch):
    columns = {}
    for label, _form, name, field in text_fields(monkeypatch):
        form_key = label.rsplit(".", 1)[0]
        if form_key in PLAIN_FORMS_WRITING:
            model = PLAIN_FORMS_WRITING[form_key]
            try:
                expected = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            columns[label] = getattr(field, "model_column", None) == expected
    assert columns
    assert [label for label, ok in columns.items() if not ok] == []
