"""Reads for the individual report: competency matrix, roll-up, what to develop next."""

from __future__ import annotations

from dataclasses import dataclass

from iite.assessments import selectors
from iite.assessments.models import Response, Result
from iite.core.translation import pick
from iite.reference.models import Competency, Dimension, Framework, FrameworkLevel


@dataclass(frozen=True)
class Cell:
    code: str
    name: str
    score: float | None
    percent: int | None
    level: str


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    cells: tuple[Cell, ...]
    reached: str  # the framework level the roll-up gives this dimension, "" for none yet
    reached_rank: int  # 0 for none, 1 for the first framework level …
    change: int | None  # percentage points since the previous round, averaged over the row


@dataclass(frozen=True)
class Develop:
    code: str
    name: str
    dimension: str
    percent: int
    level: str
    aim: str


@dataclass(frozen=True)
class IndividualReport:
    response: Response
    result: Result
    instrument_name: str
    framework: Framework | None
    level_columns: tuple[str, ...]
    rows: tuple[Row, ...]
    develop: tuple[Develop, ...]
    has_previous: bool
    levels_max: int


def _percent(score: float | None) -> int | None:
    return None if score is None else round(score * 100)


def individual_report(response: Response) -> IndividualReport | None:
    """The report of a submitted response; None while it is in progress."""
    result = selectors.result_of(response)
    if result is None:
        return None
    definition = selectors.definition_of(response.instrument)
    level_names = {level.code: pick(level.names) for level in definition.levels}
    previous = selectors.previous_result(response)
    framework = None
    rows: list[Row] = []
    columns: tuple[str, ...] = ()
    develop: list[Develop] = []
    if definition.framework is not None:
        framework = Framework.objects.filter(
            code=definition.framework.code, version=definition.framework.version
        ).first()
        levels = list(FrameworkLevel.objects.filter(framework=framework).order_by("order"))
        columns = tuple(level.name for level in levels)
        rank = {level.code: number for number, level in enumerate(levels, start=1)}
        competencies = {
            (competency.dimension_id, competency.level_id): competency
            for competency in Competency.objects.filter(framework=framework)
        }
        names = {competency.code: competency.name for competency in competencies.values()}
        for dimension in Dimension.objects.filter(framework=framework).order_by("order"):
            cells = []
            changes = []
            for level in levels:
                competency = competencies.get((dimension.pk, level.pk))
                if competency is None:
                    continue
                score = result.scores.get(competency.code)
                cells.append(
                    Cell(
                        code=competency.code,
                        name=competency.name,
                        score=score,
                        percent=_percent(score),
                        level=level_names.get(str(result.levels.get(competency.code, "")), ""),
                    )
                )
                before = previous.scores.get(competency.code) if previous else None
                if score is not None and before is not None:
                    changes.append(score - before)
            reached = str(result.rollup.get(dimension.code) or "")
            reached_level = next((level for level in levels if level.code == reached), None)
            rows.append(
                Row(
                    code=dimension.code,
                    name=dimension.name,
                    cells=tuple(cells),
                    reached=reached_level.name if reached_level else "",
                    reached_rank=rank.get(reached, 0),
                    change=round(sum(changes) / len(changes) * 100) if changes else None,
                )
            )
        dimension_names = {
            competency.code: competency.dimension.name
            for competency in Competency.objects.filter(framework=framework).select_related(
                "dimension"
            )
        }
        for item in selectors.competencies_to_develop(result):
            develop.append(
                Develop(
                    code=item.code,
                    name=names.get(item.code, item.code),
                    dimension=dimension_names.get(item.code, ""),
                    percent=round(item.score * 100),
                    level=level_names.get(item.level, item.level),
                    aim=level_names.get(item.aim, "") if item.aim else "",
                )
            )
    else:
        for area in definition.areas:
            score = result.scores.get(area.code)
            before = previous.scores.get(area.code) if previous else None
            rows.append(
                Row(
                    code=area.code,
                    name=pick(area.names),
                    cells=(
                        Cell(
                            code=area.code,
                            name=pick(area.names),
                            score=score,
                            percent=_percent(score),
                            level=level_names.get(str(result.levels.get(area.code, "")), ""),
                        ),
                    ),
                    reached="",
                    reached_rank=0,
                    change=round((score - before) * 100)
                    if score is not None and before is not None
                    else None,
                )
            )
    return IndividualReport(
        response=response,
        result=result,
        instrument_name=pick(definition.names),
        framework=framework,
        level_columns=columns,
        rows=tuple(rows),
        develop=tuple(develop),
        has_previous=previous is not None,
        levels_max=len(columns),
    )
