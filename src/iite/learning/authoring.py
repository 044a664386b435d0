"""Writes of the authoring pages: change a path, arrange its steps, write quizzes, run cohorts.

Creating a path, adding a step, publishing and creating a cohort are in ``services`` (older
callers use them there); everything that changes them afterwards is here. Every function checks
``path.manage``, validates first and writes inside one transaction: bad input raises an
``ApplicationError`` with translated field problems and changes nothing.

What learners have done is never lost by an edit (docs/learning.md, "Authoring"): a step some
learner has started cannot be removed, and a step's kind never changes; its texts, address,
resource, quiz questions and competencies may, and the progress recorded on it stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iite.accounts.models import User
from iite.core.errors import ApplicationError, PermissionDenied
from iite.learning import services
from iite.learning.models import Cohort, Enrolment, Path, Step, StepProgress
from iite.learning.permissions import can
from iite.learning.validation import (
    cohort_problems,
    competencies_found,
    path_problems,
    quiz_problems,
    step_problems,
)
from iite.library.models import Resource


def _invalid(message: str, details: list[dict[str, Any]] | None = None) -> ApplicationError:
    return ApplicationError(message, code="validation", details=details)


def _require(user: User | None) -> None:
    """``by=None`` is the console (demo loader, management commands)."""
    if user is not None and not can(user, "path.manage"):
        raise PermissionDenied(_("Only editors and administrators write learning paths."))


def _lock(path: Path) -> Path:
    """Lock the path's row (its steps are rearranged by one request at a time) and read its
    status as it is now into ``path``, which the caller holds and sees changed."""
    path.status = Path.objects.select_for_update().values_list("status", flat=True).get(pk=path.pk)
    return path


# --- Paths ---------------------------------------------------------------------------------------
def _leads_back(path: Path, prerequisites: Sequence[Path]) -> list[Path]:
    """The prerequisites that are ``path`` itself or need it, directly or further back."""
    edges: dict[int, set[int]] = {}
    for source, target in Path.prerequisites.through.objects.values_list(
        "from_path_id", "to_path_id"
    ):
        edges.setdefault(source, set()).add(target)
    looping = []
    for prerequisite in prerequisites:
        seen, frontier = set(), {prerequisite.pk}
        while frontier and path.pk not in frontier:
            seen |= frontier
            frontier = {t for s in frontier for t in edges.get(s, ()) if t not in seen}
        if path.pk in frontier:
            looping.append(prerequisite)
    return looping


@transaction.atomic
def path_update(
    *,
    path: Path,
    title: str,
    summary: str,
    language: str,
    kind: str,
    estimated_minutes: int,
    completion: str,
    pass_percent: int,
    competencies: Sequence[str] = (),
    prerequisites: Sequence[Path] = (),
    facilitators: Sequence[User] = (),
    by: User | None,
) -> Path:
    """Change a path's fields; its address (slug) stays, for links and issued badges."""
    _require(by)
    title, summary = " ".join(title.split()), summary.strip()
    errors = path_problems(
        title=title,
        summary=summary,
        language=language,
        kind=kind,
        estimated_minutes=estimated_minutes,
        completion=completion,
        pass_percent=pass_percent,
    )
    looping = _leads_back(path, prerequisites)
    if looping:
        errors.append(
            {
                "field": "prerequisites",
                "message": _("These would need this path first, in a circle: %(titles)s.")
                % {"titles": ", ".join(p.title for p in looping)},
            }
        )
    found = competencies_found(competencies, errors)
    if errors:
        raise _invalid(_("The path was not saved; see details for each field."), errors)
    _lock(path)
    path.title, path.summary, path.language, path.kind = title, summary, language, kind
    path.estimated_minutes, path.completion = estimated_minutes, completion
    path.pass_percent = pass_percent
    path.save()
    path.competencies.set(found)
    path.prerequisites.set(prerequisites)
    path.facilitators.set(facilitators)
    return path


