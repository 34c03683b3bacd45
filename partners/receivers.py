"""What the directory does when the core's reference data changes.

Connected by importing this module from PartnersConfig.ready(): the core and the
neighbourhoods app send signals and never import the directory.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from contrat_ville.signals import territory_changed
from neighbourhoods.signals import contours_changed

from .models import Actor
from .services import actor_search_index, actors_locate_again, directory_changed


@receiver(territory_changed, dispatch_uid="partners.reindex_actors_of_territory")
def reindex_actors_of_territory(sender, *, territory, fields, **kwargs) -> None:
    """A territory's name is in its actors' search text: a new name re-indexes them.
    A territory that stops (or starts) being a neighbourhood changes where points lie."""
    # The kind and the order decide which of two overlapping areas holds a point.
    if {"kind", "order"} & set(fields):
        actors_locate_again()
    if "name" not in fields:
        return
    through = Actor.territories.through
    actor_ids = through.objects.filter(territory_id=territory.pk).values_list("actor_id", flat=True)
    actor_search_index(list(actor_ids))


@receiver(contours_changed, dispatch_uid="partners.locate_actors_again")
def locate_actors_again(sender, *, territory_ids, **kwargs) -> None:
    """New contours: every point may now lie elsewhere (a QVA drawn over a QPV's edge takes
    points from it), so all the actors with a point are placed again, not only those of
    ``territory_ids``: one pass over the points against the contours, in memory."""
    actors_locate_again()


@receiver(post_delete, sender=Actor, dispatch_uid="partners.directory_changed_on_delete")
def actor_deleted(sender, **kwargs) -> None:
    # Deletion happens outside the services (admin, cascades): the cache must still move on.
    directory_changed()
