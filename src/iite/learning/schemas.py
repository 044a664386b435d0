"""API schemas of learning and credentials: what comes in and what goes out, kept apart."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema


class CompetencyOut(Schema):
    code: str = Field(description="ICT CFT v3 code, e.g. 3.KD (aspect 3 at Knowledge Deepening).")
    name: str


class PathOut(Schema):
    slug: str
    kind: Literal["course", "path"]
    title: str
    summary: str
    language: str = Field(description="ar, en, es, fr, ru or zh.")
    estimated_minutes: int
    competencies: list[CompetencyOut]
    url: str = Field(description="The path's page.")


class StepOut(Schema):
    order: int
    kind: Literal["resource", "external", "activity", "quiz"]
    title: str
    instructions: str
    url: str = Field(description="The external course or the library resource; empty otherwise.")
    estimated_minutes: int
    competencies: list[str]


class PathDetailOut(PathOut):
    status: Literal["draft", "published", "archived"]
    completion: Literal["all_steps", "quiz_score"]
    pass_percent: int
    prerequisites: list[str] = Field(description="Slugs of the paths to complete first.")
    steps: list[StepOut]


class PathFieldsIn(Schema):
    """A path's fields; on a change (PATCH) only those sent change, and lists replace lists."""

    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=2000)
    language: Literal["ar", "en", "es", "fr", "ru", "zh"] | None = None
    kind: Literal["course", "path"] | None = None
    estimated_minutes: int | None = None
    completion: Literal["all_steps", "quiz_score"] | None = None
    pass_percent: int | None = Field(None, description="The quizzes' pass mark, 1 to 100.")
    competencies: list[str] | None = Field(None, description="ICT CFT v3 codes, e.g. 3.KA.")
    prerequisites: list[str] | None = Field(None, description="Slugs of paths to complete first.")
    facilitators: list[str] | None = Field(None, description="E-mail addresses of members.")


class PathCreateIn(PathFieldsIn):
    slug: str = Field(description="The path's address: lowercase letters, digits, hyphens.")
    title: str = Field(max_length=200)
    summary: str = Field(max_length=2000)
    language: Literal["ar", "en", "es", "fr", "ru", "zh"]


class StepIn(Schema):
    """A new step, added at the end of the path. Which fields count depends on its kind."""

    kind: Literal["resource", "external", "activity", "quiz"]
    title: str = Field(max_length=200)
    instructions: str = ""
    url: str = Field("", description="An external course's web address.")
    resource: str | None = Field(None, description="A published library resource's UUID.")
    questions: list[dict[str, Any]] | None = Field(
        None,
        description='A quiz: [{"question": text, "choices": [texts], "answer": index from 0}].',
    )
    estimated_minutes: int = 15
    competencies: list[str] = Field(default_factory=list)


class MoveIn(Schema):
    direction: Literal["up", "down"]


class EnrolmentOut(Schema):
    path: str = Field(description="The path's slug.")
    title: str
    status: Literal["active", "completed"]
    done: int
    total: int
    percent: int
    resume_step: int | None = Field(description="The order of the step to carry on with.")
    credential: str | None = Field(description="The credential's public id, once completed.")


class SuggestionOut(Schema):
    competency: str
    name: str
    reason: str
    paths: list[PathOut]
    resources: list[dict[str, Any]]
    elsewhere: list[PathOut] = Field(
        description="When nothing is in your language: the nearest paths in other languages."
    )


class RecommendationsOut(Schema):
    language: str
    assessed: bool = Field(description="False when you have no self-assessment result yet.")
    suggestions: list[SuggestionOut]


class CredentialListOut(Schema):
    id: str
    path: str
    title: str
    issued_at: datetime
    revoked: bool
    url: str = Field(description="The credential's JSON.")


class CheckOut(Schema):
    code: Literal["format", "context", "signature", "issuer", "expiry", "revocation"]
    status: Literal["pass", "fail", "warning", "skipped"]
    message: str


class ClaimsOut(Schema):
    id: str
    name: str
    issuer_id: str
    issuer_name: str
    achievement: str
    valid_from: str
    valid_until: str


class VerdictOut(Schema):
    valid: bool = Field(description="True when no check failed (warnings allowed).")
    summary: str
    checks: list[CheckOut]
    credential: ClaimsOut | None = Field(description="What the document claims, if readable.")
