"""Writes of the workshop groups: create, name, compose, move, pin."""

import pytest
from django.utils import timezone

from contrat_ville.models import AuditLogEntry
from contrat_ville.services import ServiceError
from events import extensions
from events.enums import College, RegistrationStatus
from workgroups.enums import AuditAction
from workgroups.models import ProjectSheet, Seat, Workgroup
from workgroups.selectors import workgroups_of
from workgroups.services.groups import (
    Source,
    groups_compose,
    groups_ensure,
    groups_mix,
    groups_update,
    organisation_key,
    seat_move,
    seat_pin,
    sizing_problem,
    sizing_warning,
)


def seating(edition) -> dict[int, int]:
    """{registration id: group number} of the edition."""
    return dict(
        Seat.objects.filter(workgroup__edition=edition).values_list(
            "registration_id", "workgroup__number"
        )
    )


def sizes(edition) -> list[int]:
    counts = {}
    for number in seating(edition).values():
        counts[number] = counts.get(number, 0) + 1
    return sorted(counts.values())


def actions() -> list[str]:
    return list(AuditLogEntry.objects.order_by("pk").values_list("action", flat=True))


# -- groups_ensure ---------------------------------------------------------------------


def test_groups_ensure_creates_the_missing_groups(organiser, make_edition):
    edition = make_edition(group_count=4)
    Workgroup.objects.create(edition=edition, number=2, name="Déjà là")

    groups = groups_ensure(by=organiser, edition=edition)

    assert [group.number for group in groups] == [1, 2, 3, 4]
    assert groups[1].name == "Déjà là"
    assert actions() == [AuditAction.GROUPS_SET]
    assert AuditLogEntry.objects.get().data == {"created": [1, 3, 4], "removed": []}


def test_groups_ensure_twice_changes_nothing_the_second_time(organiser, make_edition):
    edition = make_edition(group_count=3)
    groups_ensure(by=organiser, edition=edition)

    groups = groups_ensure(by=organiser, edition=edition)

    assert [group.number for group in groups] == [1, 2, 3]
    assert actions() == [AuditAction.GROUPS_SET]


def test_groups_ensure_removes_empty_groups_beyond_the_count(organiser, make_edition, make_groups):
    edition = make_edition(group_count=2)
    make_groups(edition, 4)

    groups = groups_ensure(by=organiser, edition=edition)

    assert [group.number for group in groups] == [1, 2]
    assert AuditLogEntry.objects.get().data == {"created": [], "removed": [3, 4]}


def test_groups_ensure_refuses_to_drop_groups_holding_people(
    organiser, make_edition, make_groups, confirmed, seat
):
    edition = make_edition(group_count=2)
    groups = make_groups(edition, 5)
    seat(groups[2], confirmed(edition))
    seat(groups[4], confirmed(edition))

    with pytest.raises(ServiceError, match="les groupes 3, 5 ont encore des participants"):
        groups_ensure(by=organiser, edition=edition)

    assert Workgroup.objects.filter(edition=edition).count() == 5
    assert not AuditLogEntry.objects.exists()


def test_groups_ensure_refuses_to_drop_a_group_with_a_project_sheet(
    organiser, make_edition, make_groups
):
    edition = make_edition(group_count=1)
    groups = make_groups(edition, 2)
    ProjectSheet.objects.create(workgroup=groups[1], title="Un projet")

    with pytest.raises(ServiceError, match="le groupe 2 a déjà une fiche projet"):
        groups_ensure(by=organiser, edition=edition)

    assert Workgroup.objects.filter(edition=edition).count() == 2


# -- groups_update ---------------------------------------------------------------------


def test_groups_update_saves_names_rooms_and_facilitators(
    organiser, edition, make_groups, facilitator, other_facilitator
):
    make_groups(edition, 2)

    changed = groups_update(
        by=organiser,
        edition=edition,
        rows=[
            {
                "number": 1,
                "name": "  Mobilité   des jeunes ",
                "room": "Salle A",
                "facilitators": [facilitator, other_facilitator],
            },
            {"number": 2, "name": "Groupe 2", "room": "Salle 2", "facilitators": []},
        ],
    )

    assert changed == [1]
    group = Workgroup.objects.get(edition=edition, number=1)
    assert (group.name, group.room) == ("Mobilité des jeunes", "Salle A")
    assert set(group.facilitators.all()) == {facilitator, other_facilitator}
    entry = AuditLogEntry.objects.get()
    assert entry.action == AuditAction.GROUPS_SET
    assert entry.data["changes"]["1"]["facilitators"] == [
        [],
        ["animateur@example.test", "animatrice@example.test"],
    ]


