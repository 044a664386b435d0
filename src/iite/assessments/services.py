"""Writes of the assessment engine: loading instruments, campaigns, answering, submitting, plans.

Every function validates first and writes inside one transaction, so bad input raises an
``ApplicationError`` with a translated message and changes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from iite.accounts.models import Organisation, User
from iite.assessments import own_questions, selectors
from iite.assessments.definition import (
    TEXT_MAX_LENGTH,
    Definition,
    Scale,
    definition_read,
    file_content,
)
from iite.assessments.definition import (
    Item as ItemDefinition,
)
from iite.assessments.models import (
    ActionItem,
    ActionPlan,
    Answer,
    Campaign,
    Instrument,
    Item,
    OwnAnswer,
    OwnQuestion,
    Response,
    Result,
    Section,
    TargetScore,
)
from iite.assessments.permissions import OPEN_ACTIONS, can
from iite.assessments.scoring import score
from iite.core.errors import ApplicationError, PermissionDenied
from iite.reference.models import Competency, Country, Framework

# Codes people type: no 0/O, 1/I/L, so a code read aloud or copied by hand still works.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8
RESUME_CODE_LENGTH = 12
PACKAGED_DIR = Path(__file__).resolve().parent / "instruments"
NOT_APPLICABLE = "na"


def _code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    """A typed code without spaces or dashes, in capitals."""
    return "".join(code.split()).replace("-", "").upper()


def resume_code_digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


# --- Instruments ---------------------------------------------------------------------------------
@transaction.atomic
def instrument_load(*, path: Path) -> Instrument:
    """Load one instrument file; loading the same file again changes nothing.

    A file with the code and version of a loaded instrument but other content is refused: a
    changed instrument is a new version.
    """
    path = Path(path)
    content = file_content(path)
    digest = hashlib.sha256(content).hexdigest()
    definition = definition_read(path, lookup=selectors.framework_map, content=content)
    data = definition.to_data()
    existing = Instrument.objects.filter(code=definition.code, version=definition.version).first()
    if existing is not None:
        if existing.file_sha256 == digest or existing.definition == data:
            return existing  # the same instrument (perhaps with other comments or spacing)
        raise ApplicationError(
            _(
                "Instrument “%(code)s” version %(version)d is already loaded with other "
                "content. A changed instrument is a new version: raise its version number."
            )
            % {"code": definition.code, "version": definition.version},
            code="instrument_changed",
            details=[{"field": f"{path.name}: version", "message": _("already loaded")}],
        )
    framework = None
    competencies: dict[str, Competency] = {}
    if definition.framework is not None:
        framework = Framework.objects.get(
            code=definition.framework.code, version=definition.framework.version
        )
        competencies = {c.code: c for c in Competency.objects.filter(framework=framework)}
    instrument = Instrument.objects.create(
        code=definition.code,
        version=definition.version,
        anonymous=definition.anonymous,
        framework=framework,
        names=dict(definition.names),
        descriptions=dict(definition.descriptions),
        definition=data,
        file_sha256=digest,
    )
    for section_definition in definition.sections:
        section = Section.objects.create(
            instrument=instrument,
            code=section_definition.code,
            order=section_definition.order,
            names=dict(section_definition.names),
        )
        Item.objects.bulk_create(
            Item(
                instrument=instrument,
                section=section,
                code=item.code,
                order=item.order,
                target=item.target,
                competency=competencies.get(item.target),
                scale_kind=item.scale.kind,
                groups=list(item.groups),
                required=item.required,
            )
            for item in section_definition.items
        )
    return instrument


def instruments_load_packaged(directory: Path | None = None) -> list[Instrument]:
    """Load every instrument file shipped with the platform (``assessments/instruments/``)."""
    directory = directory or PACKAGED_DIR
    return [instrument_load(path=path) for path in sorted(directory.glob("*.toml"))]


# --- Campaigns -----------------------------------------------------------------------------------
def _join_code() -> str:
    while True:
        code = _code(JOIN_CODE_LENGTH)
        if not Campaign.objects.filter(join_code=code).exists():
            return code


def _may_manage(user: User, campaign: Campaign) -> bool:
    return can(
        user,
        OPEN_ACTIONS[campaign.scope],
        country=campaign.country,
        organisation=campaign.organisation,
    )


@transaction.atomic
def campaign_open(
    *,
    instrument: Instrument,
    scope: str,
    organisation: Organisation | None = None,
    country: Country | None = None,
    cohort_name: str = "",
    opens_at: datetime,
    closes_at: datetime,
    groups: Sequence[str] | None = None,
    by: User,
) -> Campaign:
    """Open a campaign of an instrument version for an organisation, a country or a cohort."""
    if scope not in OPEN_ACTIONS or scope == Campaign.Scope.SELF:
        raise ApplicationError(
            _("Choose whom the campaign is for: an organisation, a country or a cohort."),
            code="validation",
            details=[{"field": "scope", "message": _("unknown scope")}],
        )
    errors: list[dict[str, Any]] = []
    cohort_name = " ".join(cohort_name.split())
    if scope == Campaign.Scope.ORGANISATION and (organisation is None or country is not None):
        errors.append({"field": "organisation", "message": _("Choose the organisation.")})
    if scope == Campaign.Scope.COUNTRY and (country is None or organisation is not None):
        errors.append({"field": "country", "message": _("Choose the country.")})
    if scope == Campaign.Scope.COHORT:
        if organisation is not None or country is not None:
            errors.append({"field": "scope", "message": _("A cohort has only a name.")})
        if not cohort_name or len(cohort_name) > 200:
            errors.append(
                {"field": "cohort_name", "message": _("Name the cohort (200 characters at most).")}
            )
    if errors:
        raise ApplicationError(
            _("The campaign was not opened; see details for each field."),
            code="validation",
            details=errors,
        )
    if not can(by, OPEN_ACTIONS[scope], country=country, organisation=organisation):
        raise PermissionDenied(_("You may not open a campaign for this scope."))
    definition = selectors.definition_of(instrument)
    chosen = list(dict.fromkeys(groups)) if groups else list(definition.group_codes)
    unknown = [group for group in chosen if group not in definition.group_codes]
    if unknown:
        errors.append(
            {
                "field": "groups",
                "message": _("Unknown respondent groups: %(groups)s")
                % {"groups": ", ".join(unknown)},
            }
        )
    if closes_at <= opens_at:
        errors.append(
            {"field": "closes_at", "message": _("The campaign must close after it opens.")}
        )
    if closes_at <= timezone.now():
        errors.append({"field": "closes_at", "message": _("The closing date has passed.")})
    if errors:
        raise ApplicationError(
            _("The campaign was not opened; see details for each field."),
            code="validation",
            details=errors,
        )
    return Campaign.objects.create(
        instrument=instrument,
        scope=scope,
        organisation=organisation,
        country=country,
        cohort_name=cohort_name,
        opens_at=opens_at,
        closes_at=closes_at,
        groups=chosen,
        join_code=_join_code(),
        created_by=by,
    )


def campaign_self_for(*, user: User | AnonymousUser, instrument: Instrument) -> Campaign:
    """The person's own open-ended campaign of an instrument version, made on first use.

    A self-assessment is a campaign of scope "self" that only its owner answers, any number of
    times; each submitted response is a round.
    """
    if not isinstance(user, User) or not can(user, "campaign.open_self"):
        raise PermissionDenied(_("Sign in to assess yourself."))
    found = Campaign.objects.filter(
        instrument=instrument, scope=Campaign.Scope.SELF, created_by=user
    ).first()
    if found is not None:
        return found
    definition = selectors.definition_of(instrument)
    try:
        with transaction.atomic():
            return Campaign.objects.create(
                instrument=instrument,
                scope=Campaign.Scope.SELF,
                opens_at=timezone.now(),
                closes_at=None,
                groups=list(definition.group_codes),
                join_code=_join_code(),
                created_by=user,
            )
    except IntegrityError:  # made at the same moment by another request
        return Campaign.objects.get(
            instrument=instrument, scope=Campaign.Scope.SELF, created_by=user
        )


@transaction.atomic
def campaign_close(*, campaign: Campaign, by: User) -> Campaign:
    """Close a campaign now; closing a closed one changes nothing."""
    if not (campaign.created_by_id == by.pk or _may_manage(by, campaign)):
        raise PermissionDenied(_("You may not close this campaign."))
    if campaign.closed_at is None:
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["closed_at", "updated_at"])
    return campaign


def _require_open(campaign: Campaign) -> None:
    status = campaign.status
    if status == Campaign.Status.CLOSED:
        raise ApplicationError(
            _("This campaign is closed: answers can no longer be given or changed."),
            code="campaign_closed",
        )
    if status == Campaign.Status.SCHEDULED:
        raise ApplicationError(
            _("This campaign is not open yet: it opens on %(date)s.")
            % {"date": campaign.opens_at.date().isoformat()},
            code="campaign_not_open",
        )


# --- Responses -----------------------------------------------------------------------------------
def response_start(
    *,
    campaign: Campaign,
    group: str,
    user: User | AnonymousUser | None = None,
    language: str = "",
) -> tuple[Response, str | None]:
    """Start answering a campaign; returns the response and, when anonymous, its resume code.

    The resume code is shown once and only its digest is kept. Anonymous instruments never store
    who answers, even when they are signed in. A signed-in person who has an unfinished response
    to the campaign gets it back.
    """
    _require_open(campaign)
    if group not in campaign.groups:
        raise ApplicationError(
            _("Choose one of the respondent groups of this campaign."),
            code="validation",
            details=[{"field": "group", "message": _("unknown group “%(g)s”") % {"g": group}}],
        )
    if campaign.instrument.anonymous:
        code = _code(RESUME_CODE_LENGTH)
        response = Response.objects.create(
            campaign=campaign,
            instrument=campaign.instrument,
            group=group,
            language=language[:10],
            resume_code_digest=resume_code_digest(code),
        )
        return response, code
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied(_("Sign in to answer: this questionnaire keeps your results."))
    if campaign.scope == Campaign.Scope.SELF and campaign.created_by_id != user.pk:
        raise PermissionDenied(_("This self-assessment belongs to someone else."))
    with transaction.atomic():
        existing = selectors.response_in_progress_of(campaign, user)
        if existing is not None:
            return existing, None
        if (
            campaign.scope != Campaign.Scope.SELF
            and Response.objects.filter(
                campaign=campaign, respondent=user, status=Response.Status.SUBMITTED
            ).exists()
        ):
            raise ApplicationError(
                _("You have already answered this campaign."), code="already_answered"
            )
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    campaign=campaign,
                    instrument=campaign.instrument,
                    respondent=user,
                    group=group,
                    language=language[:10],
                )
        except IntegrityError:  # two tabs started at once: both get the same response
            found = selectors.response_in_progress_of(campaign, user)
            if found is None:
                raise
            return found, None
    return response, None


def response_resume(*, campaign: Campaign, resume_code: str) -> Response:
    """The unfinished anonymous response a resume code belongs to."""
    _require_open(campaign)
    digest = resume_code_digest(resume_code) if normalise_code(resume_code) else ""
    response = (
        Response.objects.filter(campaign=campaign, resume_code_digest=digest).first()
        if digest
        else None
    )
    if response is None:
        raise ApplicationError(
            _("This resume code is not valid for this campaign. Check it, or start again."),
            code="invalid_resume_code",
        )
    if response.is_submitted:
        raise ApplicationError(
            _("These answers were already submitted; a resume code works only until then."),
            code="response_submitted",
        )
    return response


@dataclass(frozen=True)
class _Parsed:
    value: int | None = None
    not_applicable: bool = False
    text: str = ""


def _parse_answer(item: ItemDefinition, raw: object) -> _Parsed | None:
    """A raw answer (from a form or the API) on the item's scale; None clears it.

    Raises ``ValueError`` with a translated reason when it is not on the scale.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if item.scale.kind == "text":
        if not isinstance(raw, str):
            raise ValueError(_("Write text here."))
        text = raw.strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise ValueError(_("Write at most %(max)d characters.") % {"max": TEXT_MAX_LENGTH})
        return _Parsed(text=text)
    if isinstance(raw, str) and raw.strip().lower() == NOT_APPLICABLE:
        if not item.scale.not_applicable:
            raise ValueError(_("“Not applicable” is not an answer to this question."))
        return _Parsed(not_applicable=True)
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        value = int(raw.strip())
    if value is None or value not in item.values():
        raise ValueError(_("Choose one of the answers offered."))
    return _Parsed(value=value)


