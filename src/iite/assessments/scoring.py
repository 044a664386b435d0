"""Scoring: a pure function of an instrument version and the answers (docs/instruments.md).

No database, no clock, no randomness. Arithmetic is exact (``Fraction``) and only the stored
figures are turned into floats, so the same answers always give the same result, level thresholds
are compared without rounding surprises, and raising one answer never lowers anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from iite.assessments.definition import Definition, Item

# Scores are stored with this many decimals (rounding is monotonic, so order is kept).
DECIMALS = 6


@dataclass(frozen=True)
class Result:
    """Scores (0..1) and levels per target, and a framework level per dimension if rolled up."""

    scores: Mapping[str, float]  # only targets with at least one answered, scored item
    levels: Mapping[str, str]
    counts: Mapping[str, int]  # how many items each score is the mean of
    rollup: Mapping[str, str | None]  # dimension -> highest framework level reached, or None


def item_number(item: Item, value: int) -> Fraction:
    """An answer as a number in 0..1; ``ValueError`` if the value is not on the item's scale."""
    if value not in item.values():
        raise ValueError(f"{value!r} is not a value of item {item.code}")
    kind = item.scale.kind
    if kind == "agreement":
        return Fraction(value - 1, 4)
    if kind == "statements":
        return Fraction(value, len(item.statements) - 1)
    return Fraction(value)  # yes-no


def level_for(definition: Definition, score: Fraction) -> str:
    """The last level whose ``min`` the score reaches."""
    reached = definition.levels[0].code
    for level in definition.levels:
        if score >= Fraction(level.min):
            reached = level.code
    return reached


def score(definition: Definition, answers: Mapping[str, int | None]) -> Result:
    """Score ``answers`` (item code -> value; None for not applicable or unanswered).

    Text items and codes that are not items of this version are ignored.
    """
    numbers: dict[str, list[Fraction]] = {}
    for item in definition.items:
        if not item.scored:
            continue
        value = answers.get(item.code)
        if value is None:
            continue
        numbers.setdefault(item.target, []).append(item_number(item, value))

    exact: dict[str, Fraction] = {}
    for target in definition.targets:
        found = numbers.get(target)
        if found:
            exact[target] = sum(found, Fraction(0)) / len(found)

    rollup: dict[str, str | None] = {}
    framework = definition.framework
    if definition.rollup is not None and framework is not None:
        mastery = Fraction(definition.rollup.mastery)
        for dimension in framework.dimensions:
            reached: str | None = None
            for level in framework.levels:
                cell = [
                    code
                    for code, place in framework.competencies.items()
                    if place.dimension == dimension and place.level == level
                ]
                if all(code in exact and exact[code] >= mastery for code in cell):
                    reached = level
                else:
                    break
            rollup[dimension] = reached

    return Result(
        scores={target: round(float(value), DECIMALS) for target, value in exact.items()},
        levels={target: level_for(definition, value) for target, value in exact.items()},
        counts={target: len(numbers[target]) for target in exact},
        rollup=rollup,
    )
