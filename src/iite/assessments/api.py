"""The assessments API, mounted at /api/v1/assessments/: instruments, campaigns, answering,
results, group reports and the anonymised open data.

Texts come in the language of ``?lang=`` (else Accept-Language). Anonymous responses have no
account to check, so each request about one carries its resume code in the ``X-Resume-Code``
header; signed-in respondents use their token or session. Someone else's response, or a wrong
resume code, is "not found", so response numbers reveal nothing.
"""

import functools
import hmac
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar, overload

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import AuthenticationError
from ninja.pagination import paginate
from ninja.params.functions import Header, Query

from iite.accounts import selectors as accounts_selectors
from iite.accounts.api_auth import SessionAuth, TokenAuth
from iite.accounts.models import User
from iite.assessments import answering, open_data, own_questions, selectors, services, summaries
from iite.assessments.definition import TEXT_MAX_LENGTH, Definition
from iite.assessments.definition import Item as ItemDefinition
from iite.assessments.models import (
    Answer,
    Campaign,
    Instrument,
    OwnAnswer,
    OwnQuestion,
    Response,
    Result,
)
from iite.assessments.permissions import REPORT_ACTIONS, can
from iite.assessments.schemas import (
    AnswersIn,
    CampaignIn,
    CampaignOut,
    CampaignSummaryOut,
    InstrumentDetailOut,
    InstrumentOut,
    OpenDataOut,
    OwnAnswersIn,
    OwnQuestionIn,
    OwnQuestionOut,
    ReportOut,
    ResponseOut,
    ResponseStartedOut,
    ResultListOut,
    ResultOut,
    ResumeIn,
    StartIn,
    SubmitIn,
)
from iite.core.errors import ApplicationError, NotFound, PermissionDenied
from iite.core.pagination import PageNumberPagination
from iite.core.translation import DATA_LANGUAGES, data_key, language_codes, pick
from iite.reference.schemas import ApiLanguage

router = Router(tags=["assessments"])

LANG = Query(
    None, description="Language of texts: ar, en, es, fr, ru or zh (default: Accept-Language)."
)
RESUME_CODE = Header(
    None,
    alias="X-Resume-Code",
    description="The resume code of an anonymous response (given when it was started).",
)

View = TypeVar("View", bound=Callable[..., Any])


