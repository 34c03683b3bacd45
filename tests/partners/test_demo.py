import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from contrat_ville import demo
from contrat_ville.demo import seed_accounts
from partners.demo import DEMO_ACTORS, UNPLACED_DEMO_ACTORS, seed_actors, seed_many
from partners.enums import ActorKind, ActorStatus, JoinRequestStatus, MembershipRole
from partners.models import (
    Actor,
    ActorGovernanceBody,
    ContactPerson,
    JoinRequest,
    Membership,
)
from partners.selectors import DirectoryQuery, actors_stale, directory_search
from partners.validators import siret_is_valid

FICTION_PHONE = re.compile(r"^01 99 00 \d\d \d\d$")


@pytest.fixture
def registered(monkeypatch):
    """The registrations PartnersConfig.ready() makes, undone after the test."""
    monkeypatch.setattr(demo, "_steps", list(demo._steps))
    monkeypatch.setattr(demo, "_scales", dict(demo._scales))
    demo.register_step("partners", seed_actors, order=20)
    demo.register_scale("actors", "Generate actors up to N in the directory.", seed_many)


def snapshot():
    return {
        "actors": sorted(Actor.objects.values_list("slug", "name", "status", "review_due_on")),
        "territories": Actor.territories.through.objects.count(),
        "competences": Actor.competences.through.objects.count(),
        "publics": Actor.publics.through.objects.count(),
        "bodies": ActorGovernanceBody.objects.count(),
        "contacts": sorted(ContactPerson.objects.values_list("actor__slug", "name", "email")),
        "memberships": sorted(Membership.objects.values_list("user__email", "actor__slug", "role")),
        "join_requests": sorted(
            JoinRequest.objects.values_list("user__email", "actor__slug", "status")
        ),
    }


@pytest.mark.django_db
def test_seed_actors_covers_every_kind_territory_and_status():
    seed_accounts()

    summary = seed_actors()

    placed = len(DEMO_ACTORS) - len(UNPLACED_DEMO_ACTORS)
    assert summary == (
        f"{len(DEMO_ACTORS)} demo actors (3 pending, {placed} on the map), "
        "2 memberships, 1 join request"
    )
    assert 55 <= Actor.objects.count() == len(DEMO_ACTORS) <= 65
    assert set(Actor.objects.values_list("kind", flat=True)) == set(ActorKind.values)
    assert set(Actor.territories.through.objects.values_list("territory__slug", flat=True)) == {
        "biollay-bellevue",
        "hauts-de-chambery",
        "chambery",
        "grand-chambery",
    }
    assert Actor.objects.filter(status=ActorStatus.PENDING).count() == 3
    assert Actor.objects.filter(status=ActorStatus.ARCHIVED).count() == 2
    assert actors_stale().count() >= 3
    assert ActorGovernanceBody.objects.values("body").distinct().count() >= 4
    assert not Actor.objects.filter(search_text="").exists()


@pytest.mark.django_db
def test_seed_actors_gives_each_actor_territories_competences_and_publics():
    seed_accounts()
    seed_actors()

    counts = Actor.objects.annotate(
        t=Count("territories", distinct=True),
        c=Count("competences", distinct=True),
        p=Count("publics", distinct=True),
    ).values_list("slug", "t", "c", "p")

    assert [
        row for row in counts if not (1 <= row[1] <= 3 and 2 <= row[2] <= 4 and 1 <= row[3] <= 3)
    ] == []
    with_contacts = Actor.objects.filter(contacts__isnull=False).distinct().count()
    assert len(DEMO_ACTORS) // 4 <= with_contacts <= len(DEMO_ACTORS) // 2


