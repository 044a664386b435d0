"""Reads of the assessment engine: definitions, campaigns, results and group summaries.

Group summaries never return a figure computed from fewer than ``MIN_GROUP`` respondents: the
figure is replaced by the reason it is withheld. Within a summary by respondent group, a second
group is withheld as well when otherwise the small one could be worked out from the total minus
the others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from iite.accounts.models import RoleAssignment, User
from iite.assessments.definition import (
    CompetencyPlace,
    Definition,
    FrameworkMap,
    definition_from_data,
)
from iite.assessments.models import (
    Answer,
    Campaign,
    Instrument,
    Item,
    Response,
    Result,
    TargetScore,
)
from iite.assessments.permissions import OPEN_ACTIONS, TABLE
from iite.core.errors import ApplicationError, NotFound
from iite.reference.models import Competency, Framework

MIN_GROUP = 5
ALL = ""  # the part of a summary holding every respondent group together


# --- Instruments ---------------------------------------------------------------------------------
def framework_map(code: str, version: str) -> FrameworkMap | None:
    """The competency map of a reference framework, as an instrument definition keeps it."""
    framework = Framework.objects.filter(code=code, version=version).first()
    if framework is None:
        return None
    competencies = (
        Competency.objects.filter(framework=framework)
        .select_related("dimension", "level")
        .order_by("dimension__order", "level__order", "code")
    )
    return FrameworkMap(
        code=framework.code,
        version=framework.version,
        dimensions=tuple(framework.dimensions.order_by("order").values_list("code", flat=True)),
        levels=tuple(framework.levels.order_by("order").values_list("code", flat=True)),
        competencies={
            competency.code: CompetencyPlace(
                dimension=competency.dimension.code,
                level=competency.level.code,
                level_order=competency.level.order,
            )
            for competency in competencies
        },
    )


@lru_cache(maxsize=64)
def _definition(instrument_id: int, file_sha256: str) -> Definition:
    data = Instrument.objects.values_list("definition", flat=True).get(pk=instrument_id)
    return definition_from_data(data)


def _scored_items(instrument_id: int) -> dict[int, str]:
    """Item id to code for an instrument version's scored items."""
    items = Item.objects.filter(instrument_id=instrument_id, scale_kind__in=_SCORED)
    return dict(items.values_list("pk", "code"))


def definition_of(instrument: Instrument) -> Definition:
    """The validated definition of an instrument version (cached: a version never changes)."""
    return _definition(instrument.pk, instrument.file_sha256)


def instruments() -> QuerySet[Instrument]:
    return Instrument.objects.select_related("framework").order_by("code", "-version")


def instrument_latest(code: str) -> Instrument | None:
    """The newest version of an instrument."""
    return Instrument.objects.filter(code=code).order_by("-version").first()


# --- Campaigns and responses ---------------------------------------------------------------------
def campaign_by_join_code(join_code: str) -> Campaign:
    """The campaign a join code belongs to; ``NotFound`` for an unknown code."""
    normalised = "".join(join_code.split()).replace("-", "").upper()
    campaign = (
        Campaign.objects.select_related("instrument").filter(join_code=normalised).first()
        if normalised
        else None
    )
    if campaign is None:
        raise NotFound(
            _("There is no campaign with the code “%(code)s”. Check the code and try again.")
            % {"code": join_code},
            code="unknown_campaign",
        )
    return campaign


def response_in_progress_of(campaign: Campaign, user: User) -> Response | None:
    """A signed-in person's unfinished response to a campaign, if any."""
    if not getattr(user, "pk", None):
        return None
    return Response.objects.filter(
        campaign=campaign, respondent=user, status=Response.Status.IN_PROGRESS
    ).first()


def answers_of(response: Response) -> dict[str, Answer]:
    """A response's answers by item code."""
    return {answer.item.code: answer for answer in response.answers.select_related("item").all()}


