"""Reads of the library: published resources for everyone, the workflow queues for staff.

Other apps (learning, countries) read the library only through ``resource_published``,
``resources_published`` and ``resource_editions``. A list that might include unpublished rows
goes through ``resources_visible_to`` so it can never leak one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from iite.accounts.models import Role, User
from iite.library.models import (
    Collection,
    CollectionItem,
    Creator,
    HarvestSource,
    Resource,
    ResourceFile,
    ReviewAssignment,
    Transition,
    UsageMonth,
)
from iite.library.permissions import can
from iite.reference.models import Competency, Country, Language, Topic

# The published criteria reviewers score case studies against, 1 (weak) to 5 (strong).
CRITERIA = ("innovation", "impact", "inclusion", "scalability", "sustainability")
SCORE_MIN = 1
SCORE_MAX = 5

PAGE_RELATED = ("language", "licence", "submitted_by")
PAGE_PREFETCH = (
    "creators",
    "countries",
    "regions",
    "isced_levels",
    "topics",
    "action_areas",
    "sdg_targets",
    "competencies",
    "audiences",
    "learning_resource_types",
    "accessibility_features",
    "access_modes",
    "access_modes_sufficient",
    "accessibility_hazards",
)


def _as_uuid(value: UUID | str) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return None


def _full(queryset: QuerySet[Resource]) -> QuerySet[Resource]:
    return queryset.select_related(*PAGE_RELATED).prefetch_related(
        *PAGE_PREFETCH, Prefetch("files", queryset=ResourceFile.objects.order_by("order", "id"))
    )


# --- The contract other apps use ------------------------------------------------------------------
def resource_published(uuid: UUID | str) -> Resource | None:
    """The published resource with this identifier, with everything its page shows; else None."""
    key = _as_uuid(uuid)
    if key is None:
        return None
    return _full(Resource.objects.published().filter(uuid=key)).first()


def resources_published(
    *,
    kinds: Iterable[str] | None = None,
    country: Country | str | None = None,
    competencies: Iterable[Competency | str] | None = None,
    language: Language | str | None = None,
) -> QuerySet[Resource]:
    """Published resources, newest first, optionally of some kinds, about a country (an
    instance or alpha-2 code), teaching any of some competencies (instances or codes such as
    ``"3.KD"``) or in a language (an instance or ISO 639-1 code)."""
    queryset = Resource.objects.published().select_related("language", "licence")
    if kinds is not None:
        queryset = queryset.of_kinds(tuple(kinds))
    if country is not None:
        if isinstance(country, Country):
            queryset = queryset.filter(countries=country)
        else:
            queryset = queryset.filter(countries__alpha2=str(country).upper())
    if competencies is not None:
        wanted = list(competencies)
        ids = [c.pk for c in wanted if isinstance(c, Competency)]
        codes = [str(c) for c in wanted if not isinstance(c, Competency)]
        queryset = queryset.filter(
            Q(competencies__in=ids) | Q(competencies__code__in=codes)
        ).distinct()
    if language is not None:
        code = language.code if isinstance(language, Language) else str(language)
        queryset = queryset.in_language(code)
    return queryset.prefetch_related("creators").order_by("-published_at", "-id")


def resource_editions(resource: Resource) -> list[Resource]:
    """The other published editions of the same work (other languages), by language code."""
    return list(
        Resource.objects.published()
        .filter(work=resource.work)
        .exclude(pk=resource.pk)
        .select_related("language")
        .order_by("language__code", "id")
    )


# --- Pages ---------------------------------------------------------------------------------------
def may_see(user: Any, resource: Resource) -> bool:
    """Published and withdrawn (tombstone) resources are public; the rest only to their
    submitter, editors, and the reviewers assigned to them."""
    if resource.status in (Resource.Status.PUBLISHED, Resource.Status.WITHDRAWN):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if resource.submitted_by_id == user.pk or can(user, "resource.view_any"):
        return True
    return ReviewAssignment.objects.filter(resource=resource, reviewer_id=user.pk).exists()


def may_edit(resource: Resource, user: Any) -> bool:
    """Editors change any resource; a submitter their own draft or returned resource (members
    only case studies)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can(user, "resource.edit"):
        return True
    return (
        resource.submitted_by_id == user.pk
        and resource.status in (Resource.Status.DRAFT, Resource.Status.RETURNED)
        and (resource.kind == Resource.Kind.CASE_STUDY or can(user, "resource.create"))
    )