@pytest.mark.django_db
def test_seed_actors_links_the_demo_accounts():
    seed_accounts()
    seed_actors()

    assert sorted(Membership.objects.values_list("user__email", "actor__slug", "role")) == [
        ("association@demo.test", "maison-des-jeunes-du-biollay", MembershipRole.ADMIN),
        ("conseil-citoyen@demo.test", "conseil-citoyen-biollay-bellevue", MembershipRole.MEMBER),
    ]
    assert list(JoinRequest.objects.values_list("user__email", "actor__slug", "status")) == [
        ("cotech@demo.test", "mission-locale-jeunes", JoinRequestStatus.PENDING)
    ]
    assert Actor.objects.get(slug="maison-des-jeunes-du-biollay").kind == ActorKind.ASSOCIATION


@pytest.mark.django_db
def test_seed_actors_uses_only_fictitious_contact_details():
    seed_accounts()
    seed_actors()

    emails = [e for e in Actor.objects.values_list("email", flat=True) if e]
    emails += list(ContactPerson.objects.values_list("email", flat=True))
    phones = [p for p in Actor.objects.values_list("phone", flat=True) if p]
    phones += list(ContactPerson.objects.values_list("phone", flat=True))
    sirets = [s for s in Actor.objects.values_list("siret", flat=True) if s]

    assert [e for e in emails if not e.endswith((".test", "@example.org", ".example.org"))] == []
    assert [p for p in phones if not FICTION_PHONE.match(p)] == []
    assert len(phones) > len(DEMO_ACTORS)
    assert [s for s in sirets if not (siret_is_valid(s) and s.startswith("999"))] == []


@pytest.mark.django_db
def test_seed_demo_twice_restores_the_same_actors(settings, registered):
    settings.DEBUG = True
    call_command("seed_demo")
    first = snapshot()
    Actor.objects.filter(slug="centre-social-du-biollay").update(name="Renommé pendant la démo")
    Membership.objects.filter(user__email="association@demo.test").delete()
    JoinRequest.objects.update(status=JoinRequestStatus.APPROVED)

    call_command("seed_demo")

    assert snapshot() == first


@pytest.mark.django_db
def test_seed_demo_actors_option_fills_the_directory_up_to_n(settings, registered):
    settings.DEBUG = True

    call_command("seed_demo", "--actors", "300")

    assert Actor.objects.count() == 300
    assert not Actor.objects.filter(search_text="").exists()
    generated = Actor.objects.filter(slug__startswith="gen-")
    assert generated.count() == 300 - len(DEMO_ACTORS)
    assert generated.filter(status=ActorStatus.PUBLISHED).count() > 250 - len(DEMO_ACTORS)
    assert not generated.annotate(c=Count("competences")).filter(c=0).exists()
    assert not generated.annotate(t=Count("territories")).filter(t=0).exists()
    result = directory_search(DirectoryQuery(q="jeunesse", territories=("biollay-bellevue",)))
    assert result.actors.filter(slug__startswith="gen-").exists()


@pytest.mark.django_db
def test_seed_demo_actors_option_is_idempotent_and_continues_numbering(settings, registered):
    settings.DEBUG = True
    call_command("seed_demo", "--actors", "100")
    slugs = set(Actor.objects.values_list("slug", flat=True))

    call_command("seed_demo", "--actors", "100")
    assert set(Actor.objects.values_list("slug", flat=True)) == slugs

    call_command("seed_demo", "--actors", "110")
    added = set(Actor.objects.values_list("slug", flat=True)) - slugs
    first = 100 - len(DEMO_ACTORS)
    assert added == {f"gen-{n:06d}" for n in range(first + 1, first + 11)}


@pytest.mark.django_db
def test_seed_many_is_deterministic():
    seed_many(40)
    first = list(Actor.objects.order_by("slug").values_list("slug", "name", "kind", "summary"))
    Actor.objects.all().delete()

    seed_many(40)

    assert list(Actor.objects.order_by("slug").values_list("slug", "name", "kind", "summary")) == (
        first
    )


@pytest.mark.django_db
def test_seed_demo_actors_option_still_refuses_with_debug_off(settings, registered):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--actors", "10")
    assert Actor.objects.count() == 0
