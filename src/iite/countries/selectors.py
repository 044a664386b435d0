"""Reads of the countries app, one function per use case, each doing its own joins.

A profile needs a fixed number of queries whatever the number of series and years (the
benchmark in ``bench/country_profile.py`` counts them).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from iite.core.translation import pick
from iite.countries import charts
from iite.countries.formats import DIMENSION_VALUES, MAGNITUDES, QUALIFIERS
from iite.countries.models import (
    Evidence,
    IndicatorSeries,
    Observation,
    ObservationChange,
    PolicyRound,
    Rejection,
    Release,
)
from iite.reference import selectors as reference_selectors
from iite.reference.models import Country

MAX_PEERS = 5
DIMENSIONS = ("level", "sex", "skill")


# --- Breakdowns (a disaggregation: level, sex and type of skill) ---------------------------------
def breakdown_key(level: str, sex: str, skill: str) -> str:
    return f"{level}:{sex}:{skill}"


def breakdown_parts(key: str) -> tuple[str, str, str] | None:
    parts = key.split(":")
    if len(parts) != 3:
        return None
    level, sex, skill = (part.strip().upper() for part in parts)
    for dimension, value in zip(DIMENSIONS, (level, sex, skill), strict=True):
        if value and value not in DIMENSION_VALUES[dimension]:
            return None
    return level, sex, skill


def breakdown_label(level: str, sex: str, skill: str) -> str:
    parts = [
        str(DIMENSION_VALUES[dimension][value])
        for dimension, value in zip(DIMENSIONS, (level, sex, skill), strict=True)
        if value
    ]
    return ", ".join(parts) or _("Total")


TENTH = Decimal("0.1")


def number_text(value: float | None) -> str:
    """A percentage with one decimal in the active language, as ``floatformat:1`` writes it
    (half up, the language's decimal separator), or a dash; done here because a profile shows a
    few hundred of them and the template filter is slow."""
    if value is None:
        return "\u2013"  # en dash
    text = str(Decimal(repr(value)).quantize(TENTH, rounding=ROUND_HALF_UP))
    if text == "-0.0":
        text = "0.0"
    return text.replace(".", str(get_format("DECIMAL_SEPARATOR")))


def flags_label(magnitude: str, qualifier: str) -> str:
    """The MAGNITUDE and QUALIFIER of a value, in words."""
    words = [str(MAGNITUDES[magnitude]) for magnitude in [magnitude] if magnitude in MAGNITUDES]
    words += [str(QUALIFIERS[qualifier]) for qualifier in [qualifier] if qualifier in QUALIFIERS]
    return "; ".join(words)


# --- Series and releases -------------------------------------------------------------------------
def series_all() -> QuerySet[IndicatorSeries]:
    return IndicatorSeries.objects.select_related("indicator").order_by("order", "code")


def series_by_code(code: str) -> IndicatorSeries | None:
    return series_all().filter(code=code).first()


def releases() -> QuerySet[Release]:
    return Release.objects.select_related("created_by").order_by("-created_at", "-pk")


def releases_applied() -> QuerySet[Release]:
    """Releases that changed something, newest first (the ones a profile can compare)."""
    return releases().filter(status=Release.Status.DONE)


def release_by_id(release_id: int) -> Release | None:
    return releases().filter(pk=release_id).first()


def rejections_of(release: Release, limit: int = 1000) -> list[Rejection]:
    return list(release.rejections.order_by("line", "pk")[:limit])


# --- Country lists -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountryEntry:
    country: Country
    observations: int


def countries_with_counts(q: str = "") -> list[CountryEntry]:
    """Every country (matching ``q``), with how many observations it has. Two queries."""
    counts = dict(
        Observation.objects.values("country_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("country_id", "n")
    )
    return [
        CountryEntry(country, counts.get(country.pk, 0))
        for country in reference_selectors.countries(q=q or None)
    ]


def country_codes() -> list[tuple[str, str]]:
    """Every country's alpha-3 code and name in the active language, by code (for a datalist).
    One query, no model instances."""
    return [
        (alpha3, pick(names))
        for alpha3, names in Country.objects.order_by("alpha3").values_list("alpha3", "names")
    ]


def country_by_code(code: str) -> Country | None:
    return reference_selectors.country_by_code(code)


# --- The profile ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Point:
    year: int
    value: float | None
    magnitude: str
    qualifier: str

    @property
    def flags(self) -> str:
        return flags_label(self.magnitude, self.qualifier)

    @property
    def text(self) -> str:
        return number_text(self.value)


@dataclass
class Breakdown:
    """One disaggregation of a series for one country: its points by year."""

    key: str
    level: str
    sex: str
    skill: str
    label: str
    points: list[Point] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass
class SeriesBlock:
    """A series on a country profile: its breakdowns, chart and years."""

    series: IndicatorSeries
    breakdowns: list[Breakdown]
    chart: charts.LineChart | None
    years: list[int]

    @property
    def charted(self) -> list[Breakdown]:
        return [b for b in self.breakdowns if b.sex in {"", "BOTHSEX"}]


@dataclass
class Profile:
    country: Country
    blocks: list[SeriesBlock]
    last_release_id: int | None

    @property
    def last_release(self) -> Release | None:
        """The newest release that added or changed one of the country's values (one query)."""
        if not self.last_release_id:
            return None
        return Release.objects.filter(pk=self.last_release_id).first()

    @property
    def observation_count(self) -> int:
        return sum(len(b.points) for block in self.blocks for b in block.breakdowns)


def _order_key(level: str, sex: str, skill: str) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        list(DIMENSION_VALUES[dimension]).index(value) if value else -1
        for dimension, value in zip(DIMENSIONS, (level, sex, skill), strict=True)
    )


