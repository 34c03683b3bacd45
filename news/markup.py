"""News bodies: a small subset of Markdown, rendered by Python-Markdown, then sanitised by nh3.

Two locks, so that neither alone has to be perfect:

1. Python-Markdown is told not to pass raw HTML through (its ``html_block`` preprocessor and
   ``html`` inline pattern are removed: ``<script>`` is shown as text) and not to make images
   (the body has none: a news item's image is its own field, with its alternative text).
   Headings start at level 2 (the page's title is the level 1) and stop at level 4.
2. nh3 (Ammonia) keeps only the tags and attributes of ``ALLOWED_TAGS``, links only to
   http, https and mailto addresses, with ``rel="nofollow noopener noreferrer"``; it drops
   every other attribute (``onclick``, ``style``...), comments and ``data:`` URLs.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "a",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "br",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"
HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}


class _Headings(Treeprocessor):
    """# and ## are level 2, ### level 3, anything deeper level 4."""

    def run(self, root):
        for element in root.iter():
            if element.tag in HEADINGS:
                element.tag = HEADINGS[element.tag]


def _link_filter(tag: str, attribute: str, value: str) -> str | None:
    # Relative addresses too are dropped: a body links to full addresses only.
    if tag == "a" and attribute == "href":
        scheme, separator, _rest = value.partition(":")
        if not separator or scheme.strip().lower() not in ALLOWED_SCHEMES:
            return None
    return value


def _renderer() -> markdown.Markdown:
    renderer = markdown.Markdown(output_format="html")
    renderer.preprocessors.deregister("html_block")
    for name in ("html", "image_link", "image_reference", "short_image_ref"):
        if name in renderer.inlinePatterns:
            renderer.inlinePatterns.deregister(name)
    renderer.treeprocessors.register(_Headings(renderer), "news_headings", 0)
    return renderer


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=_link_filter,
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """The body as safe HTML."""
    html = _renderer().convert(text or "")
    return mark_safe(sanitise(html))  # noqa: S308 (sanitised by nh3 just above)
