"""API schemas of the library's resources and workflow: what comes in and what goes out."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

Kind = Literal[
    "publication", "policy-brief", "policy-document", "case-study", "oer", "external-course"
]


class CreatorIn(Schema):
    family_name: str = Field(max_length=300, description="Family name, or an organisation's name.")
    given_names: str = Field("", max_length=300)
    kind: Literal["person", "organisation"] = "person"
    role: Literal["author", "editor", "contributor"] = "author"
    affiliation: str = Field("", max_length=300)
    orcid: str = Field("", max_length=19)


class CaseStudyParts(Schema):
    context: str = ""
    solution: str = ""
    actors: str = ""
    results: str = ""
    lessons: str = ""
    scalability: str = ""
    contacts: str = ""


class ResourceFieldsIn(Schema):
    """Metadata of a resource. Controlled values are codes: ISO 639 language, SPDX licence,
    ISO 3166 alpha-2 countries, reference codes of regions, ISCED levels, topics, action
    areas, SDG targets and competencies (e.g. `3.KD`), and schema.org accessibility tokens."""

    title: str | None = Field(None, max_length=500)
    abstract: str | None = None
    language: str | None = Field(None, description="ISO 639 code of this edition's language.")
    creators: list[CreatorIn] | None = None
    publisher: str | None = None
    issued: str | None = Field(None, description="YYYY-MM-DD, YYYY-MM or YYYY.")
    isbn: str | None = None
    doi: str | None = None
    url: str | None = None
    licence: str | None = Field(None, description="SPDX id, e.g. CC-BY-SA-3.0-IGO.")
    keywords: list[str] | None = None
    countries: list[str] | None = None
    regions: list[str] | None = None
    isced_levels: list[str] | None = None
    topics: list[str] | None = None
    action_areas: list[str] | None = None
    sdg_targets: list[str] | None = None
    competencies: list[str] | None = None
    audiences: list[str] | None = None
    learning_resource_types: list[str] | None = None
    accessibility_features: list[str] | None = None
    access_modes: list[str] | None = None
    access_modes_sufficient: list[str] | None = None
    accessibility_hazards: list[str] | None = None
    accessibility_summary: str | None = None
    case_study: CaseStudyParts | None = None


class ResourceCreateIn(ResourceFieldsIn):
    kind: Kind
    title: str = Field(max_length=500)
    language: str = Field(description="ISO 639 code of this edition's language.")


class CreatorOut(Schema):
    kind: str
    role: str
    family_name: str
    given_names: str
    affiliation: str
    orcid: str


class ResourceOut(Schema):
    uuid: str
    work: str = Field(description="Shared by the editions of one work in several languages.")
    url: str = Field(description="The resource's page.")
    kind: str
    status: str
    title: str
    abstract: str
    keywords: list[str]
    language: str
    publisher: str
    issued: str | None
    isbn: str
    doi: str
    licence: str | None
    accessibility_summary: str
    creators: list[CreatorOut]
    countries: list[str]
    regions: list[str]
    isced_levels: list[str]
    topics: list[str]
    action_areas: list[str]
    sdg_targets: list[str]
    competencies: list[str]
    audiences: list[str]
    learning_resource_types: list[str]
    accessibility_features: list[str]
    access_modes: list[str]
    access_modes_sufficient: list[str]
    accessibility_hazards: list[str]
    published_at: str | None
    withdrawn_at: str | None
    withdrawal_reason: str
    editions: list[str] = Field(description="uuids of the published editions in other languages.")
    case_study: CaseStudyParts | None = None


class ReviewerIn(Schema):
    reviewer_id: int = Field(description="The id of an account holding the reviewer role.")


class ReviewIn(Schema):
    scores: dict[str, int] | None = Field(
        None,
        description="Case studies only: 1 to 5 for each of innovation, impact, inclusion, "
        "scalability and sustainability.",
    )
    comment: str
    recommendation: Literal["publish", "revise", "reject"]


class ReviewOut(Schema):
    id: int
    resource: str
    reviewer_id: int
    scores: dict[str, int]
    comment: str
    recommendation: str
    completed_at: str | None


class FeedbackIn(Schema):
    feedback: str


class WithdrawIn(Schema):
    reason: str


class ReinstateIn(Schema):
    note: str
