"""The search page and the CSV export of a search: parse the query string, call ``search``."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from iite.core.errors import ApplicationError
from iite.library.search import query
from iite.library.search.facets import FACETS
from iite.library.search.text import MAX_QUERY_LENGTH

FACETS_SHOWN = 8  # the rest of a facet's values sit behind "More"
FACETS_LISTED = 40  # the most frequent values a page lists (the API lists all), plus chosen ones
CSV_COLUMNS = (
    "uuid",
    "url",
    "title",
    "kind",
    "language",
    "issued",
    "creators",
    "publisher",
    "licence",
    "doi",
    "isbn",
    "web_address",
    *[name for name in FACETS if name not in ("kind", "language", "licence", "year")],
)


class SearchParams:
    """A search as the query string states it."""

    def __init__(self, data: QueryDict) -> None:
        self.q = data.get("q", "")[:MAX_QUERY_LENGTH]
        self.sort = data.get("sort", "relevance") or "relevance"
        self.filters = {name: data.getlist(name) for name in FACETS if data.getlist(name)}
        raw_page = data.get("page", "1") or "1"
        self.page = int(raw_page) if raw_page.isdigit() and len(raw_page) < 10 else 0

    def query_string(self, *, without: tuple[str, str] | None = None, **changes: Any) -> str:
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for name, values in self.filters.items():
            pairs += [(name, value) for value in values if (name, value) != without]
        sort = changes.get("sort", self.sort)
        if sort != "relevance":
            pairs.append(("sort", sort))
        if changes.get("page", 1) != 1:
            pairs.append(("page", str(changes["page"])))
        return urlencode(pairs)


def _pages(result: query.SearchResult, params: SearchParams) -> dict[str, str]:
    links = {}
    if result.page > 1:
        links["previous"] = "?" + params.query_string(page=result.page - 1)
    if result.page < result.pages:
        links["next"] = "?" + params.query_string(page=result.page + 1)
    return links


def _facet_items(name: str, values: list[query.FacetValue], prefix: str) -> list[SafeString]:
    """Each value's checkbox and label as HTML, escaped by ``format_html``: a page lists up to
    440 values, and formatting them here costs a tenth of the same markup in template tags."""
    return [
        format_html(
            '<li><input type="checkbox" form="library-search" id="facet-{name}-{prefix}{number}" '
            'name="{name}" value="{value}"{checked}>\n'
            '<label for="facet-{name}-{prefix}{number}">{label} '
            '<span class="facet-count">({count})</span></label></li>',
            name=name,
            prefix=prefix,
            number=number,
            value=value.value,
            checked=mark_safe(" checked") if value.selected else "",
            label=value.label,
            count=localize(value.count),
        )
        for number, value in enumerate(values, start=1)
    ]


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    params = SearchParams(request.GET)
    try:
        result = query.search(
            q=params.q, filters=params.filters, sort=params.sort, page=params.page
        )
    except ApplicationError as error:
        context = {"params": params, "error": error, "sorts": _sorts()}
        return render(request, "library/search/search.html", context, status=error.status)
    chosen = []
    languages: dict[str, str] = {}
    for facet in result.facets:
        if facet.name == "language":
            languages = {value.value: value.label for value in facet.values}
        for value in facet.values:
            if value.selected:
                link = "?" + params.query_string(without=(facet.name, value.value))
                chosen.append({"facet": facet.label, "label": value.label, "remove": link})
    facets = []
    for facet in result.facets:
        listed = [
            value
            for number, value in enumerate(facet.values)
            if number < FACETS_LISTED or value.selected
        ]
        if listed:
            more = listed[FACETS_SHOWN:]
            facets.append(
                {
                    "facet": facet,
                    "shown": _facet_items(facet.name, listed[:FACETS_SHOWN], ""),
                    "more": _facet_items(facet.name, more, "more-"),
                    "more_count": len(more),
                    "more_selected": any(value.selected for value in more),
                }
            )
    context = {
        "params": params,
        "result": result,
        "hits": [
            {"hit": hit, "language": languages.get(hit.language, hit.language)}
            for hit in result.hits
        ],
        "facets": facets,
        "chosen": chosen,
        "pages": _pages(result, params),
        "csv_query": params.query_string(),
        "sorts": _sorts(),
        "first": (result.page - 1) * result.page_size + 1,
        "last": (result.page - 1) * result.page_size + len(result.hits),
    }
    return render(request, "library/search/search.html", context)


def _sorts() -> list[tuple[str, str]]:
    return [("relevance", _("Relevance")), ("date", _("Newest first")), ("title", _("Title"))]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def search_csv(request: HttpRequest) -> HttpResponseBase:
    params = SearchParams(request.GET)
    try:
        rows = query.export(q=params.q, filters=params.filters, sort=params.sort)
    except ApplicationError as error:
        context = {"params": params, "error": error, "sorts": _sorts()}
        return render(request, "library/search/search.html", context, status=error.status)
    base = request.build_absolute_uri("/")[:-1]

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for row in rows:
            entry = row.entry
            link = base + reverse("library:resource", kwargs={"uuid": entry.uuid})
            cells = [
                entry.uuid,
                link,
                entry.title,
                entry.kind,
                entry.language,
                entry.issued.isoformat() if entry.issued else "",
                entry.creators,
                entry.publisher,
                entry.licence,
                entry.doi,
                entry.isbn,
                entry.url,
                *["; ".join(row.facets.get(name, [])) for name in CSV_COLUMNS[12:]],
            ]
            yield writer.writerow([_cell(cell) for cell in cells])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="library-search.csv"'
    return response
