"""Deny by default: every URL that is not on the public list sends an anonymous
visitor to the login page, and every view that opted out of login is on the list."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# Views anyone may open without an account. Adding a name here is a decision:
# the page must show nothing that belongs to a partner.
PUBLIC_URL_NAMES = {
    "home",
    "healthz",
    "privacy",
    "legal_notice",
    "accessibility",
    # The glossary explains the contract's words and acronyms to residents.
    "glossary",
    "set_language",
    # allauth: signing in, signing up, recovering an account.
    "account_login",
    "account_logout",
    "account_signup",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_request_login_code",
    "account_confirm_login_code",
    "mfa_authenticate",
    # The installation's colours and logos: every page links them, the public's included.
    "identity_stylesheet",
    "identity_logo",
    "identity_signatory_logo",
    # The admin's login page only forwards to allauth's.
    "admin:login",
    # The directory's public part: published actors, public fields, open data.
    "partners:directory",
    "partners:directory_map",
    # The contract made readable: its priorities and its bodies, for residents too.
    "contract:index",
    "contract:priority",
    "contract:body",
    # "Mon quartier": residents read it without an account; the finder stores nothing.
    "neighbourhoods:index",
    "neighbourhoods:detail",
    "neighbourhoods:finder",
    "partners:actor_detail",
    "partners:actor_logo",
    "partners:export_csv",
    "partners:export_json",
    # The rencontre's public part: editions, programme, .ics, registration, and the
    # manage link, whose secret token is the key.
    "events:editions",
    "events:edition",
    "events:edition_ics",
    "events:register",
    "events:registration_sent",
    "events:resend_link",
    "events:manage",
    "events:manage_cancel",
    "events:manage_erase",
    "events:rencontre_ics",
    # After the event, through the same secret: the attendance certificate and the survey.
    "events:manage_certificate",
    "events:manage_survey",
    # The other events (training sessions, meetings, workshops): the same public pages as
    # the rencontre's, and the training catalogue.
    "occasions:index",
    "occasions:edition",
    "occasions:edition_ics",
    "occasions:register",
    "occasions:registration_sent",
    "occasions:resend_link",
    "trainings:catalogue",
    "trainings:training",
    # News and the document library: the views read through querysets scoped to the reader
    # (partners-only items are a 404 for the public); the feeds hold public items only.
    "news:list",
    "news:detail",
    "news:image",
    "news:feed_rss",
    "news:feed_atom",
    "documents:library",
    "documents:detail",
    "documents:file",
    # The workshops' index is the « Ateliers » menu entry: it lists for everyone the
    # results and galleries published for everyone, and shows the groups and the tools
    # only to those allowed (tests/workgroups/test_public_index.py).
    "workgroups:index",
    # The workshops' results, gallery, booklet and group pages open to the public only
    # when the organiser allows it; the views check it themselves. A project sheet's
    # edit page does its own login check so that a POST from an expired session keeps
    # what was typed.
    "workgroups:results",
    "workgroups:gallery",
    "workgroups:booklet",
    "workgroups:sheet",
    "workgroups:sheet_edit",
    # The contract's actions: validated ones for everyone (amounts only to partners, never
    # the confidential ones); a proposal is a 404 except to its carrier and the organisers.
    "actions:list",
    "actions:detail",
    # The yearly bilan's public version and its documents: aggregates only, without the
    # amounts marked confidential (tests/actions/test_bilan_views.py, test_documents.py).
    "bilan:index",
    "bilan:year",
    "bilan:csv",
    "bilan:pdf",
    "bilan:odt",
}

SAMPLE_KWARGS = {
    "app_label": "contrat_ville",
    "model_name": "user",
    "object_id": "1",
    "content_type_id": "1",
    "user_id": "1",
    "key": "abc-def",
    "uidb36": "1",
    "url": "nowhere/",
    "pk": "1",
    "id": "1",
    "slug": "exemple",
    "year": "2024",
    "number": "1",
    "token": "jeton",
    "membership_id": "1",
    "code": "code-accueil",
    "event": "1",
    "fmt": "csv",
    "sheet": "1",
    "same_year": "2024",
}


def walk(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else ns or namespace
            yield from walk(entry.url_patterns, prefix + pattern_text(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + pattern_text(entry.pattern), name, entry.callback


def pattern_text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_KWARGS[m.group(1)], str(pattern))
    regex = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
    regex = re.sub(
        r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE_KWARGS[m.group(1)], regex
    )  # named groups
    return regex.replace("\\", "")


ALL_URLS = sorted(set(walk(get_resolver().url_patterns)), key=lambda u: u[0])


def test_url_walk_sees_the_portal_and_the_admin():
    names = {name for _path, name, _view in ALL_URLS}

    assert {"home", "roles", "account_login", "admin:index"} <= names


def test_public_list_names_only_existing_urls():
    names = {name for _path, name, _view in ALL_URLS}

    assert PUBLIC_URL_NAMES - names == set()


@pytest.mark.parametrize(("path", "name", "view"), ALL_URLS, ids=[u[0] or "/" for u in ALL_URLS])
def test_url_opens_to_anonymous_only_when_public(client, db, path, name, view):
    opted_out = getattr(view, "login_required", True) is False
    if name in PUBLIC_URL_NAMES:
        assert opted_out or name.startswith("admin:"), f"{name} is public but requires login"
        return
    assert not opted_out, f"{path} ({name}) skips login but is not on the public list"

    response = client.get("/" + path, follow=True)

    assert response.redirect_chain, f"{path} did not redirect"
    final_url = response.redirect_chain[-1][0]
    assert final_url.startswith("/accounts/login/?next="), f"{path} went to {final_url}"
