"""Anonymised open data: mean scores per instrument version, country and target, for research.

A response's country is the campaign's country, else the campaign organisation's country, else
(self-assessments and cohorts) the country on the respondent's profile when they submitted;
responses with none are left out. A signed-in person counts once per instrument version, with
their latest result. No figure computed from fewer than ``MIN_GROUP`` respondents is published:
such rows are left out and counted in ``withheld_rows``. The same rows feed the API
(``/api/v1/assessments/open-data``) and the CSV download (``/<lang>/assessments/open-data.csv``);
columns are in ``docs/open-data.md``. A school's own questions are not in open data: they belong
to one campaign, not to the instrument version, so they cannot be compared across schools.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from iite.assessments.models import Instrument, TargetScore
from iite.assessments.summaries import MIN_GROUP
from iite.reference.models import Country

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


def open_data(*, instrument: str | None = None) -> OpenData:
    """The published rows, sorted by instrument, version, country and target.

    One grouped query over the narrow ``TargetScore`` table: only rows that count (a signed-in
    person's latest round of each instrument version) and that have a country.
    """
    versions = {
        pk: (code, version)
        for pk, code, version in Instrument.objects.filter(
            **({"code": instrument} if instrument else {})
        ).values_list("pk", "code", "version")
    }
    scores = TargetScore.objects.filter(
        instrument_id__in=list(versions), counted=True, country__isnull=False
    )
    rows = (
        scores.values("instrument_id", "country_id", "target")
        .annotate(n=Count("*"), total=Sum("score"))
        .values_list("instrument_id", "country_id", "target", "n", "total")
        .order_by()
    )
    places = dict(Country.objects.values_list("pk", "alpha3"))
    published = []
    withheld = 0
    for instrument_id, country_id, target, count, summed in rows:
        if count < MIN_GROUP:
            withheld += 1
            continue
        code, version = versions[instrument_id]
        row = Row(code, version, places[country_id], target, count, round(summed / count, 4))
        published.append(row)
    published.sort(key=lambda row: (row.instrument, row.version, row.country, row.target))
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
