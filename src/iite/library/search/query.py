"""The one search function of the library (contract 2): text, filters, facets, sort, pages.

``search`` answers the search page, its CSV export and the API alike, on SQLite (FTS5) and
PostgreSQL (tsvector) with the same behaviour; docs/search.md describes both. Only published
resources are in the index, so nothing else is ever found.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db import connection
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from iite.core.errors import ApplicationError
from iite.library.models import Resource
from iite.library.search import bitmaps
from iite.library.search.engines import Match, engine
from iite.library.search.facets import FACETS, labels_of, validate_filters
from iite.library.search.models import Entry
from iite.library.search.text import (
    MARK_START,
    highlight_cjk,
    marked_html,
    parse_query,
    restore,
)

SORTS = ("relevance", "date", "title")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_OFFSET = 10_000  # deeper than anyone reads; beyond it, narrow the search
EXPORT_CHUNK = 1000
# PostgreSQL has an index in each of these orders (migration 0005); change them together.
ORDER = {
    "date": "e.issued DESC NULLS LAST, e.resource_id DESC",
    "title": "e.title_sort ASC, e.resource_id ASC",
}


@dataclass(frozen=True)
class Hit:
    """One resource in a result page."""

    resource_id: int
    uuid: UUID
    title: str
    title_html: SafeString
    excerpt_html: SafeString
    kind: str
    kind_label: str
    language: str
    creators: str
    publisher: str
    issued: date | None
    year: int | None
    licence: str
    score: float | None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetCounts:
    name: str
    label: str
    values: list[FacetValue]

    @property
    def selected_count(self) -> int:
        return sum(1 for value in self.values if value.selected)


@dataclass(frozen=True)
class SearchResult:
    q: str
    filters: dict[str, list[str]]
    sort: str
    page: int
    page_size: int
    total: int
    hits: list[Hit]
    facets: list[FacetCounts] = field(default_factory=list)
    # No resource had every word, so resources with any of them are shown.
    relaxed: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _filter_sql(
    filters: Mapping[str, list[str]], state: bitmaps.Snapshot | None = None
) -> tuple[str, list[Any]]:
    """``AND e.resource_id IN (...)`` for every facet filtered (values of one facet: any of)."""
    state = state or bitmaps.snapshot()
    clauses, params = [], []
    for name, values in filters.items():
        if not values:
            continue
        ids = [state.ids[(name, value)] for value in values if (name, value) in state.ids]
        if not ids:
            clauses.append("AND 1 = 0")
            continue
        marks = ", ".join(["%s"] * len(ids))
        clauses.append(
            "AND e.resource_id IN (SELECT entry_id FROM library_search_facet "  # noqa: S608  (placeholders and this module's names only)
            f"WHERE value_id IN ({marks}))"
        )
        params += ids
    return " ".join(clauses), params


def _where(
    match: Match | None, filters: Mapping[str, list[str]], state: bitmaps.Snapshot | None = None
) -> tuple[str, list[Any]]:
    filter_sql, filter_params = _filter_sql(filters, state)
    if match is None:
        return f"WHERE 1 = 1 {filter_sql}", filter_params
    return f"WHERE {match.sql} {filter_sql}", [*match.params, *filter_params]


def _matched(match: Match | None, state: bitmaps.Snapshot) -> int:
    """The bitmap of the entries the text matches (all entries without text)."""
    if match is None:
        return state.everything
    return bitmaps.from_ids(engine().match_ids(match))


Scored = list[tuple[int, float]]


def _matching(
    match: Match | None, state: bitmaps.Snapshot, *, ranked: bool
) -> tuple[int, Scored | None]:
    """``_matched``, and every match with its score when the engine scores in the same pass
    (PostgreSQL) and the result is ranked; the page is then taken from those (``_best``)."""
    scored = engine().scored_ids(match, state) if ranked and match is not None else None
    if scored is None:
        return _matched(match, state), None
    return bitmaps.from_ids(resource_id for resource_id, _score in scored), scored


def _best(
    scored: Scored,
    matched: int,
    filters: Mapping[str, list[str]],
    state: bitmaps.Snapshot,
    limit: int,
    offset: int,
) -> list[tuple[int, float | None]]:
    """One page of scored matches passing the filters, in the engine's order: best score first,
    then the newer entry (as ``ranked_ids`` orders them in SQL)."""
    passing = state.filter_bits(filters)
    if passing is not None:
        allowed = set(bitmaps.ids_of(matched & passing))
        scored = [pair for pair in scored if pair[0] in allowed]
    page = heapq.nsmallest(offset + limit, scored, key=lambda pair: (-pair[1], -pair[0]))
    return [(resource_id, score) for resource_id, score in page[offset:]]


def _total(matched: int, filters: Mapping[str, list[str]], state: bitmaps.Snapshot) -> int:
    passing = state.filter_bits(filters)
    return (matched if passing is None else matched & passing).bit_count()


def _facet_counts(
    matched: int | None, filters: Mapping[str, list[str]], state: bitmaps.Snapshot
) -> dict[str, dict[str, int]]:
    """Exact counts of every facet value over the result; a filtered facet is counted as if it
    were not, so each of its values says how many resources choosing it too would add.
    ``matched`` None means no text: an empty query's counts are the precomputed totals."""
    return state.counts(matched, filters, FACETS)


