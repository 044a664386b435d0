"""The knowledge hub's records: resources (publications, policy documents, case studies, open
educational resources, external courses), their creators and files, collections, the review
workflow, usage counts and the OAI-PMH sources harvested into the library.

Metadata follows Dublin Core, LRMI / schema.org ``LearningResource`` and the schema.org
accessibility properties; controlled values are rows of ``reference`` (languages, countries,
topics, licences, vocabulary terms), so every label exists in the six UN languages. Rows are
written only by ``services``; the search index (``iite.library.search``) is written in the same
transaction as the resource.
"""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iite.core.models import TimestampedModel
from iite.core.translation import pick
from iite.reference.models import (
    ActionArea,
    Competency,
    Country,
    IscedLevel,
    Language,
    Licence,
    Region,
    SdgTarget,
    Term,
    Topic,
)


class ResourceQuerySet(models.QuerySet["Resource"]):
    """The reads every list of resources is built on."""

    def published(self) -> ResourceQuerySet:
        return self.filter(status=Resource.Status.PUBLISHED)

    def in_language(self, code: str) -> ResourceQuerySet:
        return self.filter(language__code=code)

    def of_kinds(self, kinds: list[str] | tuple[str, ...]) -> ResourceQuerySet:
        return self.filter(kind__in=kinds)


