"""The main navigation: a bar on wide screens, a « Menu » button on phones, with or without
JavaScript (a <details> opened by CSS on wide screens, docs/design.md)."""

import pytest
from playwright.sync_api import expect

from .axe import assert_no_axe_violations

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1366, "height": 800}


def main_nav(page):
    return page.get_by_role("navigation", name="Navigation principale")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_navigation_is_a_bar_on_a_wide_screen(new_page, javascript):
    page = new_page(java_script_enabled=javascript, viewport=DESKTOP)
    page.goto("/")

    expect(page.locator(".nav-menu__toggle")).to_be_hidden()
    expect(main_nav(page).get_by_role("link", name="Annuaire")).to_be_visible()
    account = page.get_by_role("navigation", name="Votre compte")
    expect(account.get_by_role("link", name="Se connecter")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_navigation_collapses_into_a_menu_button_on_a_phone(new_page, javascript):
    page = new_page(java_script_enabled=javascript, viewport=PHONE)
    page.goto("/")
    directory_link = main_nav(page).get_by_role("link", name="Annuaire")
    expect(directory_link).to_be_hidden()

    page.get_by_text("Menu", exact=True).click()

    expect(directory_link).to_be_visible()
    directory_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des partenaires")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_navigation_menu_opens_with_the_keyboard_and_has_no_axe_violation(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/")
    toggle = page.locator(".nav-menu__toggle")

    toggle.focus()
    page.keyboard.press("Enter")

    expect(page.locator(".nav-menu")).to_have_attribute("open", "")
    expect(main_nav(page).get_by_role("link", name="Accueil")).to_be_visible()
    assert_no_axe_violations(page)
