"""The contract's demo step: a plausible Grand Chambéry set, marked as demo, idempotent."""

import pytest
from django.urls import reverse

from contract.demo import demo_actor_priorities, demo_spec, seed_contract
from contract.models import Body, Objective, Priority
from contrat_ville.demo import seed_accounts
from partners.demo import DEMO_ACTORS, seed_actors
from partners.enums import ActorStatus
from partners.models import Actor


def snapshot():
    return {
        "priorities": sorted(Priority.objects.values_list("slug", "title", "position", "is_demo")),
        "objectives": sorted(Objective.objects.values_list("priority__slug", "title", "position")),
        "bodies": sorted(Body.objects.values_list("slug", "kind", "directory_code", "is_demo")),
        "tags": sorted(
            Actor.priorities.through.objects.values_list("actor__slug", "priority__slug")
        ),
    }


@pytest.mark.django_db
def test_seed_contract_seeds_priorities_with_objectives_and_the_bodies():
    summary = seed_contract()
    assert summary == "contract: 7 priorities, 19 objectives, 6 bodies"
    assert Priority.objects.filter(is_demo=False).count() == 0
    assert Body.objects.filter(is_demo=False).count() == 0
    for priority in Priority.objects.all():
        assert 2 <= priority.objectives.count() <= 4
    assert set(Body.objects.values_list("kind", flat=True)) == {
        "copil",
        "cotech",
        "commission",
        "conseil_citoyen",
    }


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_data():
    seed_accounts()
    seed_contract()
    seed_actors()
    first = snapshot()
    assert first["tags"]  # the directory's step tagged its actors
    seed_contract()
    seed_actors()
    assert snapshot() == first


@pytest.mark.django_db
def test_seed_contract_puts_back_what_an_organiser_changed():
    seed_contract()
    Priority.objects.filter(slug="jeunesse").update(title="Changé")
    Objective.objects.filter(priority__slug="jeunesse").first().delete()
    seed_contract()
    assert Priority.objects.get(slug="jeunesse").title == "Jeunesse"
    assert Objective.objects.filter(priority__slug="jeunesse").count() == 3


def test_demo_data_names_only_showcase_actors_and_priorities_it_seeds():
    spec = demo_spec()
    slugs = {p["slug"] for p in spec["priorities"]}
    actors = {a.slug for a in DEMO_ACTORS}
    assert set(spec["actor_priorities"]) <= slugs
    assert set(demo_actor_priorities()) <= actors
    assert set(spec["project_priorities"]["every_project"]) <= slugs
    assert set(spec["project_priorities"]["in_turn"]) <= slugs


@pytest.mark.django_db
def test_demo_bodies_show_the_directorys_demo_members(client):
    seed_accounts()
    seed_contract()
    seed_actors()
    copil = Body.objects.get(slug="copil")
    seated = Actor.objects.filter(bodies__body="copil", status=ActorStatus.PUBLISHED)
    assert seated.exists()
    page = client.get(copil.get_absolute_url()).content.decode()
    for actor in seated:
        assert reverse("partners:actor_detail", kwargs={"slug": actor.slug}) in page
