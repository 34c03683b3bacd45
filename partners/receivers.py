"""What the directory does when the core's reference data changes.

Connected by importing this module from PartnersConfig.ready(): the core sends
signals and never imports the directory.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from contrat_ville.signals import territory_changed

from .models import Actor
from .services import actor_search_index, directory_changed


@receiver(territory_changed, dispatch_uid="partners.reindex_actors_of_territory")
def reindex_actors_of_territory(sender, *, territory, fields, **kwargs) -> None:
    """A territory's name is in its actors' search text: a new name re-indexes them."""
    if "name" not in fields:
        return
    through = Actor.territories.through
    actor_ids = through.objects.filter(territory_id=territory.pk).values_list("actor_id", flat=True)
    actor_search_index(list(actor_ids))


@receiver(post_delete, sender=Actor, dispatch_uid="partners.directory_changed_on_delete")
def actor_deleted(sender, **kwargs) -> None:
    # Deletion happens outside the services (admin, cascades): the cache must still move on.
    directory_changed()