@transaction.atomic
def path_unpublish(*, path: Path, by: User | None) -> Path:
    """Take a published path back to draft, while nobody is enrolled (else: archive it)."""
    _require(by)
    _lock(path)
    enrolled = Enrolment.objects.filter(path=path).count()
    if enrolled:
        raise _invalid(
            ngettext(
                "%(count)d learner is enrolled, so the path stays open to them: archive it "
                "instead to close it to new learners.",
                "%(count)d learners are enrolled, so the path stays open to them: archive it "
                "instead to close it to new learners.",
                enrolled,
            )
            % {"count": enrolled}
        )
    path.status = Path.Status.DRAFT
    path.save(update_fields=["status", "updated_at"])
    return path


@transaction.atomic
def path_archive(*, path: Path, by: User | None) -> Path:
    """Close a path to new learners; those enrolled can still finish it and earn the badge."""
    _require(by)
    _lock(path)
    if path.status != Path.Status.PUBLISHED:
        raise _invalid(_("Only a published path is archived."))
    path.status = Path.Status.ARCHIVED
    path.save(update_fields=["status", "updated_at"])
    return path


# --- Steps ---------------------------------------------------------------------------------------
@transaction.atomic
def step_update(
    *,
    step: Step,
    title: str,
    instructions: str = "",
    url: str = "",
    resource: Resource | None = None,
    estimated_minutes: int = 15,
    competencies: Sequence[str] = (),
    by: User | None,
) -> Step:
    """Change a step's texts, address, resource, time and competencies (never its kind).

    Learners' progress on it stands: a step marked done stays done.
    """
    _require(by)
    title, instructions, url = " ".join(title.split()), instructions.strip(), url.strip()
    errors = step_problems(
        kind=step.kind,
        title=title,
        url=url,
        resource=resource,
        instructions=instructions,
        estimated_minutes=estimated_minutes,
    )
    found = competencies_found(competencies, errors)
    if errors:
        raise _invalid(_("The step was not saved; see details for each field."), errors)
    step.title, step.instructions, step.estimated_minutes = title, instructions, estimated_minutes
    if step.kind == Step.Kind.EXTERNAL:
        step.url = url
    if step.kind == Step.Kind.RESOURCE:
        step.resource = resource
    step.save()
    step.competencies.set(found)
    return step


@transaction.atomic
def step_remove(*, step: Step, by: User | None) -> Path:
    """Remove a step nobody has started; the later steps move up one place.

    Learners who had done every other step complete the path now (and get their badge).
    """
    _require(by)
    path = _lock(step.path)
    started = StepProgress.objects.filter(step=step).count()
    if started:
        raise _invalid(
            ngettext(
                "%(count)d learner has started this step, so it stays: change its text "
                "instead, or archive the path and write a new one.",
                "%(count)d learners have started this step, so it stays: change its text "
                "instead, or archive the path and write a new one.",
                started,
            )
            % {"count": started}
        )
    if path.status != Path.Status.DRAFT and path.steps.count() == 1:
        raise _invalid(_("A published path keeps at least one step."))
    removed = step.order
    step.delete()
    for later in list(path.steps.filter(order__gt=removed).order_by("order")):
        # One row at a time, upwards: the unique (path, order) pair holds after every update.
        Step.objects.filter(pk=later.pk).update(order=later.order - 1)
    remaining = path.steps.count()
    if remaining:
        ready = (
            Enrolment.objects.filter(path=path, status=Enrolment.Status.ACTIVE)
            .annotate(
                done=Count(
                    "progress",
                    filter=Q(progress__status=StepProgress.Status.DONE),
                    distinct=True,
                )
            )
            .filter(done__gte=remaining)
        )
        for enrolment in ready:
            services.completion_check(enrolment=enrolment)
    return path