def localised(view: View) -> View:
    """Run the operation in the language of ``?lang=`` when it names one of the six."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        asked = data_key(request.GET.get("lang", ""))
        language = translation.get_language()
        if asked in DATA_LANGUAGES:
            language = next(code for code in language_codes() if data_key(code) == asked)
        with translation.override(language):
            return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class _Built(Sequence[Any]):
    """A queryset whose rows are built into output only for the page asked for."""

    def __init__(self, queryset: QuerySet[Any], build: Callable[[Any], Any]) -> None:
        self.queryset = queryset
        self.build = build

    def __len__(self) -> int:
        return self.queryset.count()

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.build(row) for row in self.queryset[index]]
        return self.build(self.queryset[index])

    def __iter__(self) -> Iterator[Any]:
        return (self.build(row) for row in self.queryset)


# --- Who is asking -------------------------------------------------------------------------------
def _caller(request: HttpRequest) -> User | None:
    """The signed-in caller of an operation open to anyone (``auth=None``), if any.

    A token that is sent must be valid (401); the session counts only with its CSRF header on
    unsafe methods, like everywhere else in the API.
    """
    if request.headers.get("Authorization"):
        user = TokenAuth()(request)
        if not isinstance(user, User):
            raise AuthenticationError()
        return user
    if getattr(request.user, "is_authenticated", False):
        found = SessionAuth()(request)
        return found if isinstance(found, User) else None
    return None


def _actor(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise PermissionDenied(_("You may not do this."))
    return user


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# --- Output --------------------------------------------------------------------------------------
def _instrument_out(instrument: Instrument) -> dict[str, Any]:
    framework = instrument.framework
    return {
        "code": instrument.code,
        "version": instrument.version,
        "anonymous": instrument.anonymous,
        "name": pick(instrument.names),
        "description": pick(instrument.descriptions),
        "framework": {"code": framework.code, "version": framework.version} if framework else None,
    }


def _instrument_ref(instrument: Instrument) -> dict[str, Any]:
    return {
        "code": instrument.code,
        "version": instrument.version,
        "name": pick(instrument.names),
        "anonymous": instrument.anonymous,
    }


def _choices(item: ItemDefinition) -> list[dict[str, str]]:
    kind = item.scale.kind
    if kind == "statements":
        choices = [{"value": str(s.value), "label": pick(s.text)} for s in item.statements]
    elif kind == "agreement":
        choices = [{"value": str(p.value), "label": pick(p.labels)} for p in item.scale.points]
    elif kind == "yes-no":
        choices = [{"value": "1", "label": _("Yes")}, {"value": "0", "label": _("No")}]
    else:
        return []
    if item.scale.not_applicable:
        choices.append({"value": services.NOT_APPLICABLE, "label": _("Not applicable")})
    return choices


def _definition_out(instrument: Instrument, definition: Definition) -> dict[str, Any]:
    return {
        **_instrument_out(instrument),
        "groups": [{"code": g.code, "name": pick(g.names)} for g in definition.groups],
        "areas": [
            {"code": a.code, "name": pick(a.names), "description": pick(a.descriptions)}
            for a in definition.areas
        ],
        "sections": [
            {
                "code": section.code,
                "order": section.order,
                "name": pick(section.names),
                "description": pick(section.descriptions),
                "items": [
                    {
                        "code": item.code,
                        "order": item.order,
                        "text": pick(item.text),
                        "target": item.target,
                        "groups": list(item.groups),
                        "required": item.required,
                        "kind": item.scale.kind,
                        "not_applicable": item.scale.not_applicable,
                        "choices": _choices(item),
                        "max_length": TEXT_MAX_LENGTH if item.scale.kind == "text" else None,
                    }
                    for item in section.items
                ],
            }
            for section in definition.sections
        ],
        "levels": [
            {"code": level.code, "name": pick(level.names), "min": level.min}
            for level in definition.levels
        ],
        "rollup": (
            {"kind": definition.rollup.kind, "mastery": definition.rollup.mastery}
            if definition.rollup
            else None
        ),
    }


def _campaign_out(campaign: Campaign, *, full: bool = True) -> dict[str, Any]:
    definition = selectors.definition_of(campaign.instrument)
    names = {group.code: pick(group.names) for group in definition.groups}
    organisation = campaign.organisation
    out: dict[str, Any] = {
        "join_code": campaign.join_code,
        "instrument": _instrument_ref(campaign.instrument),
        "scope": campaign.scope,
        "organisation": {"id": organisation.pk, "name": organisation.name}
        if organisation
        else None,
        "country": campaign.country.alpha2 if campaign.country else None,
        "cohort_name": campaign.cohort_name,
        "status": campaign.status,
        "opens_at": campaign.opens_at,
        "closes_at": campaign.closes_at,
        "groups": [{"code": code, "name": names.get(code, code)} for code in campaign.groups],
    }
    if full:
        out |= {
            "closed_at": campaign.closed_at,
            "created_at": campaign.created_at,
            "own_questions": [
                _own_question_out(question)
                for question in sorted(campaign.own_questions.all(), key=lambda q: q.order)
            ],
        }
    return out


def _own_question_out(question: OwnQuestion) -> dict[str, Any]:
    return {
        "id": question.pk,
        "text": question.text,
        "language": question.language,
        "groups": list(question.groups),
    }


def _own_answer_value(answer: OwnAnswer) -> int | str | None:
    if answer.not_applicable:
        return services.NOT_APPLICABLE
    return answer.value


def _answer_value(answer: Answer) -> int | str:
    if answer.not_applicable:
        return services.NOT_APPLICABLE
    return answer.value if answer.value is not None else answer.text


def _response_out(response: Response) -> dict[str, Any]:
    answers = selectors.answers_of(response)
    return {
        "id": response.pk,
        "status": response.status,
        "group": response.group,
        "join_code": response.campaign.join_code,
        "instrument": _instrument_ref(response.instrument),
        "language": response.language,
        "started_at": response.started_at,
        "submitted_at": response.submitted_at,
        "answers": {
            code: _answer_value(answer)
            for code, answer in answers.items()
            if answer.not_applicable or answer.value is not None or answer.text
        },
        "sections": [
            {
                "code": row.code,
                "name": row.title,
                "asked": row.asked,
                "answered": row.answered,
                "missing_required": row.missing_required,
            }
            for row in answering.progress(response)
        ],
        "own_questions": [
            _own_question_out(question) for question in own_questions.questions_for(response)
        ],
        "own_answers": {
            str(answer.question_id): value
            for answer in OwnAnswer.objects.filter(response=response)
            if (value := _own_answer_value(answer)) is not None
        },
    }


def _result_list_out(result: Result) -> dict[str, Any]:
    response = result.response
    return {
        "response_id": response.pk,
        "instrument": _instrument_ref(response.instrument),
        "join_code": response.campaign.join_code,
        "scope": response.campaign.scope,
        "submitted_at": response.submitted_at,
        "scores": dict(result.scores),
        "levels": dict(result.levels),
    }


# --- Instruments ---------------------------------------------------------------------------------
def _instrument(code: str, version: int) -> Instrument:
    instrument = selectors.instrument_version(code, version)
    if instrument is None:
        raise NotFound(
            _("There is no instrument “%(code)s” version %(version)s.")
            % {"code": code, "version": version},
            code="unknown_instrument",
        )
    return instrument


@router.get(
    "/instruments",
    response=list[InstrumentOut],
    auth=None,
    summary="Instruments (the latest version of each)",
)
@localised
def instrument_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    latest: dict[str, Instrument] = {}
    for instrument in selectors.instruments():
        latest.setdefault(instrument.code, instrument)
    return [_instrument_out(instrument) for instrument in latest.values()]


@router.get(
    "/instruments/{code}/{version}",
    response=InstrumentDetailOut,
    auth=None,
    summary="One instrument version: groups, sections, items with their choices, levels",
)
@localised
def instrument_detail(
    request: HttpRequest, code: str, version: int, lang: ApiLanguage | None = LANG
) -> Any:
    instrument = _instrument(code, version)
    return _definition_out(instrument, selectors.definition_of(instrument))


@router.post(
    "/instruments/{code}/{version}/self",
    response={201: ResponseStartedOut},
    summary="Start (or go on with) my own self-assessment",
)
@localised
def self_assessment_start(
    request: HttpRequest, code: str, version: int, lang: ApiLanguage | None = LANG
) -> Status[Any]:
    """Signed-in people only; anonymous instruments are answered in campaigns."""
    user = _actor(request)
    instrument = _instrument(code, version)
    if instrument.anonymous:
        raise ApplicationError(
            _("This questionnaire is answered anonymously, in a campaign; ask for its code."),
            code="anonymous_instrument",
        )
    campaign = services.campaign_self_for(user=user, instrument=instrument)
    response, _resume = services.response_start(
        campaign=campaign,
        group=campaign.groups[0],
        user=user,
        language=translation.get_language() or "",
    )
    return Status(201, {**_response_out(response), "resume_code": None})


# --- Campaigns -----------------------------------------------------------------------------------
@router.post(
    "/campaigns",
    response={201: CampaignOut},
    summary="Open a campaign for an organisation, a country or a cohort",
)
@localised
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Status[Any]:
    """Who may open one is in the permission table (403 otherwise); bad fields give 400/422."""
    user = _actor(request)
    errors: list[dict[str, str]] = []
    instrument = (
        selectors.instrument_latest(payload.instrument)
        if payload.version is None
        else selectors.instrument_version(payload.instrument, payload.version)
    )
    if instrument is None:
        errors.append({"field": "instrument", "message": _("Not found.")})
    organisation = None
    if payload.organisation_id is not None:
        organisation = accounts_selectors.organisation_by_id(payload.organisation_id)
        if organisation is None:
            message = _("There is no organisation with this id.")
            errors.append({"field": "organisation_id", "message": message})
    country = None
    if payload.country:
        country = accounts_selectors.country_by_code(payload.country)
        if country is None:
            errors.append({"field": "country", "message": _("There is no country with this code.")})
    if errors or instrument is None:
        raise ApplicationError(
            _("The request is not valid; see details for each field."),
            code="validation",
            details=errors,
            status=422,
        )
    campaign = services.campaign_open(
        instrument=instrument,
        scope=payload.scope,
        organisation=organisation,
        country=country,
        cohort_name=payload.cohort_name,
        opens_at=_aware(payload.opens_at) if payload.opens_at else timezone.now(),
        closes_at=_aware(payload.closes_at),
        groups=payload.groups,
        by=user,
    )
    return Status(201, _campaign_out(campaign))


@router.get("/campaigns", response=list[CampaignOut], summary="The campaigns I may manage")
@paginate(PageNumberPagination)
@localised
def campaign_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    campaigns = selectors.campaigns_managed_by(_actor(request)).prefetch_related("own_questions")
    return _Built(campaigns, _campaign_out)


@router.get(
    "/campaigns/{join_code}",
    response=CampaignSummaryOut,
    auth=None,
    summary="A campaign by its join code: instrument, status, respondent groups",
)
@localised
def campaign_detail(request: HttpRequest, join_code: str, lang: ApiLanguage | None = LANG) -> Any:
    return _campaign_out(selectors.campaign_by_join_code(join_code), full=False)


@router.post("/campaigns/{join_code}/close", response=CampaignOut, summary="Close a campaign now")
@localised
def campaign_close(request: HttpRequest, join_code: str) -> Any:
    user = _actor(request)
    campaign = selectors.campaign_by_join_code(join_code)
    return _campaign_out(services.campaign_close(campaign=campaign, by=user))


@router.get(
    "/campaigns/{join_code}/report",
    response=ReportOut,
    summary="A campaign's group report (no figure from fewer than 5 respondents)",
)
@localised
def campaign_report(request: HttpRequest, join_code: str) -> Any:
    user = _actor(request)
    campaign = selectors.campaign_by_join_code(join_code)
    action = REPORT_ACTIONS.get(campaign.scope)
    if action is None or not can(
        user, action, country=campaign.country, organisation=campaign.organisation
    ):
        raise PermissionDenied(_("You may not do this."))
    summary = summaries.group_summary(campaign)
    parts = summaries.summary_as_data(summary)["parts"] if summary is not None else []
    groups = [part["group"] for part in parts if part["group"] != summaries.ALL]
    withheld = {part["group"]: part["withheld"] for part in parts if part["withheld"]}
    own = own_questions.own_figures(campaign, groups, withheld) if parts else []
    return {
        "join_code": campaign.join_code,
        "instrument": _instrument_ref(campaign.instrument),
        "min_respondents": summaries.MIN_GROUP,
        "parts": parts,
        "own_questions": [
            {
                **_own_question_out(entry.question),
                "figures": {key: figure.__dict__ for key, figure in entry.figures.items()},
            }
            for entry in own
        ],
    }


# --- A campaign's own questions ------------------------------------------------------------------
def _own_question(campaign: Campaign, question_id: int) -> OwnQuestion:
    question = own_questions.question_of(campaign, question_id)
    if question is None:
        raise NotFound(_("This campaign has no such question."), code="unknown_own_question")
    return question


@router.post(
    "/campaigns/{join_code}/own-questions",
    response={201: OwnQuestionOut},
    summary="Add a question of the school's own (coordinators; at most 10, never scored)",
)
@localised
def own_question_add(
    request: HttpRequest, join_code: str, payload: OwnQuestionIn, lang: ApiLanguage | None = LANG
) -> Status[Any]:
    """The question's language is the request language (``?lang=`` or Accept-Language)."""
    campaign = selectors.campaign_by_join_code(join_code)
    question = services.own_question_add(
        campaign=campaign, text=payload.text, groups=payload.groups, by=_actor(request)
    )
    return Status(201, _own_question_out(question))


