"""Writes of the harvester: harvest sources, and runs that bring their records into the library.

A run asks the source's Identify, then ListRecords from the datestamp the last complete run
reached (``HarvestSource.harvested_until``), follows resumption tokens, and hands each record to
``library.workflow.harvested_resource_upsert`` (published directly, deduplicated by source and
identifier; a deleted record withdraws it). Each page is written in one transaction; a record
the library refuses (no title) is skipped and listed in the run. A broken response, a protocol
error, a timeout or a refused address stops the run: what earlier pages wrote stays, the source's
``harvested_until`` does not move, so the next run asks again from the same point.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.core.errors import ApplicationError, PermissionDenied
from iite.library import workflow as library_workflow
from iite.library.models import (
    DEFAULT_HARVEST_INTERVAL_HOURS,
    MAX_HARVEST_INTERVAL_HOURS,
    MIN_HARVEST_INTERVAL_HOURS,
    HarvestSource,
    Resource,
)
from iite.library.oai import client, harvester, selectors
from iite.library.oai.client import HarvestError
from iite.library.oai.models import HarvestRun
from iite.library.oai.provider import SET_SPEC
from iite.library.permissions import can

logger = logging.getLogger(__name__)

SUPPORTED_PREFIXES = ("oai_dc",)
MAX_ERRORS_KEPT = 200
SOURCE_FIELDS = ("name", "base_url", "set_spec", "default_kind", "enabled", "interval_hours")


def _require(user: User | None) -> None:
    if user is None or not can(user, "harvest.manage"):
        raise PermissionDenied(_("Only editors may configure and run harvests."))


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(
        message, code="validation", details=[{"field": field, "message": message}]
    )


# --- Sources --------------------------------------------------------------------------------------
def _clean_source(fields: dict[str, Any], *, source: HarvestSource | None) -> dict[str, Any]:
    cleaned = {name: fields[name] for name in SOURCE_FIELDS if name in fields}
    problems: list[dict[str, str]] = []
    name = str(cleaned.get("name", source.name if source else "")).strip()
    if not name:
        problems.append({"field": "name", "message": _("Give the source a name.")})
    cleaned["name"] = name[:200]
    base_url = str(cleaned.get("base_url", source.base_url if source else "")).strip()
    try:
        client.check_url(base_url)
    except HarvestError as error:
        problems.append({"field": "base_url", "message": error.message})
    if len(base_url) > 500:
        problems.append({"field": "base_url", "message": _("The address is too long.")})
    duplicate = HarvestSource.objects.filter(base_url=base_url)
    if source is not None:
        duplicate = duplicate.exclude(pk=source.pk)
    if base_url and duplicate.exists():
        problems.append({"field": "base_url", "message": _("This repository is already a source.")})
    cleaned["base_url"] = base_url
    set_spec = str(cleaned.get("set_spec", source.set_spec if source else "")).strip()
    if set_spec and not harvester_set_spec_valid(set_spec):
        problems.append({"field": "set_spec", "message": _("This is not a valid OAI-PMH set.")})
    cleaned["set_spec"] = set_spec
    kind = cleaned.get("default_kind", source.default_kind if source else Resource.Kind.PUBLICATION)
    if kind not in Resource.Kind.values:
        problems.append({"field": "default_kind", "message": _("Choose a kind of resource.")})
    cleaned["default_kind"] = kind
    cleaned["enabled"] = bool(cleaned.get("enabled", source.enabled if source else True))
    interval = cleaned.get("interval_hours", source.interval_hours if source else None)
    try:
        cleaned["interval_hours"] = (
            DEFAULT_HARVEST_INTERVAL_HOURS if interval is None else int(str(interval).strip())
        )
    except ValueError:
        cleaned["interval_hours"] = 0
    if not MIN_HARVEST_INTERVAL_HOURS <= cleaned["interval_hours"] <= MAX_HARVEST_INTERVAL_HOURS:
        message = _("Give a whole number of hours from %(least)s to %(most)s.") % {
            "least": MIN_HARVEST_INTERVAL_HOURS,
            "most": MAX_HARVEST_INTERVAL_HOURS,
        }
        problems.append({"field": "interval_hours", "message": message})
    if problems:
        raise ApplicationError(
            _("The harvest source was not saved; see the problems below."),
            code="validation",
            details=problems,
        )
    return cleaned


def harvester_set_spec_valid(spec: str) -> bool:
    return bool(SET_SPEC.fullmatch(spec)) and len(spec) <= 200


@transaction.atomic
def harvest_source_create(*, by: User, **fields: Any) -> HarvestSource:
    """A new OAI-PMH source (Dublin Core), harvested from the beginning the first time."""
    _require(by)
    cleaned = _clean_source(fields, source=None)
    return HarvestSource.objects.create(metadata_prefix="oai_dc", created_by=by, **cleaned)


@transaction.atomic
def harvest_source_update(*, source: HarvestSource, by: User, **fields: Any) -> HarvestSource:
    """Change a source; a new address or set starts the next harvest from the beginning."""
    _require(by)
    cleaned = _clean_source(fields, source=source)
    restart = cleaned["base_url"] != source.base_url or cleaned["set_spec"] != source.set_spec
    for name, value in cleaned.items():
        setattr(source, name, value)
    if restart:
        source.harvested_until = None
    source.save()
    return source


@transaction.atomic
def harvest_source_delete(*, source: HarvestSource, by: User) -> None:
    """Remove a source that brought no resources (those keep the source they came from)."""
    _require(by)
    if Resource.objects.filter(harvest_source=source).exists():
        raise ApplicationError(
            _(
                "This source brought resources into the library, so it stays to remember where "
                "they came from. Switch off regular harvesting instead."
            ),
            code="source_in_use",
        )
    source.delete()


# --- Runs -----------------------------------------------------------------------------------------
def _active_run(source: HarvestSource) -> HarvestRun | None:
    cutoff = timezone.now() - selectors.STALE_AFTER
    return (
        HarvestRun.objects.filter(
            source=source,
            status__in=[HarvestRun.Status.QUEUED, HarvestRun.Status.RUNNING],
            queued_at__gte=cutoff,
        )
        .order_by("-queued_at")
        .first()
    )


def harvest_run_queue(
    *,
    source: HarvestSource,
    by: User | None,
    trigger: str = HarvestRun.Trigger.PAGE,
    harvest_from: datetime | None = None,
) -> HarvestRun:
    """Queue a run of ``source`` (the background task does it); one run of a source at a time."""
    if trigger == HarvestRun.Trigger.PAGE:
        _require(by)
    with transaction.atomic():
        locked = HarvestSource.objects.select_for_update().get(pk=source.pk)
        if _active_run(locked) is not None:
            raise ApplicationError(
                _("This source is being harvested already; wait until that run has finished."),
                code="harvest_running",
            )
        run = HarvestRun.objects.create(
            source=locked,
            trigger=trigger,
            requested_by=by,
            harvest_from=harvest_from or locked.harvested_until,
            set_spec=locked.set_spec,
        )
        if trigger == HarvestRun.Trigger.PAGE:
            from iite.library.oai.tasks import harvest_run_task

            transaction.on_commit(lambda: harvest_run_task.enqueue(run.pk))
    return run


def harvest_run_execute(*, run_id: int) -> HarvestRun:
    """Do a queued run to its end, recording what happened; never raises for the source's faults."""
    with transaction.atomic():
        run = HarvestRun.objects.select_for_update().select_related("source").get(pk=run_id)
        if run.status != HarvestRun.Status.QUEUED:
            return run
        run.status = HarvestRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    source = run.source
    try:
        _harvest(run, source)
    except HarvestError as error:
        run.status = HarvestRun.Status.FAILED
        run.message = error.message
    except Exception as error:
        # A fault of ours, not the source's: the run says so rather than stay "running".
        run.status = HarvestRun.Status.FAILED
        run.message = _("The harvest stopped on an unexpected error (%(error)s).") % {
            "error": error.__class__.__name__
        }
        run.finished_at = timezone.now()
        run.save()
        raise
    else:
        run.status = HarvestRun.Status.PARTIAL if run.skipped else HarvestRun.Status.SUCCEEDED
        with transaction.atomic():
            HarvestSource.objects.filter(pk=source.pk).update(
                harvested_until=run.harvested_until or source.harvested_until,
                updated_at=timezone.now(),
            )
    run.finished_at = timezone.now()
    run.save()
    return run


