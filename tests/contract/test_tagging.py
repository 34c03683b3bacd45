"""Actors and workshop projects tagged with the contract's priorities: who ticks them,
and the tags shown as links to the priority's page, in a constant number of queries."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.enums import MembershipRole
from partners.models import Membership
from tests.factories import UserFactory
from tests.partners.test_views import edit_payload
from tests.workgroups.test_sheets import form_data
from workgroups.models import ProjectSheet, Workgroup


@pytest.mark.django_db
def test_a_member_ticks_the_priorities_the_actor_serves(client, make_actor, make_priority):
    actor = make_actor("Maison des jeunes du Biollay")
    member = UserFactory(email="membre@example.test")
    Membership.objects.create(actor=actor, user=member, role=MembershipRole.ADMIN)
    youth, health = make_priority(title="Jeunesse"), make_priority(title="Santé")
    client.force_login(member)
    page = unescape(client.get(reverse("partners:actor_edit", args=[actor.slug])).content.decode())
    assert "Jeunesse" in page
    assert "Santé" in page

    response = client.post(
        reverse("partners:actor_edit", args=[actor.slug]),
        edit_payload(priorities=[youth.pk, health.pk]),
    )

    assert response.status_code == 302
    assert set(actor.priorities.all()) == {youth, health}
    profile = client.get(reverse("partners:actor_detail", args=[actor.slug])).content.decode()
    assert youth.get_absolute_url() in profile
    assert health.get_absolute_url() in profile
    # And the actor appears on each priority's page.
    assert "Maison des jeunes du Biollay" in unescape(
        client.get(youth.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_an_unknown_priority_gets_a_message_next_to_the_field(organiser_client, make_actor):
    actor = make_actor()
    response = organiser_client.post(
        reverse("partners:actor_edit", args=[actor.slug]), edit_payload(priorities=["999"])
    )
    assert response.status_code == 200
    assert "priorities" in response.context["form"].errors
    assert actor.priorities.count() == 0


def _profile_queries(client, actor) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("partners:actor_detail", args=[actor.slug])).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_profile_queries_do_not_grow_with_priorities(client, make_actor, make_priority):
    actor = make_actor()
    actor.priorities.add(make_priority())
    one = _profile_queries(client, actor)
    actor.priorities.add(*[make_priority() for _ in range(4)])
    assert _profile_queries(client, actor) == one


@pytest.mark.django_db
def test_a_project_sheet_ticks_priorities_shown_on_the_group_page(
    organiser_client, make_edition, make_priority
):
    edition = make_edition()
    group = Workgroup.objects.create(edition=edition, number=2, name="Groupe 2")
    youth = make_priority(title="Jeunesse")
    url = reverse("workgroups:sheet_edit", args=[edition.year, group.number])
    assert "Jeunesse" in unescape(organiser_client.get(url).content.decode())

    response = organiser_client.post(
        url, form_data(title="Cap sur le permis", priorities=[youth.pk])
    )

    assert response.status_code == 302
    sheet = ProjectSheet.objects.get(workgroup=group)
    assert list(sheet.priorities.all()) == [youth]
    page = organiser_client.get(
        reverse("workgroups:sheet", args=[edition.year, group.number])
    ).content.decode()
    assert youth.get_absolute_url() in page