def country_profile(country: Country) -> Profile:
    """Every series with data for the country, by breakdown and year. Two queries."""
    series = {item.pk: item for item in series_all()}
    rows = (
        Observation.objects.filter(country=country)
        .order_by()
        .values_list(
            "series_id",
            "level",
            "sex",
            "skill",
            "year",
            "value",
            "magnitude",
            "qualifier",
            "release_id",
        )
    )
    grouped: dict[int, dict[tuple[str, str, str], list[Point]]] = defaultdict(dict)
    last_release_id = 0
    for series_id, level, sex, skill, year, value, magnitude, qualifier, release_id in rows:
        grouped[series_id].setdefault((level, sex, skill), []).append(
            Point(year, value, magnitude, qualifier)
        )
        last_release_id = max(last_release_id, release_id)
    blocks = []
    for series_id, item in series.items():
        by_key = grouped.get(series_id)
        if not by_key:
            continue
        breakdowns = []
        for level, sex, skill in sorted(by_key, key=lambda key: _order_key(*key)):
            points = sorted(by_key[(level, sex, skill)], key=lambda point: point.year)
            breakdowns.append(
                Breakdown(
                    breakdown_key(level, sex, skill),
                    level,
                    sex,
                    skill,
                    breakdown_label(level, sex, skill),
                    points,
                )
            )
        years = sorted({point.year for b in breakdowns for point in b.points})
        charted = [b for b in breakdowns if b.sex in {"", "BOTHSEX"}] or breakdowns
        chart = charts.line_chart(
            [
                (b.label, [(p.year, p.value) for p in b.points])
                for b in charted[: len(charts.PALETTE)]
            ]
        )
        blocks.append(SeriesBlock(item, breakdowns, chart, years))
    return Profile(country=country, blocks=blocks, last_release_id=last_release_id or None)


# --- Comparison ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComparisonLine:
    label: str
    kind: str  # country | region | income | peer
    points: dict[int, float | None]
    counts: dict[int, int]  # for group means: how many countries had a value


@dataclass(frozen=True)
class Comparison:
    series: IndicatorSeries
    key: str
    label: str
    years: list[int]
    lines: list[ComparisonLine]
    chart: charts.LineChart | None
    peers: list[Country]

    @property
    def table(self) -> list[tuple[int, list[str]]]:
        """The data table: per year, each line's value as text (a dash for a value held as
        missing, nothing where the line has no row for that year)."""
        return [
            (
                year,
                [
                    number_text(line.points[year]) if year in line.points else ""
                    for line in self.lines
                ],
            )
            for year in self.years
        ]


