"""Group summaries: the figures of every group report, country report and comparison.

A summary never returns a figure computed from fewer than ``MIN_GROUP`` respondents: the figure
is replaced by the reason it is withheld. Within a summary by respondent group, a second group is
withheld as well when otherwise the small one could be worked out from the total minus the
others.

The three grouped queries (respondents, target scores from the narrow ``TargetScore`` table,
answer distributions) are written in SQL: a report is a few milliseconds of database work on a
school, and building the same queries through the ORM cost more than running them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, cast

from django.db import connection
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from iite.assessments.definition import Definition
from iite.assessments.models import Answer, Campaign, Instrument, Item, Response, TargetScore
from iite.assessments.selectors import definition_of
from iite.core.errors import ApplicationError

MIN_GROUP = 5
ALL = ""  # the part of a summary holding every respondent group together
_SCORED = ("agreement", "statements", "yes-no")


@lru_cache(maxsize=64)
def _scored_items(instrument_id: int, file_sha256: str) -> Mapping[int, str]:
    """Item id to code for an instrument version's scored items (cached like the definition: a
    version's items never change)."""
    items = Item.objects.filter(instrument_id=instrument_id, scale_kind__in=_SCORED)
    return MappingProxyType(dict(items.values_list("pk", "code")))


@dataclass(frozen=True)
class Figure:
    """Aggregate figures of one target or item, or the reason they are withheld."""

    n: int | None = None
    mean: float | None = None
    distribution: Mapping[str, int] | None = None
    withheld: str = ""


@dataclass(frozen=True)
class Part:
    """The figures of one respondent group (or of all together, ``group == ALL``)."""

    group: str
    respondents: int | None
    withheld: str
    targets: Mapping[str, Figure]
    items: Mapping[str, Figure]


@dataclass(frozen=True)
class GroupSummary:
    """A group summary of one instrument version: all respondents first, then each group."""

    instrument: Instrument
    parts: tuple[Part, ...]

    def part(self, group: str = ALL) -> Part | None:
        return next((part for part in self.parts if part.group == group), None)


def _too_few() -> str:
    return _too_few_in(translation.get_language())


@lru_cache(maxsize=16)
def _too_few_in(language: str | None) -> str:  # a report asks for it once per figure
    return _("Withheld: fewer than %(min)d respondents, so no one's answers can be told apart.") % {
        "min": MIN_GROUP
    }


def _complementary() -> str:
    return _complementary_in(translation.get_language())


@lru_cache(maxsize=16)
def _complementary_in(language: str | None) -> str:
    return _(
        "Withheld: with the other figures shown, it would reveal a group of fewer than "
        "%(min)d respondents."
    ) % {"min": MIN_GROUP}


def _withheld_groups(counts: Mapping[str, int]) -> dict[str, str]:
    """Which groups to withhold, and why, so that no group below the minimum can be derived.

    Small groups are withheld; then, while the withheld groups together are fewer than the
    minimum (the total minus the shown groups would reveal them), the smallest shown one too.
    """
    reasons = {group: _too_few() for group, n in counts.items() if 0 <= n < MIN_GROUP}
    while True:
        hidden = sum(counts[group] for group in reasons)
        if hidden == 0 or hidden >= MIN_GROUP:
            break
        shown = sorted((n, group) for group, n in counts.items() if group not in reasons)
        if not shown:
            break
        reasons[shown[0][1]] = _complementary()
    return reasons


# What a group summary is of: one campaign, several (e.g. every school of a country), or any
# set of responses.
Source = Campaign | QuerySet[Campaign] | QuerySet[Response]


def _where(source: Source) -> tuple[str, str, list[Any]]:
    """SQL conditions selecting the source's rows among responses (alias ``p``) and among target
    scores (alias ``t``), and their parameters (the same for both). Only placeholders and names
    are assembled into SQL: every value is a parameter."""
    if isinstance(source, Campaign):
        return "p.campaign_id = %s", "t.campaign_id = %s", [source.pk]
    sql, params = source.order_by().values("pk").query.sql_with_params()
    if source.model is Campaign:
        return f"p.campaign_id IN ({sql})", f"t.campaign_id IN ({sql})", list(params)
    return f"p.id IN ({sql})", f"t.response_id IN ({sql})", list(params)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


_RESPONSES = Response._meta.db_table
_ANSWERS = Answer._meta.db_table
_TARGET_SCORES = TargetScore._meta.db_table
_GROUP = connection.ops.quote_name("group")
_SUBMITTED = Response.Status.SUBMITTED.value