def _harvest(run: HarvestRun, source: HarvestSource) -> None:
    if source.metadata_prefix not in SUPPORTED_PREFIXES:
        raise HarvestError(
            _("Only Dublin Core (oai_dc) can be harvested, not “%(prefix)s”.")
            % {"prefix": source.metadata_prefix}
        )
    identity = harvester.identify(source.base_url)
    params = {"metadataPrefix": source.metadata_prefix}
    if run.harvest_from is not None:
        params["from"] = harvester.from_argument(run.harvest_from, identity.granularity)
    if run.set_spec:
        params["set"] = run.set_spec
    for page in harvester.list_records(source.base_url, params):
        if run.harvested_until is None:
            # The repository's own clock when the list began: the next run starts there.
            run.harvested_until = page.response_date
        _write_page(run, source, page)


def _write_page(run: HarvestRun, source: HarvestSource, page: harvester.Page) -> None:
    """One page in one transaction; a refused record is skipped in its own savepoint."""
    with transaction.atomic():
        for record in page.records:
            try:
                with transaction.atomic():
                    existed = Resource.objects.filter(
                        harvest_source=source, external_identifier=record.identifier[:500]
                    ).exists()
                    resource = library_workflow.harvested_resource_upsert(
                        source=source,
                        identifier=record.identifier,
                        datestamp=record.datestamp,
                        metadata=record.metadata,
                        deleted=record.deleted,
                    )
            except ApplicationError as error:
                run.skipped += 1
                if len(run.errors) < MAX_ERRORS_KEPT:
                    run.errors.append({"identifier": record.identifier, "message": error.message})
                continue
            if record.deleted:
                run.deleted += int(resource is not None)
            elif existed:
                run.updated += 1
            else:
                run.created += 1
        run.pages += 1
        run.save(
            update_fields=[
                "pages",
                "created",
                "updated",
                "deleted",
                "skipped",
                "errors",
                "harvested_until",
            ]
        )


