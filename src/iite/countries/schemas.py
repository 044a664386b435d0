"""Schemas of the countries API (output only: the API reads; imports run from the staff page
and the console command)."""

from __future__ import annotations

from ninja import Schema


class CountryEntryOut(Schema):
    alpha3: str
    name: str
    observations: int


class SeriesOut(Schema):
    code: str
    indicator: str
    name: str
    dimensions: list[str]


class PointOut(Schema):
    year: int
    value: float | None
    magnitude: str
    qualifier: str


class BreakdownOut(Schema):
    key: str
    level: str
    sex: str
    skill: str
    label: str
    points: list[PointOut]


class SeriesBlockOut(Schema):
    series: SeriesOut
    breakdowns: list[BreakdownOut]


class ProfileOut(Schema):
    alpha3: str
    name: str
    unesco_region: str | None
    income_group: str
    series: list[SeriesBlockOut]
    attribution: str


class ComparisonLineOut(Schema):
    label: str
    kind: str
    points: dict[int, float | None]
    countries_in_mean: dict[int, int]


class ComparisonOut(Schema):
    series: str
    breakdown: str
    label: str
    lines: list[ComparisonLineOut]


class MapRowOut(Schema):
    alpha3: str
    m49: str
    name: str
    year: int
    value: float | None
    notes: str


class MapOut(Schema):
    series: str
    breakdown: str
    label: str
    rows: list[MapRowOut]


class ReleaseOut(Schema):
    id: int
    source: str
    label: str
    file_name: str
    status: str
    rows_read: int
    added: int
    changed: int
    unchanged: int
    duplicates: int
    rejected: int
    skipped: dict[str, int]
    created_at: str


class ThemeOut(Schema):
    code: str
    name: str
    level: str | None
    target: str | None
    gap: int | None


class PolicyRoundOut(Schema):
    id: int
    visibility: str
    submitted: bool
    published_at: str | None
    themes: list[ThemeOut]
