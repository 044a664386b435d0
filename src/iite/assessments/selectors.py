"""Reads of the assessment engine: definitions, campaigns, results, and lists for the API.

Group summaries, the figures of every group report, are in ``summaries``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Q, QuerySet
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
    Response,
    Result,
)
from iite.assessments.permissions import OPEN_ACTIONS, TABLE
from iite.core.errors import NotFound
from iite.reference.models import Competency, Framework


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
