"""Signals of the core, so the apps above it can react without the core importing them."""

from django.dispatch import Signal

# Sent once the transaction that changed a territory has committed, with
# ``territory`` (the saved Territory) and ``fields`` (sorted names of the fields
# that changed). Not sent on creation: no app has anything attached to a new
# territory yet. The partners app re-indexes the actors of a renamed territory.
territory_changed = Signal()