def group_summary(source: Source, *, by_group: bool = True) -> GroupSummary | None:
    """Per target and per item: respondents, mean and distribution, for all and per group.

    ``None`` when there are no submitted responses. Responses of different instrument versions
    are never summarised together (``ApplicationError``).
    """
    if isinstance(source, Campaign):
        instrument = source.instrument  # a campaign runs one instrument version
    else:
        versions: QuerySet[Any] = (
            source
            if source.model is Campaign
            else cast("QuerySet[Response]", source).filter(status=_SUBMITTED)
        )
        instrument_ids = list(
            versions.order_by().values_list("instrument_id", flat=True).distinct()[:2]
        )
        if not instrument_ids:
            return None
        if len(instrument_ids) > 1:
            raise ApplicationError(
                _(
                    "Responses to different versions of an instrument cannot be summarised "
                    "together."
                ),
                code="versions_mixed",
            )
        instrument = Instrument.objects.get(pk=instrument_ids[0])
    on_responses, on_scores, params = _where(source)
    totals: dict[str, int] = dict(
        _rows(
            f"SELECT p.{_GROUP}, COUNT(*) FROM {_RESPONSES} p "  # noqa: S608  (names, placeholders)
            f"WHERE {on_responses} AND p.status = %s GROUP BY p.{_GROUP}",
            [*params, _SUBMITTED],
        )
    )
    if not totals:
        return None
    definition = definition_of(instrument)
    groups = list(definition.group_codes) if by_group else []
    if sum(totals.values()) < MIN_GROUP:
        return _all_withheld(instrument, definition, groups)
    aggregates = _target_aggregates(on_scores, params, totals)

    # Respondents, and target scores and levels, per group: counted by the database.
    respondents: dict[str, int] = defaultdict(int)
    target_sums: dict[tuple[str, str], tuple[int, float]] = {}
    target_levels: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group, total, sums, levels in aggregates:
        for key in (ALL, group):
            respondents[key] += total
            for target, (n, mean) in sums.items():
                before_n, before_sum = target_sums.get((key, target), (0, 0.0))
                target_sums[(key, target)] = (before_n + n, before_sum + mean * n)
            for (target, level), count in levels.items():
                target_levels[(key, target)][level] += count

    # Item distributions, counted by the database.
    item_counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    item_codes = _scored_items(instrument.pk, instrument.file_sha256)
    rows = _rows(
        f"SELECT p.{_GROUP}, a.item_id, a.value, a.not_applicable, COUNT(*) "  # noqa: S608  (names, placeholders)
        f"FROM {_ANSWERS} a JOIN {_RESPONSES} p ON p.id = a.response_id "
        f"WHERE {on_responses} AND p.status = %s "
        f"GROUP BY p.{_GROUP}, a.item_id, a.value, a.not_applicable",
        [*params, _SUBMITTED],
    )
    for group, item_id, value, not_applicable, count in rows:
        item_code = item_codes.get(item_id)
        if item_code is None:
            continue  # a text item: no distribution
        bucket = "not_applicable" if not_applicable else str(value)
        if value is None and not not_applicable:
            continue
        for key in (ALL, group):
            item_counts[(key, item_code)][bucket] += count

    def target_figure(key: str, target: str) -> Figure:
        n, total = target_sums.get((key, target), (0, 0.0))
        return Figure(
            n=n,
            mean=round(total / n, 6) if n else None,
            distribution=dict(target_levels.get((key, target), {})),
        )

    def item_figure(key: str, code: str) -> Figure:
        counts = item_counts.get((key, code), {})
        values = {bucket: n for bucket, n in counts.items() if bucket != "not_applicable"}
        n = sum(values.values())
        total = sum(int(bucket) * number for bucket, number in values.items())
        return Figure(n=n, mean=round(total / n, 6) if n else None, distribution=dict(counts))

    keys = [ALL, *groups]
    scored_items = [item.code for item in definition.items if item.scored]

    # Most targets and items are answered by the same numbers of people, so the reasons to
    # withhold are worked out once per distinct set of counts.
    reasons_for: dict[tuple[int, ...], dict[str, str]] = {}

    def guarded(figures: Mapping[str, Figure], n_of: Mapping[str, int]) -> dict[str, Figure]:
        """Withhold figures: the whole summary's by the plain minimum, groups' complementarily."""
        counts = tuple(n_of[key] for key in keys)
        reasons = reasons_for.get(counts)
        if reasons is None:
            reasons = {}
            if n_of[ALL] < MIN_GROUP:
                reasons[ALL] = _too_few()
            reasons.update(_withheld_groups({key: n_of[key] for key in groups}))
            reasons_for[counts] = reasons
        if not reasons:
            return dict(figures)
        return {
            key: Figure(withheld=reasons[key]) if key in reasons else figure
            for key, figure in figures.items()
        }

    respondent_reasons: dict[str, str] = {}
    if respondents[ALL] < MIN_GROUP:
        respondent_reasons[ALL] = _too_few()
    respondent_reasons.update(_withheld_groups({key: respondents[key] for key in groups}))

    targets_by_key: dict[str, dict[str, Figure]] = {key: {} for key in keys}
    for target in definition.targets:
        figures = {key: target_figure(key, target) for key in keys}
        counted = {key: figures[key].n or 0 for key in keys}
        for key, figure in guarded(figures, counted).items():
            targets_by_key[key][target] = figure
    items_by_key: dict[str, dict[str, Figure]] = {key: {} for key in keys}
    for code in scored_items:
        figures = {key: item_figure(key, code) for key in keys}
        counted = {key: figures[key].n or 0 for key in keys}
        for key, figure in guarded(figures, counted).items():
            items_by_key[key][code] = figure

    parts = []
    for key in keys:
        reason = respondent_reasons.get(key, "")
        if reason:
            # Nothing at all about a withheld group, not even how many answered.
            targets = {target: Figure(withheld=reason) for target in targets_by_key[key]}
            items = {code: Figure(withheld=reason) for code in items_by_key[key]}
            parts.append(Part(key, None, reason, targets, items))
        else:
            parts.append(Part(key, respondents[key], "", targets_by_key[key], items_by_key[key]))
    return GroupSummary(instrument=instrument, parts=tuple(parts))


