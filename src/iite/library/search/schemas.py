"""Output of the search API (its input is the query string: see ``api.search``)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ninja import Schema


class HitOut(Schema):
    uuid: UUID
    url: str
    title: str
    title_html: str
    excerpt_html: str
    kind: str
    language: str
    creators: str
    publisher: str
    issued: date | None
    licence: str
    score: float | None


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    sort: str
    relaxed: bool
    items: list[HitOut]
    facets: list[FacetOut]
