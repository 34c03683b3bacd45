"""The « Ateliers » index is public: a visitor finds the published results and
galleries the organisers opened to everyone, and nothing else; partners still find
their groups, organisers their tools."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.enums import EditionStatus
from workgroups.enums import JuryPhase
from workgroups.models import WorkshopSettings

INDEX = reverse("workgroups:index")


def url(name, edition) -> str:
    return reverse(f"workgroups:{name}", args=[edition.year])


def link(name, edition) -> str:
    # The whole attribute: the groups' address is the start of the results' one.
    return f'href="{url(name, edition)}"'


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def workshop(edition, *, phase=JuryPhase.PUBLISHED, results=False, gallery=False):
    WorkshopSettings.objects.create(
        edition=edition, phase=phase, results_public=results, gallery_public=gallery
    )
    return edition


@pytest.fixture
def scene(make_edition, make_groups):
    """Five editions, each in another state of publication, each with two groups."""
    editions = {
        "public": workshop(make_edition(title="Rencontre publique"), results=True, gallery=True),
        "gallery_only": workshop(make_edition(title="Rencontre galerie"), gallery=True),
        "partners_only": workshop(make_edition(title="Rencontre entre partenaires")),
        "deliberating": workshop(
            make_edition(title="Rencontre en délibération"),
            phase=JuryPhase.DELIBERATION,
            results=True,
            gallery=True,
        ),
        "draft": workshop(
            make_edition(title="Rencontre brouillon", status=EditionStatus.DRAFT),
            results=True,
            gallery=True,
        ),
    }
    for edition in editions.values():
        make_groups(edition, 2)
    return editions


def test_index_is_open_to_anonymous_visitors(client, db):
    response = client.get(INDEX)

    assert response.status_code == 200
    assert "seront publiés ici après la rencontre" in text_of(response)


def test_index_shows_anonymous_visitors_only_what_is_published_for_everyone(client, scene):
    text = text_of(client.get(INDEX))

    public, gallery_only = scene["public"], scene["gallery_only"]
    assert link("results", public) in text
    assert link("gallery", public) in text
    assert link("gallery", gallery_only) in text
    assert link("results", gallery_only) not in text
    for hidden in ("partners_only", "deliberating", "draft"):
        assert scene[hidden].title not in text
        assert link("results", scene[hidden]) not in text
        assert link("gallery", scene[hidden]) not in text
    # Nothing of the partners' part: no group pages, no group counts, no tools.
    for edition in scene.values():
        assert link("groups", edition) not in text
        assert link("manage", edition) not in text
    assert "2 groupes" not in text


def test_index_shows_a_user_without_role_what_the_public_sees(client, no_role_user, scene):
    client.force_login(no_role_user)

    text = text_of(client.get(INDEX))

    assert link("results", scene["public"]) in text
    assert scene["partners_only"].title not in text
    assert link("groups", scene["public"]) not in text
    assert "Connectez-vous" not in text


def test_index_shows_partners_their_groups_and_the_results_published_for_them(
    client, partner, scene
):
    client.force_login(partner)

    text = text_of(client.get(INDEX))

    for name in ("public", "gallery_only", "partners_only", "deliberating"):
        assert link("groups", scene[name]) in text
        assert "2 groupes" in text
    # Published for partners, even when not for the public.
    assert link("results", scene["partners_only"]) in text
    assert link("gallery", scene["partners_only"]) in text
    # Still hidden while the jury deliberates, and drafts stay the organisers'.
    assert link("results", scene["deliberating"]) not in text
    assert link("gallery", scene["deliberating"]) not in text
    assert scene["draft"].title not in text
    assert link("manage", scene["public"]) not in text


def test_index_shows_organisers_their_tools_and_the_drafts(organiser_client, scene):
    text = text_of(organiser_client.get(INDEX))

    assert link("manage", scene["draft"]) in text
    assert link("gallery", scene["deliberating"]) in text  # organisers see the gallery early
    assert link("results", scene["deliberating"]) in text  # marks revealed from deliberation


def test_index_of_editions_without_settings_writes_nothing(client, partner, edition, make_groups):
    make_groups(edition, 1)
    client.force_login(partner)

    response = client.get(INDEX)

    assert link("groups", edition) in text_of(response)
    assert link("results", edition) not in text_of(response)
    assert not WorkshopSettings.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_index_query_count_does_not_grow_with_editions(
    client, partner, make_edition, make_groups, who
):
    if who == "partner":
        client.force_login(partner)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INDEX).status_code == 200
        return len(captured)

    make_groups(workshop(make_edition(title="Une"), results=True, gallery=True), 2)
    one = count_queries()
    for title in ("Deux", "Trois", "Quatre"):
        make_groups(workshop(make_edition(title=title), results=True, gallery=True), 3)

    assert count_queries() == one
