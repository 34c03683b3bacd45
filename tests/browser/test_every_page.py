"""Every page each demo role (and an anonymous visitor) reaches by following links, at the
narrowest phone width the portal supports and on a desktop: nothing scrolls sideways, axe
finds no violation, and (through the new_page fixture) nothing is loaded from another host
and the browser reports no Content Security Policy violation.

The pages come from tests/crawl.py, the crawl the URL tests use.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from contrat_ville.demo import DEMO_ACCOUNTS, seed_all
from tests.crawl import crawl

from .axe import axe_violations, violations_report
from .journeys import log_in

ROLES = ["anonymous", *(account.email for account in DEMO_ACCOUNTS)]
WIDTHS = {"phone": {"width": 320, "height": 640}, "desktop": {"width": 1366, "height": 900}}

# The elements sticking out of the viewport, outermost first, to say where a page overflows.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const out = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      const parent = element.parentElement.getBoundingClientRect();
      if (parent.right <= width + 1 || element.parentElement === document.body) {
        const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
          + (element.className && typeof element.className === "string"
             ? "." + element.className.trim().split(/\\s+/).join(".") : "");
        out.push(name + " (" + Math.round(box.width) + " px wide, right edge at "
          + Math.round(box.right) + " px)");
      }
    }
    if (out.length >= 5) break;
  }
  return out.length ? out : ["the page is " + document.documentElement.scrollWidth + " px wide"];
}"""


@pytest.fixture
def demo(transactional_db, settings):
    # Organisers set up their second factor first; the pages behind it are the subject here.
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    seed_all()


def pages_of(role: str) -> list[str]:
    client = Client()
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(email=role))
    return [page.path for page in crawl(client) if page.status == 200]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_and_a_desktop_without_axe_violation(new_page, demo, role):
    paths = pages_of(role)
    first = new_page()
    if role != "anonymous":
        log_in(first, role)
    pages = {"phone": first, "desktop": first.context.new_page()}
    problems = []
    for path in paths:
        for width_name, page in pages.items():
            page.set_viewport_size(WIDTHS[width_name])
            response = page.goto(path)
            if response.status != 200:
                problems.append(f"{path} at {width_name} width: status {response.status}")
                continue
            overflow = page.evaluate(OVERFLOWING)
            if overflow:
                problems.append(
                    f"{path} scrolls sideways at {WIDTHS[width_name]['width']} px: "
                    + "; ".join(overflow)
                )
            violations = axe_violations(page)
            if violations:
                problems.append(f"at {width_name} width: " + violations_report(path, violations))
    if problems:
        pytest.fail(f"{role}, {len(paths)} pages:\n" + "\n".join(problems), pytrace=False)
