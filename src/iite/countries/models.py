"""SDG 4 indicator series, observations and the releases they came from; policy self-assessment
rounds with their evidence, targets and sharing.

Rows are written only by ``services`` (indicator imports go through ``importing``). Observations
are keyed by series, country, year and the disaggregation values (level, sex, type of skill); an
import that changes one records the old and new values, so a profile can show what changed
between two releases.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iite.core.models import TimestampedModel
from iite.core.translation import pick


class IndicatorSeries(models.Model):
    """A measured series of an SDG 4 indicator (a UN SDG series code), and how it is split."""

    code = models.CharField(max_length=20, unique=True)
    indicator = models.ForeignKey(
        "reference.SdgIndicator", on_delete=models.PROTECT, related_name="+"
    )
    names = models.JSONField(default=dict)
    dimensions = models.JSONField(default=list)  # a subset of ["level", "sex", "skill"], in order
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name_plural = _("indicator series")

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return pick(self.names)


class Release(TimestampedModel):
    """One import of one file: its source, what it did, and why rows were left out."""

    class Source(models.TextChoices):
        UN_SDG = "un-sdg", _("UN SDG Global Database")
        UIS_BULK = "uis-bulk", _("UIS bulk data download")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        UNCHANGED = "unchanged", _("Nothing changed")
        REFUSED = "refused", _("Refused: nothing imported")
        FAILED = "failed", _("Failed: nothing imported")

    source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    label = models.CharField(max_length=200, blank=True)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, blank=True)
    stored_file = models.CharField(max_length=500, blank=True)  # uploads waiting for the task
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, blank=True)  # reason code -> rows
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One import at a time: the database refuses a second release marked running
            # (``importing.run`` turns that into a clear refusal, docs/indicators.md).
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="running"),
                name="countries_release_one_running",
            )
        ]

    def __str__(self) -> str:
        return f"release {self.pk} {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status not in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def skipped_total(self) -> int:
        return sum(int(n) for n in (self.skipped or {}).values())


class Rejection(models.Model):
    """A row of an imported file that was not accepted, and why (the first 1,000 are kept)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    content = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["release", "line", "pk"]

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class Observation(models.Model):
    """One value of a series for a country, year and disaggregation, with its qualifiers."""

    series = models.ForeignKey(IndicatorSeries, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=8, blank=True, default="")
    sex = models.CharField(max_length=8, blank=True, default="")
    skill = models.CharField(max_length=8, blank=True, default="")
    value = models.FloatField(null=True, blank=True)
    magnitude = models.CharField(max_length=10, blank=True, default="")
    qualifier = models.CharField(max_length=10, blank=True, default="")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["series", "country", "level", "sex", "skill", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "country", "year", "level", "sex", "skill"],
                name="countries_observation_key",
            )
        ]
        indexes = [
            models.Index(fields=["country", "series"], name="countries_obs_country"),
            models.Index(fields=["series", "year"], name="countries_obs_series_year"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id}/{self.country_id}/{self.year}"


class ObservationChange(models.Model):
    """That a release added an observation or changed its value, magnitude or qualifier."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Added")
        CHANGED = "changed", _("Changed")

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="changes")
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    old_value = models.FloatField(null=True, blank=True)
    old_magnitude = models.CharField(max_length=10, blank=True, default="")
    old_qualifier = models.CharField(max_length=10, blank=True, default="")
    new_value = models.FloatField(null=True, blank=True)
    new_magnitude = models.CharField(max_length=10, blank=True, default="")
    new_qualifier = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        ordering = ["release", "observation"]

    def __str__(self) -> str:
        return f"{self.kind} {self.observation_id} in {self.release_id}"


class StagedObservation(models.Model):
    """A row of a running import, checked and resolved, waiting for the one merging transaction.

    Staging keeps memory flat (duplicates are found by the database, not in a Python set) and
    makes a crash harmless: nothing reaches ``Observation`` until the whole file has been read.
    """

    release_id_value = models.BigIntegerField(db_index=True)
    line = models.PositiveIntegerField()
    series_id_value = models.BigIntegerField()
    country_id_value = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=8, blank=True, default="")
    sex = models.CharField(max_length=8, blank=True, default="")
    skill = models.CharField(max_length=8, blank=True, default="")
    value = models.FloatField(null=True, blank=True)
    magnitude = models.CharField(max_length=10, blank=True, default="")
    qualifier = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(
                fields=[
                    "release_id_value",
                    "series_id_value",
                    "country_id_value",
                    "year",
                    "level",
                    "sex",
                    "skill",
                ],
                name="countries_staged_key",
            )
        ]

    def __str__(self) -> str:
        return f"staged line {self.line} of {self.release_id_value}"


# --- Policy self-assessment ----------------------------------------------------------------------
class PolicyRound(TimestampedModel):
    """One round of a country's policy self-assessment: a country campaign of the policy
    instrument, the response its focal point gives, the target levels, and who may see it."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Only the country's focal points")
        SHARED = "shared", _("Shared with the institute")
        PUBLISHED = "published", _("Published")

    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    campaign = models.OneToOneField(
        "assessments.Campaign", on_delete=models.PROTECT, related_name="+"
    )
    response = models.OneToOneField(
        "assessments.Response", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    targets = models.JSONField(default=dict, blank=True)  # theme code -> level code
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["country", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="published") | Q(published_at__isnull=False),
                name="countries_round_published_at",
            )
        ]

    def __str__(self) -> str:
        return f"policy round {self.pk} ({self.country_id})"


class Evidence(models.Model):
    """What supports the level chosen for one theme: a note, a link, or a library document."""

    round = models.ForeignKey(PolicyRound, on_delete=models.CASCADE, related_name="evidence")
    theme = models.CharField(max_length=40)
    note = models.TextField(blank=True, max_length=2000)
    link = models.URLField(blank=True, max_length=500)
    resource_id_value = models.BigIntegerField(null=True, blank=True)
    resource_title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["round", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["round", "theme"], name="countries_evidence_theme")
        ]

    def __str__(self) -> str:
        return f"evidence {self.theme} of round {self.round_id}"