@router.put(
    "/campaigns/{join_code}/own-questions/{question_id}",
    response=OwnQuestionOut,
    summary="Change an own question (until someone has answered it)",
)
@localised
def own_question_update(
    request: HttpRequest, join_code: str, question_id: int, payload: OwnQuestionIn
) -> Any:
    campaign = selectors.campaign_by_join_code(join_code)
    question = services.own_question_update(
        question=_own_question(campaign, question_id),
        text=payload.text,
        groups=payload.groups,
        by=_actor(request),
    )
    return _own_question_out(question)


@router.delete(
    "/campaigns/{join_code}/own-questions/{question_id}",
    response={204: None},
    summary="Remove an own question (until someone has answered it)",
)
@localised
def own_question_remove(request: HttpRequest, join_code: str, question_id: int) -> Status[None]:
    campaign = selectors.campaign_by_join_code(join_code)
    services.own_question_remove(question=_own_question(campaign, question_id), by=_actor(request))
    return Status(204, None)


# --- Answering -----------------------------------------------------------------------------------
def _response(request: HttpRequest, response_id: int, resume_code: str | None) -> Response:
    """A response the caller may open: their own, or an anonymous one whose code they hold."""
    user = _caller(request)
    response = answering.response_for(
        response_id, user=user, session_ids=[response_id] if resume_code else []
    )
    if response.respondent_id is None and not (
        resume_code
        and response.resume_code_digest
        and hmac.compare_digest(
            services.resume_code_digest(resume_code), response.resume_code_digest
        )
    ):
        raise NotFound(_("There are no answers of yours here."), code="unknown_response")
    return response