class Resource(TimestampedModel):
    """One edition of a work in one language, with its metadata and workflow state.

    Editions of the same work in other languages share ``work``; a reader sees which exist.
    A published resource is never deleted: withdrawing it leaves a tombstone (status
    ``withdrawn`` with a reason), which OAI-PMH reports as a deleted record.
    """

    class Kind(models.TextChoices):
        PUBLICATION = "publication", _("Publication or report")
        POLICY_BRIEF = "policy-brief", _("Policy brief")
        POLICY_DOCUMENT = "policy-document", _("National policy document")
        CASE_STUDY = "case-study", _("Best-practice case study")
        OER = "oer", _("Open educational resource")
        EXTERNAL_COURSE = "external-course", _("External course")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in-review", _("In review")
        RETURNED = "returned", _("Returned with feedback")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    work = models.UUIDField(
        _("work"),
        default=uuid4,
        db_index=True,
        help_text=_("Editions of one work in several languages share this identifier."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )

    # Descriptive metadata (Dublin Core).
    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    language = models.ForeignKey(
        Language,
        verbose_name=_("language of this edition"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    issued = models.DateField(
        _("date of publication"), null=True, blank=True, help_text=_("When the work appeared.")
    )
    isbn = models.CharField(_("ISBN"), max_length=17, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    url = models.URLField(_("web address"), max_length=1000, blank=True)
    licence = models.ForeignKey(
        Licence,
        verbose_name=_("licence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cover = models.ImageField(_("cover image"), upload_to="library/covers/%Y/", blank=True)

    # Coverage and classification.
    countries = models.ManyToManyField(Country, verbose_name=_("countries"), blank=True)
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True)
    isced_levels = models.ManyToManyField(IscedLevel, verbose_name=_("ISCED levels"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    action_areas = models.ManyToManyField(ActionArea, verbose_name=_("action areas"), blank=True)
    sdg_targets = models.ManyToManyField(SdgTarget, verbose_name=_("SDG targets"), blank=True)

    # Educational metadata (LRMI / schema.org LearningResource).
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies taught"), blank=True
    )
    audiences = models.ManyToManyField(
        Term, verbose_name=_("audience"), blank=True, related_name="+"
    )
    learning_resource_types = models.ManyToManyField(
        Term, verbose_name=_("learning resource type"), blank=True, related_name="+"
    )

    # Accessibility metadata (schema.org accessibility properties).
    accessibility_features = models.ManyToManyField(
        Term, verbose_name=_("accessibility features"), blank=True, related_name="+"
    )
    access_modes = models.ManyToManyField(
        Term, verbose_name=_("access modes"), blank=True, related_name="+"
    )
    access_modes_sufficient = models.ManyToManyField(
        Term, verbose_name=_("sufficient access modes"), blank=True, related_name="+"
    )
    accessibility_hazards = models.ManyToManyField(
        Term, verbose_name=_("accessibility hazards"), blank=True, related_name="+"
    )
    accessibility_summary = models.TextField(_("accessibility summary"), blank=True)

    # Workflow and provenance.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_resources",
    )
    published_at = models.DateTimeField(_("published on the platform"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    harvest_source = models.ForeignKey(
        "HarvestSource",
        verbose_name=_("harvested from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
    )
    external_identifier = models.CharField(
        _("identifier at the source"), max_length=500, blank=True
    )
    # When the metadata last changed as OAI-PMH sees it (publication, edit, withdrawal).
    datestamp = models.DateTimeField(_("metadata datestamp"), null=True, blank=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "datestamp", "id"], name="library_res_oai"),
            models.Index(fields=["status", "kind"], name="library_res_status_kind"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["harvest_source", "external_identifier"],
                condition=models.Q(harvest_source__isnull=False),
                name="library_resource_unique_harvested",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Creator(models.Model):
    """An author, editor or contributing organisation of a resource, in the order credited."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        EDITOR = "editor", _("Editor")
        CONTRIBUTOR = "contributor", _("Contributor")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="creators")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.AUTHOR)
    # A person's name as credited: family name, then given names.
    family_name = models.CharField(_("family name or organisation"), max_length=300)
    given_names = models.CharField(_("given names"), max_length=300, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    orcid = models.CharField(_("ORCID"), max_length=19, blank=True)

    class Meta:
        ordering = ["resource", "order", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.ORGANISATION or not self.given_names:
            return self.family_name
        return f"{self.given_names} {self.family_name}"


class ResourceFile(TimestampedModel):
    """A file of a resource (PDF, EPUB, DOCX, HTML, image) or a link (e.g. a video).

    The type is checked by content when uploaded; text is extracted in the background for search,
    and a failed extraction is shown to editors without blocking publication.
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        EPUB = "epub", "EPUB"
        DOCX = "docx", "DOCX"
        HTML = "html", "HTML"
        IMAGE = "image", _("Image")
        LINK = "link", _("Link")

    class Extraction(models.TextChoices):
        NOT_NEEDED = "not-needed", _("Not needed")
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    order = models.PositiveSmallIntegerField(default=0)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    file = models.FileField(_("file"), upload_to="library/files/%Y/%m/", blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    media_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    language = models.ForeignKey(
        Language, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extraction = models.CharField(
        max_length=12, choices=Extraction.choices, default=Extraction.NOT_NEEDED
    )
    extraction_error = models.TextField(blank=True)
    extracted_text = models.TextField(blank=True)

    class Meta:
        ordering = ["resource", "order", "id"]

    def __str__(self) -> str:
        return self.label or self.original_name or self.url


class CaseStudy(models.Model):
    """The structured part of a best-practice case study (one per case-study resource)."""

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="case_study")
    context = models.TextField(_("context and challenge"), blank=True)
    solution = models.TextField(_("solution and technology"), blank=True)
    actors = models.TextField(_("actors and partners"), blank=True)
    results = models.TextField(_("results and evidence"), blank=True)
    lessons = models.TextField(_("lessons learnt"), blank=True)
    scalability = models.TextField(_("scalability"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)

    def __str__(self) -> str:
        return str(self.resource)


class Collection(TimestampedModel):
    """A collection or series curated by editors, e.g. "AI in education", "Policy briefs"."""

    class Kind(models.TextChoices):
        COLLECTION = "collection", _("Collection")
        SERIES = "series", _("Series")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COLLECTION)
    names = models.JSONField(_("names"), default=dict)
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    resources: models.ManyToManyField[Resource, CollectionItem] = models.ManyToManyField(
        Resource, through="CollectionItem", related_name="collections", blank=True
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def name(self) -> str:
        return pick(self.names)

    @property
    def description(self) -> str:
        return pick(self.descriptions)


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["collection", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "resource"], name="library_collection_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}/{self.resource_id}"


class Transition(models.Model):
    """One step of a resource's workflow: who moved it from which state to which, when, and why."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Resource.Status.choices)
    to_status = models.CharField(max_length=12, choices=Resource.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["resource", "at", "id"]

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.from_status} → {self.to_status}"


class ReviewAssignment(TimestampedModel):
    """A reviewer asked by an editor to review a submitted resource, and their review."""

    class Recommendation(models.TextChoices):
        PUBLISH = "publish", _("Publish")
        REVISE = "revise", _("Return for revision")
        REJECT = "reject", _("Do not publish")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="library_reviews"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Scores per published criterion (innovation, impact, inclusion, scalability,
    # sustainability) for case studies, 1 to 5 each; empty for other kinds.
    scores = models.JSONField(default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recommendation = models.CharField(max_length=8, choices=Recommendation.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["resource", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "reviewer"], name="library_review_one_per_reviewer"
            )
        ]


class UsageMonth(models.Model):
    """Views and downloads of a resource per month and country of the signed-in reader.

    ``country`` is empty for anonymous readers and readers without a country on their profile.
    """

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="usage")
    month = models.DateField()
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["resource", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "month", "country"],
                name="library_usage_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.month:%Y-%m}"


class UsageVisit(models.Model):
    """That a visitor was counted for a resource, action and day, so they count once a day.

    ``visitor`` is a keyed hash of the account or session, never an IP address; rows older
    than a day are no longer needed and are pruned.
    """

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    action = models.CharField(max_length=8)
    visitor = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "day", "action", "visitor"], name="library_visit_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.day} {self.action}"


# How often a source is harvested regularly: a day by default, from every hour to every 30 days.
DEFAULT_HARVEST_INTERVAL_HOURS = 24
MIN_HARVEST_INTERVAL_HOURS = 1
MAX_HARVEST_INTERVAL_HOURS = 720


class HarvestSource(TimestampedModel):
    """An OAI-PMH repository whose records are harvested into the library."""

    name = models.CharField(_("name"), max_length=200)
    base_url = models.URLField(_("base URL"), max_length=500, unique=True)
    metadata_prefix = models.CharField(_("metadata format"), max_length=40, default="oai_dc")
    set_spec = models.CharField(_("set"), max_length=200, blank=True)
    default_kind = models.CharField(
        _("kind of the harvested resources"),
        max_length=20,
        choices=Resource.Kind.choices,
        default=Resource.Kind.PUBLICATION,
    )
    enabled = models.BooleanField(_("harvest regularly"), default=True)
    # ``iite harvest --due`` harvests the source again once this long has passed since its last run.
    interval_hours = models.PositiveIntegerField(
        _("hours between harvests"), default=DEFAULT_HARVEST_INTERVAL_HOURS
    )
    # The datestamp of the last complete harvest; the next one asks only for what changed since.
    harvested_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    interval_hours__gte=MIN_HARVEST_INTERVAL_HOURS,
                    interval_hours__lte=MAX_HARVEST_INTERVAL_HOURS,
                ),
                name="library_harvest_interval_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name
