"""Comparing two pages that must say the same thing to different people."""

import re


def page_for(text: str, address: str) -> str:
    """A page with the address, its signed form in the page's own links and the
    (per-response masked) CSRF tokens blanked out."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    text = re.sub(r"\?email=[^\"]+", "?email=SIGNED", text)
    return text.replace(address, "ADDRESS")
