import pytest

from .axe import assert_no_axe_violations


def test_axe_helper_missing_alt_reports_violation(page):
    """The helper really runs axe: a known violation is reported, readably."""
    page.set_content('<html lang="fr"><title>t</title><main><img src="data:,"></main></html>')

    with pytest.raises(AssertionError, match=r"- image-alt \(critical\): .*\n    img"):
        assert_no_axe_violations(page)


def test_an_inline_style_is_a_csp_violation_the_fixture_reports(new_page):
    """new_page really listens: a page under the portal's kind of policy with an inline style
    is reported (then forgotten here, or this test would fail at teardown)."""
    page = new_page()
    page.route(
        "**/csp-probe/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Security-Policy": "style-src 'self'", "Content-Type": "text/html"},
            body='<html lang="fr"><title>t</title><p style="color: red">x</p></html>',
        ),
    )

    page.goto("/csp-probe/")

    assert any("inline style" in violation for violation in new_page.csp_violations)
    new_page.csp_violations.clear()
