"""Signals of the neighbourhoods app, for the apps above it."""

from django.dispatch import Signal

# Sent once the transaction that set, replaced or removed contours has committed, with
# ``territory_ids`` (the territories whose contour changed). The directory places again the
# actors that stand in those territories or whose point falls in the new contours.
contours_changed = Signal()
