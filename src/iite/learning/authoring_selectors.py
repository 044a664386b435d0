"""Reads of the authoring pages: the paths one manages, their steps and cohorts, and the choices
their forms offer (competencies, prerequisite paths, library resources, people by e-mail).

``paths_managed`` and ``path_for_authoring`` check ``path.manage``; the others take a path
already fetched through them. The writes are in ``authoring`` (creating: in ``services``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from iite.accounts import selectors as account_selectors
from iite.accounts.models import User
from iite.core.errors import NotFound, PermissionDenied
from iite.learning.models import Cohort, Path, Step
from iite.learning.permissions import can
from iite.library import selectors as library_selectors
from iite.reference.models import Competency


def _competencies() -> QuerySet[Competency]:
    return Competency.objects.select_related("dimension", "level").order_by(
        "dimension__order", "level__order"
    )


def paths_managed(user: Any, *, status: str = "", mine: bool = False) -> QuerySet[Path]:
    """Every path for those who manage paths (none for others), newest change first, with
    counts of steps and learners; ``status`` and ``mine`` (created by ``user``) narrow it."""
    if not can(user, "path.manage"):
        return Path.objects.none()
    queryset = Path.objects.annotate(
        step_count=Count("steps", distinct=True), learner_count=Count("enrolments", distinct=True)
    )
    if status in Path.Status.values:
        queryset = queryset.filter(status=status)
    if mine:
        queryset = queryset.filter(created_by_id=user.pk)
    return queryset.select_related("created_by").order_by("-updated_at", "-pk")


def path_for_authoring(slug: str, *, user: Any) -> Path:
    """A path (any status) for its authoring pages; others are refused."""
    if not can(user, "path.manage"):
        raise PermissionDenied(_("Only editors and administrators write learning paths."))
    path = (
        Path.objects.filter(slug=slug)
        .prefetch_related(Prefetch("competencies", queryset=_competencies()))
        .prefetch_related("prerequisites", "facilitators")
        .first()
    )
    if path is None:
        raise NotFound(_("There is no such path."))
    return path


def steps_for_authoring(path: Path) -> list[Step]:
    """A path's steps in order, each with ``learners``: how many have started it."""
    return list(
        path.steps.annotate(learners=Count("progress", distinct=True))
        .select_related("resource")
        .prefetch_related(Prefetch("competencies", queryset=_competencies()))
        .order_by("order")
    )


def step_for_authoring(path: Path, step_id: int) -> Step:
    step = (
        Step.objects.filter(path=path, pk=step_id)
        .annotate(learners=Count("progress", distinct=True))
        .select_related("resource", "path")
        .prefetch_related("competencies")
        .first()
    )
    if step is None:
        raise NotFound(_("This path has no such step."))
    return step


def cohorts_of(path: Path) -> QuerySet[Cohort]:
    """A path's cohorts, latest first, with their number of learners."""
    return (
        path.cohorts.annotate(learners=Count("enrolments", distinct=True))
        .prefetch_related("facilitators")
        .order_by("-starts_on", "name")
    )


def cohort_for_authoring(path: Path, cohort_id: int) -> Cohort:
    cohort = (
        Cohort.objects.filter(path=path, pk=cohort_id)
        .select_related("path")
        .prefetch_related("facilitators")
        .first()
    )
    if cohort is None:
        raise NotFound(_("This path has no such cohort."))
    return cohort


def competencies_to_align() -> QuerySet[Competency]:
    """The ICT CFT v3 competencies a path or step may be aligned to, aspect by aspect."""
    return _competencies().filter(framework__code="ict-cft", framework__version="3")


def prerequisites_to_choose(path: Path | None = None) -> QuerySet[Path]:
    """The paths that may be asked for first: all but archived ones and ``path`` itself."""
    queryset = Path.objects.exclude(status=Path.Status.ARCHIVED)
    if path is not None:
        queryset = queryset.exclude(pk=path.pk) | Path.objects.filter(leads_to=path)
    return queryset.distinct().order_by("title", "pk")


def resources_to_choose(query: str = "", *, limit: int = 50) -> list[Any]:
    """Published library resources whose title holds ``query`` (or whose id it is), newest
    first; the newest ``limit`` when the query is empty."""
    queryset = library_selectors.resources_published()
    query = " ".join(query.split())[:200]
    if query:
        exact = library_selectors.resource_published(query)
        if exact is not None:
            return [exact]
        queryset = queryset.filter(title__icontains=query)
    return list(queryset[:limit])


def resource_to_choose(uuid: str) -> Any:
    """The published library resource with this id, or None."""
    return library_selectors.resource_published(uuid.strip()) if uuid.strip() else None


def users_by_email(emails: Sequence[str]) -> tuple[list[User], list[str]]:
    """The people with these e-mail addresses, and the addresses nobody has."""
    found: list[User] = []
    unknown: list[str] = []
    for email in dict.fromkeys(e.strip() for e in emails if e.strip()):
        user = account_selectors.user_by_email(email)
        if user is None:
            unknown.append(email)
        elif user not in found:
            found.append(user)
    return found, unknown