@router.post(
    "/campaigns/{join_code}/responses",
    response={201: ResponseStartedOut},
    auth=None,
    summary="Start answering a campaign",
)
@localised
def response_start(
    request: HttpRequest, join_code: str, payload: StartIn, lang: ApiLanguage | None = LANG
) -> Status[Any]:
    """Anonymous instruments need no sign-in; the resume code is in this response only.
    Others need a token or session; a signed-in person gets back their unfinished response."""
    campaign = selectors.campaign_by_join_code(join_code)
    group = payload.group
    if group is None and len(campaign.groups) == 1:
        group = campaign.groups[0]
    response, resume_code = services.response_start(
        campaign=campaign,
        group=group or "",
        user=_caller(request),
        language=translation.get_language() or "",
    )
    return Status(201, {**_response_out(response), "resume_code": resume_code})


@router.post(
    "/responses/resume",
    response=ResponseOut,
    auth=None,
    summary="Find an unfinished anonymous response by its resume code",
)
@localised
def response_resume(request: HttpRequest, payload: ResumeIn) -> Any:
    campaign = selectors.campaign_by_join_code(payload.join_code)
    return _response_out(
        services.response_resume(campaign=campaign, resume_code=payload.resume_code)
    )


@router.get(
    "/responses/{response_id}",
    response=ResponseOut,
    auth=None,
    summary="A response: status, answers so far, progress per section",
)
@localised
def response_detail(
    request: HttpRequest,
    response_id: int,
    x_resume_code: str | None = RESUME_CODE,
    lang: ApiLanguage | None = LANG,
) -> Any:
    return _response_out(_response(request, response_id, x_resume_code))


