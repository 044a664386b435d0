"""What a country profile reads from lower apps, through their selectors only: the library's
published policy documents and case studies, the assessment engine's anonymised ICT CFT
aggregates (never below 5 respondents), and guidance and courses for a policy theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from iite.assessments import selectors as assessment_selectors
from iite.assessments import summaries as assessment_summaries
from iite.assessments.models import Response
from iite.learning import selectors as learning_selectors
from iite.library import selectors as library_selectors
from iite.library.models import Resource
from iite.reference import selectors as reference_selectors
from iite.reference.models import Country

COUNTRY_KINDS = ("policy-document", "policy-brief", "case-study")
GUIDANCE_KINDS = ("publication", "policy-brief", "policy-document", "case-study")
ICT_CFT_INSTRUMENT = "ict-cft-teacher"


@dataclass(frozen=True)
class Document:
    """A library resource as a profile lists it."""

    pk: int
    title: str
    kind: str
    kind_label: str
    url: str
    year: int | None


def _document(resource: Resource) -> Document:
    return Document(
        pk=resource.pk,
        title=resource.title,
        kind=resource.kind,
        kind_label=resource.get_kind_display(),
        url=reverse("library:resource", kwargs={"uuid": resource.uuid}),
        year=resource.issued.year if resource.issued else None,
    )


def country_documents(country: Country, *, limit: int = 20) -> list[Document]:
    """The country's published policy documents, policy briefs and case studies."""
    resources = library_selectors.resources_published(kinds=COUNTRY_KINDS, country=country)
    return [_document(resource) for resource in resources[:limit]]


def document_choices(country: Country) -> list[Document]:
    """Library documents a focal point may cite as evidence: the country's, then any policy."""
    return country_documents(country, limit=100)


def document_by_id(country: Country, resource_id: int) -> Document | None:
    return next((d for d in document_choices(country) if d.pk == resource_id), None)


def guidance_for(competencies: Sequence[str], *, limit: int = 3) -> list[Document]:
    """Published guidance aligned to any of the ICT CFT competencies given."""
    resources = library_selectors.resources_published(
        kinds=GUIDANCE_KINDS, competencies=competencies
    )
    return [_document(resource) for resource in resources[:limit]]


@dataclass(frozen=True)
class Course:
    title: str
    url: str


def courses_for(competencies: Sequence[str], *, limit: int = 3) -> list[Course]:
    """Published learning paths teaching any of the competencies given."""
    paths = learning_selectors.paths_published().filter(competencies__code__in=competencies)
    return [
        Course(title=path.title, url=reverse("learning:path", args=[path.slug]))
        for path in paths.distinct()[:limit]
    ]


@dataclass(frozen=True)
class AggregateRow:
    code: str
    name: str
    mean: float | None
    withheld: str


@dataclass(frozen=True)
class IctCftSummary:
    respondents: int | None
    withheld: str
    rows: list[AggregateRow]


def ict_cft_summary(country: Country) -> IctCftSummary | None:
    """Teachers' ICT CFT self-assessments in the country, summarised by the engine's group
    summary (which withholds everything below 5 respondents). None when no one answered."""
    instrument = assessment_selectors.instrument_latest(ICT_CFT_INSTRUMENT)
    if instrument is None:
        return None
    responses = Response.objects.filter(instrument=instrument).filter(
        Q(campaign__country=country)
        | Q(campaign__organisation__country=country)
        | Q(
            campaign__country__isnull=True,
            campaign__organisation__isnull=True,
            respondent__country=country,
        )
    )
    summary = assessment_summaries.group_summary(responses, by_group=False)
    if summary is None:
        return None
    part = summary.part()
    if part is None:
        return None
    definition = assessment_selectors.definition_of(instrument)
    rows = []
    framework = definition.framework
    if framework is not None:
        matrix = reference_selectors.framework_matrix(
            code=framework.code, version=framework.version
        )
        names = {row.dimension.code: row.dimension.name for row in matrix.rows} if matrix else {}
        for dimension in framework.dimensions:
            codes = [
                c for c, place in framework.competencies.items() if place.dimension == dimension
            ]
            figures = [part.targets[c] for c in codes if c in part.targets]
            means = [f.mean for f in figures if f.mean is not None and f.n]
            withheld = next((f.withheld for f in figures if f.withheld), "")
            rows.append(
                AggregateRow(
                    dimension,
                    names.get(dimension, dimension),
                    round(sum(means) / len(means) * 100, 1) if means else None,
                    withheld,
                )
            )
    return IctCftSummary(part.respondents, part.withheld, rows)