def _facets(
    counts: dict[str, dict[str, int]], filters: Mapping[str, list[str]]
) -> list[FacetCounts]:
    result = []
    for name, definition in FACETS.items():
        values = dict(counts.get(name, {}))
        for chosen in filters.get(name, []):
            values.setdefault(chosen, 0)
        labels = labels_of(name, values) if values else {}
        items = [
            FacetValue(value, labels.get(value, value), count, value in filters.get(name, []))
            for value, count in values.items()
        ]
        if definition.ordered_by_value:
            items.sort(key=lambda item: item.value, reverse=True)
        else:
            items.sort(key=lambda item: (-item.count, item.label.casefold()))
        result.append(FacetCounts(name, str(definition.label), items))
    return result


def _page_ids(
    match: Match | None,
    filters: Mapping[str, list[str]],
    sort: str,
    limit: int,
    offset: int,
    state: bitmaps.Snapshot | None = None,
) -> list[tuple[int, float | None]]:
    if sort == "relevance" and match is not None:
        filter_sql, filter_params = _filter_sql(filters, state)
        return [
            (resource_id, score)
            for resource_id, score in engine().ranked_ids(
                match, filter_sql, filter_params, limit, offset, state or bitmaps.snapshot()
            )
        ]
    where, params = _where(match, filters, state)
    sql = (
        f"SELECT e.resource_id FROM library_search_entry e {where} "  # noqa: S608  (placeholders and this module's names only)
        f"ORDER BY {ORDER[sort]} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [(row[0], None) for row in cursor.fetchall()]


def _hits(ids: list[tuple[int, float | None]], match: Match | None, terms: list[Any]) -> list[Hit]:
    entries = Entry.objects.in_bulk([resource_id for resource_id, _score in ids])
    excerpts = engine().excerpts(match, list(entries))
    kinds = dict(Resource.Kind.choices)
    hits = []
    for resource_id, score in ids:
        entry = entries.get(resource_id)
        if entry is None:
            continue
        title_marked, abstract_marked, body_marked = excerpts.get(resource_id, ("", "", ""))
        title_html = marked_html(
            restore(entry.title, title_marked) if title_marked else entry.title
        )
        excerpt = restore(entry.abstract, abstract_marked) if MARK_START in abstract_marked else ""
        excerpt = excerpt or highlight_cjk(entry.abstract, terms)
        excerpt = excerpt or (body_marked if MARK_START in body_marked else "")
        if not excerpt:
            excerpt = entry.abstract[:240] + ("…" if len(entry.abstract) > 240 else "")
        if MARK_START not in title_marked:
            title_html = marked_html(highlight_cjk(entry.title, terms) or entry.title)
        hits.append(
            Hit(
                resource_id=entry.resource_id,
                uuid=entry.uuid,
                title=entry.title,
                title_html=title_html,
                excerpt_html=marked_html(excerpt),
                kind=entry.kind,
                kind_label=str(kinds.get(entry.kind, entry.kind)),
                language=entry.language,
                creators=entry.creators,
                publisher=entry.publisher,
                issued=entry.issued,
                year=entry.year,
                licence=entry.licence,
                score=score,
            )
        )
    return hits


def _clean(
    *, filters: Mapping[str, Sequence[str]] | None, sort: str, page: int, page_size: int
) -> tuple[dict[str, list[str]], str]:
    clean = validate_filters({name: list(values) for name, values in (filters or {}).items()})
    if sort not in SORTS:
        raise ApplicationError(
            _("Results can be sorted by relevance, date or title."),
            code="invalid_sort",
            details=[{"field": "sort", "message": _("Choose relevance, date or title.")}],
        )
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ApplicationError(
            _("A page holds from 1 to %(max)d results.") % {"max": MAX_PAGE_SIZE},
            code="invalid_page_size",
            details=[{"field": "page_size", "message": _("Out of range.")}],
        )
    if page < 1 or (page - 1) * page_size > MAX_OFFSET:
        raise _page_error()
    return clean, sort


def _page_error() -> ApplicationError:
    return ApplicationError(
        _("There is no such page of results."),
        code="page_out_of_range",
        details=[{"field": "page", "message": _("Choose a page between 1 and the last page.")}],
    )


def search(
    *,
    q: str = "",
    filters: Mapping[str, Sequence[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = PAGE_SIZE,
    facets: bool = True,
    any_term: bool = False,
) -> SearchResult:
    """Published resources matching ``q`` (searched as plain text) and ``filters``.

    ``filters`` maps facet names (``FACETS``) to codes; values of one facet are alternatives,
    facets combine. ``sort`` is relevance (the default with words; date without), date or
    title. Every word must match unless ``any_term``; when no resource has them all, resources
    with any are returned and ``relaxed`` is set. Unknown facets or values, a bad sort, and a
    page out of range raise ``ApplicationError`` (a 400) with ``code`` saying which.
    """
    clean, sort = _clean(filters=filters, sort=sort, page=page, page_size=page_size)
    terms = parse_query(q)
    if sort == "relevance" and not terms:
        sort = "date"
    backend = engine()
    state = bitmaps.snapshot()
    match = backend.match(terms, any_term=any_term) if terms else None
    # Typed text without a single word (only punctuation) finds nothing, rather than everything.
    nothing = bool(q.strip()) and not terms
    ranked = sort == "relevance"
    matched, scored = (0, None) if nothing else _matching(match, state, ranked=ranked)
    total = _total(matched, clean, state)
    relaxed = False
    if total == 0 and not any_term and len(terms) > 1:
        relaxed_match = backend.match(terms, any_term=True)
        relaxed_matched, relaxed_scored = _matching(relaxed_match, state, ranked=ranked)
        relaxed_total = _total(relaxed_matched, clean, state)
        if relaxed_total:
            match, matched, total, relaxed = relaxed_match, relaxed_matched, relaxed_total, True
            scored = relaxed_scored
    if page > max(1, -(-total // page_size)):
        raise _page_error()
    hits: list[Hit] = []
    counts: dict[str, dict[str, int]] = {}
    if total:
        offset = (page - 1) * page_size
        ids = (
            _best(scored, matched, clean, state, page_size, offset)
            if scored is not None
            else _page_ids(match, clean, sort, page_size, offset, state)
        )
        hits = _hits(ids, match, terms)
        if facets:
            counts = _facet_counts(None if match is None else matched, clean, state)
    return SearchResult(
        q=q,
        filters=clean,
        sort=sort,
        page=page,
        page_size=page_size,
        total=total,
        hits=hits,
        facets=_facets(counts, clean) if facets else [],
        relaxed=relaxed,
    )


@dataclass(frozen=True)
class ExportRow:
    entry: Entry
    facets: dict[str, list[str]]


def export(
    *, q: str = "", filters: Mapping[str, Sequence[str]] | None = None, sort: str = "relevance"
) -> Iterator[ExportRow]:
    """Every resource of a search, in its order, with its facet values (for CSV).

    The arguments are checked now (``ApplicationError`` as ``search``); rows come as iterated.
    """
    clean, sort = _clean(filters=filters, sort=sort, page=1, page_size=PAGE_SIZE)
    terms = parse_query(q)
    if sort == "relevance" and not terms:
        sort = "date"
    if q.strip() and not terms:
        return iter(())
    match = engine().match(terms, any_term=False) if terms else None
    return _export_rows(match, clean, sort)


def _export_rows(
    match: Match | None, filters: dict[str, list[str]], sort: str
) -> Iterator[ExportRow]:
    offset = 0
    while True:
        page = _page_ids(match, filters, sort, EXPORT_CHUNK, offset)
        ids = [resource_id for resource_id, _score in page]
        if not ids:
            return
        entries = Entry.objects.in_bulk(ids)
        values: dict[int, dict[str, list[str]]] = {resource_id: {} for resource_id in ids}
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            sql = (
                "SELECT f.entry_id, v.facet, v.value FROM library_search_facet f "  # noqa: S608  (placeholders only)
                "JOIN library_search_value v ON v.id = f.value_id "
                f"WHERE f.entry_id IN ({marks}) ORDER BY f.entry_id, v.facet, v.value"
            )
            cursor.execute(sql, ids)
            for entry_id, name, value in cursor.fetchall():
                values[entry_id].setdefault(name, []).append(value)
        for resource_id in ids:
            if resource_id in entries:
                yield ExportRow(entries[resource_id], values[resource_id])
        offset += EXPORT_CHUNK