def response_answers_save(
    *, response: Response, section_code: str, answers: Mapping[str, object]
) -> Response:
    """Save the answers of one section; if any is invalid, none is saved.

    ``answers`` maps item codes to a value on the item's scale, ``"na"`` for not applicable,
    text for a text item, or None / "" to clear an answer.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().select_related("campaign", "instrument")
        current = locked.get(pk=response.pk)
        if current.is_submitted:
            raise ApplicationError(
                _("These answers were already submitted and can no longer be changed."),
                code="response_submitted",
            )
        _require_open(current.campaign)
        definition = selectors.definition_of(current.instrument)
        section = definition.section(section_code)
        if section is None:
            raise ApplicationError(
                _("This questionnaire has no section “%(code)s”.") % {"code": section_code},
                code="unknown_section",
            )
        errors: list[dict[str, Any]] = []
        parsed: dict[str, _Parsed | None] = {}
        for code, raw in answers.items():
            item = definition.item(code)
            if item is None or item.section != section.code:
                errors.append({"field": code, "message": _("This is not a question of this page.")})
                continue
            if current.group not in item.groups:
                errors.append(
                    {"field": code, "message": _("This question is not asked of your group.")}
                )
                continue
            try:
                parsed[code] = _parse_answer(item, raw)
            except ValueError as error:
                errors.append({"field": code, "message": str(error)})
        if errors:
            raise ApplicationError(
                _("Nothing was saved: some answers need correcting; see each question."),
                code="invalid_answers",
                details=errors,
            )
        items = {
            item.code: item
            for item in Item.objects.filter(instrument=current.instrument, code__in=list(parsed))
        }
        cleared = [items[code].pk for code, value in parsed.items() if value is None]
        if cleared:
            Answer.objects.filter(response=current, item_id__in=cleared).delete()
        for code, value in parsed.items():
            if value is None:
                continue
            Answer.objects.update_or_create(
                response=current,
                item=items[code],
                defaults={
                    "value": value.value,
                    "not_applicable": value.not_applicable,
                    "text": value.text,
                },
            )
    return current


def _missing_required(
    definition: Definition, group: str, answered: set[str]
) -> list[dict[str, Any]]:
    return [
        {
            "field": item.code,
            "section": item.section,
            "message": _("This question needs an answer (or “not applicable”)."),
        }
        for item in definition.items
        if item.required and group in item.groups and item.code not in answered
    ]


def response_submit(*, response: Response, submission_key: uuid.UUID | str) -> Response:
    """Submit a response: check required answers, score, keep the result; exactly once.

    Posting the same form twice, or two tabs submitting at once, return the same submitted
    response: the first submission wins and nothing is counted twice.
    """
    try:
        key = submission_key if isinstance(submission_key, uuid.UUID) else uuid.UUID(submission_key)
    except (ValueError, AttributeError, TypeError):
        raise ApplicationError(
            _("This form is out of date; reload the page and submit again."),
            code="invalid_submission_key",
        ) from None
    with transaction.atomic():
        current = (
            Response.objects.select_for_update()
            .select_related("campaign", "instrument")
            .get(pk=response.pk)
        )
        if not current.is_submitted:
            _submit(current, key)
    response.refresh_from_db()
    return response


def _submit(current: Response, key: uuid.UUID) -> None:
    _require_open(current.campaign)
    if Response.objects.filter(submission_key=key).exclude(pk=current.pk).exists():
        raise ApplicationError(
            _("This form was already used to submit other answers; reload the page."),
            code="submission_key_used",
        )
    definition = selectors.definition_of(current.instrument)
    values: dict[str, int | None] = {}
    answered: set[str] = set()
    for code, value, not_applicable, text in current.answers.values_list(
        "item__code", "value", "not_applicable", "text"
    ):
        if value is not None or not_applicable or text:
            answered.add(code)
        values[code] = value
    missing = _missing_required(definition, current.group, answered)
    if missing:
        raise ApplicationError(
            _("Some questions still need an answer; nothing was submitted."),
            code="answers_missing",
            details=missing,
        )
    result = score(definition, values)
    # The conditional update is the guard: only one submission can move it out of progress.
    updated = Response.objects.filter(pk=current.pk, status=Response.Status.IN_PROGRESS).update(
        status=Response.Status.SUBMITTED, submission_key=key, submitted_at=timezone.now()
    )
    if updated != 1:
        return
    Result.objects.create(
        response=current,
        scores=dict(result.scores),
        levels=dict(result.levels),
        rollup=dict(result.rollup),
    )
    _target_scores_write(current, result.scores, result.levels)


def _target_scores_write(
    response: Response, scores: Mapping[str, float], levels: Mapping[str, str]
) -> None:
    """Copy a result into the narrow table reports read; the person's earlier rounds stop counting.

    Runs inside the submission's transaction. A signed-in person's row is locked first, so two
    submissions of theirs at once cannot both stay counted.
    """
    campaign = response.campaign
    country_id = campaign.country_id
    if country_id is None and campaign.organisation_id is not None:
        country_id = (
            Organisation.objects.filter(pk=campaign.organisation_id)
            .values_list("country_id", flat=True)
            .first()
        )
    if response.respondent_id is not None:
        respondent = User.objects.select_for_update().get(pk=response.respondent_id)
        country_id = country_id or respondent.country_id
        TargetScore.objects.filter(
            instrument_id=response.instrument_id,
            response__respondent_id=response.respondent_id,
            counted=True,
        ).update(counted=False)
    TargetScore.objects.bulk_create(
        TargetScore(
            response=response,
            campaign_id=response.campaign_id,
            instrument_id=response.instrument_id,
            group=response.group,
            target=target,
            score=float(value),
            level=levels.get(target, ""),
            country_id=country_id,
        )
        for target, value in scores.items()
    )


# --- Action plans --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ActionItemInput:
    """One goal of an action plan as a form or the API gives it."""

    area: str
    goal: str
    owner_name: str = ""
    due_on: date | None = None
    status: str = ActionItem.Status.PLANNED


@transaction.atomic
def action_plan_save(
    *,
    organisation: Organisation,
    campaign: Campaign | None = None,
    items: Sequence[ActionItemInput],
    by: User,
) -> ActionPlan:
    """Write an organisation's action plan (for a campaign, or standing alone), replacing its
    goals with ``items``."""
    if not can(by, "action_plan.edit", organisation=organisation):
        raise PermissionDenied(_("You may not change this organisation's action plan."))
    errors: list[dict[str, Any]] = []
    areas: set[str] | None = None
    if campaign is not None:
        if campaign.organisation_id != organisation.pk:
            raise ApplicationError(
                _("This campaign is not one of this organisation's."), code="validation"
            )
        areas = set(selectors.definition_of(campaign.instrument).targets)
    for number, item in enumerate(items, start=1):
        field = f"items.{number}"
        if not item.area or (areas is not None and item.area not in areas):
            errors.append({"field": f"{field}.area", "message": _("Choose an area.")})
        if not item.goal.strip() or len(item.goal) > 500:
            errors.append(
                {"field": f"{field}.goal", "message": _("Write the goal (500 characters at most).")}
            )
        if len(item.owner_name) > 200:
            errors.append({"field": f"{field}.owner_name", "message": _("The name is too long.")})
        if item.status not in ActionItem.Status.values:
            errors.append({"field": f"{field}.status", "message": _("Choose a status.")})
    if errors:
        raise ApplicationError(
            _("The action plan was not saved; see details for each goal."),
            code="validation",
            details=errors,
        )
    plan, _created = ActionPlan.objects.get_or_create(
        organisation=organisation, campaign=campaign, defaults={"updated_by": by}
    )
    plan.updated_by = by
    plan.save(update_fields=["updated_by", "updated_at"])
    plan.items.all().delete()
    ActionItem.objects.bulk_create(
        ActionItem(
            plan=plan,
            order=number,
            area=item.area,
            goal=item.goal.strip(),
            owner_name=item.owner_name.strip(),
            due_on=item.due_on,
            status=item.status,
        )
        for number, item in enumerate(items, start=1)
    )
    return plan


# --- A campaign's own questions ------------------------------------------------------------------
def _own_questions_managed(campaign: Campaign, by: User) -> Definition:
    """Check that ``by`` may change a campaign's own questions and that it may have them."""
    if campaign.scope != Campaign.Scope.ORGANISATION or not can(
        by, "campaign.open_school", organisation=campaign.organisation
    ):
        raise PermissionDenied(_("You may not change the questions of this campaign."))
    definition = selectors.definition_of(campaign.instrument)
    if own_questions.own_scale(definition) is None:
        raise ApplicationError(
            _(
                "This questionnaire has no agreement scale, so it cannot have questions of "
                "your own."
            ),
            code="own_questions_not_allowed",
        )
    if campaign.status == Campaign.Status.CLOSED:
        raise ApplicationError(
            _("This campaign is closed: its questions can no longer be changed."),
            code="campaign_closed",
        )
    return definition