@router.put(
    "/responses/{response_id}/sections/{section}",
    response=ResponseOut,
    auth=None,
    summary="Save the answers of one section (all or nothing)",
)
@localised
def response_section_save(
    request: HttpRequest,
    response_id: int,
    section: str,
    payload: AnswersIn,
    x_resume_code: str | None = RESUME_CODE,
    lang: ApiLanguage | None = LANG,
) -> Any:
    """Answers not on the item's scale are refused with a message per item; nothing is saved."""
    response = _response(request, response_id, x_resume_code)
    services.response_answers_save(response=response, section_code=section, answers=payload.answers)
    return _response_out(response)


@router.put(
    "/responses/{response_id}/own-answers",
    response=ResponseOut,
    auth=None,
    summary="Save answers to the campaign's own questions (all or nothing)",
)
@localised
def response_own_answers_save(
    request: HttpRequest,
    response_id: int,
    payload: OwnAnswersIn,
    x_resume_code: str | None = RESUME_CODE,
    lang: ApiLanguage | None = LANG,
) -> Any:
    """Own questions are never required; answers not on the agreement scale save nothing."""
    response = _response(request, response_id, x_resume_code)
    services.own_answers_save(response=response, answers=payload.answers)
    return _response_out(response)


@router.post(
    "/responses/{response_id}/submit",
    response=ResponseOut,
    auth=None,
    summary="Submit a response (once; the same key again changes nothing)",
)
@localised
def response_submit(
    request: HttpRequest,
    response_id: int,
    payload: SubmitIn,
    x_resume_code: str | None = RESUME_CODE,
    lang: ApiLanguage | None = LANG,
) -> Any:
    response = _response(request, response_id, x_resume_code)
    services.response_submit(response=response, submission_key=payload.submission_key)
    return _response_out(response)