def resource_for_page(uuid: UUID | str, *, user: Any) -> Resource | None:
    """The resource the page at /library/r/<uuid>/ shows to ``user``, or None (not found)."""
    key = _as_uuid(uuid)
    if key is None:
        return None
    resource = _full(Resource.objects.filter(uuid=key)).first()
    if resource is None or not may_see(user, resource):
        return None
    return resource


def resource_by_uuid(uuid: UUID | str) -> Resource | None:
    """Any resource by identifier, whatever its state (services check who may touch it)."""
    key = _as_uuid(uuid)
    return None if key is None else Resource.objects.filter(uuid=key).first()


def resources_visible_to(user: Any) -> QuerySet[Resource]:
    """Every resource ``user`` may see: public ones, their own, and (editors) all."""
    queryset = Resource.objects.all()
    if getattr(user, "is_authenticated", False) and can(user, "resource.view_any"):
        return queryset
    public = Q(status__in=[Resource.Status.PUBLISHED, Resource.Status.WITHDRAWN])
    if not getattr(user, "is_authenticated", False):
        return queryset.filter(public)
    return queryset.filter(public | Q(submitted_by=user) | Q(reviews__reviewer=user)).distinct()


def related_resources(resource: Resource, *, limit: int = 5) -> list[Resource]:
    """Published resources sharing most topics, competencies and countries (other works only)."""
    topics = [t.pk for t in resource.topics.all()]
    competencies = [c.pk for c in resource.competencies.all()]
    countries = [c.pk for c in resource.countries.all()]
    if not (topics or competencies or countries):
        return []
    shared = (
        Count("topics", filter=Q(topics__in=topics), distinct=True)
        + Count("competencies", filter=Q(competencies__in=competencies), distinct=True)
        + Count("countries", filter=Q(countries__in=countries), distinct=True)
    )
    return list(
        Resource.objects.published()
        .exclude(work=resource.work)
        .filter(
            Q(topics__in=topics) | Q(competencies__in=competencies) | Q(countries__in=countries)
        )
        .annotate(shared=shared)
        .select_related("language")
        .order_by("-shared", "-published_at", "-id")[:limit]
    )


def transitions_of(resource: Resource) -> QuerySet[Transition]:
    return Transition.objects.filter(resource=resource).select_related("by").order_by("at", "id")


def reviews_of(resource: Resource) -> QuerySet[ReviewAssignment]:
    return (
        ReviewAssignment.objects.filter(resource=resource)
        .select_related("reviewer", "assigned_by")
        .order_by("created_at", "id")
    )


def review_for(resource: Resource, reviewer: Any) -> ReviewAssignment | None:
    if not getattr(reviewer, "is_authenticated", False):
        return None
    return ReviewAssignment.objects.filter(resource=resource, reviewer_id=reviewer.pk).first()


def reviewers() -> QuerySet[User]:
    """People who hold the reviewer role, for the editor's assignment form."""
    role = Role.objects.filter(code="reviewer").first()
    return User.objects.filter(is_active=True, role_assignments__role=role).distinct()


def workflow_queue(user: Any) -> dict[str, list[Resource]]:
    """What waits for ``user``: editors see submitted and in-review resources; reviewers their
    open assignments; everyone their own drafts and returned resources."""
    queue: dict[str, list[Resource]] = {"editor": [], "reviewer": [], "own": []}
    if not getattr(user, "is_authenticated", False):
        return queue
    base = Resource.objects.select_related("language", "submitted_by")
    if can(user, "resource.view_any"):
        queue["editor"] = list(
            base.filter(status__in=[Resource.Status.SUBMITTED, Resource.Status.IN_REVIEW])
            .annotate(review_count=Count("reviews"))
            .order_by("updated_at", "id")
        )
    queue["reviewer"] = list(
        base.filter(
            reviews__reviewer=user,
            reviews__completed_at__isnull=True,
            status=Resource.Status.IN_REVIEW,
        ).order_by("updated_at", "id")
    )
    queue["own"] = list(base.filter(submitted_by=user).order_by("-updated_at", "-id")[:50])
    return queue


def review_summary(resource: Resource) -> dict[str, Any]:
    """Mean score per criterion over completed reviews, and the recommendations given."""
    done = [r for r in reviews_of(resource) if r.completed_at]
    means: dict[str, float | None] = {}
    for criterion in CRITERIA:
        values = [int(r.scores[criterion]) for r in done if criterion in (r.scores or {})]
        means[criterion] = round(sum(values) / len(values), 1) if values else None
    return {
        "completed": len(done),
        "means": means,
        "recommendations": [r.recommendation for r in done if r.recommendation],
    }


def extraction_failures() -> QuerySet[ResourceFile]:
    """Files whose text could not be extracted, for editors to see and fix."""
    return (
        ResourceFile.objects.filter(extraction=ResourceFile.Extraction.FAILED)
        .select_related("resource")
        .order_by("-updated_at")
    )