def _own_question_fields(
    campaign: Campaign, text: str, groups: Sequence[str]
) -> tuple[str, list[str]]:
    """The question's text and groups, cleaned; ``ApplicationError`` with each field's problem."""
    cleaned = " ".join(text.split())
    chosen = list(dict.fromkeys(groups))
    errors: list[dict[str, Any]] = []
    if not cleaned or len(cleaned) > own_questions.TEXT_MAX_LENGTH:
        errors.append(
            {
                "field": "text",
                "message": _("Write the question (%(max)d characters at most).")
                % {"max": own_questions.TEXT_MAX_LENGTH},
            }
        )
    if not chosen or any(group not in campaign.groups for group in chosen):
        errors.append(
            {
                "field": "groups",
                "message": _("Choose whom to ask among the respondent groups of this campaign."),
            }
        )
    if errors:
        raise ApplicationError(
            _("The question was not saved; see details for each field."),
            code="validation",
            details=errors,
        )
    return cleaned, chosen


def _refuse_if_answered(question: OwnQuestion) -> None:
    if OwnAnswer.objects.filter(question=question).exists():
        raise ApplicationError(
            _(
                "This question has already been answered, so it can no longer be changed or "
                "removed: the answers would no longer match it."
            ),
            code="own_question_answered",
        )


