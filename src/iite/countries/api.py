"""The countries API, mounted at /api/v1/countries/: the same data as the pages.

Public operations (``auth=None``); policy rounds other than published ones are listed only to
those who may see them (the country's focal points, staff for shared rounds).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Query

from iite.accounts.api_auth import SessionAuth, TokenAuth
from iite.accounts.models import User
from iite.core.errors import ApplicationError, NotFound
from iite.countries import selectors
from iite.countries.schemas import (
    ComparisonOut,
    CountryEntryOut,
    MapOut,
    PolicyRoundOut,
    ProfileOut,
    ReleaseOut,
    SeriesOut,
)
from iite.reference.models import Country

router = Router(tags=["countries"], auth=None)
PEERS = Query([], description="Up to five ISO codes of peer countries.")
ATTRIBUTION = (
    "UN SDG Global Database (UNSD), source UNESCO Institute for Statistics; UIS SDG 4 bulk data "
    "(CC BY-SA 3.0 IGO)."
)


def _caller(request: HttpRequest) -> User | None:
    if request.headers.get("Authorization"):
        user = TokenAuth()(request)
        return user if isinstance(user, User) else None
    if getattr(request.user, "is_authenticated", False):
        found = SessionAuth()(request)
        return found if isinstance(found, User) else None
    return None


def _country(code: str) -> Country:
    country = selectors.country_by_code(code)
    if country is None:
        raise NotFound(_("There is no country with the code “%(code)s”.") % {"code": code})
    return country


def _series(series: Any) -> dict[str, Any]:
    return {
        "code": series.code,
        "indicator": series.indicator.code,
        "name": series.name,
        "dimensions": list(series.dimensions),
    }


@router.get("/", response=list[CountryEntryOut], summary="Countries and how many values each has")
def country_list(request: HttpRequest, q: str = Query("", max_length=100)) -> Any:
    return [
        {"alpha3": e.country.alpha3, "name": e.country.name, "observations": e.observations}
        for e in selectors.countries_with_counts(q)
    ]


@router.get("/series", response=list[SeriesOut], summary="The indicator series")
def series_list(request: HttpRequest) -> Any:
    return [_series(series) for series in selectors.series_all()]


@router.get("/releases", response=list[ReleaseOut], summary="Indicator imports, newest first")
def release_list(request: HttpRequest) -> Any:
    return [
        {
            "id": r.pk,
            "source": r.source,
            "label": r.label,
            "file_name": r.file_name,
            "status": r.status,
            "rows_read": r.rows_read,
            "added": r.added,
            "changed": r.changed,
            "unchanged": r.unchanged,
            "duplicates": r.duplicates,
            "rejected": r.rejected,
            "skipped": r.skipped,
            "created_at": r.created_at.isoformat(),
        }
        for r in selectors.releases()[:100]
    ]


@router.get("/map", response=MapOut, summary="Latest value of a series for every country")
def world_map(
    request: HttpRequest,
    series: str = Query("SE_ACS_INTNT", description="Series code, e.g. SE_ACS_INTNT."),
    breakdown: str = Query("", description="level:sex:skill, e.g. PRIMAR:: (default: total)."),
) -> Any:
    found = selectors.series_by_code(series)
    if found is None:
        raise NotFound(_("There is no series “%(code)s”.") % {"code": series})
    view = selectors.world_map(series=found, key=breakdown)
    if view is None:
        return {"series": found.code, "breakdown": breakdown, "label": "", "rows": []}
    return {
        "series": found.code,
        "breakdown": view.key,
        "label": view.label,
        "rows": [
            {
                "alpha3": row.country.alpha3,
                "m49": row.country.m49,
                "name": row.country.name,
                "year": row.year,
                "value": row.value,
                "notes": row.flags,
            }
            for row in view.rows
        ],
    }


@router.get("/{code}", response=ProfileOut, summary="A country's indicator values")
def country_profile(request: HttpRequest, code: str) -> Any:
    country = _country(code)
    profile = selectors.country_profile(country)
    return {
        "alpha3": country.alpha3,
        "name": country.name,
        "unesco_region": country.unesco_region.code if country.unesco_region else None,
        "income_group": country.income_group,
        "attribution": ATTRIBUTION,
        "series": [
            {
                "series": _series(block.series),
                "breakdowns": [
                    {
                        "key": b.key,
                        "level": b.level,
                        "sex": b.sex,
                        "skill": b.skill,
                        "label": b.label,
                        "points": [p.__dict__ for p in b.points],
                    }
                    for b in block.breakdowns
                ],
            }
            for block in profile.blocks
        ],
    }


@router.get("/{code}/compare", response=ComparisonOut, summary="Compare with region and peers")
def country_compare(
    request: HttpRequest,
    code: str,
    series: str = Query(..., description="Series code."),
    breakdown: str = Query("", description="level:sex:skill; default: the first with data."),
    peers: list[str] = PEERS,
) -> Any:
    country = _country(code)
    found = selectors.series_by_code(series)
    if found is None:
        raise NotFound(_("There is no series “%(code)s”.") % {"code": series})
    chosen, unknown = selectors.peers_from_codes(peers, exclude=country)
    if unknown or len(peers) > selectors.MAX_PEERS:
        raise ApplicationError(
            _("Give at most five known country codes as peers."),
            code="validation",
            details=[{"field": "peers", "message": ", ".join(unknown)}],
        )
    key = breakdown or next(iter(k for k, _l in selectors.series_breakdowns(found)), "::")
    comparison = selectors.comparison(country=country, series=found, key=key, peers=chosen)
    if comparison is None:
        raise ApplicationError(
            _("The breakdown must be level:sex:skill with known codes."),
            code="validation",
            details=[{"field": "breakdown", "message": breakdown}],
        )
    return {
        "series": found.code,
        "breakdown": comparison.key,
        "label": comparison.label,
        "lines": [
            {
                "label": line.label,
                "kind": line.kind,
                "points": line.points,
                "countries_in_mean": line.counts,
            }
            for line in comparison.lines
        ],
    }


@router.get("/{code}/policy", response=list[PolicyRoundOut], summary="Policy self-assessment")
def country_policy(request: HttpRequest, code: str) -> Any:
    country = _country(code)
    user = _caller(request)
    rounds = selectors.rounds_visible_to(user, country)
    out = []
    for round in rounds:
        view = selectors.round_view(round, user=user, recommend=False)
        out.append(
            {
                "id": round.pk,
                "visibility": round.visibility,
                "submitted": view.submitted,
                "published_at": round.published_at.isoformat() if round.published_at else None,
                "themes": [
                    {
                        "code": t.code,
                        "name": t.name,
                        "level": view.levels[t.level_index][0]
                        if t.level_index is not None
                        else None,
                        "target": t.target or None,
                        "gap": t.gap,
                    }
                    for t in view.themes
                ],
            }
        )
    return out
