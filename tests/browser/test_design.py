"""The living design page: every component fits a phone and passes axe."""

import pytest

from .axe import assert_no_axe_violations
from .journeys import log_in


@pytest.mark.parametrize("width", [320, 1366])
def test_design_page_fits_the_screen_and_has_no_axe_violation(
    new_page, demo_accounts, settings, width
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    page = new_page(viewport={"width": width, "height": 800})
    log_in(page, "organisateur@demo.test")

    page.goto("/design/")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_no_axe_violations(page)