@transaction.atomic
def own_question_add(
    *,
    campaign: Campaign,
    text: str,
    groups: Sequence[str],
    by: User,
    language: str | None = None,
) -> OwnQuestion:
    """Add a question of the school's own to an organisation campaign (at most ten)."""
    locked = Campaign.objects.select_for_update().select_related("instrument").get(pk=campaign.pk)
    _own_questions_managed(locked, by)
    cleaned, chosen = _own_question_fields(locked, text, groups)
    existing = list(OwnQuestion.objects.filter(campaign=locked).values_list("order", flat=True))
    if len(existing) >= own_questions.MAX_OWN_QUESTIONS:
        raise ApplicationError(
            _("A campaign may have at most %(max)d questions of its own.")
            % {"max": own_questions.MAX_OWN_QUESTIONS},
            code="own_questions_limit",
        )
    return OwnQuestion.objects.create(
        campaign=locked,
        order=max(existing, default=0) + 1,
        text=cleaned,
        language=(translation.get_language() or "" if language is None else language)[:10],
        groups=chosen,
    )


@transaction.atomic
def own_question_update(
    *, question: OwnQuestion, text: str, groups: Sequence[str], by: User
) -> OwnQuestion:
    """Change an own question's text or groups, as long as nobody has answered it."""
    # The row lock waits for answers being saved to it (they hold a key-share lock on it).
    locked = OwnQuestion.objects.select_for_update().get(pk=question.pk)
    campaign = Campaign.objects.select_related("instrument").get(pk=locked.campaign_id)
    _own_questions_managed(campaign, by)
    _refuse_if_answered(locked)
    locked.text, locked.groups = _own_question_fields(campaign, text, groups)
    locked.save(update_fields=["text", "groups"])
    return locked


