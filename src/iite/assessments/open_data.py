"""Anonymised open data: mean scores per instrument version, country and target, for research.

A respondent's country is the campaign's country, else the campaign organisation's country, else
(self-assessments and cohorts) the country on the respondent's profile; responses with none are
left out. A signed-in person counts once per instrument version, with their latest result. No
figure computed from fewer than ``MIN_GROUP`` respondents is published: such rows are left out and
counted in ``withheld_rows``. The same rows feed the API (``/api/v1/assessments/open-data``) and
the CSV download (``/<lang>/assessments/open-data.csv``); columns are in ``docs/open-data.md``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, FloatField, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from iite.assessments.models import Instrument, Response, Result
from iite.assessments.selectors import MIN_GROUP, definition_of

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "IITE Platform, anonymised self-assessment figures"
COLUMNS = ("instrument", "version", "country", "target", "respondents", "mean_score")
CSV_FILENAME = "iite-assessments-open-data.csv"


@dataclass(frozen=True)
class Row:
    instrument: str
    version: int
    country: str  # ISO 3166-1 alpha-3
    target: str
    respondents: int
    mean_score: float


@dataclass(frozen=True)
class OpenData:
    rows: tuple[Row, ...]
    withheld_rows: int

    @property
    def note(self) -> str:
        return _(
            "Rows with fewer than %(min)d respondents are left out (%(count)d rows); "
            "scores are from 0 to 1."
        ) % {"min": MIN_GROUP, "count": self.withheld_rows}


def _placed(results: QuerySet[Result]) -> Any:  # a queryset annotated with ``place``
    return results.annotate(
        place=Coalesce(
            F("response__campaign__country__alpha3"),
            F("response__campaign__organisation__country__alpha3"),
            F("response__respondent__country__alpha3"),
        )
    ).filter(place__isnull=False)


def _anonymous_sums(
    results: QuerySet[Result], totals: dict[tuple[str, int, str, str], list[float]]
) -> None:
    """Add the anonymous responses' counts and sums per country and target, summed in SQL.

    Each anonymous response is its own respondent, so the database can add them up: one grouped
    query per instrument version, reading the results' JSON.
    """
    anonymous = results.filter(response__respondent__isnull=True)
    versions = Instrument.objects.filter(
        pk__in=anonymous.values("response__instrument_id").distinct()
    )
    for version in versions:
        targets = list(definition_of(version).targets)
        aggregates: dict[str, Any] = {}
        for number, target in enumerate(targets):
            value = Cast(KT(f"scores__{target}"), FloatField())
            aggregates[f"n{number}"] = Count(value)
            aggregates[f"s{number}"] = Sum(value)
        rows = (
            _placed(anonymous.filter(response__instrument=version))
            .values("place")
            .annotate(**aggregates)
            .order_by("place")
        )
        for row in rows:
            for number, target in enumerate(targets):
                if row[f"n{number}"]:
                    total = totals[(version.code, version.version, row["place"], target)]
                    total[0] += row[f"n{number}"]
                    total[1] += float(row[f"s{number}"])


def open_data(*, instrument: str | None = None) -> OpenData:
    """The published rows, sorted by instrument, version, country and target."""
    results = Result.objects.filter(response__status=Response.Status.SUBMITTED)
    if instrument:
        results = results.filter(response__instrument__code=instrument)
    totals: dict[tuple[str, int, str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    _anonymous_sums(results, totals)
    # Signed-in people count once per instrument version, with their latest result.
    rows = (
        _placed(results.filter(response__respondent__isnull=False))
        .order_by("response__instrument_id", "-response__submitted_at", "-pk")
        .values_list(
            "response__instrument__code",
            "response__instrument__version",
            "place",
            "response__respondent_id",
            "scores",
        )
    )
    seen: set[tuple[str, int, int]] = set()
    for code, version, place, respondent_id, scores in rows.iterator(chunk_size=2000):
        if respondent_id is not None:
            person = (code, version, respondent_id)
            if person in seen:
                continue  # an earlier round of the same person
            seen.add(person)
        for target, value in scores.items():
            if value is None:
                continue
            total = totals[(code, version, place, target)]
            total[0] += 1
            total[1] += float(value)
    published = []
    withheld = 0
    for (code, version, place, target), (count, summed) in sorted(totals.items()):
        if count < MIN_GROUP:
            withheld += 1
            continue
        published.append(Row(code, version, place, target, int(count), round(summed / count, 4)))
    return OpenData(rows=tuple(published), withheld_rows=withheld)


@require_GET
def open_data_csv(request: HttpRequest) -> HttpResponse:
    """The open data as a CSV file (UTF-8, a header row, no comment lines; licence CC BY 4.0)."""
    data = open_data(instrument=request.GET.get("instrument") or None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{CSV_FILENAME}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in data.rows:
        writer.writerow(
            [row.instrument, row.version, row.country, row.target, row.respondents, row.mean_score]
        )
    return response
