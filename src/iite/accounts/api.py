"""The accounts API: one's own profile, data export and tokens, and the role vocabulary."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from iite.accounts import selectors, services
from iite.accounts.models import ApiToken, Organisation, RoleAssignment, User
from iite.accounts.permissions import can
from iite.accounts.schemas import (
    MeOut,
    MePatchIn,
    OrganisationOut,
    RoleHeldOut,
    RoleOut,
    TokenCreatedOut,
    TokenCreateIn,
    TokenOut,
)
from iite.core.errors import ApplicationError, NotFound, PermissionDenied
from iite.core.pagination import PageNumberPagination
from iite.core.translation import pick

router = Router(tags=["accounts"])


def _actor(request: HttpRequest, action: str) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User) or not can(user, action):
        raise PermissionDenied(_("You may not do this."))
    return user


def _organisation_out(organisation: Organisation | None) -> OrganisationOut | None:
    if organisation is None:
        return None
    return OrganisationOut(
        id=organisation.pk,
        name=organisation.name,
        kind=organisation.kind,
        country=organisation.country.alpha2 if organisation.country else None,
    )


def _role_held_out(assignment: RoleAssignment) -> RoleHeldOut:
    return RoleHeldOut(
        role=assignment.role.code,
        name=pick(assignment.role.names),
        country=assignment.country.alpha2 if assignment.country else None,
        organisation=_organisation_out(assignment.organisation),
    )


def _me_out(user: User) -> MeOut:
    profile = selectors.profile_of(user)
    return MeOut(
        email=profile.email,
        email_verified=profile.email_verified,
        name=profile.name,
        country=profile.country.alpha2 if profile.country else None,
        languages=sorted(language.code for language in profile.languages.all()),
        education_role=profile.education_role,
        organisation=_organisation_out(profile.organisation),
        language=profile.language,
        roles=[_role_held_out(a) for a in selectors.role_assignments_of(profile)],
        date_joined=profile.date_joined,
    )


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "active": token.is_active,
    }


@router.get("/me", response=MeOut, summary="My profile and the roles I hold")
def me_get(request: HttpRequest) -> MeOut:
    return _me_out(_actor(request, "profile.view_own"))


@router.patch("/me", response=MeOut, summary="Change my profile")
def me_patch(request: HttpRequest, payload: MePatchIn) -> MeOut:
    """Only the fields sent change. Unknown codes are refused and nothing changes (422)."""
    user = _actor(request, "profile.edit_own")
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    if "name" in sent:
        changes["name"] = sent["name"] or ""
    if "education_role" in sent:
        changes["education_role"] = sent["education_role"] or ""
    if "language" in sent:
        changes["language"] = sent["language"] or ""
    if "country" in sent:
        code = sent["country"] or ""
        country = selectors.country_by_code(code) if code else None
        if code and country is None:
            errors.append({"field": "country", "message": _("There is no country with this code.")})
        changes["country"] = country
    if "languages" in sent:
        codes = [code.strip().lower() for code in sent["languages"] or []]
        found = selectors.languages_by_code(codes)
        unknown = sorted({code for code in codes if code not in found})
        if unknown:
            message = _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            errors.append({"field": "languages", "message": message})
        changes["languages"] = list(found.values())
    if "organisation_id" in sent:
        organisation_id = sent["organisation_id"]
        organisation = (
            selectors.organisation_by_id(organisation_id) if organisation_id is not None else None
        )
        if organisation_id is not None and organisation is None:
            message = _("There is no organisation with this id.")
            errors.append({"field": "organisation_id", "message": message})
        changes["organisation"] = organisation
    if errors:
        raise ApplicationError(
            _("The request is not valid; see details for each field."),
            code="validation",
            details=errors,
            status=422,
        )
    services.user_profile_update(user=user, by=user, **changes)
    return _me_out(user)


@router.get("/me/export", response=dict[str, Any], summary="Download all my data")
def me_export(request: HttpRequest) -> dict[str, Any]:
    return selectors.user_data_export(_actor(request, "data.export_own"))


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
@paginate(PageNumberPagination)
def tokens_list(request: HttpRequest) -> Any:
    user = _actor(request, "token.manage_own")
    return [_token_out(token) for token in selectors.api_tokens_of(user)]


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create an API token")
def tokens_create(request: HttpRequest, payload: TokenCreateIn) -> Status[Any]:
    """The token itself is in this response only; store it safely."""
    user = _actor(request, "token.manage_own")
    token, secret = services.api_token_create(user=user, name=payload.name)
    return Status(201, {**_token_out(token), "token": secret})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke an API token")
def tokens_revoke(request: HttpRequest, token_id: int) -> Status[Any]:
    user = _actor(request, "token.manage_own")
    token = selectors.api_token_of(user, token_id)
    if token is None:
        raise NotFound(_("There is no such token."))
    services.api_token_revoke(token=token, by=user)
    return Status(204, None)


@router.get("/roles", response=list[RoleOut], auth=None, summary="The roles a person can hold")
def roles_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"code": role.code, "name": pick(role.names), "names": role.names, "scope": role.scope}
        for role in selectors.roles()
    ]
