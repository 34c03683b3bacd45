import pytest

from .axe import assert_no_axe_violations


def test_axe_helper_missing_alt_reports_violation(page):
    """The helper really runs axe: a known violation is reported, readably."""
    page.set_content('<html lang="fr"><title>t</title><main><img src="data:,"></main></html>')

    with pytest.raises(AssertionError, match=r"- image-alt \(critical\): .*\n    img"):
        assert_no_axe_violations(page)
