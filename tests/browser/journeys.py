"""Steps shared by the browser tests."""

from contrat_ville.demo import DEMO_PASSWORD


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Submit the password form of the login page (works with or without JavaScript)."""
    page.goto("/accounts/login/")
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