@transaction.atomic
def own_question_remove(*, question: OwnQuestion, by: User) -> None:
    """Remove an own question, as long as nobody has answered it."""
    locked = OwnQuestion.objects.select_for_update().get(pk=question.pk)
    campaign = Campaign.objects.select_related("instrument").get(pk=locked.campaign_id)
    _own_questions_managed(campaign, by)
    _refuse_if_answered(locked)
    locked.delete()


def _parse_own_answer(scale: Scale, raw: object) -> _Parsed | None:
    """A raw answer to an own question; None clears it; ``ValueError`` when not on the scale."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str) and raw.strip().lower() == NOT_APPLICABLE:
        if not scale.not_applicable:
            raise ValueError(_("“Not applicable” is not an answer to this question."))
        return _Parsed(not_applicable=True)
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        value = int(raw.strip())
    if value is None or value not in {point.value for point in scale.points}:
        raise ValueError(_("Choose one of the answers offered."))
    return _Parsed(value=value)


def own_answers_save(*, response: Response, answers: Mapping[int, object]) -> Response:
    """Save answers to a campaign's own questions; if any is invalid, none is saved.

    ``answers`` maps own question ids to a value on the agreement scale, ``"na"`` for not
    applicable, or None / "" to clear an answer. Own answers are never required nor scored.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().select_related("campaign", "instrument")
        current = locked.get(pk=response.pk)
        if current.is_submitted:
            raise ApplicationError(
                _("These answers were already submitted and can no longer be changed."),
                code="response_submitted",
            )
        _require_open(current.campaign)
        scale = own_questions.own_scale(selectors.definition_of(current.instrument))
        asked = {
            question.pk: question
            for question in OwnQuestion.objects.filter(campaign=current.campaign)
        }
        errors: list[dict[str, Any]] = []
        parsed: dict[int, _Parsed | None] = {}
        for question_id, raw in answers.items():
            question = asked.get(question_id)
            if question is None or scale is None:
                errors.append(
                    {
                        "field": str(question_id),
                        "message": _("This is not a question of this page."),
                    }
                )
                continue
            if current.group not in question.groups:
                errors.append(
                    {
                        "field": str(question_id),
                        "message": _("This question is not asked of your group."),
                    }
                )
                continue
            try:
                parsed[question_id] = _parse_own_answer(scale, raw)
            except ValueError as error:
                errors.append({"field": str(question_id), "message": str(error)})
        if errors:
            raise ApplicationError(
                _("Nothing was saved: some answers need correcting; see each question."),
                code="invalid_answers",
                details=errors,
            )
        cleared = [question_id for question_id, value in parsed.items() if value is None]
        if cleared:
            OwnAnswer.objects.filter(response=current, question_id__in=cleared).delete()
        for question_id, value in parsed.items():
            if value is None:
                continue
            OwnAnswer.objects.update_or_create(
                response=current,
                question=asked[question_id],
                defaults={"value": value.value, "not_applicable": value.not_applicable},
            )
    return current
