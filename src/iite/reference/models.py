"""Reference vocabularies: countries, regions, languages, levels, SDG 4, topics, licences, etc.

Every name and description is a JSON object keyed by language (ar, en, es, fr, ru, zh); the
``name`` property picks the active language. Rows are written only by ``services.reference_load``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from iite.core.translation import pick


class TranslatedModel(models.Model):
    """A vocabulary entry with a stable code and a name (and description) in six languages."""

    names = models.JSONField(default=dict)
    descriptions = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return pick(self.names)

    @property
    def description(self) -> str:
        return pick(self.descriptions)


class Region(TranslatedModel):
    """A group of countries: a UN M49 region, sub-region or intermediate region; or UNESCO."""

    class Kind(models.TextChoices):
        UN_REGION = "un-region", _("UN region")
        UN_SUBREGION = "un-subregion", _("UN sub-region")
        UN_INTERMEDIATE = "un-intermediate", _("UN intermediate region")
        UNESCO = "unesco", _("UNESCO region")

    code = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        return self.name or self.code


class Country(TranslatedModel):
    """A country or territory with its ISO 3166-1 codes, M49 code and regions."""

    class IncomeGroup(models.TextChoices):
        HIGH = "high", _("High income")
        UPPER_MIDDLE = "upper-middle", _("Upper middle income")
        LOWER_MIDDLE = "lower-middle", _("Lower middle income")
        LOW = "low", _("Low income")

    alpha2 = models.CharField(max_length=2, unique=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    m49 = models.CharField(max_length=3, unique=True)
    official_names = models.JSONField(default=dict, blank=True)
    un_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    un_subregion = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    un_intermediate_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unesco_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="countries"
    )
    income_group = models.CharField(max_length=20, choices=IncomeGroup.choices, blank=True)
    # Codes and names in every language, case-folded, so one LIKE finds "Франция" on any database.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["alpha2"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name or self.alpha2


class Language(TranslatedModel):
    """A language by its ISO 639 codes, with its writing direction."""

    code = models.CharField(max_length=3, unique=True, help_text="ISO 639-1, or 639-3 if none")
    alpha3 = models.CharField(max_length=3, unique=True)
    direction = models.CharField(
        max_length=3, choices=[("ltr", _("left to right")), ("rtl", _("right to left"))]
    )
    is_un_language = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code


class IscedLevel(TranslatedModel):
    """A level of the International Standard Classification of Education 2011."""

    code = models.CharField(max_length=2, unique=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]
        verbose_name = _("ISCED level")

    def __str__(self) -> str:
        return f"ISCED {self.code}"


class SdgTarget(TranslatedModel):
    """A target of Sustainable Development Goal 4."""

    code = models.CharField(max_length=8, unique=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]
        verbose_name = _("SDG target")

    def __str__(self) -> str:
        return f"SDG {self.code}"


class SdgIndicator(TranslatedModel):
    """A global or thematic SDG 4 indicator the platform uses."""

    code = models.CharField(max_length=12, unique=True)
    target = models.ForeignKey(SdgTarget, on_delete=models.PROTECT, related_name="indicators")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]
        verbose_name = _("SDG indicator")

    def __str__(self) -> str:
        return self.code


class StrategicPriority(TranslatedModel):
    """One of the institute's strategic priorities."""

    code = models.SlugField(max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["number"]
        verbose_name_plural = _("strategic priorities")

    def __str__(self) -> str:
        return self.name or self.code


class ActionArea(TranslatedModel):
    """One of the institute's six action areas, and the part of the platform that serves it."""

    code = models.SlugField(max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(unique=True)
    priorities = models.ManyToManyField(StrategicPriority, related_name="action_areas", blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name or self.code


class Topic(TranslatedModel):
    """A subject of the institute's work, used to classify resources, projects and events."""

    code = models.SlugField(max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name or self.code


class Licence(TranslatedModel):
    """A content licence identified by its SPDX id."""

    spdx_id = models.CharField(max_length=40, unique=True)
    url = models.URLField(blank=True)
    is_open = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "spdx_id"]

    def __str__(self) -> str:
        return self.spdx_id


class Vocabulary(TranslatedModel):
    """A controlled vocabulary, e.g. LRMI learningResourceType, schema.org accessibilityFeature."""

    code = models.SlugField(max_length=60, unique=True)
    source_url = models.URLField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("vocabularies")

    def __str__(self) -> str:
        return self.code


class Term(TranslatedModel):
    """One value of a controlled vocabulary, with the exact token the standard uses."""

    vocabulary = models.ForeignKey(Vocabulary, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["vocabulary", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"], name="reference_term_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.code


class Framework(TranslatedModel):
    """A competency framework (e.g. the UNESCO ICT CFT v3), with its licence and attribution."""

    code = models.SlugField(max_length=40)
    version = models.CharField(max_length=20)
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="+")
    attribution = models.JSONField(default=dict)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="reference_framework_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    @property
    def attribution_text(self) -> str:
        return pick(self.attribution)


class Dimension(TranslatedModel):
    """An aspect or area of a framework (a row of its matrix)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(max_length=20)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="reference_dimension_code")
        ]

    def __str__(self) -> str:
        return self.name or self.code


class FrameworkLevel(TranslatedModel):
    """A level of a framework (a column of its matrix), e.g. Knowledge Acquisition."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(max_length=20)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="reference_level_code")
        ]

    def __str__(self) -> str:
        return self.name or self.code


class Competency(TranslatedModel):
    """One cell of a framework: a dimension at a level, with a stable code and its official name."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="competencies")
    level = models.ForeignKey(FrameworkLevel, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(max_length=20)

    class Meta:
        ordering = ["framework", "dimension__order", "level__order"]
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="reference_competency_code"),
            models.UniqueConstraint(
                fields=["dimension", "level"], name="reference_competency_cell"
            ),
        ]

    def __str__(self) -> str:
        return self.code
