"""What the workshops do when the rencontre changes (events.signals)."""

from django.dispatch import receiver

from events.signals import registration_cancelled

from .models import Seat


@receiver(registration_cancelled, dispatch_uid="workgroups.free_seat_of_cancelled")
def free_seat_of_cancelled(sender, registration, **kwargs) -> None:
    # Someone who no longer comes leaves their group at once, pinned or not:
    # the group lists and badges only show people who come.
    Seat.objects.filter(registration_id=registration.pk).delete()
