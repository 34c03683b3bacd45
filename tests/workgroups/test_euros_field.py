"""The budget field reads amounts as people write them, or says what it expects."""

import pytest
from django import forms

from workgroups.forms.sheets import EurosField, parse_euros

EXPECTED = "Indiquez un montant en euros, par exemple 1 500 ou 3 k€."


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1500", 1500),
        ("1 500", 1500),
        ("1\u00a0500 €", 1500),
        ("1\u202f500€", 1500),
        ("3 000 euros", 3000),
        ("3000 EUR", 3000),
        ("1 euro", 1),
        ("3 k€", 3000),
        ("3k", 3000),
        ("3 K", 3000),
        ("3 keuros", 3000),
        ("1,5 k€", 1500),
        ("1.5k", 1500),
        ("2,25 k€", 2250),
        ("1,2 M€", 1200000),
        ("1 500,00", 1500),
        ("1500.0", 1500),
        ("1.500", 1500),
        ("12.500.000", 12500000),
        ("1,500 €", 1500),
        ("0", 0),
        ("-5", -5),
    ],
)
def test_parse_euros_reads_what_people_write(typed, amount):
    assert parse_euros(typed) == amount


@pytest.mark.parametrize(
    "typed",
    [
        "beaucoup",
        "12,5",
        "1,2345 k€",
        "3 k k",
        "€",
        "k",
        "1 500 $",
        "3 000 euros environ",
        "1e6",
        "½",
    ],
)
def test_parse_euros_refuses_what_is_not_a_whole_amount(typed):
    assert parse_euros(typed) is None


def test_the_field_says_exactly_what_it_expects():
    field = EurosField(required=False, min_value=0)
    with pytest.raises(forms.ValidationError) as error:
        field.clean("environ mille")
    assert error.value.messages == [EXPECTED]
    assert field.clean("3 k€") == 3000
    assert field.clean("") is None


def test_the_field_keeps_the_bounds_messages_of_its_form():
    field = EurosField(min_value=0, max_value=10, error_messages={"max_value": "Trop."})
    with pytest.raises(forms.ValidationError) as error:
        field.clean("1 k€")
    assert error.value.messages == ["Trop."]


def test_the_widget_is_a_text_input_without_number_bounds():
    field = EurosField(min_value=0, max_value=10)
    rendered = field.widget.render("budget", "1 500 €", attrs=field.widget_attrs(field.widget))
    assert 'type="text"' in rendered
    assert 'inputmode="decimal"' in rendered
    assert "min=" not in rendered
    assert "max=" not in rendered
    assert 'value="1 500 €"' in rendered
