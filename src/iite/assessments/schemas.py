"""API schemas of assessments: what comes in and what goes out, kept apart.

Texts held in six languages come out as ``name`` / ``text`` in the request's language
(``?lang=``, else Accept-Language); the API builds them, so these schemas hold plain values.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictInt, StrictStr

# --- Instruments ---------------------------------------------------------------------------------


class FrameworkRefOut(Schema):
    code: str
    version: str


class InstrumentOut(Schema):
    code: str
    version: int
    anonymous: bool = Field(description="Responses never store who answered.")
    name: str
    description: str
    framework: FrameworkRefOut | None = Field(
        None, description="The competency framework items are mapped to; null for own areas."
    )


class CodeNameOut(Schema):
    code: str
    name: str


class AreaOut(CodeNameOut):
    description: str


class ChoiceOut(Schema):
    value: str = Field(description='The value to send as the answer: a number as text, or "na".')
    label: str


class ItemOut(Schema):
    code: str
    order: int
    text: str
    target: str = Field(description="Competency or area code; empty for text items.")
    groups: list[str]
    required: bool
    kind: Literal["agreement", "statements", "yes-no", "text"]
    not_applicable: bool = Field(description='Whether "na" (not applicable) is an answer.')
    choices: list[ChoiceOut] = Field(description="Empty for text items (free text).")
    max_length: int | None = Field(None, description="For text items, the longest answer.")


class SectionOut(CodeNameOut):
    order: int
    description: str
    items: list[ItemOut]


class LevelOut(CodeNameOut):
    min: float = Field(description="The lowest score (0..1) that reaches this level.")


class RollupOut(Schema):
    kind: str
    mastery: float


class InstrumentDetailOut(InstrumentOut):
    groups: list[CodeNameOut]
    areas: list[AreaOut] = Field(description="The instrument's own areas (none with a framework).")
    sections: list[SectionOut]
    levels: list[LevelOut]
    rollup: RollupOut | None


# --- Campaigns -----------------------------------------------------------------------------------


class CampaignIn(Schema):
    instrument: str = Field(min_length=1, max_length=40, description="Instrument code.")
    version: int | None = Field(None, ge=1, description="Instrument version (default: latest).")
    scope: Literal["organisation", "country", "cohort"]
    organisation_id: int | None = Field(None, description="For scope `organisation`.")
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2, for scope `country`."
    )
    cohort_name: str = Field("", max_length=200, description="For scope `cohort`.")
    opens_at: datetime | None = Field(None, description="Default: now.")
    closes_at: datetime
    groups: list[str] | None = Field(
        None, max_length=20, description="Respondent group codes (default: all)."
    )


class OrganisationRefOut(Schema):
    id: int
    name: str


class InstrumentRefOut(Schema):
    code: str
    version: int
    name: str
    anonymous: bool


class CampaignSummaryOut(Schema):
    """What anyone holding the join code may see."""

    join_code: str
    instrument: InstrumentRefOut
    scope: str
    organisation: OrganisationRefOut | None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2.")
    cohort_name: str
    status: Literal["scheduled", "open", "closed"]
    opens_at: datetime
    closes_at: datetime | None
    groups: list[CodeNameOut]


class CampaignOut(CampaignSummaryOut):
    closed_at: datetime | None
    own_questions: list[OwnQuestionOut] = Field(
        description="Questions the school coordinator added (organisation campaigns only)."
    )
    created_at: datetime


# --- Answering -----------------------------------------------------------------------------------


class StartIn(Schema):
    group: str | None = Field(
        None, max_length=40, description="Respondent group code (may be left out if only one)."
    )


class ResumeIn(Schema):
    join_code: str = Field(min_length=1, max_length=40)
    resume_code: str = Field(min_length=1, max_length=40)


AnswerValue = StrictInt | StrictStr | None


class AnswersIn(Schema):
    answers: dict[str, AnswerValue] = Field(
        description=(
            'Item code → a value on its scale, "na" for not applicable, text for a text item, '
            'or null / "" to clear the answer.'
        )
    )


class SubmitIn(Schema):
    submission_key: uuid.UUID = Field(
        description="A UUID the client makes once per submission; sending it again is harmless."
    )


class OwnQuestionOut(Schema):
    """A question a school coordinator added to their campaign; never scored."""

    id: int
    text: str = Field(description="In the language the coordinator wrote it in.")
    language: str
    groups: list[str] = Field(description="The respondent groups it is asked of.")


class OwnQuestionIn(Schema):
    text: str = Field(description="At most 300 characters.")
    groups: list[str] = Field(description="Respondent group codes of the campaign.")


class OwnAnswersIn(Schema):
    answers: dict[int, AnswerValue] = Field(
        description=(
            'Own question id → a value on the instrument\'s agreement scale, "na" for not '
            'applicable, or null / "" to clear the answer.'
        )
    )


class OwnAnswerOut(Schema):
    question: OwnQuestionOut
    answer: str = Field(description="The label of the answer chosen, in the request language.")


class SectionProgressOut(CodeNameOut):
    asked: int
    answered: int
    missing_required: int


class ResponseOut(Schema):
    id: int
    status: Literal["in_progress", "submitted"]
    group: str
    join_code: str
    instrument: InstrumentRefOut
    language: str
    started_at: datetime
    submitted_at: datetime | None
    answers: dict[str, int | str] = Field(
        description='Answers so far: a value, "na" for not applicable, or the text.'
    )
    sections: list[SectionProgressOut]
    own_questions: list[OwnQuestionOut] = Field(
        description="The campaign's own questions asked of this respondent's group."
    )
    own_answers: dict[str, int | str] = Field(
        description='Own question id → a value, or "na" for not applicable.'
    )


class ResponseStartedOut(ResponseOut):
    resume_code: str | None = Field(
        None,
        description=(
            "Anonymous responses only, shown once: send it as `X-Resume-Code` to reach this "
            "response, or with the join code to /responses/resume."
        ),
    )


# --- Results -------------------------------------------------------------------------------------


class ToDevelopOut(Schema):
    code: str
    score: float
    level: str
    aim: str | None = Field(None, description="The next level; null at the top.")


class ResultOut(Schema):
    response_id: int
    instrument: InstrumentRefOut
    join_code: str
    scope: str
    submitted_at: datetime | None
    scores: dict[str, float] = Field(description="Target code → score in 0..1.")
    levels: dict[str, str] = Field(description="Target code → level code.")
    level_names: dict[str, str] = Field(description="Level code → name, in the request language.")
    rollup: dict[str, str | None] = Field(
        description="Framework dimension → framework level reached (null: none yet)."
    )
    to_develop: list[ToDevelopOut] = Field(
        description="The framework competencies to work on next (lowest scores first)."
    )
    own_answers: list[OwnAnswerOut] = Field(
        description="Answers to the campaign's own questions (not scored)."
    )


class ResultListOut(Schema):
    response_id: int
    instrument: InstrumentRefOut
    join_code: str
    scope: str
    submitted_at: datetime | None
    scores: dict[str, float]
    levels: dict[str, str]


# --- Reports -------------------------------------------------------------------------------------


class FigureOut(Schema):
    n: int | None = Field(None, description="Respondents behind the figure; null if withheld.")
    mean: float | None
    distribution: dict[str, int] | None = Field(
        None, description="Level (targets) or answer value (items) → count; null if withheld."
    )
    withheld: str = Field(description="Why the figures are withheld; empty when shown.")


class ReportPartOut(Schema):
    group: str = Field(description='Respondent group code; "" for all respondents together.')
    respondents: int | None
    withheld: str
    targets: dict[str, FigureOut]
    items: dict[str, FigureOut]


class OwnReportOut(OwnQuestionOut):
    figures: dict[str, FigureOut] = Field(
        description='Respondent group code ("" for everyone) → figures on the agreement scale.'
    )


class ReportOut(Schema):
    join_code: str
    instrument: InstrumentRefOut
    min_respondents: int = Field(description="No figure is computed from fewer respondents.")
    parts: list[ReportPartOut] = Field(description="Empty until someone has submitted.")
    own_questions: list[OwnReportOut] = Field(
        description="The campaign's own questions, under the same minimum of respondents."
    )


# --- Open data -----------------------------------------------------------------------------------


class OpenDataRowOut(Schema):
    instrument: str
    version: int
    country: str = Field(description="ISO 3166-1 alpha-3.")
    target: str = Field(description="Competency or area code.")
    respondents: int
    mean_score: float = Field(description="Mean of the respondents' scores, 0..1.")


class OpenDataOut(Schema):
    licence: str
    licence_url: str
    attribution: str
    min_respondents: int
    note: str
    withheld_rows: int = Field(description="Rows left out because they had too few respondents.")
    rows: list[OpenDataRowOut]
