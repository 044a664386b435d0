"""Reads for a campaign's own questions: which campaigns may have them, the extra answering page,
its line on the review page, and their figures in the group report.

A school coordinator may add up to ``MAX_OWN_QUESTIONS`` questions of their own to an
organisation campaign, in one language, on the instrument's agreement scale. They are never
required and never scored into areas. Their figures follow the same minimum-of-five rule as every
other figure of the group report (``summaries._withheld_groups``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from django.db.models import Count
from django.utils.translation import gettext as _

from iite.assessments import answering, selectors
from iite.assessments.definition import Definition, Scale, Section
from iite.assessments.definition import Item as ItemDefinition
from iite.assessments.group_reports import Column, Row, _item_cell
from iite.assessments.models import Campaign, OwnAnswer, OwnQuestion, Response
from iite.assessments.summaries import ALL, MIN_GROUP, Figure, _too_few, _withheld_groups
from iite.core.translation import pick

OWN_SECTION = "own"  # the code of the extra page, after the instrument's own sections
MAX_OWN_QUESTIONS = 10
TEXT_MAX_LENGTH = 300
FIELD_PREFIX = "own-"


# --- Which campaigns ----------------------------------------------------------------------------
def own_scale(definition: Definition) -> Scale | None:
    """The scale own questions are answered on: the instrument's (first) agreement scale."""
    return next((scale for scale in definition.scales if scale.kind == "agreement"), None)


def allowed_for(campaign: Campaign) -> bool:
    """Whether a campaign may have own questions: an organisation's, with an agreement scale."""
    return (
        campaign.scope == Campaign.Scope.ORGANISATION
        and own_scale(selectors.definition_of(campaign.instrument)) is not None
    )


def questions_of(campaign: Campaign) -> list[OwnQuestion]:
    """A campaign's own questions, in order."""
    return list(OwnQuestion.objects.filter(campaign=campaign).order_by("order"))


def question_of(campaign: Campaign, question_id: int) -> OwnQuestion | None:
    """One own question of a campaign, or None."""
    return OwnQuestion.objects.filter(campaign=campaign, pk=question_id).first()


def answered_ids(campaign: Campaign) -> set[int]:
    """The own questions of a campaign that some response has answered (no longer editable)."""
    return set(
        OwnAnswer.objects.filter(question__campaign=campaign)
        .values_list("question_id", flat=True)
        .distinct()
    )


def questions_for(response: Response) -> list[OwnQuestion]:
    """The own questions asked of a response's respondent group, in order."""
    return [
        question
        for question in questions_of(response.campaign)
        if response.group in question.groups
    ]


# --- Answering ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class OwnQuestionShown(answering.Question):
    """A question of the own page; its text is in the language the coordinator wrote it in."""

    language: str = ""


@dataclass(frozen=True)
class OwnPage(answering.AnswerPage):
    """The extra last page of a campaign's own questions."""

    @property
    def title(self) -> str:
        return _("Our school's own questions")


def is_own_section(response: Response, section_code: str) -> bool:
    """Whether a page code names the own page (an instrument's own section of that code wins)."""
    definition = selectors.definition_of(response.instrument)
    return section_code == OWN_SECTION and definition.section(OWN_SECTION) is None


def _choices(
    scale: Scale, stored: OwnAnswer | None, posted: str | None
) -> tuple[answering.Choice, ...]:
    if posted is not None:
        current = posted
    elif stored is None:
        current = ""
    elif stored.not_applicable:
        current = answering.NOT_APPLICABLE
    else:
        current = "" if stored.value is None else str(stored.value)
    options = [(str(point.value), pick(point.labels)) for point in scale.points]
    if scale.not_applicable:
        options.append((answering.NOT_APPLICABLE, _("Not applicable")))
    return tuple(answering.Choice(value, label, value == current) for value, label in options)


