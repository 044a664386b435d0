"""Instruments, campaigns, responses and results of the self-assessment engine.

Rows are written only by ``services``. An instrument version is immutable once loaded: its
sections and items are a copy of the validated file, kept as rows so answers and reports can join
on them; ``definition`` keeps the whole file (and the resolved framework map) for scoring.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iite.core.models import TimestampedModel
from iite.core.translation import pick


class Instrument(models.Model):
    """One version of a questionnaire, loaded from its file."""

    code = models.SlugField(max_length=40)
    version = models.PositiveIntegerField()
    anonymous = models.BooleanField(default=False)
    framework = models.ForeignKey(
        "reference.Framework", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    names = models.JSONField(default=dict)
    descriptions = models.JSONField(default=dict, blank=True)
    definition = models.JSONField(default=dict)
    file_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="assessments_instrument_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def name(self) -> str:
        return pick(self.names)

    @property
    def description(self) -> str:
        return pick(self.descriptions)


class Section(models.Model):
    """One page of an instrument version."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    names = models.JSONField(default=dict)

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="assessments_section_code")
        ]

    def __str__(self) -> str:
        return self.code


class Item(models.Model):
    """One question of an instrument version, mapped to a competency or an area."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    target = models.CharField(max_length=40, blank=True)
    competency = models.ForeignKey(
        "reference.Competency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scale_kind = models.CharField(max_length=20)
    groups = models.JSONField(default=list)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="assessments_item_code")
        ]

    def __str__(self) -> str:
        return self.code


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def open_at(self, moment: datetime) -> CampaignQuerySet:
        return self.filter(closed_at__isnull=True, opens_at__lte=moment).filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=moment)
        )


class Campaign(TimestampedModel):
    """An instrument version run for a scope, in a window of dates, for some respondent groups."""

    class Scope(models.TextChoices):
        SELF = "self", _("Myself")
        ORGANISATION = "organisation", _("An organisation")
        COUNTRY = "country", _("A country")
        COHORT = "cohort", _("A training cohort")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Not open yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="campaigns")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    country = models.ForeignKey(
        "reference.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cohort_name = models.CharField(max_length=200, blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(null=True, blank=True)  # None: open-ended (self campaigns)
    closed_at = models.DateTimeField(null=True, blank=True)
    groups = models.JSONField(default=list)
    join_code = models.CharField(max_length=12, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="self", organisation__isnull=True, country__isnull=True)
                    | Q(scope="organisation", organisation__isnull=False, country__isnull=True)
                    | Q(scope="country", country__isnull=False, organisation__isnull=True)
                    | Q(scope="cohort", organisation__isnull=True, country__isnull=True)
                ),
                name="assessments_campaign_scope",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="assessments_campaign_window",
            ),
            # One personal campaign per person and instrument version.
            models.UniqueConstraint(
                fields=["instrument", "created_by"],
                condition=Q(scope="self"),
                name="assessments_campaign_one_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.scope} {self.join_code}"

    def status_at(self, moment: datetime | None = None) -> str:
        moment = moment or timezone.now()
        if self.closed_at is not None or (self.closes_at is not None and moment >= self.closes_at):
            return self.Status.CLOSED
        if moment < self.opens_at:
            return self.Status.SCHEDULED
        return self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Response(models.Model):
    """One respondent's answers to a campaign; anonymous ones hold no user."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessment_responses",
    )
    group = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    resume_code_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    language = models.CharField(max_length=10, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["instrument", "status"], name="assessments_resp_instr")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress", submitted_at__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False, submission_key__isnull=False),
                name="assessments_response_submitted",
            ),
            # A signed-in person has at most one unfinished response per campaign.
            models.UniqueConstraint(
                fields=["campaign", "respondent"],
                condition=Q(status="in_progress", respondent__isnull=False),
                name="assessments_response_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"response {self.pk} ({self.status})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """The answer to one item: a value on its scale, "not applicable", or short text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    text = models.TextField(blank=True, max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="assessments_answer_unique"),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(value__isnull=True, text=""),
                name="assessments_answer_na_has_no_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.item_id}"


class Result(models.Model):
    """The scores of a submitted response, computed once when it was submitted."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="result")
    scores = models.JSONField(default=dict)
    levels = models.JSONField(default=dict)
    rollup = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"result of {self.response_id}"


class TargetScore(models.Model):
    """One target's score and level in one submitted response: the narrow table reports read.

    Written in the same transaction as the ``Result`` it copies, so group reports and open data
    sum plain indexed columns instead of reading every result's JSON. ``country`` is where the
    response counts for open data, fixed at submission (the campaign's country, else its
    organisation's, else the respondent's profile country). ``counted`` is false for a signed-in
    person's earlier rounds of the same instrument version, which open data leaves out.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="target_scores")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=40)
    target = models.CharField(max_length=40)
    score = models.FloatField()
    level = models.CharField(max_length=40)
    country = models.ForeignKey(
        "reference.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counted = models.BooleanField(default=True)

    class Meta:
        indexes = [
            # Covering indexes: a report reads only the index.
            models.Index(
                fields=["campaign", "group", "target", "level", "score"],
                name="assessments_ts_campaign",
            ),
            models.Index(
                fields=["instrument", "country", "target", "score"],
                condition=Q(counted=True, country__isnull=False),
                name="assessments_ts_open_data",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "target"], name="assessments_targetscore_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id} {self.target} {self.score:.3f}"


class ActionPlan(TimestampedModel):
    """An organisation's plan to improve, usually drawn from a campaign's weakest areas."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_plans"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "campaign"],
                condition=Q(campaign__isnull=False),
                name="assessments_action_plan_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(campaign__isnull=True),
                name="assessments_action_plan_standalone",
            ),
        ]

    def __str__(self) -> str:
        return f"action plan {self.pk}"


class ActionItem(models.Model):
    """One goal of an action plan, with who owns it and by when."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=40)
    goal = models.CharField(max_length=500)
    owner_name = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.goal


class OwnQuestion(models.Model):
    """A question a school adds to its own campaign: agreement scale, one language, never scored."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="own_questions")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    language = models.CharField(max_length=10, blank=True)
    groups = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "order"], name="assessments_own_question_order"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="assessments_own_question_has_text"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class OwnAnswer(models.Model):
    """The answer to a campaign's own question: 1..5 on the agreement scale or "not applicable"."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="own_answers")
    question = models.ForeignKey(OwnQuestion, on_delete=models.PROTECT, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="assessments_own_answer_unique"
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=True, value__isnull=True)
                | Q(not_applicable=False, value__gte=1, value__lte=5),
                name="assessments_own_answer_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}:own {self.question_id}"