def peers_from_codes(codes: Iterable[str], *, exclude: Country) -> tuple[list[Country], list[str]]:
    """Up to five distinct peer countries from alpha-2/alpha-3 codes, and the codes not known."""
    wanted = [code.strip().upper() for code in codes if code and code.strip()]
    wanted = list(dict.fromkeys(wanted))
    found = {
        c.alpha3: c for c in Country.objects.filter(Q(alpha3__in=wanted) | Q(alpha2__in=wanted))
    }
    by_alpha2 = {c.alpha2: c for c in found.values()}
    peers: list[Country] = []
    unknown: list[str] = []
    for code in wanted:
        country = found.get(code) or by_alpha2.get(code)
        if country is None:
            unknown.append(code)
        elif country.pk != exclude.pk and country not in peers:
            peers.append(country)
    return peers[:MAX_PEERS], unknown


def _means(values: dict[int, list[float]]) -> tuple[dict[int, float | None], dict[int, int]]:
    """Per year, the unweighted mean of the values (two decimals) and how many there were."""
    means: dict[int, float | None] = {
        year: round(math.fsum(found) / len(found), 2) for year, found in sorted(values.items())
    }
    return means, {year: len(found) for year, found in values.items()}


def comparison(
    *, country: Country, series: IndicatorSeries, key: str, peers: Sequence[Country]
) -> Comparison | None:
    """The country's values beside its UNESCO region's and income group's unweighted means (of
    the countries with a value that year) and up to five peers'. One query: the breakdown's rows
    for the countries shown and for every country of the region or income group, averaged here
    (a region holds a few dozen countries, so a few hundred rows at most)."""
    parts = breakdown_parts(key)
    if parts is None:
        return None
    level, sex, skill = parts
    shown = [country, *peers[:MAX_PEERS]]
    region = country.unesco_region if country.unesco_region_id else None
    wanted = Q(country__in=shown)
    if region is not None:
        wanted |= Q(country__unesco_region_id=region.pk)
    if country.income_group:
        wanted |= Q(country__income_group=country.income_group)
    rows = (
        Observation.objects.filter(wanted, series=series, level=level, sex=sex, skill=skill)
        .order_by()
        .values_list(
            "country_id", "year", "value", "country__unesco_region_id", "country__income_group"
        )
    )
    shown_ids = {item.pk for item in shown}
    by_country: dict[int, dict[int, float | None]] = defaultdict(dict)
    in_region: dict[int, list[float]] = defaultdict(list)
    in_group: dict[int, list[float]] = defaultdict(list)
    for country_id, year, value, region_id, income_group in rows:
        if country_id in shown_ids:
            by_country[country_id][year] = value
        if value is None:
            continue
        if region is not None and region_id == region.pk:
            in_region[year].append(value)
        if country.income_group and income_group == country.income_group:
            in_group[year].append(value)
    lines: list[ComparisonLine] = []
    lines.append(ComparisonLine(country.name, "country", by_country.get(country.pk, {}), {}))
    if region is not None:
        means, counts = _means(in_region)
        label = _("%(region)s (mean of countries with data)") % {"region": region.name}
        lines.append(ComparisonLine(label, "region", means, counts))
    if country.income_group:
        means, counts = _means(in_group)
        label = _("%(group)s (mean of countries with data)") % {
            "group": country.get_income_group_display()
        }
        lines.append(ComparisonLine(label, "income", means, counts))
    for peer in peers[:MAX_PEERS]:
        lines.append(ComparisonLine(peer.name, "peer", by_country.get(peer.pk, {}), {}))
    years = sorted({year for line in lines for year in line.points})
    chart = charts.line_chart([(line.label, list(line.points.items())) for line in lines])
    return Comparison(
        series=series,
        key=key,
        label=breakdown_label(level, sex, skill),
        years=years,
        lines=lines,
        chart=chart,
        peers=list(peers[:MAX_PEERS]),
    )


# --- World map -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class MapRow:
    country: Country
    year: int
    value: float | None
    flags: str