# --- Results -------------------------------------------------------------------------------------
@router.get(
    "/responses/{response_id}/result",
    response=ResultOut,
    auth=None,
    summary="The individual result of a submitted response",
)
@localised
def response_result(
    request: HttpRequest,
    response_id: int,
    x_resume_code: str | None = RESUME_CODE,
    lang: ApiLanguage | None = LANG,
) -> Any:
    response = _response(request, response_id, x_resume_code)
    result = selectors.result_of(response)
    if result is None:
        raise ApplicationError(
            _("These answers are not submitted yet, so there is no result."),
            code="not_submitted",
            status=409,
        )
    definition = selectors.definition_of(response.instrument)
    return {
        **_result_list_out(result),
        "level_names": {level.code: pick(level.names) for level in definition.levels},
        "rollup": {key: (str(value) if value else None) for key, value in result.rollup.items()},
        "to_develop": [item.__dict__ for item in selectors.competencies_to_develop(result)],
        "own_answers": [
            {"question": _own_question_out(question), "answer": answer}
            for question, answer in own_questions.own_answers_of(response)
        ],
    }


@router.get("/results", response=list[ResultListOut], summary="My submitted results, newest first")
@paginate(PageNumberPagination)
@localised
def result_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    return _Built(selectors.results_of(_actor(request)), _result_list_out)


# --- Open data -----------------------------------------------------------------------------------
@router.get(
    "/open-data",
    response=OpenDataOut,
    auth=None,
    summary="Anonymised open data: mean scores per country and instrument version (CC BY 4.0)",
)
@localised
def open_data_get(
    request: HttpRequest,
    instrument: str | None = Query(None, max_length=40, description="Only this instrument code."),
) -> Any:
    """Every row has at least 5 respondents; rows with fewer are left out and counted. The
    same rows as CSV: ``/<lang>/assessments/open-data.csv``. Columns: docs/open-data.md."""
    data = open_data.open_data(instrument=instrument)
    return {
        "licence": open_data.LICENCE,
        "licence_url": open_data.LICENCE_URL,
        "attribution": open_data.ATTRIBUTION,
        "min_respondents": summaries.MIN_GROUP,
        "note": data.note,
        "withheld_rows": data.withheld_rows,
        "rows": [row.__dict__ for row in data.rows],
    }