def own_page(
    response: Response,
    *,
    posted: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> OwnPage | None:
    """The own questions page for a response, or None when none is asked of its group."""
    definition = selectors.definition_of(response.instrument)
    scale = own_scale(definition)
    questions = questions_for(response)
    if scale is None or not questions:
        return None
    sections = answering.sections_for(definition, response.group)
    stored = {
        answer.question_id: answer
        for answer in OwnAnswer.objects.filter(
            response=response, question_id__in=[question.pk for question in questions]
        )
    }
    errors = errors or {}
    shown = []
    for number, question in enumerate(questions, start=1):
        field = f"{FIELD_PREFIX}{question.pk}"
        raw = posted.get(field) if posted is not None else None
        shown.append(
            OwnQuestionShown(
                code=str(question.pk),
                field=field,
                number=number,
                text=question.text,
                kind="agreement",
                required=False,
                choices=_choices(scale, stored.get(question.pk), raw),
                text_value="",
                error=errors.get(str(question.pk), ""),
                language=question.language,
            )
        )
    return OwnPage(
        response=response,
        definition=definition,
        section=Section(
            code=OWN_SECTION, order=len(sections) + 1, names={}, descriptions={}, items=()
        ),
        number=len(sections) + 1,
        total=len(sections) + 1,
        questions=tuple(shown),
        previous=sections[-1].code if sections else None,
        next=None,
    )


def with_own_page(page: answering.AnswerPage) -> answering.AnswerPage:
    """An instrument page counted with the own page, which comes after the last one."""
    if not allowed_for(page.response.campaign) or not questions_for(page.response):
        return page
    return replace(page, total=page.total + 1, next=page.next or OWN_SECTION)


def own_progress(response: Response) -> list[answering.SectionProgress]:
    """The review page's line for the own page (none when no own question is asked)."""
    questions = questions_for(response)
    if not questions or not allowed_for(response.campaign):
        return []
    answered = OwnAnswer.objects.filter(
        response=response, question_id__in=[question.pk for question in questions]
    ).count()
    return [
        answering.SectionProgress(
            code=OWN_SECTION,
            title=_("Our school's own questions"),
            asked=len(questions),
            answered=answered,
            missing_required=0,
        )
    ]


# --- The group report ---------------------------------------------------------------------------
@dataclass(frozen=True)
class OwnRow(Row):
    """One own question of the group report; its text is in the language it was written in."""

    language: str = ""


def _figure(counts: Mapping[str, int]) -> Figure:
    values = {bucket: n for bucket, n in counts.items() if bucket != "not_applicable"}
    n = sum(values.values())
    total = sum(int(bucket) * number for bucket, number in values.items())
    return Figure(n=n, mean=round(total / n, 6) if n else None, distribution=dict(counts))


@dataclass(frozen=True)
class OwnFigures:
    """One own question's figures: for all respondents (``ALL``) and per group, or why withheld."""

    question: OwnQuestion
    figures: Mapping[str, Figure]


def own_figures(
    campaign: Campaign, groups: Sequence[str], withheld: Mapping[str, str]
) -> list[OwnFigures]:
    """Per own question, for all respondents and each of ``groups``: n, mean and distribution.

    Withheld exactly as the instrument's items are: the whole school below the minimum, a group
    below it or one that would reveal a small group from the total, and everything of a group
    the report already withholds (``withheld``: group -> reason).
    """
    definition = selectors.definition_of(campaign.instrument)
    questions = questions_of(campaign)
    if own_scale(definition) is None or not questions:
        return []
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        OwnAnswer.objects.filter(
            question__campaign=campaign, response__status=Response.Status.SUBMITTED
        )
        .values_list("question_id", "response__group", "value", "not_applicable")
        .annotate(count=Count("id"))
        .order_by()
    )
    for question_id, group, value, not_applicable, count in rows:
        bucket = "not_applicable" if not_applicable else str(value)
        for key in (ALL, group):
            counts[(question_id, key)][bucket] += count
    found = []
    for question in questions:
        figures = {key: _figure(counts.get((question.pk, key), {})) for key in [ALL, *groups]}
        reasons: dict[str, str] = {}
        if (figures[ALL].n or 0) < MIN_GROUP:
            reasons[ALL] = _too_few()
        asked = {key: figures[key].n or 0 for key in groups if key in question.groups}
        reasons.update(_withheld_groups(asked))
        reasons.update(withheld)  # nothing at all about a group the report withholds
        shown = {
            key: Figure(withheld=reasons[key]) if key in reasons else figure
            for key, figure in figures.items()
        }
        found.append(OwnFigures(question, shown))
    return found


def own_report(campaign: Campaign, columns: Sequence[Column]) -> tuple[OwnRow, ...]:
    """The group report's rows of the own questions, one cell per column (see ``own_figures``)."""
    scale = own_scale(selectors.definition_of(campaign.instrument))
    if scale is None:
        return ()
    groups = [column.code for column in columns if column.code != ALL]
    withheld = {column.code: column.withheld for column in columns if column.withheld}
    result = []
    for entry in own_figures(campaign, groups, withheld):
        question = entry.question
        item = ItemDefinition(
            code=str(question.pk),
            section=OWN_SECTION,
            order=question.order,
            target="",
            groups=tuple(question.groups),
            scale=scale,
            required=False,
            text={},
        )
        cells = tuple(
            _item_cell(item, column.code, entry.figures.get(column.code)) for column in columns
        )
        result.append(
            OwnRow(
                code=f"{OWN_SECTION}-{question.order}",
                name=question.text,
                cells=cells,
                language=question.language,
            )
        )
    return tuple(result)


def own_answers_of(response: Response) -> list[tuple[OwnQuestion, str]]:
    """A respondent's answers to the campaign's own questions, as the labels they chose."""
    scale = own_scale(selectors.definition_of(response.instrument))
    if scale is None:
        return []
    labels = {point.value: pick(point.labels) for point in scale.points}
    answers = {
        answer.question_id: answer
        for answer in OwnAnswer.objects.filter(response=response).select_related("question")
    }
    shown = []
    for question in questions_for(response):
        answer = answers.get(question.pk)
        if answer is None:
            continue
        if answer.not_applicable:
            shown.append((question, _("Not applicable")))
        elif answer.value is not None:
            shown.append((question, labels.get(answer.value, str(answer.value))))
    return shown