def test_groups_update_refuses_a_facilitator_without_the_role(
    organiser, edition, make_groups, facilitator, partner
):
    make_groups(edition, 1)

    with pytest.raises(ServiceError, match="ne l'ont pas"):
        groups_update(
            by=organiser,
            edition=edition,
            rows=[{"number": 1, "name": "Nouveau", "facilitators": [facilitator, partner]}],
        )

    group = Workgroup.objects.get(edition=edition, number=1)
    assert group.name == "Groupe 1"
    assert list(group.facilitators.all()) == []
    assert not AuditLogEntry.objects.exists()


def test_groups_update_refuses_a_group_of_another_edition(
    organiser, edition, make_edition, make_groups
):
    make_groups(make_edition(), 3)
    make_groups(edition, 1)

    with pytest.raises(ServiceError, match="Ce groupe n'existe pas dans cette édition : 3"):
        groups_update(by=organiser, edition=edition, rows=[{"number": 3, "name": "X"}])


# -- groups_compose --------------------------------------------------------------------


def test_compose_seats_every_confirmed_person_in_groups_within_one(
    organiser, make_edition, confirmed, make_registration
):
    edition = make_edition(group_count=4, capacity=100)
    people = [confirmed(edition) for _ in range(10)]
    make_registration(edition, status=RegistrationStatus.WAITING)
    make_registration(edition, status=RegistrationStatus.CANCELLED)

    report = groups_compose(by=organiser, edition=edition, seed=7)

    assert set(seating(edition)) == {person.pk for person in people}
    assert sizes(edition) == [2, 2, 3, 3]
    assert (report.people, report.placed, report.kept, report.pinned, report.unseated) == (
        10,
        10,
        0,
        0,
        0,
    )
    assert [group.number for group in report.mix.groups] == [1, 2, 3, 4]
    assert report.mix.random_score <= report.mix.score <= report.mix.bound
    entry = AuditLogEntry.objects.get(action=AuditAction.GROUPS_COMPOSED)
    assert entry.data["people"] == 10
    assert entry.data["seed"] == 7
    assert entry.data["mix"]["score"] == report.mix.score
    assert entry.target_id == str(edition.pk)


def test_compose_is_deterministic_for_a_seed(organiser, make_edition, confirmed, make_actor):
    edition = make_edition(group_count=3, capacity=100)
    actors = [make_actor(f"Structure {n}") for n in range(3)]
    for n in range(12):
        confirmed(edition, actor=actors[n % 3], college=list(College)[n % 4])

    groups_compose(by=organiser, edition=edition, seed=11, keep_seated=False)
    first = seating(edition)
    groups_compose(by=organiser, edition=edition, seed=11, keep_seated=False)

    assert seating(edition) == first


def test_compose_uses_the_edition_seed_by_default(organiser, make_edition, confirmed):
    edition = make_edition(group_count=2)
    confirmed(edition)
    confirmed(edition)

    report = groups_compose(by=organiser, edition=edition)

    assert report.seed == 2024


def test_compose_keeps_people_of_one_organisation_apart(
    organiser, make_edition, confirmed, make_actor
):
    edition = make_edition(group_count=3, capacity=100)
    mairie = make_actor("Mairie de Chambéry")
    same = [
        confirmed(edition, actor=mairie),
        confirmed(edition, organisation="  MAIRIE de   Chambéry "),  # typed, same structure
        confirmed(edition, organisation="Mission locale"),
    ]
    others = [confirmed(edition, organisation="mission   LOCALE") for _ in range(1)]
    others += [confirmed(edition, organisation=f"Asso {n}") for n in range(4)]

    report = groups_compose(by=organiser, edition=edition, seed=3)

    seats = seating(edition)
    assert seats[same[0].pk] != seats[same[1].pk]
    assert seats[same[2].pk] != seats[others[0].pk]
    assert report.mix.same_organisation == 0
    assert report.mix.same_organisation_min == 0


def test_organisation_key_prefers_the_directory_actor(edition, confirmed, make_actor):
    actor = make_actor("Centre social")
    linked = confirmed(edition, actor=actor, organisation="autre chose")
    typed = confirmed(edition, organisation=" Centre   SOCIAL ")
    other = confirmed(edition, organisation="Régie de quartier")
    nobody = confirmed(edition, organisation="   ")
    names = {"centre social": actor.pk}

    assert organisation_key(linked, names) == f"actor:{actor.pk}"
    assert organisation_key(typed, names) == f"actor:{actor.pk}"
    assert organisation_key(other, names) == "name:régie de quartier"
    assert organisation_key(nobody, names) is None


