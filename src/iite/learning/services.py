"""Writes of the learning app: paths, steps, cohorts, enrolment, progress and completion.

Every function validates first and writes inside one transaction, so bad input raises an
``ApplicationError`` with a translated message and changes nothing. Completing a path issues its
credential (``credential_services``) in the same transaction; a second completion (a double
post, a race) finds the one already issued, because a credential is unique per enrolment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.core.errors import ApplicationError, NotFound, PermissionDenied
from iite.learning import credential_services, selectors
from iite.learning.models import (
    Cohort,
    Credential,
    Enrolment,
    Path,
    Step,
    StepProgress,
)
from iite.learning.permissions import can
from iite.learning.validation import (
    cohort_problems,
    competencies_found,
    path_problems,
    quiz_problems,
    slug_problems,
    step_problems,
)
from iite.library.models import Resource

MAX_SUBMISSION_BYTES = 10 * 1024 * 1024
SUBMISSION_TYPES = {".pdf", ".docx", ".odt", ".txt", ".png", ".jpg", ".jpeg"}


def _invalid(message: str, details: list[dict[str, Any]] | None = None) -> ApplicationError:
    return ApplicationError(message, code="validation", details=details)


def _require(user: User | None, action: str) -> None:
    if user is not None and not can(user, action):
        raise PermissionDenied(_("You may not do this."))


# --- Paths, steps and cohorts --------------------------------------------------------------------
@transaction.atomic
def path_create(
    *,
    slug: str,
    title: str,
    summary: str,
    language: str,
    kind: str = Path.Kind.PATH,
    estimated_minutes: int = 60,
    completion: str = Path.Completion.ALL_STEPS,
    pass_percent: int = 70,
    competencies: Sequence[str] = (),
    prerequisites: Sequence[Path] = (),
    facilitators: Sequence[User] = (),
    by: User | None,
) -> Path:
    """A new draft path; competencies are ICT CFT v3 codes such as ``3.KA``.

    Changing it, its steps and cohorts afterwards: ``learning.authoring``.
    """
    _require(by, "path.manage")
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
    errors += slug_problems(slug)
    found = competencies_found(competencies, errors)
    if errors:
        raise _invalid(_("The path was not saved; see details for each field."), errors)
    path = Path.objects.create(
        slug=slug,
        kind=kind,
        title=title,
        summary=summary,
        language=language,
        estimated_minutes=estimated_minutes,
        completion=completion,
        pass_percent=pass_percent,
        created_by=by,
    )
    path.competencies.set(found)
    path.prerequisites.set(prerequisites)
    path.facilitators.set(facilitators)
    return path


@transaction.atomic
def step_add(
    *,
    path: Path,
    kind: str,
    title: str,
    instructions: str = "",
    url: str = "",
    resource: Resource | None = None,
    questions: list[dict[str, Any]] | None = None,
    estimated_minutes: int = 15,
    competencies: Sequence[str] = (),
    by: User | None,
) -> Step:
    """Add a step at the end of a path."""
    _require(by, "path.manage")
    title, instructions, url = " ".join(title.split()), instructions.strip(), url.strip()
    errors = step_problems(
        kind=kind,
        title=title,
        url=url,
        resource=resource,
        instructions=instructions,
        estimated_minutes=estimated_minutes,
    )
    if kind == Step.Kind.QUIZ:
        errors += quiz_problems(questions)
    found = competencies_found(competencies, errors)
    if errors:
        raise _invalid(_("The step was not saved; see details for each field."), errors)
    # The path's row is locked so that two steps added at once do not take the same place.
    Path.objects.select_for_update().filter(pk=path.pk).first()
    order = (path.steps.aggregate(last=Max("order"))["last"] or 0) + 1
    step = Step.objects.create(
        path=path,
        order=order,
        kind=kind,
        title=title,
        instructions=instructions,
        url=url if kind == Step.Kind.EXTERNAL else "",
        questions=(questions or []) if kind == Step.Kind.QUIZ else [],
        estimated_minutes=estimated_minutes,
        resource=resource if kind == Step.Kind.RESOURCE else None,
    )
    step.competencies.set(found)
    return step


@transaction.atomic
def path_publish(*, path: Path, by: User | None) -> Path:
    """Open a draft (or archived) path to learners."""
    _require(by, "path.manage")
    if not path.steps.exists():
        raise _invalid(_("A path needs at least one step before it is published."))
    if (
        path.completion == Path.Completion.QUIZ_SCORE
        and not path.steps.filter(kind=Step.Kind.QUIZ).exists()
    ):
        raise _invalid(_("A path completed by its quiz scores needs at least one quiz."))
    path.status = Path.Status.PUBLISHED
    path.save(update_fields=["status", "updated_at"])
    return path


@transaction.atomic
def cohort_create(
    *,
    path: Path,
    name: str,
    starts_on: date,
    ends_on: date,
    facilitators: Sequence[User] = (),
    by: User | None,
) -> Cohort:
    _require(by, "path.manage")
    name = " ".join(name.split())
    errors = cohort_problems(path=path, name=name, starts_on=starts_on, ends_on=ends_on)
    if errors:
        raise _invalid(_("The cohort was not saved; see details for each field."), errors)
    cohort = Cohort.objects.create(path=path, name=name, starts_on=starts_on, ends_on=ends_on)
    cohort.facilitators.set(facilitators)
    return cohort


# --- Enrolment and progress ----------------------------------------------------------------------
@transaction.atomic
def enrol(*, path: Path, user: User, cohort: Cohort | None = None) -> Enrolment:
    """Enrol ``user`` in a published path; enrolling again returns the same enrolment."""
    if not can(user, "path.enrol"):
        raise PermissionDenied(_("Sign in to enrol."))
    if path.status != Path.Status.PUBLISHED:
        raise NotFound(_("This path is not open for enrolment."))
    if cohort is not None and cohort.path_id != path.pk:
        raise _invalid(_("This cohort takes another path."))
    existing = Enrolment.objects.filter(path=path, learner=user).first()
    if existing is not None:
        return existing
    missing = selectors.missing_prerequisites(path, user)
    if missing:
        raise ApplicationError(
            _("Complete these first: %(titles)s.")
            % {"titles": ", ".join(prerequisite.title for prerequisite in missing)},
            code="prerequisites",
        )
    try:
        with transaction.atomic():
            return Enrolment.objects.create(path=path, learner=user, cohort=cohort)
    except IntegrityError:  # a second request enrolled meanwhile
        return Enrolment.objects.get(path=path, learner=user)


def _save_progress(enrolment: Enrolment, step: Step, status: str, **fields: Any) -> StepProgress:
    progress, _created = StepProgress.objects.update_or_create(
        enrolment=enrolment, step=step, defaults={"status": status, **fields}
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(last_step=step)
    return progress


@transaction.atomic
def step_complete(*, enrolment: Enrolment, step: Step, user: User) -> StepProgress:
    """Mark a resource or external-course step done (again: nothing changes)."""
    _own(enrolment, user)
    if step.path_id != enrolment.path_id:
        raise NotFound(_("This step is not part of the path."))
    if step.kind not in (Step.Kind.RESOURCE, Step.Kind.EXTERNAL):
        raise _invalid(_("This step is done by submitting it, not by ticking it off."))
    progress = _save_progress(enrolment, step, StepProgress.Status.DONE)
    completion_check(enrolment=enrolment)
    return progress


def _own(enrolment: Enrolment, user: User) -> None:
    if enrolment.learner_id != getattr(user, "pk", None):
        raise NotFound(_("There is no such enrolment."))


@transaction.atomic
def activity_submit(
    *,
    enrolment: Enrolment,
    step: Step,
    user: User,
    text: str = "",
    file: UploadedFile | None = None,
) -> StepProgress:
    """Hand in an activity (text, a file, or both) for a facilitator to review."""
    _own(enrolment, user)
    if step.path_id != enrolment.path_id or step.kind != Step.Kind.ACTIVITY:
        raise NotFound(_("This step is not an activity of the path."))
    text = text.strip()
    errors = []
    if not text and file is None:
        errors.append({"field": "text", "message": _("Write your answer or attach a file.")})
    if len(text) > 5000:
        errors.append({"field": "text", "message": _("5,000 characters at most.")})
    if file is not None:
        name = file.name or ""
        suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
        if suffix not in SUBMISSION_TYPES:
            errors.append(
                {
                    "field": "file",
                    "message": _("Attach a PDF, Word, OpenDocument, text or image file."),
                }
            )
        if (file.size or 0) > MAX_SUBMISSION_BYTES:
            errors.append({"field": "file", "message": _("Files of 10 MB at most.")})
    existing = StepProgress.objects.filter(enrolment=enrolment, step=step).first()
    if existing is not None and existing.status == StepProgress.Status.DONE:
        errors.append({"field": "text", "message": _("This activity is already accepted.")})
    if errors:
        raise _invalid(_("Nothing was handed in; see details for each field."), errors)
    progress = _save_progress(
        enrolment, step, StepProgress.Status.SUBMITTED, text=text, feedback="", reviewed_by=None
    )
    if file is not None:
        progress.file.save(file.name or "submission", file, save=True)
    return progress


@transaction.atomic
def submission_review(
    *, progress: StepProgress, accept: bool, feedback: str = "", by: User
) -> StepProgress:
    """Accept an activity (which may complete the path) or return it with feedback."""
    path = progress.enrolment.path
    if not (
        can(by, "submission.review_any")
        or selectors.may_facilitate(by, path, progress.enrolment.cohort)
    ):
        raise PermissionDenied(_("Only the path's facilitators review its activities."))
    if progress.status != StepProgress.Status.SUBMITTED:
        raise _invalid(_("This activity is not waiting for review."))
    feedback = feedback.strip()
    if not accept and not feedback:
        raise _invalid(
            _("Say what to improve when you return an activity."),
            [{"field": "feedback", "message": _("Write feedback for the learner.")}],
        )
    progress.status = StepProgress.Status.DONE if accept else StepProgress.Status.RETURNED
    progress.feedback = feedback[:2000]
    progress.reviewed_by = by
    progress.save(update_fields=["status", "feedback", "reviewed_by", "updated_at"])
    completion_check(enrolment=progress.enrolment)
    return progress


@transaction.atomic
def quiz_submit(
    *, enrolment: Enrolment, step: Step, user: User, answers: dict[int, int | None]
) -> StepProgress:
    """Score a quiz; it is passed at the path's pass mark (retries allowed until passed)."""
    _own(enrolment, user)
    if step.path_id != enrolment.path_id or step.kind != Step.Kind.QUIZ:
        raise NotFound(_("This step is not a quiz of the path."))
    questions = step.questions
    unanswered = [number for number in range(len(questions)) if answers.get(number) is None]
    if unanswered:
        raise _invalid(
            _("Answer every question."),
            [{"field": f"q{number}", "message": _("Choose an answer.")} for number in unanswered],
        )
    existing = StepProgress.objects.filter(enrolment=enrolment, step=step).first()
    if existing is not None and existing.status == StepProgress.Status.DONE:
        return existing
    right = sum(
        1 for number, question in enumerate(questions) if answers[number] == question["answer"]
    )
    score = round(100 * right / len(questions))
    passed = score >= enrolment.path.pass_percent
    if enrolment.path.completion == Path.Completion.ALL_STEPS:
        passed = True  # the quiz counts as done; only quiz-score paths need the pass mark
    status = StepProgress.Status.DONE if passed else StepProgress.Status.FAILED
    progress = _save_progress(enrolment, step, status, score=score)
    completion_check(enrolment=enrolment)
    return progress


# --- Completion ----------------------------------------------------------------------------------
@transaction.atomic
def completion_check(*, enrolment: Enrolment) -> Credential | None:
    """Complete the enrolment and issue its credential when every step is done.

    Runs again harmlessly: the enrolment row is locked, and a completed one returns the
    credential it already has.
    """
    enrolment = (
        Enrolment.objects.select_for_update().select_related("path", "learner").get(pk=enrolment.pk)
    )
    if enrolment.status == Enrolment.Status.COMPLETED:
        return Credential.objects.filter(enrolment=enrolment).first()
    steps = set(enrolment.path.steps.values_list("pk", flat=True))
    done = set(
        StepProgress.objects.filter(
            enrolment=enrolment, status=StepProgress.Status.DONE
        ).values_list("step_id", flat=True)
    )
    if not steps or not steps <= done:
        return None
    now = timezone.now()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.COMPLETED, completed_at=now
    )
    enrolment.status, enrolment.completed_at = Enrolment.Status.COMPLETED, now
    return credential_services.credential_issue(enrolment=enrolment)
