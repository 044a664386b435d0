"""Makers of library rows for the OAI-PMH tests (plain typed functions).

LIBRARY-CORE's services write resources in the application; these tests need rows in exact
states and with exact datestamps, so they write them directly.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from iite.library.models import Collection, CollectionItem, Creator, Resource
from iite.reference.models import Language

_numbers = itertools.count(1)
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def make_resource(**fields: Any) -> Resource:
    """A published resource in English with a distinct datestamp, unless told otherwise."""
    number = next(_numbers)
    fields.setdefault("title", f"Resource {number}")
    fields.setdefault("kind", Resource.Kind.PUBLICATION)
    fields.setdefault("status", Resource.Status.PUBLISHED)
    fields.setdefault("abstract", f"What resource {number} is about.")
    if "language" not in fields:
        fields["language"] = Language.objects.get(code="en")
    if fields["status"] in (Resource.Status.PUBLISHED, Resource.Status.WITHDRAWN):
        fields.setdefault("datestamp", EPOCH + timedelta(minutes=number))
        fields.setdefault("published_at", fields["datestamp"])
    many = {
        name: fields.pop(name)
        for name in list(fields)
        if name
        in {
            "topics",
            "countries",
            "competencies",
            "accessibility_features",
            "access_modes",
            "isced_levels",
            "audiences",
        }
    }
    creators = fields.pop("creators", [])
    resource = Resource.objects.create(**fields)
    for name, values in many.items():
        getattr(resource, name).set(values)
    for order, creator in enumerate(creators):
        Creator.objects.create(resource=resource, order=order, **creator)
    return resource


def make_collection(code: str, **fields: Any) -> Collection:
    fields.setdefault("names", {"en": code.replace("-", " ").capitalize(), "fr": code})
    return Collection.objects.create(code=code, **fields)


def collect(collection: Collection, *resources: Resource) -> None:
    for order, resource in enumerate(resources):
        CollectionItem.objects.create(collection=collection, resource=resource, order=order)
