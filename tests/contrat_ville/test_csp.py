"""Every page carries a strict Content Security Policy: the site's own files only, no inline
script or style (the browser tests fail on any violation the browser reports)."""

import pytest
from django.conf import settings


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict([*part.strip().split(" ", 1), ""][:2] for part in header.split(";") if part.strip())


@pytest.mark.parametrize("path", ["/", "/rencontres/", "/annuaire/", "/accounts/login/"])
def test_pages_allow_only_this_site_and_nothing_inline(client, db, path):
    policy = directives(client.get(path))

    assert policy["default-src"] == "'none'"
    for name in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
        assert policy[name] == "'self'", name
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert "unsafe" not in client.get(path)["Content-Security-Policy"]


def test_the_policy_names_no_other_host():
    for sources in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].values():
        assert set(sources) <= {"'self'", "'none'"}
