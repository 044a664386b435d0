"""Reads of the OAI-PMH data provider and of the harvester's pages.

The provider sees every resource that is, or was, published: published ones as records, withdrawn
ones as deleted records (the tombstone stays for ever, so ``deletedRecord`` is ``persistent``).
Lists are read in the order of ``(datestamp, id)`` from a key, never with an offset, so a deep
page costs what the first one does: one index range scan per status, merged.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from iite.library.models import Collection, CollectionItem, Creator, HarvestSource, Resource
from iite.library.oai.models import HarvestRun
from iite.reference.models import Framework, Topic

VISIBLE = (Resource.Status.PUBLISHED, Resource.Status.WITHDRAWN)
SET_KINDS = ("kind", "collection", "topic")
# A run still queued or running after this long was lost (a worker stopped); a new one may start.
STALE_AFTER = timedelta(hours=6)
# A source is due this much before its interval has passed since its last run finished (at most a
# tenth of the interval), so a job run every hour or day does not slip by the length of a run.
DUE_SLACK = timedelta(minutes=15)


@dataclass(frozen=True)
class SetFilter:
    """A set as a request names it: a whole family (``topic``) or one member (``topic:stem``)."""

    family: str
    code: str = ""

    @property
    def spec(self) -> str:
        return f"{self.family}:{self.code}" if self.code else self.family


@dataclass(frozen=True)
class Position:
    """Where a list stopped: the datestamp and id of the last record sent."""

    datestamp: datetime
    id: int


def set_exists(set_filter: SetFilter) -> bool:
    """Whether the repository has this set (a well-formed spec may still name nothing)."""
    if not set_filter.code:
        return set_filter.family in SET_KINDS
    if set_filter.family == "kind":
        return set_filter.code in Resource.Kind.values
    if set_filter.family == "collection":
        return Collection.objects.filter(code=set_filter.code).exists()
    if set_filter.family == "topic":
        return Topic.objects.filter(code=set_filter.code).exists()
    return False


def _in_set(queryset: QuerySet[Resource], set_filter: SetFilter | None) -> QuerySet[Resource]:
    if set_filter is None:
        return queryset
    family, code = set_filter.family, set_filter.code
    if family == "kind":
        return queryset.filter(kind=code) if code else queryset
    if family == "collection":
        items = CollectionItem.objects.filter(resource=OuterRef("pk"))
        if code:
            items = items.filter(collection__code=code)
        return queryset.filter(Exists(items))
    if family == "topic":
        topics = Resource.topics.through.objects.filter(resource_id=OuterRef("pk"))
        if code:
            topics = topics.filter(topic__code=code)
        return queryset.filter(Exists(topics))
    return queryset.none()


def _window(
    queryset: QuerySet[Resource], start: datetime | None, end: datetime | None
) -> QuerySet[Resource]:
    """Records with ``start <= datestamp < end`` (either bound may be open)."""
    queryset = queryset.filter(datestamp__isnull=False)
    if start is not None:
        queryset = queryset.filter(datestamp__gte=start)
    if end is not None:
        queryset = queryset.filter(datestamp__lt=end)
    return queryset


def record_count(
    *, start: datetime | None, end: datetime | None, set_filter: SetFilter | None
) -> int:
    """How many records a list request matches (sent once, as ``completeListSize``)."""
    queryset = _in_set(_window(Resource.objects.filter(status__in=VISIBLE), start, end), set_filter)
    return queryset.count()


def record_keys(
    *,
    start: datetime | None,
    end: datetime | None,
    set_filter: SetFilter | None,
    after: Position | None,
    limit: int,
) -> list[Position]:
    """The next ``limit`` record keys in ``(datestamp, id)`` order after ``after``.

    One query per status, each an index range scan of ``(status, datestamp, id)`` that stops after
    ``limit`` rows whatever the depth; the two short lists are merged here.
    """
    streams: list[list[Position]] = []
    for status in VISIBLE:
        queryset = _in_set(_window(Resource.objects.filter(status=status), start, end), set_filter)
        if after is not None:
            # ``datestamp >= d`` bounds the index range; the OR only sorts out equal datestamps.
            queryset = queryset.filter(datestamp__gte=after.datestamp).filter(
                Q(datestamp__gt=after.datestamp) | Q(id__gt=after.id)
            )
        rows = queryset.order_by("datestamp", "id").values_list("datestamp", "id")[:limit]
        streams.append([Position(datestamp, pk) for datestamp, pk in rows if datestamp])
    merged = heapq.merge(*streams, key=lambda key: (key.datestamp, key.id))
    return [key for _index, key in zip(range(limit), merged, strict=False)]


# The many-to-many fields a record shows, and the related rows' fields its formats read.
RELATED = (
    "topics",
    "countries",
    "regions",
    "isced_levels",
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
HEADER_RELATED = ("topics",)


def _attach(resources: list[Resource], *, full: bool) -> None:
    """Set ``resource.oai_related``: each relation as a list, in one query per relation.

    Django's ``prefetch_related`` builds a queryset per row and relation (1,500 for a page of
    100 with 15 relations), which cost most of a page's time; this reads the link tables and the
    (small, reference) targets directly.
    """
    ids = [resource.pk for resource in resources]
    related: dict[int, dict[str, list[Any]]] = {pk: {} for pk in ids}
    for name in RELATED if full else HEADER_RELATED:
        field = Resource._meta.get_field(name)
        through = field.remote_field.through  # type: ignore[union-attr]
        target = field.related_model
        target_column = field.m2m_reverse_name()  # type: ignore[union-attr]
        links = list(
            through.objects.filter(resource_id__in=ids)
            .order_by("id")
            .values_list("resource_id", target_column)
        )
        targets = target._default_manager.in_bulk({target_id for _pk, target_id in links})  # type: ignore[union-attr]
        if name == "competencies":
            competencies: list[Any] = list(targets.values())
            by_id = Framework.objects.in_bulk({c.framework_id for c in competencies})
            for competency in competencies:
                competency.framework = by_id[competency.framework_id]
        for pk in ids:
            related[pk][name] = []
        for resource_id, target_id in links:
            related[resource_id][name].append(targets[target_id])
    items = CollectionItem.objects.filter(resource_id__in=ids).select_related("collection")
    for pk in ids:
        related[pk]["collections"] = []
    for item in items.order_by("collection__code"):
        related[item.resource_id]["collections"].append(item.collection)
    if full:
        for pk in ids:
            related[pk]["creators"] = []
        for creator in Creator.objects.filter(resource_id__in=ids).order_by("order", "id"):
            related[creator.resource_id]["creators"].append(creator)
    for resource in resources:
        resource.oai_related = related[resource.pk]  # type: ignore[attr-defined]


def related_of(resource: Resource, name: str) -> list[Any]:
    """A relation of a record as the provider loaded it (or from the database, one at a time)."""
    loaded = getattr(resource, "oai_related", {})
    if name in loaded:
        return list(loaded[name])
    return list(getattr(resource, name).all())


def records_by_keys(keys: Sequence[Position], *, full: bool) -> list[Resource]:
    """The resources of ``keys``, in their order, with what their records show."""
    ids = [key.id for key in keys]
    queryset = Resource.objects.filter(pk__in=ids).select_related("language", "licence")
    found = {resource.pk: resource for resource in queryset}
    resources = [found[pk] for pk in ids if pk in found]
    _attach(resources, full=full)
    return resources


def record_by_uuid(uuid: UUID, *, full: bool = True) -> Resource | None:
    """The record of one resource, if OAI-PMH may show it (published or withdrawn)."""
    resource = (
        Resource.objects.filter(uuid=uuid, status__in=VISIBLE, datestamp__isnull=False)
        .select_related("language", "licence")
        .first()
    )
    if resource is not None:
        _attach([resource], full=full)
    return resource


def earliest_datestamp() -> datetime | None:
    value: datetime | None = Resource.objects.filter(
        status__in=VISIBLE, datestamp__isnull=False
    ).aggregate(earliest=Min("datestamp"))["earliest"]
    return value


def collections_all() -> list[Collection]:
    return list(Collection.objects.order_by("code"))


def topics_all() -> list[Topic]:
    return list(Topic.objects.order_by("order", "code"))


# --- Harvest sources ------------------------------------------------------------------------------
def harvest_sources() -> list[HarvestSource]:
    """Every source, each with its latest run as ``latest_run`` (or ``None``); two queries."""
    latest = HarvestRun.objects.filter(source=OuterRef("pk")).order_by("-queued_at", "-id")
    rows = HarvestSource.objects.annotate(latest=Subquery(latest.values("id")[:1]))
    sources: list[HarvestSource] = list(rows.order_by("name", "id"))
    latest_ids = {source.pk: getattr(source, "latest", None) for source in sources}
    runs = HarvestRun.objects.in_bulk([pk for pk in latest_ids.values() if pk])
    for source in sources:
        source.latest_run = runs.get(latest_ids[source.pk])  # type: ignore[attr-defined]
    return sources


def harvest_source(source_id: int) -> HarvestSource | None:
    return HarvestSource.objects.filter(pk=source_id).first()


def harvest_runs(source: HarvestSource, *, limit: int = 20) -> list[HarvestRun]:
    return list(HarvestRun.objects.filter(source=source).order_by("-queued_at", "-id")[:limit])


def harvest_source_resource_count(source: HarvestSource) -> int:
    return Resource.objects.filter(harvest_source=source).count()


def harvest_run(run_id: int) -> HarvestRun | None:
    return HarvestRun.objects.select_related("source", "requested_by").filter(pk=run_id).first()


# --- The schedule ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Schedule:
    """When a source last finished a harvest and when it is next due (``next_due`` is ``None``
    when it is not harvested regularly); ``running`` while a run of it is queued or running (and
    not yet lost); ``due`` when ``iite harvest --due`` would harvest it now."""

    last_finished: datetime | None
    running: bool
    next_due: datetime | None
    due: bool


def _running_runs(now: datetime) -> QuerySet[HarvestRun]:
    return HarvestRun.objects.filter(
        status__in=[HarvestRun.Status.QUEUED, HarvestRun.Status.RUNNING],
        queued_at__gte=now - STALE_AFTER,
    )


def _with_schedule(queryset: QuerySet[HarvestSource], now: datetime) -> QuerySet[HarvestSource]:
    finished = HarvestRun.objects.filter(source=OuterRef("pk"), finished_at__isnull=False)
    return queryset.annotate(
        last_finished=Subquery(finished.order_by("-finished_at").values("finished_at")[:1]),
        running=Exists(_running_runs(now).filter(source=OuterRef("pk"))),
    )


def _schedule_of(source: HarvestSource, now: datetime) -> Schedule:
    last: datetime | None = getattr(source, "last_finished", None)
    next_due = None
    if source.enabled and last is None:
        next_due = source.created_at  # never harvested (or every run was lost): due at once
    elif source.enabled and last is not None:
        interval = timedelta(hours=source.interval_hours)
        next_due = last + interval - min(DUE_SLACK, interval / 10)
    running = bool(getattr(source, "running", False))
    due = not running and next_due is not None and next_due <= now
    return Schedule(last_finished=last, running=running, next_due=next_due, due=due)


def harvest_schedule(source: HarvestSource, *, now: datetime | None = None) -> Schedule:
    """When ``source`` last finished a harvest, whether one is going on, when it is next due."""
    now = now or timezone.now()
    found = _with_schedule(HarvestSource.objects.filter(pk=source.pk), now).first()
    return _schedule_of(found or source, now)


def sources_due(now: datetime | None = None) -> list[HarvestSource]:
    """Sources harvested regularly whose last run finished at least their interval ago (or that
    never finished one), and of which no run is queued or running; by name. One query."""
    now = now or timezone.now()
    rows = _with_schedule(HarvestSource.objects.filter(enabled=True), now).order_by("name", "id")
    return [source for source in rows if _schedule_of(source, now).due]
