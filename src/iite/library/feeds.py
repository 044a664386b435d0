"""Atom feeds of newly published resources: all of them, per collection, per topic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from iite.core.translation import pick
from iite.library import selectors
from iite.library.models import Collection, Resource
from iite.reference.models import Topic


class NewResourcesFeed(Feed):  # type: ignore[type-arg]
    """The newest published resources of the library."""

    feed_type = Atom1Feed

    def title(self, obj: Any = None) -> str:
        return _("IITE knowledge hub: new resources")

    def subtitle(self, obj: Any = None) -> str:
        return _("Publications, policy documents, case studies and open educational resources.")

    def link(self, obj: Any = None) -> str:
        return reverse("library:feed-new")

    def items(self, obj: Any = None) -> list[Resource]:
        return selectors.latest_published()

    def item_title(self, item: Resource) -> str:
        return item.title

    def item_description(self, item: Resource) -> str:
        return item.abstract

    def item_link(self, item: Resource) -> str:
        return reverse("library:resource", kwargs={"uuid": item.uuid})

    def item_guid(self, item: Resource) -> str:
        return f"urn:uuid:{item.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Resource) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Resource) -> datetime | None:
        return item.datestamp or item.published_at

    def item_author_name(self, item: Resource) -> str:
        return "; ".join(c.display_name for c in item.creators.all())

    def item_categories(self, item: Resource) -> list[str]:
        return [item.get_kind_display(), *(item.keywords or [])]


class CollectionFeed(NewResourcesFeed):
    def get_object(self, request: HttpRequest, code: str) -> Collection:
        found = selectors.collection_by_code(code)
        if found is None:
            raise Http404
        return found

    def title(self, obj: Any = None) -> str:
        return _("IITE knowledge hub: %(name)s") % {"name": obj.name}

    def link(self, obj: Any = None) -> str:
        return reverse("library:collection", kwargs={"code": obj.code})

    def items(self, obj: Any = None) -> list[Resource]:
        return selectors.latest_published(collection=obj)


class TopicFeed(NewResourcesFeed):
    def get_object(self, request: HttpRequest, code: str) -> Topic:
        found = selectors.topic_by_code(code)
        if found is None:
            raise Http404
        return found

    def title(self, obj: Any = None) -> str:
        return _("IITE knowledge hub: %(name)s") % {"name": pick(obj.names)}

    def link(self, obj: Any = None) -> str:
        return reverse("library:feed-topic", kwargs={"code": obj.code})

    def items(self, obj: Any = None) -> list[Resource]:
        return selectors.latest_published(topic=obj)
