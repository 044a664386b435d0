"""Pages of the reference data: thin views that call one selector and render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from iite.reference import selectors

COUNTRIES_PER_PAGE = 300  # every country on one page; pagination stays for larger lists


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/index.html", {"vocabularies": selectors.vocabularies()})


@require_GET
def country_list(request: HttpRequest) -> HttpResponse:
    unesco_region = request.GET.get("unesco_region", "").strip()
    region = request.GET.get("region", "").strip()
    q = request.GET.get("q", "").strip()[:100]
    countries = selectors.countries(region=region, unesco_region=unesco_region, q=q)
    page = Paginator(countries, COUNTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "countries": page.object_list,
        "unesco_regions": selectors.unesco_regions(),
        "un_regions": selectors.un_regions(),
        "selected": {"unesco_region": unesco_region, "region": region, "q": q},
        "query": query.urlencode(),
    }
    return render(request, "reference/country_list.html", context)


@require_GET
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = selectors.country_by_code(code)
    if country is None:
        raise Http404
    return render(request, "reference/country_detail.html", {"country": country})


@require_GET
def region_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reference/region_list.html",
        {"unesco_regions": selectors.unesco_regions(), "un_regions": selectors.un_regions()},
    )


@require_GET
def language_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/language_list.html", {"languages": selectors.languages()})


@require_GET
def isced_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/isced_list.html", {"levels": selectors.isced_levels()})


@require_GET
def sdg_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/sdg_list.html", {"targets": selectors.sdg_targets()})


@require_GET
def institute(request: HttpRequest) -> HttpResponse:
    context = {
        "priorities": selectors.strategic_priorities_with_areas(),
        "areas": selectors.action_areas(),
    }
    return render(request, "reference/institute.html", context)


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/topic_list.html", {"topics": selectors.topics()})


@require_GET
def licence_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/licence_list.html", {"licences": selectors.licences()})


@require_GET
def vocabulary_detail(request: HttpRequest, code: str) -> HttpResponse:
    vocabulary = selectors.vocabulary_by_code(code)
    if vocabulary is None:
        raise Http404
    return render(request, "reference/vocabulary_detail.html", {"vocabulary": vocabulary})


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/framework_list.html", {"frameworks": selectors.frameworks()})


@require_GET
def framework_detail(request: HttpRequest, code: str, version: str) -> HttpResponse:
    matrix = selectors.framework_matrix(code=code, version=version)
    if matrix is None:
        raise Http404
    return render(
        request,
        "reference/framework_detail.html",
        {"matrix": matrix, "framework": matrix.framework},
    )