def test_compose_keeps_pinned_seats_when_recomposing_everything(
    organiser, make_edition, make_groups, confirmed, seat
):
    edition = make_edition(group_count=3, capacity=100)
    groups = make_groups(edition, 3)
    people = [confirmed(edition, organisation="Même structure") for _ in range(3)]
    seat(groups[0], people[0], pinned=True)
    seat(groups[0], people[1], pinned=True)  # pinned together: the pin wins
    seat(groups[0], people[2])

    report = groups_compose(by=organiser, edition=edition, keep_seated=False, seed=1)

    seats = seating(edition)
    assert (seats[people[0].pk], seats[people[1].pk]) == (1, 1)
    assert seats[people[2].pk] != 1
    assert Seat.objects.get(registration=people[0]).pinned is True
    assert report.pinned == 2
    assert report.mix.same_organisation == 1
    assert report.mix.same_organisation_min == 1


def test_compose_for_late_arrivals_keeps_seated_people_in_place(organiser, make_edition, confirmed):
    edition = make_edition(group_count=3, capacity=100)
    for n in range(9):
        confirmed(edition, organisation=f"Structure {n}")
    groups_compose(by=organiser, edition=edition, seed=5)
    before = seating(edition)
    late = [confirmed(edition, organisation=f"Retard {n}") for n in range(3)]

    report = groups_compose(by=organiser, edition=edition, seed=99, keep_seated=True)

    after = seating(edition)
    assert {pk: after[pk] for pk in before} == before
    assert sorted(after[person.pk] for person in late) == [1, 2, 3]
    assert (report.kept, report.placed) == (9, 3)


def test_compose_removes_the_seats_of_people_no_longer_confirmed(
    organiser, make_edition, make_groups, confirmed, seat
):
    edition = make_edition(group_count=2, capacity=100)
    groups = make_groups(edition, 2)
    staying = confirmed(edition)
    also_staying = confirmed(edition)
    leaving = confirmed(edition)
    pinned_leaving = confirmed(edition)
    seat(groups[0], staying)
    seat(groups[1], also_staying)
    seat(groups[1], leaving)
    seat(groups[1], pinned_leaving, pinned=True)
    leaving.status = pinned_leaving.status = RegistrationStatus.CANCELLED
    leaving.save()
    pinned_leaving.save()

    report = groups_compose(by=organiser, edition=edition, seed=1)

    assert seating(edition) == {staying.pk: 1, also_staying.pk: 2}
    assert report.unseated == 2


def test_compose_from_checked_in_people_only(organiser, make_edition, confirmed, make_groups, seat):
    edition = make_edition(group_count=2, capacity=100)
    groups = make_groups(edition, 2)
    here = [confirmed(edition, checked_in_at=timezone.now()) for _ in range(3)]
    absent = confirmed(edition)
    absent_pinned = confirmed(edition)
    seat(groups[0], absent)
    seat(groups[1], absent_pinned, pinned=True)

    report = groups_compose(by=organiser, edition=edition, source=Source.CHECKED_IN, seed=2)

    seats = seating(edition)
    assert set(seats) == {person.pk for person in here} | {absent_pinned.pk}
    assert seats[absent_pinned.pk] == 2
    assert report.unseated == 1


def test_compose_refuses_when_nobody_has_arrived(organiser, make_edition, confirmed):
    edition = make_edition(group_count=2)
    confirmed(edition)

    with pytest.raises(ServiceError, match="Aucune personne n'a encore été accueillie"):
        groups_compose(by=organiser, edition=edition, source=Source.CHECKED_IN)

    assert not Workgroup.objects.filter(edition=edition).exists()
    assert not AuditLogEntry.objects.exists()


def test_compose_refuses_an_unknown_source(organiser, edition):
    with pytest.raises(ValueError, match="unknown source"):
        groups_compose(by=organiser, edition=edition, source="everyone")


def test_compose_creates_the_missing_groups(organiser, make_edition, confirmed):
    edition = make_edition(group_count=3, capacity=100)
    for _ in range(3):
        confirmed(edition)

    groups_compose(by=organiser, edition=edition, seed=1)

    assert list(Workgroup.objects.filter(edition=edition).values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]
    assert sizes(edition) == [1, 1, 1]


def test_compose_empties_and_removes_groups_beyond_the_count(
    organiser, make_edition, make_groups, confirmed, seat
):
    edition = make_edition(group_count=2, capacity=100)
    groups = make_groups(edition, 3)
    people = [confirmed(edition) for _ in range(4)]
    seat(groups[2], people[0])
    seat(groups[2], people[1])

    groups_compose(by=organiser, edition=edition, seed=1)

    assert list(Workgroup.objects.filter(edition=edition).values_list("number", flat=True)) == [
        1,
        2,
    ]
    assert set(seating(edition)) == {person.pk for person in people}
    assert sizes(edition) == [2, 2]


