"""The glossary (/glossaire/), the ``{% term %}`` tag that explains a word in place,
and the plain home page residents land on."""

import html

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrat_ville.glossary import TERMS, term_for
from contrat_ville.models import Territory
from partners.context_processors import directory
from partners.models import Membership
from tests.events import conftest as events_fixtures
from tests.partners import conftest as partners_fixtures

# The other apps' factories, as fixtures of this module.
make_edition = events_fixtures.make_edition
make_actor = partners_fixtures.make_actor

GLOSSARY = reverse("glossary")
CONTEXT_PROCESSOR = "partners.context_processors.directory"


def render(source: str, **context) -> str:
    return Template("{% load glossary %}" + source).render(Context(context))


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def with_member_flag(settings):
    # The lead registers it in settings.TEMPLATES; the tests do not wait for it.
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    if CONTEXT_PROCESSOR not in processors:
        settings.TEMPLATES = [
            {
                **settings.TEMPLATES[0],
                "OPTIONS": {
                    **settings.TEMPLATES[0]["OPTIONS"],
                    "context_processors": [*processors, CONTEXT_PROCESSOR],
                },
            },
            *settings.TEMPLATES[1:],
        ]


# -- the data -------------------------------------------------------------------------


def test_glossary_terms_have_distinct_keys_and_anchors():
    assert len({term.key.casefold() for term in TERMS}) == len(TERMS)
    assert len({term.anchor for term in TERMS}) == len(TERMS)


def test_glossary_explains_the_acronyms_residents_meet():
    for word in ("COTECH", "COPIL", "QPV", "SIRET", "RNA", "cotech", " Copil "):
        assert term_for(word) is not None, word

    assert str(term_for("cotech").expansion) == "comité technique"
    assert term_for("RSA") is None


# -- the page -------------------------------------------------------------------------


def test_glossary_page_is_public_and_lists_every_term(client, db):
    response = client.get(GLOSSARY)

    assert response.status_code == 200
    text = text_of(response)
    for term in TERMS:
        assert f'<dt id="{term.anchor}">{term.label}</dt>' in text
        assert str(term.definition) in text


# -- the tag --------------------------------------------------------------------------


def test_term_tag_explains_an_acronym_and_links_it(db):
    assert render('{% term "COTECH" %}') == (
        f'<a class="term" href="{GLOSSARY}#cotech"><abbr title="comité technique">COTECH</abbr></a>'
    )


def test_term_tag_links_a_word_shown_in_other_words_without_abbr(db):
    assert render('{% term "QPV" "quartiers prioritaires" %}') == (
        f'<a class="term" href="{GLOSSARY}#qpv">quartiers prioritaires</a>'
    )


def test_term_tag_writes_an_unknown_word_as_it_is_escaped(db):
    assert render("{% term word %}", word="<b>Commission</b>") == "&lt;b&gt;Commission&lt;/b&gt;"


def test_term_tag_accepts_a_label_from_a_variable(db):
    assert f'href="{GLOSSARY}#copil"' in render("{% term body %}", body="COPIL")


# -- the home page --------------------------------------------------------------------


def test_home_tells_anonymous_visitors_where_to_go(client, make_edition):
    upcoming = make_edition(title="Rencontre à venir")

    text = text_of(client.get(reverse("home")))

    for name in ("partners:directory", "workgroups:index", "glossary"):
        assert f'href="{reverse(name)}"' in text, name
    assert f'href="{reverse("events:edition", args=[upcoming.year])}"' in text
    assert "Rencontre à venir" in text
    assert 'href="/accounts/login/"' in text


def test_home_without_an_announced_edition_links_the_past_ones(client, db):
    text = text_of(client.get(reverse("home")))

    assert "pas encore annoncée" in text
    assert f'href="{reverse("events:editions")}"' in text


def test_home_offers_my_actors_to_a_member_only(
    client, partner, no_role_user, make_actor, with_member_flag
):
    Membership.objects.create(actor=make_actor(), user=no_role_user)
    my_actors = f'href="{reverse("partners:my_actors")}"'

    assert my_actors not in text_of(client.get(reverse("home")))
    client.force_login(partner)
    assert my_actors not in text_of(client.get(reverse("home")))
    client.force_login(no_role_user)
    assert my_actors in text_of(client.get(reverse("home")))


def test_member_flag_costs_no_query_for_visitors_and_one_at_most(
    no_role_user, make_actor, django_user_model
):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as captured:
        assert directory(request) == {"user_is_actor_member": False}
    assert len(captured) == 0

    Membership.objects.create(actor=make_actor(), user=no_role_user)
    request.user = no_role_user
    with CaptureQueriesContext(connection) as captured:
        flag = directory(request)["user_is_actor_member"]
        assert len(captured) == 0  # lazy: a page that never asks pays nothing
        assert flag() is True
        assert flag() is True
    assert len(captured) == 1


# -- plain words on public pages ------------------------------------------------------


def test_actor_page_hides_the_official_code_and_explains_the_bodies(client, make_actor):
    territory = Territory.objects.exclude(code="").filter(kind="qpv").first()
    actor = make_actor(territories=[territory.slug], bodies=["cotech"], siret="13002526500013")

    text = text_of(client.get(reverse("partners:actor_detail", args=[actor.slug])))

    assert territory.name in text
    assert territory.code not in text
    assert '<abbr title="comité technique">COTECH</abbr>' in text
    assert f'href="{GLOSSARY}#siret"' in text
