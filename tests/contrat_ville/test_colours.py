"""The WCAG 2.1 contrast formula and the palette derived from an installation's colour."""

import pytest
from django.utils import translation

from contrat_ville.colours import (
    AA_TEXT,
    DEFAULT_PRIMARY,
    contrast_problems,
    contrast_ratio,
    palette,
    parse,
    ratio_text,
    relative_luminance,
    stylesheet,
)


def test_contrast_ratio_black_on_white_is_21():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)


def test_contrast_ratio_of_a_colour_with_itself_is_1():
    assert contrast_ratio("#1d4e89", "#1D4E89") == pytest.approx(1.0)


def test_contrast_ratio_known_wcag_values():
    # #767676 is the lightest grey that passes AA on white (WebAIM: 4.54:1).
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.005)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.005)
    assert contrast_ratio("#0000ff", "#ffffff") == pytest.approx(8.59, abs=0.005)


def test_relative_luminance_ends():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("value", ["1d4e89", "#1d4e8", "#1d4e89ff", "#gggggg", "", None, "red"])
def test_parse_refuses_anything_but_rrggbb(value):
    with pytest.raises(ValueError, match="not a #rrggbb colour"):
        parse(value)


def test_palette_of_the_default_is_close_to_tokens_css():
    tokens = palette(DEFAULT_PRIMARY)
    assert tokens == {
        "--color-primary": "#1d4e89",
        "--color-primary-strong": "#133359",
        "--color-primary-soft": "#e8edf3",
        "--color-on-primary": "#ffffff",
    }


def test_palette_puts_dark_text_on_a_light_primary():
    assert palette("#ffcc00")["--color-on-primary"] == "#1e1e1e"


@pytest.mark.parametrize("colour", ["#1d4e89", "#00695c", "#000000", "#1b5e20"])
def test_every_text_use_of_a_dark_colour_passes_aa(colour):
    tokens = palette(colour)
    assert contrast_problems(colour) == []
    assert contrast_ratio(tokens["--color-primary"], "#ffffff") >= AA_TEXT
    assert contrast_ratio(tokens["--color-on-primary"], tokens["--color-primary"]) >= AA_TEXT
    assert contrast_ratio(tokens["--color-primary"], tokens["--color-primary-soft"]) >= AA_TEXT


def test_a_light_colour_is_refused_with_its_ratio_in_french():
    with translation.override("fr"):
        problems = contrast_problems("#ffcc00")
    assert [p.use for p in problems] == ["on_white", "on_soft"]
    assert problems[0].message == (
        "Le contraste de cette couleur avec le blanc est de 1,5:1 ; il faut au moins 4,5:1 "
        "pour que le texte reste lisible. Choisissez une couleur plus foncée."
    )


def test_a_colour_that_passes_on_white_but_not_on_its_pale_tint_is_refused():
    # #767676 passes on white (4.54:1) but not on the tint behind tags and alerts.
    assert [p.use for p in contrast_problems("#767676")] == ["on_soft"]


def test_ratio_text_rounds_down_so_a_near_miss_never_reads_as_passing():
    with translation.override("fr"):
        assert ratio_text(4.47) == "4,4:1"
        assert ratio_text(21) == "21,0:1"


def test_stylesheet_is_one_root_rule():
    assert stylesheet("#00695C") == (
        ":root{--color-primary:#00695c;--color-primary-strong:#00443c;"
        "--color-primary-soft:#e6f0ef;--color-on-primary:#ffffff;}\n"
    )