@dataclass(frozen=True)
class MapView:
    series: IndicatorSeries
    key: str
    label: str
    rows: list[MapRow]
    drawing: charts.WorldMap
    breakdowns: list[tuple[str, str]]


def series_breakdowns(series: IndicatorSeries) -> list[tuple[str, str]]:
    """The breakdowns a series has data for: ``(key, label)``, in order. One query."""
    keys = (
        Observation.objects.filter(series=series)
        .order_by()
        .values_list("level", "sex", "skill")
        .distinct()
    )
    ordered = sorted(set(keys), key=lambda key: _order_key(*key))
    return [(breakdown_key(*key), breakdown_label(*key)) for key in ordered]


def world_map(*, series: IndicatorSeries, key: str = "") -> MapView | None:
    """The latest value of a series breakdown for every country, and the map coloured by it."""
    breakdowns = series_breakdowns(series)
    if not breakdowns:
        return None
    if key not in {k for k, _label in breakdowns}:
        preferred = [k for k, _label in breakdowns if ":BOTHSEX:" in k or k.endswith("::")]
        key = (preferred or [breakdowns[0][0]])[0]
    parts = breakdown_parts(key)
    assert parts is not None  # noqa: S101  (keys come from breakdown_key)
    level, sex, skill = parts
    latest: dict[int, Observation] = {}
    observations = (
        Observation.objects.filter(series=series, level=level, sex=sex, skill=skill)
        .select_related("country")
        .order_by("country_id", "year")
    )
    for observation in observations:
        latest[observation.country_id] = observation  # the last year wins
    rows = sorted(
        (
            MapRow(o.country, o.year, o.value, flags_label(o.magnitude, o.qualifier))
            for o in latest.values()
        ),
        key=lambda row: row.country.name,
    )
    values = {row.country.m49: (row.country.name, row.value) for row in rows}
    drawing = charts.world_map(values, _("no data"))
    return MapView(series, key, breakdown_label(level, sex, skill), rows, drawing, breakdowns)


# --- What changed between releases ----------------------------------------------------------------
@dataclass(frozen=True)
class ChangeRow:
    series: IndicatorSeries
    label: str
    year: int
    kind: str
    old: float | None
    new: float | None
    release: Release


def changes_for(
    *, country: Country, since: Release | None, until: Release | None = None
) -> list[ChangeRow]:
    """What releases after ``since`` (up to ``until``) added or changed for the country."""
    queryset = ObservationChange.objects.filter(observation__country=country)
    if since is not None:
        queryset = queryset.filter(release__pk__gt=since.pk)
    if until is not None:
        queryset = queryset.filter(release__pk__lte=until.pk)
    rows = queryset.select_related("observation__series", "release").order_by(
        "observation__series__order", "observation__year", "release_id"
    )[:2000]
    return [
        ChangeRow(
            change.observation.series,
            breakdown_label(
                change.observation.level, change.observation.sex, change.observation.skill
            ),
            change.observation.year,
            change.kind,
            change.old_value,
            change.new_value,
            change.release,
        )
        for change in rows
    ]


def as_rows(profile: Profile) -> list[dict[str, Any]]:
    """Every observation of a profile as flat rows (CSV and API)."""
    out = []
    for block in profile.blocks:
        for b in block.breakdowns:
            for point in b.points:
                out.append(
                    {
                        "series": block.series.code,
                        "indicator": block.series.indicator.code,
                        "level": b.level,
                        "sex": b.sex,
                        "skill": b.skill,
                        "year": point.year,
                        "value": point.value,
                        "magnitude": point.magnitude,
                        "qualifier": point.qualifier,
                    }
                )
    return out


# --- Policy self-assessment ----------------------------------------------------------------------
# ICT CFT v3 competencies whose guidance and courses serve each theme of the rubric.
THEME_COMPETENCIES: dict[str, tuple[str, ...]] = {
    "vision-planning": ("1.KA", "1.KD", "1.KC"),
    "ict-infrastructure": ("5.KA", "5.KD"),
    "teachers": ("6.KA", "6.KD", "6.KC"),
    "skills-competencies": ("4.KA", "4.KD", "2.KA"),
    "digital-resources": ("3.KA", "3.KD", "2.KD"),
    "emis": ("5.KA", "5.KC"),
    "monitoring-innovation": ("1.KC", "2.KC", "3.KC"),
    "equity-inclusion-safety": ("1.KD", "3.KD", "4.KC"),
}


