from events.services import registration_cancel, registration_erase
from workgroups.models import Seat


def test_cancelling_frees_the_seat_even_when_pinned(edition, make_groups, confirmed, seat):
    group = make_groups(edition, 2)[0]
    leaving = confirmed(edition)
    staying = confirmed(edition)
    seat(group, leaving, pinned=True)
    seat(group, staying)
    registration_cancel(registration=leaving)
    assert list(Seat.objects.values_list("registration_id", flat=True)) == [staying.pk]


def test_erasure_frees_the_seat(edition, make_groups, confirmed, seat):
    group = make_groups(edition, 1)[0]
    leaving = confirmed(edition)
    seat(group, leaving)
    registration_erase(registration=leaving)
    assert Seat.objects.count() == 0
