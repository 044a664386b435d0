"""Records of the harvester: one row per run of a harvest source, with its counts and errors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iite.library.models import HarvestSource


class HarvestRun(models.Model):
    """One harvest of one source: when, what was asked, what came back, what went wrong."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        PARTIAL = "partial", _("Finished with skipped records")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        COMMAND = "command", _("Console command")
        PAGE = "page", _("Harvest now button")
        SCHEDULE = "schedule", _("Schedule")

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.COMMAND)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # What was asked: records changed from this datestamp on (empty: everything), in this set.
    harvest_from = models.DateTimeField(null=True, blank=True)
    set_spec = models.CharField(max_length=200, blank=True)
    # The repository's responseDate of the first list request; the next run starts from it.
    harvested_until = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    created = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    # The reason a run failed, in words an editor can act on.
    message = models.TextField(_("message"), blank=True)
    # Problems with single records: [{"identifier": ..., "message": ...}], at most a few hundred.
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["source", "-queued_at"], name="library_oai_run_source")]

    def __str__(self) -> str:
        return f"{self.source} {self.queued_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