def _all_withheld(
    instrument: Instrument, definition: Definition, groups: list[str]
) -> GroupSummary:
    """The summary of fewer than ``MIN_GROUP`` respondents: every figure withheld, and why."""
    reason = _too_few()
    scored_items = [item.code for item in definition.items if item.scored]
    parts = tuple(
        Part(
            key,
            None,
            reason,
            {target: Figure(withheld=reason) for target in definition.targets},
            {code: Figure(withheld=reason) for code in scored_items},
        )
        for key in [ALL, *groups]
    )
    return GroupSummary(instrument=instrument, parts=parts)


def _target_aggregates(
    on_scores: str, params: list[Any], totals: Mapping[str, int]
) -> list[tuple[str, int, dict[str, tuple[int, float]], dict[tuple[str, str], int]]]:
    """Per respondent group: respondents, and per target how many scored it, their mean and levels.

    One grouped query over the narrow ``TargetScore`` table (by its covering index when the
    source is campaigns), so a report never reads the results' JSON. ``on_scores`` selects the
    source's rows (``_where``); ``totals`` are the respondents per group.
    """
    sums: dict[str, dict[str, tuple[int, float]]] = defaultdict(dict)
    counts: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    rows = _rows(
        f"SELECT t.{_GROUP}, t.target, t.level, COUNT(*), SUM(t.score) "  # noqa: S608  (names, placeholders)
        f"FROM {_TARGET_SCORES} t WHERE {on_scores} GROUP BY t.{_GROUP}, t.target, t.level",
        params,
    )
    for group, target, level, n, total in rows:
        before_n, before_total = sums[group].get(target, (0, 0.0))
        sums[group][target] = (before_n + n, before_total + float(total))
        counts[group][(target, level)] = n
    return [
        (
            group,
            total,
            {target: (n, summed / n) for target, (n, summed) in sums[group].items()},
            counts[group],
        )
        for group, total in sorted(totals.items())
    ]


def summary_as_data(summary: GroupSummary) -> dict[str, Any]:
    """A summary as plain data (for later reports, CSV and the API)."""
    return {
        "instrument": {"code": summary.instrument.code, "version": summary.instrument.version},
        "parts": [
            {
                "group": part.group,
                "respondents": part.respondents,
                "withheld": part.withheld,
                "targets": {code: figure.__dict__ for code, figure in part.targets.items()},
                "items": {code: figure.__dict__ for code, figure in part.items.items()},
            }
            for part in summary.parts
        ],
    }
