"""Every page a demo role can reach by following links opens: a link a person is shown never
leads to an error page."""

import gzip
from functools import cache

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.test import Client

from contrat_ville.demo import DEMO_ACCOUNTS, seed_all
from tests.crawl import assets, crawl

# What a page may weigh, gzip-compressed: its HTML and every stylesheet and script it loads
# (issue 11). Fonts are not counted: they are fetched once and then come from the cache.
PAGE_BUDGET_BYTES = 60 * 1024

ROLES = ["anonymous", *(account.email for account in DEMO_ACCOUNTS)]


@pytest.fixture
def demo(db, settings):
    # Organisers set up their second factor first; the crawl is about the pages behind it.
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    seed_all()


def client_for(client, role):
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(email=role))
    return client


def test_the_crawl_reaches_the_public_pages_from_home(client, demo):
    views = {page.view for page in crawl(client)}

    assert {"home", "partners:directory", "partners:actor_detail", "events:edition"} <= views


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_is_shown_opens(client, demo, role):
    pages = crawl(client_for(client, role))

    broken = [f"{page.status} {page.path} ({page.view})" for page in pages if page.status >= 400]
    assert broken == [], f"{role} is shown links to error pages:\n" + "\n".join(broken)
    assert len(pages) > 5


@cache
def compressed_size(url: str) -> int:
    if url.startswith("/static/"):
        path = finders.find(url.removeprefix("/static/").split("?")[0])
        with open(path, "rb") as file:
            return len(gzip.compress(file.read()))
    # Any other stylesheet or script is served by a view of the portal.
    return len(gzip.compress(Client().get(url).content))


# The map library is loaded by map pages only, and cached afterwards: the budget applies to
# the rest of such a page (issue 12 gives the map's HTML and SVG their own test, 100 KB).
MAP_LIBRARY = "/static/vendor/leaflet/"


def page_weight(page) -> int:
    loaded = [url for url in assets(page.html) if not url.startswith(MAP_LIBRARY)]
    return len(gzip.compress(page.html.encode())) + sum(map(compressed_size, loaded))


@pytest.mark.parametrize("role", ["anonymous", "organisateur@demo.test"])
def test_every_page_stays_light(client, demo, role):
    pages = [page for page in crawl(client_for(client, role)) if page.status == 200]

    heavy = [
        f"{page.path}: {page_weight(page) / 1024:.1f} KB"
        for page in pages
        if page_weight(page) > PAGE_BUDGET_BYTES
    ]
    assert heavy == [], f"pages over {PAGE_BUDGET_BYTES // 1024} KB compressed:\n" + "\n".join(
        heavy
    )
