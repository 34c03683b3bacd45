"""What the living design page (/design/) shows about the tokens.

The colours are read from static/css/tokens.css itself, so the page can never show a
palette other than the one the portal serves.
"""

import re
from dataclasses import dataclass

from django.contrib.staticfiles import finders

TOKENS_FILE = "css/tokens.css"
COLOUR_TOKEN = re.compile(r"--(color-[a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;")
WHITE = "#ffffff"
AA_TEXT = 4.5


@dataclass(frozen=True)
class ColourToken:
    name: str
    value: str
    ratio_on_white: float

    @property
    def passes_text_contrast(self) -> bool:
        return self.ratio_on_white >= AA_TEXT


def colour_tokens() -> list[ColourToken]:
    path = finders.find(TOKENS_FILE)
    with open(path, encoding="utf-8") as tokens:
        found = COLOUR_TOKEN.findall(tokens.read())
    return [ColourToken(name, value.lower(), contrast_ratio(value, WHITE)) for name, value in found]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio between two #rrggbb colours, from 1 to 21."""
    try:
        # The identity engineer's helper, when it exists, is the one the portal trusts.
        from .colours import contrast_ratio as shared_contrast_ratio
    except ImportError:
        shared_contrast_ratio = None
    if shared_contrast_ratio is not None:
        return shared_contrast_ratio(first, second)
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
