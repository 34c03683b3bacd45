"""RSS and Atom feeds of the news: public items only, whoever asks (a feed reader has no
account, and a feed's address is shared)."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors import feed_news


class NewsRssFeed(Feed):
    link = reverse_lazy("news:list")
    description = _("Les actualités du contrat de ville, pour tout le monde.")

    def title(self):
        return _("Actualités — %(site)s") % {"site": settings.PORTAL_SITE_NAME}

    def items(self):
        return feed_news()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        moment = item.published_at
        if moment is None:
            moment = datetime.datetime.combine(item.date, datetime.time(9, 0))
            moment = timezone.make_aware(moment)
        return moment

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [priority.title for priority in item.priorities.all()]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    subtitle = NewsRssFeed.description
