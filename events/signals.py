"""Signals of the rencontre, so the apps above it can react without events importing them."""

from django.dispatch import Signal

# Sent inside the transaction that cancels a registration (by the person, an
# organiser, or an erasure), with ``registration``. The workshops app gives the
# person's seat in a group back, so the group lists only people who come.
registration_cancelled = Signal()
