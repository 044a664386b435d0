"""The library's search endpoint, mounted under /api/v1/library/. Public (``auth=None``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Router
from ninja.params.functions import Query

from iite.core.translation import data_key
from iite.library.search import query
from iite.library.search.schemas import FacetOut, FacetValueOut, HitOut, SearchOut
from iite.library.search.text import MAX_QUERY_LENGTH

router = Router(tags=["library"], auth=None)

INTERFACE = {"ar": "ar", "en": "en", "es": "es", "fr": "fr", "ru": "ru", "zh": "zh-hans"}
FACET_HELP = "Codes; repeat the parameter for several (any of them)."
# Filters: one Query object each, at module level (a list default must not be built per call).
KIND_FILTER = Query([], description="Resource kinds, e.g. publication. " + FACET_HELP)
LANGUAGE_FILTER = Query([], description="ISO 639-1 language codes. " + FACET_HELP)
COUNTRY_FILTER = Query([], description="ISO 3166 alpha-2 codes. " + FACET_HELP)
REGION_FILTER = Query([], description="Region codes (UNESCO, M49). " + FACET_HELP)
ISCED_FILTER = Query([], description="ISCED 2011 level codes. " + FACET_HELP)
TOPIC_FILTER = Query([], description="Topic codes. " + FACET_HELP)
AREA_FILTER = Query([], description="Action area codes. " + FACET_HELP)
COMPETENCY_FILTER = Query([], description="e.g. ict-cft-3.1.KA. " + FACET_HELP)
LICENCE_FILTER = Query([], description="SPDX licence ids. " + FACET_HELP)
YEAR_FILTER = Query([], description="Years of publication. " + FACET_HELP)
ACCESSIBILITY_FILTER = Query([], description="schema.org accessibilityFeature values.")


@router.get("/search", response=SearchOut, auth=None, summary="Search the library, with facets")
def search(
    request: HttpRequest,
    q: str = Query("", max_length=MAX_QUERY_LENGTH, description='Words, or a "phrase".'),
    sort: str = Query("relevance", description="relevance, date (newest first) or title."),
    page: int = Query(1, description="Page number, from 1."),
    page_size: int = Query(query.PAGE_SIZE, description="Results per page, 1 to 100."),
    kind: list[str] = KIND_FILTER,
    language: list[str] = LANGUAGE_FILTER,
    country: list[str] = COUNTRY_FILTER,
    region: list[str] = REGION_FILTER,
    isced: list[str] = ISCED_FILTER,
    topic: list[str] = TOPIC_FILTER,
    area: list[str] = AREA_FILTER,
    competency: list[str] = COMPETENCY_FILTER,
    licence: list[str] = LICENCE_FILTER,
    year: list[str] = YEAR_FILTER,
    accessibility: list[str] = ACCESSIBILITY_FILTER,
    lang: str | None = Query(None, description="Language of labels: ar, en, es, fr, ru or zh."),
) -> SearchOut:
    """Published resources matching the words and filters, a page of them with highlighted
    excerpts (HTML, escaped, matches in ``<mark>``), and the count of every facet value.

    Unknown facet values, a page out of range or a bad sort answer 400 with the one error shape.
    """
    filters = {
        "kind": kind,
        "language": language,
        "country": country,
        "region": region,
        "isced": isced,
        "topic": topic,
        "area": area,
        "competency": competency,
        "licence": licence,
        "year": year,
        "accessibility": accessibility,
    }
    chosen = {name: values for name, values in filters.items() if values}
    active = INTERFACE.get(data_key(lang or ""), translation.get_language() or "en")
    with translation.override(active):
        result = query.search(q=q, filters=chosen, sort=sort, page=page, page_size=page_size)
        return SearchOut(
            count=result.total,
            page=result.page,
            page_size=result.page_size,
            pages=result.pages,
            sort=result.sort,
            relaxed=result.relaxed,
            items=[
                HitOut(
                    uuid=hit.uuid,
                    url=reverse("library:resource", kwargs={"uuid": hit.uuid}),
                    title=hit.title,
                    title_html=str(hit.title_html),
                    excerpt_html=str(hit.excerpt_html),
                    kind=hit.kind,
                    language=hit.language,
                    creators=hit.creators,
                    publisher=hit.publisher,
                    issued=hit.issued,
                    licence=hit.licence,
                    score=hit.score,
                )
                for hit in result.hits
            ],
            facets=[
                FacetOut(
                    name=facet.name,
                    label=facet.label,
                    values=[
                        FacetValueOut(
                            value=value.value,
                            label=value.label,
                            count=value.count,
                            selected=value.selected,
                        )
                        for value in facet.values
                    ],
                )
                for facet in result.facets
            ],
        )