@transaction.atomic
def step_move(*, step: Step, direction: Literal["up", "down"], by: User | None) -> Step:
    """Swap a step with the one before (``up``) or after it (``down``)."""
    _require(by)
    path = _lock(step.path)
    step = Step.objects.get(pk=step.pk)  # its order as it is now, under the lock
    siblings = path.steps.exclude(pk=step.pk)
    if direction == "up":
        other = siblings.filter(order__lt=step.order).order_by("-order").first()
    elif direction == "down":
        other = siblings.filter(order__gt=step.order).order_by("order").first()
    else:
        raise _invalid(_("Move a step up or down."))
    if other is None:
        raise _invalid(
            _("This step is already the first.")
            if direction == "up"
            else _("This step is already the last.")
        )
    mine, theirs = step.order, other.order
    # Order 0 is never used by a step: the swap passes through it so (path, order) stays unique.
    Step.objects.filter(pk=step.pk).update(order=0)
    Step.objects.filter(pk=other.pk).update(order=mine)
    Step.objects.filter(pk=step.pk).update(order=theirs)
    step.order = theirs
    return step


# --- Quiz questions ------------------------------------------------------------------------------
def _quiz(step: Step) -> None:
    if step.kind != Step.Kind.QUIZ:
        raise _invalid(_("This step is not a quiz."))


@transaction.atomic
def quiz_question_save(
    *,
    step: Step,
    number: int | None,
    question: str,
    choices: Sequence[str],
    answer: int | None,
    by: User | None,
) -> Step:
    """Add a question to a quiz (``number=None``) or replace question ``number`` (from 0).

    ``choices`` are the texts in order, ``answer`` the index of the right one. Scores learners
    already have stand; those who have not passed yet answer the new version.
    """
    _require(by)
    _quiz(step)
    step = Step.objects.select_for_update().get(pk=step.pk)
    questions = list(step.questions)
    if number is not None and not 0 <= number < len(questions):
        raise _invalid(_("This quiz has no such question."))
    entry = {
        "question": question.strip(),
        "choices": [c.strip() for c in choices],
        "answer": answer,
    }
    errors = [
        {**problem, "field": problem["field"].rsplit(".", 1)[-1]}
        for problem in quiz_problems([entry])
    ]
    if errors:
        raise _invalid(_("The question was not saved; see details for each field."), errors)
    if number is None:
        questions.append(entry)
    else:
        questions[number] = entry
    step.questions = questions
    step.save(update_fields=["questions"])
    return step


@transaction.atomic
def quiz_question_remove(*, step: Step, number: int, by: User | None) -> Step:
    """Remove question ``number`` (from 0); a quiz keeps at least one question."""
    _require(by)
    _quiz(step)
    step = Step.objects.select_for_update().get(pk=step.pk)
    questions = list(step.questions)
    if not 0 <= number < len(questions):
        raise _invalid(_("This quiz has no such question."))
    if len(questions) == 1:
        raise _invalid(
            _("A quiz keeps at least one question: add another first, or remove the step.")
        )
    del questions[number]
    step.questions = questions
    step.save(update_fields=["questions"])
    return step


# --- Cohorts -------------------------------------------------------------------------------------
@transaction.atomic
def cohort_update(
    *,
    cohort: Cohort,
    name: str,
    starts_on: date,
    ends_on: date,
    facilitators: Sequence[User] = (),
    by: User | None,
) -> Cohort:
    """Rename a cohort, move its dates (the end not before the start), change facilitators."""
    _require(by)
    name = " ".join(name.split())
    errors = cohort_problems(
        path=cohort.path, name=name, starts_on=starts_on, ends_on=ends_on, cohort=cohort
    )
    if errors:
        raise _invalid(_("The cohort was not saved; see details for each field."), errors)
    cohort.name, cohort.starts_on, cohort.ends_on = name, starts_on, ends_on
    cohort.save()
    cohort.facilitators.set(facilitators)
    return cohort
