"""Headless Chromium driven by Playwright against pytest-django's live server.

Chromium is Debian's (or $CHROMIUM): `playwright install` is never run. Without it the
browser tests are skipped, unless REQUIRE_BROWSER=1 (CI), where a missing browser fails.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from contrat_ville.demo import seed_accounts

# Playwright's sync API runs an event loop in this thread: Django's ORM would refuse to run.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"about", "blob", "data"}
TIMEOUT_MS = 10_000

BROWSER_TESTS_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items):
    # This hook sees the whole session's items: mark only the ones in this directory.
    for item in items:
        if BROWSER_TESTS_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    wanted = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    executable = shutil.which(wanted)
    if executable is None:
        reason = (
            f"Chromium not found at {wanted!r}: install Debian's chromium package "
            "or set CHROMIUM=/path/to/chromium to run the browser tests"
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (REQUIRE_BROWSER=1: they may not be skipped)", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_accounts(transactional_db):
    """The eight verified demo accounts, one per role (password: DEMO_PASSWORD)."""
    seed_accounts()


@pytest.fixture(autouse=True)
def _empty_cache():
    # allauth counts login attempts in the cache, which the live server thread shares.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def new_page(chromium, live_server, transactional_db):
    """Opens a page in a new French context: new_page(java_script_enabled=False).

    Every request of every context is recorded; at teardown the test fails if one went
    anywhere but the live server (the portal loads nothing from another host), or if the
    browser reported a Content Security Policy violation (an inline script or style, a
    foreign source: the portal's policy allows none).
    """
    server = urlsplit(live_server.url)
    contexts = []
    foreign = []
    violations = []

    def record_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def record(request):
        url = urlsplit(request.url)
        if url.scheme in LOCAL_SCHEMES:
            return
        if (url.scheme, url.hostname, url.port) != (server.scheme, server.hostname, server.port):
            foreign.append(f"{request.method} {request.url} ({request.resource_type})")

    def open_page(**context_options):
        context = chromium.new_context(base_url=live_server.url, locale="fr-FR", **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", record)
        context.on("console", record_console)
        contexts.append(context)
        return context.new_page()

    open_page.csp_violations = violations
    yield open_page

    for context in contexts:
        context.close()
    if violations:
        pytest.fail(
            "The browser reported Content Security Policy violations:\n  "
            + "\n  ".join(violations),
            pytrace=False,
        )
    if foreign:
        pytest.fail(
            f"Requests left the live server ({live_server.url}):\n  " + "\n  ".join(foreign),
            pytrace=False,
        )


@pytest.fixture
def page(new_page):
    return new_page()
