"""Makers of library rows for the search tests (plain typed functions).

The library's services write resources in the application and index them; these tests need
rows in exact states, so they write them directly and call the index as the services do.
"""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone

from iite.library.models import Creator, Resource, ResourceFile
from iite.library.search.index import index_resource
from iite.reference.models import Language

_numbers = itertools.count(1)
SHARED_DATA = Path(__file__).resolve().parents[6] / "shared" / "data"
ZENODO = SHARED_DATA / "search" / "zenodo-oai-dc-2026.jsonl"
CISI = SHARED_DATA / "search" / "cisi" / "cisi.json"
MANY = {
    "topics",
    "countries",
    "regions",
    "competencies",
    "accessibility_features",
    "isced_levels",
    "action_areas",
}


def make_resource(*, index: bool = True, **fields: Any) -> Resource:
    """A published English publication, indexed, unless told otherwise."""
    number = next(_numbers)
    fields.setdefault("title", f"Resource {number}")
    fields.setdefault("kind", Resource.Kind.PUBLICATION)
    fields.setdefault("status", Resource.Status.PUBLISHED)
    fields.setdefault("abstract", f"What resource {number} is about.")
    fields.setdefault("issued", date(2020, 1, 1))
    language = fields.pop("language", "en")
    fields["language"] = Language.objects.get(code=language)
    if fields["status"] == Resource.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    many = {name: fields.pop(name) for name in list(fields) if name in MANY}
    creators = fields.pop("creators", [])
    body = fields.pop("body", "")
    resource = Resource.objects.create(**fields)
    for name, values in many.items():
        getattr(resource, name).set(values)
    for order, creator in enumerate(creators):
        Creator.objects.create(resource=resource, order=order, **creator)
    if body:
        ResourceFile.objects.create(
            resource=resource,
            format=ResourceFile.Format.HTML,
            extraction=ResourceFile.Extraction.DONE,
            extracted_text=body,
        )
    if index:
        index_resource(resource)
    return resource


def zenodo_records() -> list[dict[str, Any]]:
    with ZENODO.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def zenodo_record(identifier: str) -> dict[str, Any]:
    record = next(r for r in zenodo_records() if r["oai_identifier"] == identifier)
    dc: dict[str, Any] = record["dc"]
    return dc
