"""The pages a person can reach by following links from the home page, as one role.

The URL tests (tests/contrat_ville/test_crawl.py) check that every such page answers without
an error; the browser tests (tests/browser/test_every_page.py) open the same pages at phone
and desktop widths. One list for both, so that a page added behind a link is checked by both
without anyone listing it.
"""

from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

# Not pages of the portal: the admin has its own look (and no demo role is staff), files.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")
# One page per view and set of URL arguments is enough to see its layout; a cap keeps the
# crawl bounded if a view ever links to endless variants of itself.
MAX_PAGES = 300


@dataclass(frozen=True)
class Page:
    path: str
    view: str  # the URL name, namespaced: "events:edition"
    status: int
    html: str = ""


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.assets.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])


def assets(html: str) -> list[str]:
    """The stylesheets and scripts a page loads, as written in it."""
    parser = _Links()
    parser.feed(html)
    return parser.assets


def links(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urlsplit(urljoin(base, href))
        if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
            continue
        if url.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(url.path)
    return found


def view_key(path: str) -> tuple[str, tuple[str, ...]] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, tuple(sorted(match.kwargs))


def crawl(client, start: str = "/") -> list[Page]:
    """Breadth first from `start`, one page per view; HTML pages only (exports, calendars and
    PDFs are followed but not listed). Query strings are dropped: the filters of a page are
    the same page."""
    seen_views = set()
    queue = deque([start])
    pages = []
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        key = view_key(path)
        if key is None or key in seen_views:
            continue
        seen_views.add(key)
        response = client.get(path)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        pages.append(Page(path, key[0], response.status_code, html))
        if response.status_code == 200:
            queue.extend(links(html, path))
    return pages
