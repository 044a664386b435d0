"""Paths (courses), their steps and cohorts, enrolments and progress, and issued credentials.

Rows are written only by ``services``. A path is written in one language; its steps are done in
order and each may be aligned to competencies of a reference framework (ICT CFT v3). Completing
a path issues exactly one signed Open Badges 3.0 credential (one per enrolment, by constraint).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iite.core.models import TimestampedModel

LANGUAGE_CHOICES = [
    ("ar", "العربية"),
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("zh", "中文"),
]


class PathQuerySet(models.QuerySet["Path"]):
    def published(self) -> PathQuerySet:
        return self.filter(status=Path.Status.PUBLISHED)


class Path(TimestampedModel):
    """A course or learning path: ordered steps that lead to a credential."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        PATH = "path", _("Learning path")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Completion(models.TextChoices):
        ALL_STEPS = "all_steps", _("Every step done")
        QUIZ_SCORE = "quiz_score", _("Every step done and the quizzes passed")

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PATH)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=2000)
    language = models.CharField(max_length=2, choices=LANGUAGE_CHOICES)
    estimated_minutes = models.PositiveIntegerField(default=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    completion = models.CharField(
        max_length=12, choices=Completion.choices, default=Completion.ALL_STEPS
    )
    pass_percent = models.PositiveSmallIntegerField(default=70)
    competencies = models.ManyToManyField(
        "reference.Competency", blank=True, related_name="learning_paths"
    )
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="leads_to"
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_paths"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PathQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_percent__gte=1, pass_percent__lte=100),
                name="learning_path_pass_percent",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["ar", "en", "es", "fr", "ru", "zh"]),
                name="learning_path_language",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    """One step of a path: read a resource, take an external course, do an activity, or a quiz."""

    class Kind(models.TextChoices):
        RESOURCE = "resource", _("Library resource")
        EXTERNAL = "external", _("External course")
        ACTIVITY = "activity", _("Activity (reviewed by a facilitator)")
        QUIZ = "quiz", _("Quiz")

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    instructions = models.TextField(max_length=4000, blank=True)
    url = models.URLField(blank=True)
    resource = models.ForeignKey(
        "library.Resource", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    estimated_minutes = models.PositiveIntegerField(default=15)
    # A quiz: [{"question": str, "choices": [str, ...], "answer": index}, ...]
    questions = models.JSONField(default=list, blank=True)
    competencies = models.ManyToManyField(
        "reference.Competency", blank=True, related_name="learning_steps"
    )

    class Meta:
        ordering = ["path", "order"]
        constraints = [
            models.UniqueConstraint(fields=["path", "order"], name="learning_step_order"),
            models.CheckConstraint(
                condition=~Q(kind="external") | ~Q(url=""), name="learning_step_external_url"
            ),
            models.CheckConstraint(
                condition=~Q(kind="resource") | Q(resource__isnull=False),
                name="learning_step_resource",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Cohort(TimestampedModel):
    """A group taking a path together between two dates, e.g. a workshop for a ministry."""

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_cohorts"
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="learning_cohort_dates"
            ),
            models.UniqueConstraint(fields=["path", "name"], name="learning_cohort_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    """A learner taking a path (alone or in a cohort), with where they stopped."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")

    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="enrolments")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    last_step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["path", "learner"], name="learning_enrolment_once"),
            models.CheckConstraint(
                condition=Q(status="active", completed_at__isnull=True)
                | Q(status="completed", completed_at__isnull=False),
                name="learning_enrolment_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} in {self.path_id}"


class StepProgress(models.Model):
    """A learner's state on one step: done, or a submission waiting for (or back from) review."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        SUBMITTED = "submitted", _("Waiting for review")
        RETURNED = "returned", _("Returned for another try")
        FAILED = "failed", _("Quiz not passed yet")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=10, choices=Status.choices)
    text = models.TextField(max_length=5000, blank=True)
    file = models.FileField(upload_to="learning/submissions/%Y/%m/", blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # quiz: percent correct
    feedback = models.TextField(max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enrolment", "step__order"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "step"], name="learning_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.step_id} {self.status}"


class Credential(models.Model):
    """The signed Open Badges 3.0 credential of one completed enrolment, and its status."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="credential")
    document = models.TextField()  # the signed JSON exactly as issued
    key = models.CharField(max_length=64)  # multibase public key of the signing key
    status_index = models.PositiveIntegerField(unique=True)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
