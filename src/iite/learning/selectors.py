"""Reads of the learning app: paths, progress, dashboards, cohorts, credentials, verification."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from iite.accounts import selectors as account_selectors
from iite.accounts.models import User
from iite.assessments import selectors as assessment_selectors
from iite.assessments.models import Result
from iite.core.errors import NotFound, PermissionDenied
from iite.core.translation import data_key, pick
from iite.learning.credentials import document as documents
from iite.learning.credentials import keys, signing, status_list
from iite.learning.credentials.verification import Trust, Verdict, verify
from iite.learning.models import Cohort, Credential, Enrolment, Path, Step, StepProgress
from iite.learning.permissions import can
from iite.library import selectors as library_selectors
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


def _competencies() -> QuerySet[Competency]:
    return Competency.objects.select_related("dimension", "level").order_by(
        "dimension__order", "level__order"
    )


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


# --- Authoring -----------------------------------------------------------------------------------
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


# --- Credentials ---------------------------------------------------------------------------------
def achievement_of(path: Path) -> documents.Achievement:
    """What a path's credential says about the achievement, from the path and its alignment."""
    aligned = set(path.competencies.values_list("pk", flat=True)) | set(
        Step.competencies.through.objects.filter(step__path=path).values_list(
            "competency_id", flat=True
        )
    )
    competencies = list(
        Competency.objects.filter(pk__in=aligned)
        .select_related("framework", "dimension", "level")
        .order_by("dimension__order", "level__order")
    )
    steps = list(path.steps.order_by("order").values_list("title", flat=True))
    rule = (
        _("Complete every step, passing each quiz with at least %(percent)d%%.")
        % {"percent": path.pass_percent}
        if path.completion == Path.Completion.QUIZ_SCORE
        else _("Complete every step.")
    )
    criteria = " ".join([rule, *[f"({number}) {title}." for number, title in enumerate(steps, 1)]])
    return documents.Achievement(
        slug=path.slug,
        name=path.title,
        description=path.summary,
        criteria=criteria,
        language=path.language,
        alignments=tuple(
            documents.Alignment(
                code=competency.code,
                name=competency.names.get("en") or competency.code,
                framework=competency.framework.names.get("en") or competency.framework.code,
                url=f"{competency.framework.url}#{competency.code}",
            )
            for competency in competencies
        ),
        kind="Course" if path.kind == Path.Kind.COURSE else "LearningProgram",
    )


def credentials_of(user: User) -> QuerySet[Credential]:
    return (
        Credential.objects.filter(enrolment__learner_id=user.pk)
        .select_related("enrolment__path")
        .order_by("-issued_at", "-pk")
    )


def credential_by_public_id(public_id: Any) -> Credential:
    try:
        found = (
            Credential.objects.select_related("enrolment__path", "enrolment__learner")
            .filter(public_id=str(public_id))
            .first()
        )
    except Exception:  # a malformed UUID
        found = None
    if found is None:
        raise NotFound(_("There is no such credential."))
    return found


def _own_key(method: str) -> Ed25519PublicKey | None:
    key = keys.key_for_method(method)
    return key.public_key if key is not None else None


def _revoked(url: str, index: int) -> bool | None:
    prefix = documents.status_list_url(0)[: -len("0")]
    try:
        number = int(url.removeprefix(prefix))
    except ValueError:
        return None
    if number < 0 or not 0 <= index < status_list.LIST_SIZE:
        return None
    rows = list(
        Credential.objects.filter(status_index=number * status_list.LIST_SIZE + index).values_list(
            "revoked_at", flat=True
        )[:1]
    )
    return (rows[0] is not None) if rows else None


def trust() -> Trust:
    """What our verifier knows of our own issuer: its id, keys and status lists."""
    return Trust(
        issuer_id=documents.issuer_id(),
        issuer_name=documents.ISSUER_NAME,
        own_key=_own_key,
        status_list_prefix=documents.status_list_url(0)[: -len("0")],
        revoked=_revoked,
    )


def credential_verify(raw: bytes | str, *, now: datetime | None = None) -> Verdict:
    """Verify any credential (JSON text or bytes) offline, with the reasons."""
    return verify(raw, trust=trust(), now=now)


def issuer_profile() -> dict[str, Any]:
    """The issuer profile the platform serves, listing every key it has signed with."""
    methods = [
        {
            "id": key.verification_method,
            "type": "Multikey",
            "controller": documents.issuer_id(),
            "publicKeyMultibase": key.multibase,
            "created": key.created.isoformat().replace("+00:00", "Z"),
            "current": key.current,
        }
        for key in keys.all_keys() or [keys.current_key()]
    ]
    return documents.issuer_profile(keys=methods)


def did_document(multibase: str) -> dict[str, Any]:
    """The DID document of one of our keys (a did:key resolves to it offline, too)."""
    key = keys.key_for_method(f"did:key:{multibase}")
    if key is None:
        raise NotFound(_("The platform holds no such key."))
    return signing.did_document(key.public_key)


