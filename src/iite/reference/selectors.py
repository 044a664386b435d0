"""Reads of reference data, one function per use case, each doing its own joins."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from iite.reference.models import (
    ActionArea,
    Competency,
    Country,
    Dimension,
    Framework,
    FrameworkLevel,
    IscedLevel,
    Language,
    Licence,
    Region,
    SdgIndicator,
    SdgTarget,
    StrategicPriority,
    Term,
    Topic,
    Vocabulary,
)


def strategic_priorities() -> QuerySet[StrategicPriority]:
    return StrategicPriority.objects.order_by("number")


def action_areas() -> QuerySet[ActionArea]:
    """Action areas in order, each with its strategic priorities."""
    return ActionArea.objects.order_by("number").prefetch_related(
        Prefetch("priorities", queryset=StrategicPriority.objects.order_by("number"))
    )


def strategic_priorities_with_areas() -> QuerySet[StrategicPriority]:
    return StrategicPriority.objects.order_by("number").prefetch_related(
        Prefetch("action_areas", queryset=ActionArea.objects.order_by("number"))
    )


def regions(*, kind: str | None = None) -> QuerySet[Region]:
    queryset = Region.objects.select_related("parent").order_by("kind", "order", "code")
    return queryset.filter(kind=kind) if kind else queryset


def unesco_regions() -> QuerySet[Region]:
    return regions(kind=Region.Kind.UNESCO)


def un_regions() -> QuerySet[Region]:
    """Every UN M49 region, sub-region and intermediate region, by code."""
    return Region.objects.exclude(kind=Region.Kind.UNESCO).select_related("parent").order_by("code")


def region_by_code(code: str) -> Region | None:
    return Region.objects.select_related("parent").filter(code=code).first()


def countries(
    *, region: str | None = None, unesco_region: str | None = None, q: str | None = None
) -> QuerySet[Country]:
    """Countries with their regions, optionally in a UN region (any tier), a UNESCO region, or
    matching ``q`` in a code or a name in any language."""
    queryset = Country.objects.select_related(
        "un_region", "un_subregion", "un_intermediate_region", "unesco_region"
    ).order_by("alpha2")
    if region:
        queryset = queryset.filter(
            Q(un_region__code=region)
            | Q(un_subregion__code=region)
            | Q(un_intermediate_region__code=region)
        )
    if unesco_region:
        queryset = queryset.filter(unesco_region__code=unesco_region)
    if q and q.strip():
        queryset = queryset.filter(search_text__contains=q.strip().casefold())
    return queryset


def country_by_code(code: str) -> Country | None:
    """The country with this ISO alpha-2 or alpha-3 code, in any case."""
    code = code.strip().upper()
    field = {2: "alpha2", 3: "alpha3"}.get(len(code))
    if field is None:
        return None
    return countries().filter(**{field: code}).first()


def languages(*, un_only: bool = False) -> QuerySet[Language]:
    queryset = Language.objects.order_by("code")
    return queryset.filter(is_un_language=True) if un_only else queryset


def isced_levels() -> QuerySet[IscedLevel]:
    return IscedLevel.objects.order_by("order")


def sdg_targets() -> QuerySet[SdgTarget]:
    """SDG 4 targets, each with its indicators."""
    return SdgTarget.objects.order_by("order").prefetch_related(
        Prefetch("indicators", queryset=SdgIndicator.objects.order_by("order"))
    )


def sdg_indicators() -> QuerySet[SdgIndicator]:
    return SdgIndicator.objects.select_related("target").order_by("order")


def topics() -> QuerySet[Topic]:
    return Topic.objects.order_by("order", "code")


def licences() -> QuerySet[Licence]:
    return Licence.objects.order_by("order", "spdx_id")


def vocabularies() -> QuerySet[Vocabulary]:
    """Vocabularies, each with its terms in order."""
    return Vocabulary.objects.order_by("code").prefetch_related(
        Prefetch("terms", queryset=Term.objects.order_by("order", "code"))
    )


def vocabulary_by_code(code: str) -> Vocabulary | None:
    return vocabularies().filter(code=code).first()


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.select_related("licence").order_by("code", "version")


def framework_detail(*, code: str, version: str) -> Framework | None:
    """A framework with its dimensions, levels and competencies prefetched."""
    return (
        frameworks()
        .filter(code=code, version=version)
        .prefetch_related(
            Prefetch("dimensions", queryset=Dimension.objects.order_by("order")),
            Prefetch("levels", queryset=FrameworkLevel.objects.order_by("order")),
            Prefetch(
                "competencies",
                queryset=Competency.objects.select_related("dimension", "level").order_by(
                    "dimension__order", "level__order"
                ),
            ),
        )
        .first()
    )


def competency_by_code(*, framework: Framework, code: str) -> Competency | None:
    return (
        Competency.objects.select_related("framework__licence", "dimension", "level")
        .filter(framework=framework, code=code)
        .first()
    )


@dataclass(frozen=True)
class MatrixRow:
    """One dimension of a framework and its competency at each level (None where there is none)."""

    dimension: Dimension
    cells: list[Competency | None]


@dataclass(frozen=True)
class FrameworkMatrix:
    """A framework laid out as dimensions (rows) by levels (columns)."""

    framework: Framework
    levels: list[FrameworkLevel]
    rows: list[MatrixRow]


def framework_matrix(*, code: str, version: str) -> FrameworkMatrix | None:
    """The framework as a dimension-by-level matrix of competencies (four queries)."""
    framework = framework_detail(code=code, version=version)
    if framework is None:
        return None
    levels = list(framework.levels.all())
    by_cell = {(c.dimension_id, c.level_id): c for c in framework.competencies.all()}
    rows = [
        MatrixRow(dimension, [by_cell.get((dimension.pk, level.pk)) for level in levels])
        for dimension in framework.dimensions.all()
    ]
    return FrameworkMatrix(framework=framework, levels=levels, rows=rows)
