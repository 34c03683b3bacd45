"""Colours of an installation's identity: the WCAG 2.1 contrast ratio, and the palette the
portal derives from one primary colour.

An organiser picks one colour; the portal derives the three other --color-primary* tokens
from it and refuses a colour that would leave some text below WCAG AA (4.5:1), so an
installation can never make its own pages unreadable.
"""

import math
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

# The defaults of static/css/tokens.css: with this primary the portal serves no extra sheet.
DEFAULT_PRIMARY = "#1d4e89"
WHITE = "#ffffff"
BLACK = "#000000"
TEXT = "#1e1e1e"  # --color-text
AA_TEXT = 4.5  # WCAG 2.1 success criterion 1.4.3, normal text

HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
# How far the derived tokens move from the primary: chosen so the portal's default blue
# gives back tokens.css' own values within a few units.
STRONG_SHADE = 0.35  # towards black, for hover and pressed buttons
SOFT_TINT = 0.9  # towards white, for pale backgrounds behind primary text


def parse(value: str) -> tuple[int, int, int]:
    """(red, green, blue) of "#rrggbb" (either case); ValueError for anything else."""
    text = value.strip().lower() if isinstance(value, str) else ""
    if not HEX_COLOUR.match(text):
        raise ValueError(f"not a #rrggbb colour: {value!r}")
    return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)


def normalise(value: str) -> str:
    return "#{:02x}{:02x}{:02x}".format(*parse(value))


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance, 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in parse(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0 to 1) of the way towards ``other``, channel by channel."""
    mixed = (round(a + (b - a) * amount) for a, b in zip(parse(colour), parse(other), strict=True))
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def palette(primary: str) -> dict[str, str]:
    """The --color-primary* tokens derived from ``primary``."""
    primary = normalise(primary)
    on_primary = max((WHITE, TEXT), key=lambda text: contrast_ratio(text, primary))
    return {
        "--color-primary": primary,
        "--color-primary-strong": mix(primary, BLACK, STRONG_SHADE),
        "--color-primary-soft": mix(primary, WHITE, SOFT_TINT),
        "--color-on-primary": on_primary,
    }


@dataclass(frozen=True)
class ContrastProblem:
    """One text use of the palette that would fall below AA, worded for the organiser."""

    use: str
    ratio: float
    message: str


def ratio_text(ratio: float) -> str:
    """ "3,2:1" in French: rounded down, so 4.47 never reads as the 4,5 it misses."""
    return f"{formats.number_format(math.floor(ratio * 10) / 10, 1)}:1"


def contrast_problems(primary: str) -> list[ContrastProblem]:
    """Each text use below 4.5:1 with ``primary``: links and headings on white, the text of
    buttons on the primary, and primary text on the pale tint (alerts, tags, chips)."""
    tokens = palette(primary)
    colour, soft, on_primary = (
        tokens["--color-primary"],
        tokens["--color-primary-soft"],
        tokens["--color-on-primary"],
    )
    minimum = ratio_text(AA_TEXT)
    problems = []
    on_white = contrast_ratio(colour, WHITE)
    if on_white < AA_TEXT:
        problems.append(
            ContrastProblem(
                "on_white",
                on_white,
                _(
                    "Le contraste de cette couleur avec le blanc est de %(ratio)s ; il faut au "
                    "moins %(minimum)s pour que le texte reste lisible. Choisissez une couleur "
                    "plus foncée."
                )
                % {"ratio": ratio_text(on_white), "minimum": minimum},
            )
        )
    on_button = contrast_ratio(on_primary, colour)
    if on_button < AA_TEXT:
        problems.append(
            ContrastProblem(
                "on_primary",
                on_button,
                _(
                    "Le texte des boutons sur cette couleur aurait un contraste de %(ratio)s ; il "
                    "faut au moins %(minimum)s. Choisissez une couleur plus foncée."
                )
                % {"ratio": ratio_text(on_button), "minimum": minimum},
            )
        )
    on_soft = contrast_ratio(colour, soft)
    if on_soft < AA_TEXT:
        problems.append(
            ContrastProblem(
                "on_soft",
                on_soft,
                _(
                    "Sur le fond pâle tiré de cette couleur (encadrés, étiquettes), le texte "
                    "aurait un contraste de %(ratio)s ; il faut au moins %(minimum)s. Choisissez "
                    "une couleur plus foncée."
                )
                % {"ratio": ratio_text(on_soft), "minimum": minimum},
            )
        )
    return problems


def stylesheet(primary: str) -> str:
    """The :root rule that overrides tokens.css' primary colours."""
    declarations = "".join(f"{name}:{value};" for name, value in palette(primary).items())
    return f":root{{{declarations}}}\n"
