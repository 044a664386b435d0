"""Reads of the learning app: paths, a learner's progress and dashboard, facilitators' cohorts.

The authoring pages' reads are in ``authoring_selectors``, credentials and their verification in
``credential_selectors``, and what to learn next in ``recommendations``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.core.errors import NotFound
from iite.learning.authoring_selectors import _competencies
from iite.learning.models import Cohort, Enrolment, Path, Step, StepProgress
from iite.learning.permissions import can
from iite.reference.models import Competency


# --- Paths ---------------------------------------------------------------------------------------
def paths_published(*, language: str | None = None) -> QuerySet[Path]:
    """Published paths with their competencies, optionally in one language."""
    queryset = (
        Path.objects.published()
        .annotate(step_count=Count("steps", distinct=True))
        .prefetch_related(
            Prefetch(
                "competencies",
                queryset=Competency.objects.select_related("dimension", "level").order_by(
                    "dimension__order", "level__order"
                ),
            )
        )
        .order_by("title", "pk")
    )
    return queryset.filter(language=language) if language else queryset


def _ordered_steps() -> QuerySet[Step]:
    return Step.objects.order_by("order").prefetch_related("competencies")


def path_by_slug(slug: str, *, user: Any = None) -> Path:
    """A path by its address; drafts only for those who manage paths, archived paths also for
    the learners enrolled in them (they may finish)."""
    path = (
        Path.objects.filter(slug=slug)
        .prefetch_related(Prefetch("steps", queryset=_ordered_steps()))
        .prefetch_related(Prefetch("competencies", queryset=_competencies()))
        .prefetch_related("prerequisites", "facilitators")
        .first()
    )
    if path is None or not (
        path.status == Path.Status.PUBLISHED
        or (user and can(user, "path.manage"))
        or (path.status == Path.Status.ARCHIVED and enrolment_of(path, user) is not None)
    ):
        raise NotFound(_("There is no such path."))
    return path


def missing_prerequisites(path: Path, user: User) -> list[Path]:
    """The prerequisite paths ``user`` has not completed yet."""
    completed = Enrolment.objects.filter(
        learner_id=user.pk, status=Enrolment.Status.COMPLETED
    ).values_list("path_id", flat=True)
    return list(path.prerequisites.exclude(pk__in=completed).order_by("title"))


def may_facilitate(user: Any, path: Path, cohort: Cohort | None = None) -> bool:
    """Staff, the path's facilitators and (for its cohort) the cohort's facilitators."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if can(user, "cohort.view_any"):
        return True
    if path.facilitators.filter(pk=user.pk).exists():
        return True
    return cohort is not None and cohort.facilitators.filter(pk=user.pk).exists()


# --- A learner's progress ------------------------------------------------------------------------
@dataclass(frozen=True)
class StepState:
    step: Step
    progress: StepProgress | None

    @property
    def done(self) -> bool:
        return self.progress is not None and self.progress.status == StepProgress.Status.DONE


@dataclass(frozen=True)
class Progress:
    enrolment: Enrolment
    steps: list[StepState]

    @property
    def done(self) -> int:
        return sum(1 for state in self.steps if state.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.steps)) if self.steps else 0

    @property
    def resume(self) -> Step | None:
        """Where to carry on: the first step not done, else the last one visited."""
        for state in self.steps:
            if not state.done:
                return state.step
        return self.enrolment.last_step


def enrolment_of(path: Path, user: Any) -> Enrolment | None:
    if not getattr(user, "pk", None):
        return None
    return Enrolment.objects.filter(path=path, learner_id=user.pk).first()


def progress_of(enrolment: Enrolment) -> Progress:
    steps = list(enrolment.path.steps.order_by("order"))
    by_step = {p.step_id: p for p in StepProgress.objects.filter(enrolment=enrolment)}
    return Progress(enrolment, [StepState(step, by_step.get(step.pk)) for step in steps])


def dashboard_of(user: User) -> list[Progress]:
    """A learner's enrolments, unfinished first, each with its progress. Three queries."""
    enrolments = list(
        Enrolment.objects.filter(learner_id=user.pk)
        .select_related("path", "cohort", "last_step", "credential")
        .order_by("status", "-enrolled_at")
    )
    paths = [enrolment.path_id for enrolment in enrolments]
    steps: dict[int, list[Step]] = {}
    for step in Step.objects.filter(path_id__in=paths).order_by("path_id", "order"):
        steps.setdefault(step.path_id, []).append(step)
    progress: dict[tuple[int, int], StepProgress] = {
        (p.enrolment_id, p.step_id): p
        for p in StepProgress.objects.filter(enrolment__in=[e.pk for e in enrolments])
    }
    return [
        Progress(
            enrolment,
            [
                StepState(step, progress.get((enrolment.pk, step.pk)))
                for step in steps.get(enrolment.path_id, [])
            ],
        )
        for enrolment in enrolments
    ]


# --- Facilitators --------------------------------------------------------------------------------
def cohorts_facilitated_by(user: User) -> QuerySet[Cohort]:
    """The cohorts a person may follow: all for staff, else those of their paths or cohorts."""
    queryset = Cohort.objects.select_related("path").annotate(
        learners=Count("enrolments", distinct=True)
    )
    if not can(user, "cohort.view_any"):
        queryset = queryset.filter(Q(path__facilitators=user) | Q(facilitators=user)).distinct()
    return queryset.order_by("-starts_on", "name")


@dataclass(frozen=True)
class CohortRow:
    learner: str
    email: str
    status: str
    done: int
    total: int
    percent: int
    waiting: int
    completed_at: datetime | None
    credential: str


def cohort_progress(cohort: Cohort) -> list[CohortRow]:
    """One row per learner of a cohort. Three queries whatever the size."""
    steps = list(cohort.path.steps.values_list("pk", flat=True))
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("learner", "credential")
        .order_by("learner__name", "pk")
    )
    counts = (
        StepProgress.objects.filter(enrolment__cohort=cohort, step_id__in=steps)
        .values("enrolment_id")
        .annotate(
            done=Count("pk", filter=Q(status=StepProgress.Status.DONE)),
            waiting=Count("pk", filter=Q(status=StepProgress.Status.SUBMITTED)),
        )
    )
    by_enrolment = {row["enrolment_id"]: row for row in counts}
    rows = []
    for enrolment in enrolments:
        row = by_enrolment.get(enrolment.pk, {"done": 0, "waiting": 0})
        credential = getattr(enrolment, "credential", None)
        rows.append(
            CohortRow(
                learner=enrolment.learner.name,
                email=enrolment.learner.email,
                status=enrolment.get_status_display(),
                done=row["done"],
                total=len(steps),
                percent=round(100 * row["done"] / len(steps)) if steps else 0,
                waiting=row["waiting"],
                completed_at=enrolment.completed_at,
                credential=str(credential.public_id) if credential else "",
            )
        )
    return rows


def submissions_waiting(path: Path) -> QuerySet[StepProgress]:
    return (
        StepProgress.objects.filter(step__path=path, status=StepProgress.Status.SUBMITTED)
        .select_related("enrolment__learner", "step")
        .order_by("updated_at")
    )