def test_compose_refuses_to_remove_a_group_with_a_pinned_person(
    organiser, make_edition, make_groups, confirmed, seat
):
    edition = make_edition(group_count=1, capacity=100)
    groups = make_groups(edition, 2)
    person = confirmed(edition)
    seat(groups[1], person, pinned=True)

    with pytest.raises(ServiceError, match="épinglées dans le groupe 2 :"):
        groups_compose(by=organiser, edition=edition)

    assert seating(edition) == {person.pk: 2}


def test_groups_mix_scores_the_groups_as_they_stand(
    edition, make_groups, confirmed, seat, make_registration
):
    groups = make_groups(edition, 2)
    seat(groups[0], confirmed(edition, organisation="A", college=College.COPIL))
    seat(groups[0], confirmed(edition, organisation="A", college=College.COPIL))
    seat(groups[1], confirmed(edition, organisation="B", college=College.COTECH))
    seat(groups[1], make_registration(edition, status=RegistrationStatus.CANCELLED))

    mix = groups_mix(list(workgroups_of(edition)))

    # One pair (group 1) sharing all three criteria (no neighbourhood counts as the same one).
    assert mix.score == 0.0
    assert mix.same_organisation == 1
    assert [(group.number, group.size, group.score) for group in mix.groups] == [
        (1, 2, 0.0),
        (2, 1, None),
    ]


def test_groups_mix_is_none_without_anyone_seated(edition, make_groups):
    make_groups(edition, 2)

    assert groups_mix(list(workgroups_of(edition))) is None


# -- seat_move and seat_pin ------------------------------------------------------------


def test_seat_move_places_then_moves_a_person(organiser, edition, make_groups, confirmed):
    groups = make_groups(edition, 3)
    person = confirmed(edition)

    seat_move(by=organiser, edition=edition, registration=person, workgroup=groups[0], pinned=False)
    seat = seat_move(
        by=organiser, edition=edition, registration=person, workgroup=groups[2], pinned=True
    )

    assert (seat.workgroup.number, seat.pinned) == (3, True)
    assert Seat.objects.count() == 1
    assert list(
        AuditLogEntry.objects.filter(action=AuditAction.SEAT_MOVED)
        .order_by("pk")
        .values_list("data", flat=True)
    ) == [{"from": None, "to": 1, "pinned": False}, {"from": 1, "to": 3, "pinned": True}]


def test_seat_move_to_the_same_place_records_nothing(
    organiser, edition, make_groups, confirmed, seat
):
    groups = make_groups(edition, 2)
    person = confirmed(edition)
    seat(groups[0], person)

    seat_move(by=organiser, edition=edition, registration=person, workgroup=groups[0], pinned=False)

    assert not AuditLogEntry.objects.exists()


def test_seat_move_refuses_a_registration_of_another_edition(
    organiser, edition, make_edition, make_groups, confirmed
):
    groups = make_groups(edition, 2)
    stranger = confirmed(make_edition())

    with pytest.raises(ServiceError, match="pas celle de cette édition"):
        seat_move(
            by=organiser, edition=edition, registration=stranger, workgroup=groups[0], pinned=False
        )

    assert not Seat.objects.exists()


def test_seat_move_refuses_a_group_of_another_edition(
    organiser, edition, make_edition, make_groups, confirmed
):
    other_group = make_groups(make_edition(), 1)[0]
    person = confirmed(edition)

    with pytest.raises(ServiceError, match="pas un groupe de cette édition"):
        seat_move(
            by=organiser, edition=edition, registration=person, workgroup=other_group, pinned=False
        )

    assert not Seat.objects.exists()


def test_seat_move_refuses_a_cancelled_registration(
    organiser, edition, make_groups, make_registration
):
    groups = make_groups(edition, 1)
    person = make_registration(edition, status=RegistrationStatus.CANCELLED)

    with pytest.raises(ServiceError, match="confirmée"):
        seat_move(
            by=organiser, edition=edition, registration=person, workgroup=groups[0], pinned=False
        )

    assert not Seat.objects.exists()


def test_seat_pin_pins_and_unpins(organiser, edition, make_groups, confirmed, seat):
    groups = make_groups(edition, 2)
    place = seat(groups[1], confirmed(edition))

    assert seat_pin(by=organiser, seat=place, pinned=True).pinned is True
    seat_pin(by=organiser, seat=place, pinned=True)  # already pinned: nothing recorded
    assert seat_pin(by=organiser, seat=place, pinned=False).pinned is False

    assert list(
        AuditLogEntry.objects.filter(action=AuditAction.SEAT_MOVED)
        .order_by("pk")
        .values_list("data", flat=True)
    ) == [{"from": 2, "to": 2, "pinned": True}, {"from": 2, "to": 2, "pinned": False}]


