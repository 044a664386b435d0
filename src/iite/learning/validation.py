"""What is wrong with a path, a step or a quiz: the checks ``services`` and ``authoring`` share.

Each function returns field-level problems as ``{"field", "message"}`` (messages translated),
never raises: the service that calls it raises one ``ApplicationError`` with all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from iite.learning.models import LANGUAGE_CHOICES, Cohort, Path, Step
from iite.library.models import Resource
from iite.reference.models import Competency

LANGUAGES = {code for code, _name in LANGUAGE_CHOICES}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def path_problems(
    *,
    title: str,
    summary: str,
    language: str,
    kind: str,
    estimated_minutes: int,
    completion: str,
    pass_percent: int,
) -> list[dict[str, Any]]:
    """What is wrong with a path's fields (already stripped), field by field."""
    errors = []
    if not title or len(title) > 200:
        errors.append({"field": "title", "message": _("Give a title of 200 characters at most.")})
    if not summary or len(summary) > 2000:
        errors.append({"field": "summary", "message": _("Say what the path is about.")})
    if language not in LANGUAGES:
        errors.append({"field": "language", "message": _("Choose one of the six languages.")})
    if kind not in Path.Kind.values:
        errors.append({"field": "kind", "message": _("Choose a course or a learning path.")})
    if completion not in Path.Completion.values:
        errors.append({"field": "completion", "message": _("Choose a completion rule.")})
    if not 1 <= pass_percent <= 100:
        errors.append({"field": "pass_percent", "message": _("Between 1 and 100.")})
    if not 1 <= estimated_minutes <= 100_000:
        errors.append({"field": "estimated_minutes", "message": _("A positive number.")})
    return errors


def competencies_found(codes: Sequence[str], errors: list[dict[str, Any]]) -> list[Competency]:
    """The ICT CFT v3 competencies of ``codes``; unknown codes are added to ``errors``."""
    found = list(
        Competency.objects.filter(
            framework__code="ict-cft", framework__version="3", code__in=list(codes)
        )
    )
    unknown = sorted(set(codes) - {competency.code for competency in found})
    if unknown:
        errors.append(
            {
                "field": "competencies",
                "message": _("Unknown competencies: %(codes)s.") % {"codes": ", ".join(unknown)},
            }
        )
    return found


def quiz_problems(questions: Any) -> list[dict[str, Any]]:
    """What is wrong with a quiz's questions, as ``questions.<n>.<part>`` field problems.

    A question is ``{"question": text, "choices": [two to ten texts], "answer": index}``.
    """
    if not isinstance(questions, list) or not questions:
        return [{"field": "questions", "message": _("A quiz needs at least one question.")}]
    errors = []
    for number, question in enumerate(questions):
        if not isinstance(question, dict):
            errors.append(
                {"field": f"questions.{number}", "message": _("Each question is an object.")}
            )
            continue
        text, choices, answer = (question.get(k) for k in ("question", "choices", "answer"))
        if not isinstance(text, str) or not text.strip() or len(text) > 1000:
            errors.append(
                {
                    "field": f"questions.{number}.question",
                    "message": _("Write the question (1,000 characters at most)."),
                }
            )
        if (
            not isinstance(choices, list)
            or not 2 <= len(choices) <= 10
            or not all(isinstance(c, str) and c.strip() and len(c) <= 300 for c in choices)
        ):
            errors.append(
                {
                    "field": f"questions.{number}.choices",
                    "message": _("Give at least two choices (ten at most, 300 characters each)."),
                }
            )
        elif (
            not isinstance(answer, int)
            or isinstance(answer, bool)
            or not 0 <= answer < len(choices)
        ):
            errors.append(
                {
                    "field": f"questions.{number}.answer",
                    "message": _("Mark which choice is the right one."),
                }
            )
    return errors


def step_problems(
    *,
    kind: str,
    title: str,
    url: str,
    resource: Resource | None,
    instructions: str,
    estimated_minutes: int,
) -> list[dict[str, Any]]:
    """What is wrong with a step's fields (questions aside), field by field."""
    errors = []
    if kind not in Step.Kind.values:
        errors.append({"field": "kind", "message": _("Choose the kind of step.")})
    if not title or len(title) > 200:
        errors.append({"field": "title", "message": _("Give a title of 200 characters at most.")})
    if kind == Step.Kind.EXTERNAL and (
        not url.startswith(("https://", "http://")) or len(url) > 200 or " " in url
    ):
        errors.append({"field": "url", "message": _("Give the course's web address.")})
    if kind == Step.Kind.RESOURCE and (
        resource is None or resource.status != Resource.Status.PUBLISHED
    ):
        errors.append({"field": "resource", "message": _("Choose a published library resource.")})
    if len(instructions) > 4000:
        errors.append({"field": "instructions", "message": _("4,000 characters at most.")})
    if not 1 <= estimated_minutes <= 100_000:
        errors.append({"field": "estimated_minutes", "message": _("A positive number.")})
    return errors


def slug_problems(slug: str) -> list[dict[str, Any]]:
    """A new path's address: free, lowercase letters, digits and hyphens, 80 at most."""
    if not SLUG.fullmatch(slug or "") or len(slug) > 80:
        message = _("Give an address of lowercase letters, digits and hyphens (80 at most).")
        return [{"field": "slug", "message": message}]
    if Path.objects.filter(slug=slug).exists():
        return [{"field": "slug", "message": _("Another path has this address.")}]
    return []


def cohort_problems(
    *, path: Path, name: str, starts_on: date, ends_on: date, cohort: Cohort | None = None
) -> list[dict[str, Any]]:
    """A cohort's name (unique in its path) and dates, the end not before the start."""
    errors = []
    others = Cohort.objects.filter(path=path, name=name)
    if cohort is not None:
        others = others.exclude(pk=cohort.pk)
    if not name or len(name) > 200:
        errors.append({"field": "name", "message": _("Name the cohort (200 characters at most).")})
    elif others.exists():
        errors.append({"field": "name", "message": _("This path already has a cohort so named.")})
    if ends_on < starts_on:
        errors.append({"field": "ends_on", "message": _("The end comes before the start.")})
    return errors
