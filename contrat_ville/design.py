"""What the living design page (/design/) shows about the tokens.

The colours are read from static/css/tokens.css itself, so the page can never show a
palette other than the one the portal serves.
"""

import re
from dataclasses import dataclass

from django.contrib.staticfiles import finders

from .colours import AA_TEXT, WHITE, contrast_ratio

TOKENS_FILE = "css/tokens.css"
COLOUR_TOKEN = re.compile(r"--(color-[a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;")


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