def status_list_credential(number: int) -> dict[str, Any]:
    """The signed Bitstring Status List credential of list ``number`` (as of now)."""
    if number < 0 or number > 10_000:
        raise NotFound(_("There is no such status list."))
    start = number * status_list.LIST_SIZE
    revoked = Credential.objects.filter(
        status_index__gte=start,
        status_index__lt=start + status_list.LIST_SIZE,
        revoked_at__isnull=False,
    ).values_list("status_index", flat=True)
    encoded = status_list.encode(index - start for index in revoked)
    stamp = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    unsigned = documents.status_list_credential(
        number=number, encoded_list=encoded, valid_from=stamp
    )
    key = keys.current_key()
    return signing.sign(
        unsigned,
        private_key=key.private_key,
        verification_method=key.verification_method,
        created=stamp,
    )


# --- Recommendations -----------------------------------------------------------------------------
def paths_for_competencies(
    codes: Sequence[str], *, language: str | None = None, framework: str = "ict-cft"
) -> QuerySet[Path]:
    """Published paths aligned (themselves or by a step) to any of the competency ``codes``.

    For other apps (the countries app's policy gap analysis): codes such as ``"1.KA"`` of the
    framework ``framework``; ``language`` (ar, en, es, fr, ru, zh) keeps the paths in it.
    """
    aligned = Q(competencies__code__in=list(codes), competencies__framework__code=framework) | Q(
        steps__competencies__code__in=list(codes),
        steps__competencies__framework__code=framework,
    )
    queryset = Path.objects.published().filter(pk__in=Path.objects.filter(aligned).values("pk"))
    if language:
        queryset = queryset.filter(language=data_key(language))
    return queryset.prefetch_related(Prefetch("competencies", queryset=_competencies())).order_by(
        "title", "pk"
    )


@dataclass(frozen=True)
class Suggestion:
    """One competency to develop, why, and what to learn for it (here, or in other languages)."""

    code: str
    competency: str
    aspect: str
    reason: str
    paths: list[Path]
    resources: list[Any]
    elsewhere: list[Path]  # the nearest paths in other languages, when none are in the language
    elsewhere_resources: list[Any]

    @property
    def empty(self) -> bool:
        return not (self.paths or self.resources)


def recommendations_for(result: Result, *, language: str, limit: int = 3) -> list[Suggestion]:
    """What to learn next after a self-assessment, in ``language``, each with its reason.

    The assessment's competencies to develop (its lowest scores), each with the published
    paths and library resources aligned to it in the language; when there are none, the
    nearest in other languages.
    """
    language = data_key(language)
    develop = assessment_selectors.competencies_to_develop(result, limit=limit)
    if not develop:
        return []
    definition = assessment_selectors.definition_of(result.response.instrument)
    standing = {level.code: pick(level.names) for level in definition.levels}
    competencies = {
        competency.code: competency
        for competency in Competency.objects.filter(
            framework__code="ict-cft", code__in=[item.code for item in develop]
        ).select_related("dimension", "level")
    }
    suggestions = []
    for item in develop:
        competency = competencies.get(item.code)
        if competency is None:
            continue
        reason = _(
            "Because your %(aspect)s at the %(level)s level is “%(standing)s” (%(percent)d%%), "
            "one of your lowest."
        ) % {
            "aspect": competency.dimension.name,
            "level": competency.level.name,
            "standing": standing.get(item.level, item.level),
            "percent": round(item.score * 100),
        }
        paths = list(paths_for_competencies([item.code], language=language)[:limit])
        resources = list(
            library_selectors.resources_published(competencies=[item.code], language=language)[
                :limit
            ]
        )
        elsewhere: list[Path] = []
        elsewhere_resources: list[Any] = []
        if not paths and not resources:
            elsewhere = list(paths_for_competencies([item.code]).exclude(language=language)[:limit])
            elsewhere_resources = list(
                library_selectors.resources_published(competencies=[item.code]).exclude(
                    language__code=language
                )[:limit]
            )
        suggestions.append(
            Suggestion(
                code=item.code,
                competency=competency.name,
                aspect=competency.dimension.name,
                reason=reason,
                paths=paths,
                resources=resources,
                elsewhere=elsewhere,
                elsewhere_resources=elsewhere_resources,
            )
        )
    return suggestions


def latest_result_of(user: User) -> Result | None:
    """A person's newest self-assessment result against a framework, if any."""
    for result in assessment_selectors.results_of(user)[:10]:
        if result.response.instrument.framework_id is not None:
            return result
    return None


def badge_colour_of(credential: Credential) -> int:
    """The ICT CFT aspect (1 to 6) a credential's badge is coloured by: its first alignment."""
    aspect = (
        Competency.objects.filter(
            Q(learning_paths=credential.enrolment.path_id)
            | Q(learning_steps__path=credential.enrolment.path_id)
        )
        .order_by("dimension__order")
        .values_list("dimension__order", flat=True)
        .first()
    )
    return int(aspect) if aspect else 1
