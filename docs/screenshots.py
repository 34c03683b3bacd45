"""Screenshots of the main pages for docs/design.md, taken from a running demo.

    make run                            # in one terminal (demo data, DEBUG)
    .venv/bin/python docs/screenshots.py [BASE_URL]

BASE_URL defaults to http://127.0.0.1:8000. Chromium is Debian's (/usr/bin/chromium) or
$CHROMIUM. Each page is saved at 390 and 1366 px wide as docs/screenshots/<name>-<width>.png,
cut at 2,000 px high to keep the files small.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import sync_playwright

WIDTHS = (390, 1366)
MAX_HEIGHT = 2000
OUT = Path(__file__).resolve().parent / "screenshots"
ORGANISER = "organisateur@demo.test"
PASSWORD = "contrat-de-ville-2030"  # noqa: S105 (the demo accounts' published password)
RENCONTRE_YEAR = 2027  # the demo's open edition
WORKSHOPS_YEAR = 2024  # the demo's edition with published results

# (name, path, who): who is None for an anonymous visitor. "actor" is found on the directory.
PAGES = [
    ("home", "/", None),
    ("directory", "/annuaire/", None),
    ("directory-map", "/annuaire/carte/", None),
    ("neighbourhoods", "/quartiers/", None),
    ("neighbourhood", "/quartiers/biollay-bellevue/", None),
    ("perimeter", "/quartiers/perimetre/?epci=200069110", ORGANISER),
    ("actor", None, None),
    ("edition", f"/rencontres/{RENCONTRE_YEAR}/", None),
    ("registration", f"/rencontres/{RENCONTRE_YEAR}/inscription/", None),
    ("checkin", f"/rencontres/{RENCONTRE_YEAR}/accueil/", ORGANISER),
    ("results", f"/ateliers/{WORKSHOPS_YEAR}/resultats/", None),
    ("identity", "/reglages/identite/", ORGANISER),
    ("design", "/design/", ORGANISER),
]


def log_in(page, base: str, email: str) -> None:
    page.goto(urljoin(base, "/accounts/login/"))
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def first_actor_path(page, base: str) -> str:
    page.goto(urljoin(base, "/annuaire/"))
    return page.locator(".actor-list a").first.get_attribute("href")


def main(base: str) -> None:
    OUT.mkdir(exist_ok=True)
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        for width in WIDTHS:
            contexts = {}
            for name, path, who in PAGES:
                if who not in contexts:
                    context = browser.new_context(
                        viewport={"width": width, "height": 900}, locale="fr-FR"
                    )
                    page = context.new_page()
                    if who:
                        log_in(page, base, who)
                    contexts[who] = page
                page = contexts[who]
                page.goto(urljoin(base, path or first_actor_path(page, base)))
                height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                target = OUT / f"{name}-{width}.png"
                page.screenshot(
                    path=target,
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": height},
                )
                print(target.relative_to(OUT.parent.parent))
            for page in contexts.values():
                page.context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