# --- Results -------------------------------------------------------------------------------------
def result_of(response: Response) -> Result | None:
    """The result of a submitted response (None while it is in progress)."""
    return Result.objects.filter(response=response).first()


def previous_result(response: Response) -> Result | None:
    """The result of the same person's previous round of the same instrument, in the same scope.

    Rounds are matched by instrument code (any version), the campaign's scope and its target
    (all of a person's self-assessments count as one scope). Anonymous responses have none.
    """
    if response.respondent_id is None:
        return None
    campaign = response.campaign
    same_scope = Q(response__campaign__scope=campaign.scope)
    if campaign.scope == Campaign.Scope.ORGANISATION:
        same_scope &= Q(response__campaign__organisation_id=campaign.organisation_id)
    elif campaign.scope == Campaign.Scope.COUNTRY:
        same_scope &= Q(response__campaign__country_id=campaign.country_id)
    elif campaign.scope == Campaign.Scope.COHORT:
        same_scope &= Q(response__campaign__cohort_name=campaign.cohort_name)
    earlier = Q(response__submitted_at__lt=response.submitted_at) if response.submitted_at else Q()
    return (
        Result.objects.filter(
            same_scope,
            earlier,
            response__respondent_id=response.respondent_id,
            response__instrument__code=response.instrument.code,
            response__status=Response.Status.SUBMITTED,
        )
        .exclude(response_id=response.pk)
        .order_by("-response__submitted_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class ToDevelop:
    """A competency to work on next: its score now, its level, and the level to aim for."""

    code: str
    score: float
    level: str
    aim: str | None  # the next level of the instrument's scoring; None at the top


def competencies_to_develop(result: Result, limit: int = 3) -> list[ToDevelop]:
    """The framework competencies with the lowest scores (ties in framework order)."""
    definition = definition_of(result.response.instrument)
    if definition.framework is None:
        return []
    level_codes = [level.code for level in definition.levels]
    order = {code: number for number, code in enumerate(definition.framework.competencies)}
    scored = [
        (float(value), order[code], code) for code, value in result.scores.items() if code in order
    ]
    chosen = []
    for value, _position, code in sorted(scored)[: max(limit, 0)]:
        level = str(result.levels.get(code, level_codes[0]))
        index = level_codes.index(level) if level in level_codes else 0
        aim = level_codes[index + 1] if index + 1 < len(level_codes) else None
        chosen.append(ToDevelop(code=code, score=value, level=level, aim=aim))
    return chosen


# --- Group summaries -----------------------------------------------------------------------------
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


def _by_campaign(source: Source) -> dict[str, Any] | None:
    """The lookup that selects the source's rows by campaign, or None for a set of responses."""
    if isinstance(source, Campaign):
        return {"campaign": source}
    if source.model is Campaign:
        return {"campaign__in": source.values("pk")}
    return None


def _responses(source: Source) -> QuerySet[Response]:
    lookup = _by_campaign(source)
    queryset: QuerySet[Response] = (
        Response.objects.filter(**lookup) if lookup is not None else source  # type: ignore[assignment]
    )
    return queryset.filter(status=Response.Status.SUBMITTED)


def group_summary(source: Source, *, by_group: bool = True) -> GroupSummary | None:
    """Per target and per item: respondents, mean and distribution, for all and per group.

    ``None`` when there are no submitted responses. Responses of different instrument versions
    are never summarised together (``ApplicationError``).
    """
    responses = _responses(source)
    if isinstance(source, Campaign):
        instrument = source.instrument  # a campaign runs one instrument version
    else:
        versions = source if source.model is Campaign else responses
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
    totals = dict(
        responses.values("group").annotate(total=Count("pk")).values_list("group", "total")
    )
    if not totals:
        return None
    definition = definition_of(instrument)
    groups = list(definition.group_codes) if by_group else []
    if sum(totals.values()) < MIN_GROUP:
        return _all_withheld(instrument, definition, groups)
    aggregates = _target_aggregates(source, totals)

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
    item_codes = _scored_items(instrument.pk)
    lookup = _by_campaign(source)
    answers = (
        Answer.objects.filter(
            **{f"response__{key}": value for key, value in lookup.items()},
            response__status=Response.Status.SUBMITTED,
        )
        if lookup is not None
        else Answer.objects.filter(response__in=responses.values("pk"))
    )
    rows = (
        answers.values_list("response__group", "item_id", "value", "not_applicable")
        .annotate(count=Count("*"))
        .order_by()
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

    def guarded(figures: Mapping[str, Figure], n_of: Mapping[str, int]) -> dict[str, Figure]:
        """Withhold figures: the whole summary's by the plain minimum, groups' complementarily."""
        reasons: dict[str, str] = {}
        if n_of[ALL] < MIN_GROUP:
            reasons[ALL] = _too_few()
        reasons.update(_withheld_groups({key: n_of[key] for key in groups}))
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


_SCORED = ("agreement", "statements", "yes-no")


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
    source: Source, totals: Mapping[str, int]
) -> list[tuple[str, int, dict[str, tuple[int, float]], dict[tuple[str, str], int]]]:
    """Per respondent group: respondents, and per target how many scored it, their mean and levels.

    One grouped query over the narrow ``TargetScore`` table (by its covering index when the
    source is campaigns), so a report never reads the results' JSON. ``totals`` are the
    respondents per group.
    """
    lookup = _by_campaign(source)
    scores = (
        TargetScore.objects.filter(**lookup)
        if lookup is not None
        else TargetScore.objects.filter(response__in=_responses(source).values("pk"))
    )
    sums: dict[str, dict[str, tuple[int, float]]] = defaultdict(dict)
    counts: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    rows = (
        scores.values("group", "target", "level")
        .annotate(n=Count("*"), total=Sum("score"))
        .values_list("group", "target", "level", "n", "total")
        .order_by()
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


# --- Lists for the API ---------------------------------------------------------------------------
def campaigns_managed_by(user: User) -> QuerySet[Campaign]:
    """The campaigns (not self-assessments) ``user`` opened or may open, close and report on.

    Read from the permission table: a role that counts everywhere gives every campaign of the
    scope; a role held for one country or organisation gives that one's campaigns. Two queries.
    """
    if not getattr(user, "pk", None) or not user.is_active:
        return Campaign.objects.none()
    held: list[tuple[str, int | None, int | None]] = list(
        RoleAssignment.objects.filter(user_id=user.pk).values_list(
            "role__code", "country_id", "organisation_id"
        )
    )
    held.append(("member", None, None))
    if user.is_superuser:
        held.append(("admin", None, None))
    condition = Q(created_by_id=user.pk)
    for scope, action in OPEN_ACTIONS.items():
        rule = TABLE.rule(action)
        for code, country_id, organisation_id in held:
            if scope == Campaign.Scope.SELF or code not in rule.roles:
                continue
            if code not in rule.scoped or (country_id is None and organisation_id is None):
                condition |= Q(scope=scope)
            elif country_id is not None:
                condition |= Q(scope=scope, country_id=country_id)
            else:
                condition |= Q(scope=scope, organisation_id=organisation_id)
    return (
        Campaign.objects.filter(condition)
        .exclude(scope=Campaign.Scope.SELF)
        .select_related("instrument", "organisation", "country")
        .order_by("-opens_at", "-pk")
    )


def results_of(user: User) -> QuerySet[Result]:
    """A person's own submitted results, newest first."""
    return (
        Result.objects.filter(
            response__respondent_id=user.pk, response__status=Response.Status.SUBMITTED
        )
        .select_related("response__instrument", "response__campaign")
        .order_by("-response__submitted_at", "-pk")
    )


def instrument_version(code: str, version: int) -> Instrument | None:
    """One version of an instrument, or None."""
    return instruments().filter(code=code, version=version).first()