# --- Collections and topics ----------------------------------------------------------------------
def collections() -> QuerySet[Collection]:
    return Collection.objects.annotate(
        published_count=Count(
            "items", filter=Q(items__resource__status=Resource.Status.PUBLISHED), distinct=True
        )
    ).order_by("kind", "code")


def collection_by_code(code: str) -> Collection | None:
    return Collection.objects.filter(code=code).first()


def collection_resources(collection: Collection) -> list[Resource]:
    """The published resources of a collection, in the editor's order."""
    items = (
        CollectionItem.objects.filter(
            collection=collection, resource__status=Resource.Status.PUBLISHED
        )
        .select_related("resource__language")
        .prefetch_related(
            Prefetch("resource__creators", queryset=Creator.objects.order_by("order", "id"))
        )
        .order_by("order", "id")
    )
    return [item.resource for item in items]


def topic_by_code(code: str) -> Topic | None:
    return Topic.objects.filter(code=code).first()


def latest_published(
    *, collection: Collection | None = None, topic: Topic | None = None, limit: int = 50
) -> list[Resource]:
    """The newest published resources, optionally of one collection or topic, for feeds."""
    queryset = Resource.objects.published()
    if collection is not None:
        queryset = queryset.filter(collections=collection)
    if topic is not None:
        queryset = queryset.filter(topics=topic)
    return list(
        queryset.select_related("language")
        .prefetch_related("creators")
        .order_by("-published_at", "-id")[:limit]
    )


def sitemap_page_changes(page_size: int) -> list[datetime]:
    """The latest change of the published resources on each sitemap page (page ``n`` holds the
    ``page_size`` resources after the first ``(n - 1) * page_size`` in id order): one scan."""
    # Raw SQL: the ORM cannot group by a window function's value.
    sql = (
        "SELECT (position - 1) / %s AS page, MAX(changed) FROM ("
        " SELECT ROW_NUMBER() OVER (ORDER BY id) AS position,"
        " COALESCE(datestamp, updated_at) AS changed FROM library_resource WHERE status = %s"
        ") numbered GROUP BY page ORDER BY page"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [page_size, Resource.Status.PUBLISHED])
        rows = cursor.fetchall()
    return [_moment(changed) for _page, changed in rows]


def _moment(value: datetime | str) -> datetime:
    """A datetime read by raw SQL: SQLite gives text in UTC, PostgreSQL an aware datetime."""
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        raise ValueError(f"not a datetime: {value!r}")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def sitemap_page(number: int, page_size: int) -> list[tuple[UUID, datetime]]:
    """Page ``number`` (from 1) of the sitemap: each published resource's uuid and latest change,
    in id order, so a page's content depends only on which resources are published."""
    start = (number - 1) * page_size
    rows = (
        Resource.objects.published()
        .order_by("id")
        .values_list("uuid", "datestamp", "updated_at")[start : start + page_size]
    )
    return [(uuid, datestamp or updated) for uuid, datestamp, updated in rows]


# --- Usage ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UsageRow:
    month: date
    views: int
    downloads: int


def usage_totals(resource: Resource) -> dict[str, int]:
    totals = UsageMonth.objects.filter(resource=resource).aggregate(
        views=Sum("views"), downloads=Sum("downloads")
    )
    return {"views": totals["views"] or 0, "downloads": totals["downloads"] or 0}


def usage_by_month(resource: Resource) -> list[UsageRow]:
    rows = (
        UsageMonth.objects.filter(resource=resource)
        .values("month")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
        .order_by("month")
    )
    return [UsageRow(row["month"], row["views"], row["downloads"]) for row in rows]


def usage_by_country(resource: Resource) -> list[dict[str, Any]]:
    return list(
        UsageMonth.objects.filter(resource=resource)
        .values("country__alpha2")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
        .order_by("-views", "country__alpha2")
    )


def file_of(resource: Resource, file_id: int) -> ResourceFile | None:
    return ResourceFile.objects.filter(resource=resource, pk=file_id).first()


def harvest_source_by_id(source_id: int) -> HarvestSource | None:
    return HarvestSource.objects.filter(pk=source_id).first()


def resources_for_export(ids: Iterable[int] | None = None) -> QuerySet[Resource]:
    """Published resources (all, or those ids) with what a CSV row needs, in id order."""
    queryset = Resource.objects.published()
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return (
        queryset.select_related("language", "licence")
        .prefetch_related("creators", "countries", "topics", "competencies", "isced_levels")
        .order_by("id")
    )