def may_see_round(user: Any, round: PolicyRound) -> bool:
    from iite.countries.permissions import can

    if round.visibility == PolicyRound.Visibility.PUBLISHED:
        return True
    if can(user, "policy.view_unpublished", country=round.country):
        return True
    return round.visibility == PolicyRound.Visibility.SHARED and can(user, "policy.view_shared")


def rounds_visible_to(user: Any, country: Country) -> list[PolicyRound]:
    """The country's rounds this person may see, newest first. Two queries."""
    rounds = (
        PolicyRound.objects.filter(country=country)
        .select_related("country", "campaign__instrument", "response")
        .order_by("-created_at", "-pk")
    )
    return [r for r in rounds if may_see_round(user, r)]


def rounds_published(country: Country) -> list[PolicyRound]:
    return list(
        PolicyRound.objects.filter(
            country=country, visibility=PolicyRound.Visibility.PUBLISHED
        ).order_by("-published_at", "-pk")
    )


def round_by_id(country: Country, round_id: int) -> PolicyRound | None:
    return (
        PolicyRound.objects.filter(country=country, pk=round_id)
        .select_related("country", "campaign__instrument", "response__result")
        .first()
    )


@dataclass(frozen=True)
class ThemeRow:
    code: str
    name: str
    description: str
    question: str
    statements: list[tuple[int, str, str]]  # value, level code, text
    level_index: int | None
    level_name: str
    target: str
    target_index: int | None
    target_name: str
    gap: int | None
    evidence: Evidence | None
    guidance: list[Any]
    courses: list[Any]


@dataclass(frozen=True)
class RoundView:
    round: PolicyRound
    submitted: bool
    levels: list[tuple[str, str]]  # code, name
    themes: list[ThemeRow]
    earlier: list[PolicyRound]

    @property
    def answered(self) -> int:
        return sum(1 for theme in self.themes if theme.level_index is not None)


def round_view(round: PolicyRound, *, user: Any, recommend: bool = True) -> RoundView:
    """A round as its page shows it: per theme the level, target, gap, evidence, guidance."""
    from iite.assessments import selectors as assessment_selectors
    from iite.countries import evidence_sources

    definition = assessment_selectors.definition_of(round.campaign.instrument)
    levels = [(level.code, pick(level.names)) for level in definition.levels]
    codes = [code for code, _name in levels]
    answers = assessment_selectors.answers_of(round.response) if round.response else {}
    evidence = {item.theme: item for item in round.evidence.all()}
    themes = []
    areas = {area.code: area for area in definition.areas}
    for section in definition.sections:
        item = section.items[0]
        area = areas[item.target]
        answer = answers.get(item.code)
        index = answer.value if answer is not None and answer.value is not None else None
        target = round.targets.get(item.target, "")
        target_index = codes.index(target) if target in codes else None
        gap = (
            max(target_index - index, 0) if target_index is not None and index is not None else None
        )
        wanted = THEME_COMPETENCIES.get(item.target, ())
        needs_help = recommend and (gap is None or gap > 0) and index is not None
        themes.append(
            ThemeRow(
                code=item.target,
                name=pick(area.names),
                description=pick(area.descriptions),
                question=pick(item.text),
                statements=[(s.value, codes[s.value], pick(s.text)) for s in item.statements],
                level_index=index,
                level_name=levels[index][1] if index is not None else "",
                target=target,
                target_index=target_index,
                target_name=levels[target_index][1] if target_index is not None else "",
                gap=gap,
                evidence=evidence.get(item.target),
                guidance=evidence_sources.guidance_for(wanted) if needs_help else [],
                courses=evidence_sources.courses_for(wanted) if needs_help else [],
            )
        )
    earlier = [
        other
        for other in rounds_visible_to(user, round.country)
        if other.pk != round.pk and other.created_at < round.created_at
    ]
    submitted = round.response is not None and round.response.is_submitted
    return RoundView(round, submitted, levels, themes, earlier)
