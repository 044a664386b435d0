"""Reads for the answering pages: one section's questions with the answers given so far.

Everything here is computed from the instrument's definition and the response; nothing writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.assessments import selectors
from iite.assessments.definition import Definition, Item, Section
from iite.assessments.models import Answer, Response
from iite.core.translation import pick

FIELD_PREFIX = "item-"
NOT_APPLICABLE = "na"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Question:
    code: str
    field: str
    number: int
    text: str
    kind: str
    required: bool
    choices: tuple[Choice, ...]
    text_value: str
    error: str


@dataclass(frozen=True)
class AnswerPage:
    response: Response
    definition: Definition
    section: Section
    number: int
    total: int
    questions: tuple[Question, ...]
    previous: str | None
    next: str | None

    @property
    def title(self) -> str:
        return pick(self.section.names)

    @property
    def answered(self) -> int:
        return sum(1 for question in self.questions if _is_answered(question))


def _is_answered(question: Question) -> bool:
    return bool(question.text_value) or any(choice.checked for choice in question.choices)


def sections_for(definition: Definition, group: str) -> list[Section]:
    """The sections with at least one question for this respondent group, in order."""
    return [
        section
        for section in definition.sections
        if any(group in item.groups for item in section.items)
    ]


def response_for(response_id: int, *, user: User | Any, session_ids: Iterable[int]) -> Response:
    """A response its respondent may open: their own, or an anonymous one started in this browser.

    Anything else is "not found", so response numbers reveal nothing.
    """
    from iite.core.errors import NotFound

    response = (
        Response.objects.select_related("campaign", "instrument").filter(pk=response_id).first()
    )
    own = (
        response is not None
        and response.respondent_id is not None
        and (getattr(user, "is_authenticated", False) and response.respondent_id == user.pk)
    )
    started_here = (
        response is not None and response.respondent_id is None and response_id in set(session_ids)
    )
    if response is None or not (own or started_here):
        raise NotFound(_("There are no answers of yours here."), code="unknown_response")
    return response


def _choices(item: Item, stored: Answer | None, posted: str | None) -> tuple[Choice, ...]:
    if posted is not None:
        current = posted
    elif stored is None:
        current = ""
    elif stored.not_applicable:
        current = NOT_APPLICABLE
    else:
        current = "" if stored.value is None else str(stored.value)
    kind = item.scale.kind
    if kind == "statements":
        options = [(str(s.value), pick(s.text)) for s in item.statements]
    elif kind == "agreement":
        options = [(str(p.value), pick(p.labels)) for p in item.scale.points]
    elif kind == "yes-no":
        options = [("1", _("Yes")), ("0", _("No"))]
    else:
        return ()
    if item.scale.not_applicable:
        options.append((NOT_APPLICABLE, _("Not applicable")))
    return tuple(Choice(value, label, value == current) for value, label in options)


def answer_page(
    response: Response,
    section_code: str,
    *,
    posted: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> AnswerPage | None:
    """The page for one section, or None if the respondent's group has no such section."""
    definition = selectors.definition_of(response.instrument)
    sections = sections_for(definition, response.group)
    codes = [section.code for section in sections]
    if section_code not in codes:
        return None
    index = codes.index(section_code)
    section = sections[index]
    stored = selectors.answers_of(response)
    errors = errors or {}
    questions = []
    items = [item for item in section.items if response.group in item.groups]
    for number, item in enumerate(items, start=1):
        field = FIELD_PREFIX + item.code
        raw = posted.get(field) if posted is not None else None
        answer = stored.get(item.code)
        questions.append(
            Question(
                code=item.code,
                field=field,
                number=number,
                text=pick(item.text),
                kind=item.scale.kind,
                required=item.required,
                choices=_choices(item, answer, raw),
                text_value=(raw if raw is not None else (answer.text if answer else ""))
                if item.scale.kind == "text"
                else "",
                error=errors.get(item.code, ""),
            )
        )
    return AnswerPage(
        response=response,
        definition=definition,
        section=section,
        number=index + 1,
        total=len(sections),
        questions=tuple(questions),
        previous=codes[index - 1] if index > 0 else None,
        next=codes[index + 1] if index + 1 < len(codes) else None,
    )


@dataclass(frozen=True)
class SectionProgress:
    code: str
    title: str
    asked: int
    answered: int
    missing_required: int


def progress(response: Response) -> list[SectionProgress]:
    """For the review page: each section's questions, answers and unanswered required ones."""
    definition = selectors.definition_of(response.instrument)
    answered = {
        code
        for code, answer in selectors.answers_of(response).items()
        if answer.value is not None or answer.not_applicable or answer.text
    }
    rows = []
    for section in sections_for(definition, response.group):
        items = [item for item in section.items if response.group in item.groups]
        rows.append(
            SectionProgress(
                code=section.code,
                title=pick(section.names),
                asked=len(items),
                answered=sum(1 for item in items if item.code in answered),
                missing_required=sum(
                    1 for item in items if item.required and item.code not in answered
                ),
            )
        )
    return rows


def answers_from_post(page: AnswerPage, data: Mapping[str, str]) -> dict[str, str]:
    """The raw answers a section's form posted, by item code (absent fields clear nothing)."""
    return {
        question.code: data[question.field] for question in page.questions if question.field in data
    }
