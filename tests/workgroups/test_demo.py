from contrat_ville.demo import seed_accounts
from events.demo import seed_editions
from events.models import Edition
from partners.demo import seed_actors
from workgroups.demo import seed_workshops
from workgroups.enums import JuryPhase
from workgroups.models import ProjectSheet, ScoreSheet, Seat
from workgroups.selectors import workshop_settings


def test_demo_gives_2024_seventeen_groups_sheets_jury_and_results(db):
    seed_accounts()
    seed_actors()
    seed_editions()
    seed_workshops()
    first = Edition.objects.get(year=2024)
    groups = list(first.workgroups.order_by("number"))
    assert [g.number for g in groups] == list(range(1, 18))
    assert ProjectSheet.objects.filter(workgroup__edition=first).exclude(title="").count() == 17
    assert Seat.objects.filter(workgroup__edition=first).count() == 142
    sizes = [g.seats.count() for g in groups]
    assert max(sizes) - min(sizes) <= 1
    jurors = list(first.jurors.values_list("user__email", flat=True))
    assert len(jurors) == 3
    assert "jury@demo.test" in jurors
    assert ScoreSheet.objects.filter(workgroup__edition=first).count() == 3 * 17
    assert workshop_settings(first).phase == JuryPhase.PUBLISHED
    assert groups[2].facilitators.filter(email="animateur@demo.test").exists()

    upcoming = Edition.objects.exclude(year=2024).get()
    assert workshop_settings(upcoming).phase == JuryPhase.PREPARATION
    assert upcoming.workgroups.count() == upcoming.group_count


def test_demo_workshops_are_idempotent(db):
    seed_accounts()
    seed_actors()
    seed_editions()
    seed_workshops()

    def counts():
        return (Seat.objects.count(), ProjectSheet.objects.count(), ScoreSheet.objects.count())

    before = counts()
    seed_workshops()
    assert counts() == before