def harvest_url(
    *, base_url: str, set_spec: str = "", harvest_from: datetime | None = None
) -> HarvestRun:
    """The console command: harvest ``base_url`` now, remembering it as a source.

    A new address becomes a source named after the repository; a known one continues from its
    ``harvested_until`` unless ``harvest_from`` says otherwise.
    """
    try:
        client.check_url(base_url)
    except HarvestError as error:
        raise _field_error("url", error.message) from None
    source = HarvestSource.objects.filter(base_url=base_url).first()
    if source is None:
        try:
            name = harvester.identify(base_url).name or base_url
        except HarvestError as error:
            raise ApplicationError(error.message, code="harvest_failed") from None
        with transaction.atomic():
            source = HarvestSource.objects.create(
                name=name[:200], base_url=base_url, set_spec=set_spec, metadata_prefix="oai_dc"
            )
    elif set_spec and set_spec != source.set_spec:
        with transaction.atomic():
            source.set_spec = set_spec
            source.harvested_until = None
            source.save(update_fields=["set_spec", "harvested_until", "updated_at"])
    run = harvest_run_queue(
        source=source, by=None, trigger=HarvestRun.Trigger.COMMAND, harvest_from=harvest_from
    )
    return harvest_run_execute(run_id=run.pk)


# --- The schedule ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScheduledHarvest:
    """What ``harvest_due`` did with one due source: ``harvested``, ``failed`` or ``skipped``."""

    source: HarvestSource
    outcome: str
    run: HarvestRun | None = None
    message: str = ""


def harvest_run_queue_if_due(
    *, source: HarvestSource, now: datetime | None = None
) -> HarvestRun | None:
    """Queue a scheduled run of ``source`` if it is still due, deciding with the source's row
    locked; ``None`` if it is not (another job harvested it meanwhile, or is harvesting it)."""
    with transaction.atomic():
        locked = HarvestSource.objects.select_for_update().get(pk=source.pk)
        if not selectors.harvest_schedule(locked, now=now).due:
            return None
        return HarvestRun.objects.create(
            source=locked,
            trigger=HarvestRun.Trigger.SCHEDULE,
            harvest_from=locked.harvested_until,
            set_spec=locked.set_spec,
        )


def harvest_due(*, now: datetime | None = None) -> list[ScheduledHarvest]:
    """Harvest every due source, one after another (``iite harvest --due``, from cron or a
    systemd timer). Each source is tried on its own, so one that fails stops no other."""
    now = now or timezone.now()
    outcomes = []
    for source in selectors.sources_due(now):
        try:
            run = harvest_run_queue_if_due(source=source, now=now)
            if run is None:
                outcomes.append(
                    ScheduledHarvest(
                        source, "skipped", message=_("harvested or being harvested by another job")
                    )
                )
                continue
            run = harvest_run_execute(run_id=run.pk)
        except Exception as error:
            # Whatever went wrong with this source (even a fault of ours), go on with the others.
            logger.exception("Scheduled harvest of source %s failed", source.pk)
            message = getattr(error, "message", "") or error.__class__.__name__
            outcomes.append(ScheduledHarvest(source, "failed", message=str(message)))
            continue
        if run.status == HarvestRun.Status.FAILED:
            outcomes.append(ScheduledHarvest(source, "failed", run, run.message))
        else:
            outcomes.append(ScheduledHarvest(source, "harvested", run))
    return outcomes