def test_a_pinned_person_stays_when_composing_again(organiser, make_edition, confirmed, seat):
    edition = make_edition(group_count=2, capacity=100)
    people = [confirmed(edition) for _ in range(6)]
    groups_compose(by=organiser, edition=edition, seed=1)
    place = Seat.objects.get(registration=people[0])
    seat_pin(by=organiser, seat=place, pinned=True)

    for seed in range(2, 6):
        groups_compose(by=organiser, edition=edition, seed=seed, keep_seated=False)
        assert seating(edition)[people[0].pk] == place.workgroup.number


# -- what the rencontre shows ----------------------------------------------------------


def test_participants_group_appears_through_the_assignment_provider(
    organiser, make_edition, confirmed, facilitator, other_facilitator
):
    edition = make_edition(group_count=1)
    person = confirmed(edition)
    groups_ensure(by=organiser, edition=edition)
    groups_update(
        by=organiser,
        edition=edition,
        rows=[
            {
                "number": 1,
                "name": "Jeunes et emploi",
                "room": "Salle Verte",
                "facilitators": [facilitator],
            }
        ],
    )
    groups_compose(by=organiser, edition=edition, seed=1)

    assert extensions.assignments_for([person]) == {
        person.pk: f"Groupe 1 · Salle Verte · animé par {facilitator.full_name}"
    }


# -- refusing or warning when the numbers make no sense -------------------------------------


def test_compose_refuses_when_nobody_is_confirmed(organiser, make_edition):
    edition = make_edition(group_count=3)

    with pytest.raises(ServiceError) as error:
        groups_compose(by=organiser, edition=edition)

    assert str(error.value) == "Aucune personne confirmée : il n'y a personne à répartir."
    assert not Workgroup.objects.filter(edition=edition).exists()
    assert not AuditLogEntry.objects.exists()


def test_compose_refuses_fewer_people_than_groups_and_says_how_many_groups_fit(
    organiser, make_edition, confirmed
):
    edition = make_edition(group_count=17, capacity=100)
    for _ in range(12):
        confirmed(edition)

    with pytest.raises(ServiceError) as error:
        groups_compose(by=organiser, edition=edition)

    assert str(error.value) == (
        "12 personnes pour 17 groupes : certains groupes resteraient vides. "
        "Réduisez le nombre de groupes à 12 au plus, ou attendez d'autres inscriptions."
    )
    assert not Seat.objects.exists()
    assert not Workgroup.objects.filter(edition=edition).exists()


def test_compose_with_groups_of_one_is_allowed_but_the_mix_is_not_meaningful(
    organiser, make_edition, confirmed
):
    edition = make_edition(group_count=3, capacity=100)
    for _ in range(4):
        confirmed(edition)

    report = groups_compose(by=organiser, edition=edition, seed=1)

    assert report.people == 4
    assert sorted(group.size for group in report.mix.groups) == [1, 1, 2]
    # A group of one has no pair: its "100" would be a lie.
    assert not report.mix.meaningful
    assert "réduisez le nombre de groupes à 2 au plus" in sizing_warning(4, 3)


def test_compose_with_two_people_per_group_has_a_meaningful_mix(organiser, make_edition, confirmed):
    edition = make_edition(group_count=2, capacity=100)
    for _ in range(4):
        confirmed(edition)

    report = groups_compose(by=organiser, edition=edition, seed=1)

    assert report.mix.meaningful
    assert sizing_warning(4, 2) == ""
    assert sizing_problem(4, 2) == ""


@pytest.mark.parametrize(
    ("people", "groups", "refused", "warned"),
    [
        (0, 1, True, False),
        (1, 1, False, True),  # one group of one: nobody to talk with
        (2, 1, False, False),
        (2, 3, True, False),
        (3, 3, False, True),
        (5, 3, False, True),
        (6, 3, False, False),
        (51, 17, False, False),
    ],
)
def test_sizing_rules(people, groups, refused, warned):
    assert bool(sizing_problem(people, groups)) is refused
    assert bool(sizing_warning(people, groups)) is warned


def test_sizing_problem_words_the_checked_in_case():
    assert sizing_problem(0, 4, source=Source.CHECKED_IN) == (
        "Aucune personne n'a encore été accueillie : il n'y a personne à répartir."
    )
