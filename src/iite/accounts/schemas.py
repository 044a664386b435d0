"""API schemas of accounts: what comes in and what goes out, kept apart."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

EducationRole = Literal["teacher", "school-leader", "policy-maker", "researcher", "other", ""]


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code.")


class RoleHeldOut(Schema):
    role: str = Field(description="Role code, for example `focal-point`.")
    name: str
    country: str | None = Field(None, description="The country it is held for, if any.")
    organisation: OrganisationOut | None = None


class MeOut(Schema):
    email: str
    email_verified: bool
    name: str
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    languages: list[str] = Field(description="ISO 639 codes of the languages the person works in.")
    education_role: str
    organisation: OrganisationOut | None
    language: str = Field(description="Interface language; empty means the browser decides.")
    roles: list[RoleHeldOut]
    date_joined: datetime


class MePatchIn(Schema):
    """Only the fields sent are changed; send null or "" to clear one."""

    name: str | None = Field(None, max_length=150)
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$|^$", description="ISO 3166-1 alpha-2 code, or empty."
    )
    languages: list[str] | None = Field(
        None, max_length=50, description="ISO 639 codes; replaces the whole list."
    )
    education_role: EducationRole | None = None
    organisation_id: int | None = Field(None, description="An existing organisation's id.")
    language: str | None = Field(
        None, description="Interface language code (settings.LANGUAGES), or empty."
    )

    @field_validator("language")
    @classmethod
    def _interface_language(cls, value: str | None) -> str | None:
        if value and value not in dict(settings.LANGUAGES):
            codes = ", ".join(code for code, _name in settings.LANGUAGES)
            raise ValueError(
                _("Choose one of the interface languages: %(codes)s.") % {"codes": codes}
            )
        return value


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool


class TokenCreateIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself; shown only in this response.")


class RoleOut(Schema):
    code: str
    name: str = Field(description="In the language of the request.")
    names: dict[str, str] = Field(description="In the six UN languages.")
    scope: Literal["global", "country", "organisation"]
