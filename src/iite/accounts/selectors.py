"""Reads of accounts: roles held, profiles, tokens, form choices and a person's data export."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from iite.accounts.models import ApiToken, Organisation, Role, RoleAssignment, User
from iite.core.translation import pick
from iite.reference.models import Country, Language

TOKEN_PREFIX = "iite_"  # noqa: S105  (marks our tokens for secret scanners; not a secret)
TOKEN_PREFIX_LENGTH = 12  # "iite_" and the first seven characters of the secret part


# --- Roles ---------------------------------------------------------------------------------------
def roles() -> QuerySet[Role]:
    """The role vocabulary, in its display order."""
    return Role.objects.order_by("order", "code")


def role_scopes_of(
    user: User, *, country: Any = None, organisation: Any = None
) -> tuple[set[str], set[str]]:
    """The role codes ``user`` holds anywhere, and those held globally or for exactly this scope.

    One query. Every active account holds ``member`` (granted at sign-up, and implied for
    accounts made otherwise, so nobody is locked out of their own profile); superusers hold
    ``admin`` implicitly.
    """
    if not getattr(user, "pk", None):
        return set(), set()
    country_id = getattr(country, "pk", country)
    organisation_id = getattr(organisation, "pk", organisation)
    anywhere: set[str] = set()
    here: set[str] = set()
    rows = RoleAssignment.objects.filter(user_id=user.pk).values_list(
        "role__code", "country_id", "organisation_id"
    )
    for code, held_country, held_organisation in rows:
        anywhere.add(code)
        if (
            (held_country is None and held_organisation is None)
            or (held_country is not None and held_country == country_id)
            or (held_organisation is not None and held_organisation == organisation_id)
        ):
            here.add(code)
    implied = {"member"} if user.is_active else set()
    if user.is_superuser:
        implied.add("admin")
    return anywhere | implied, here | implied


def roles_of(user: User, *, country: Any = None, organisation: Any = None) -> set[str]:
    """Codes of the roles ``user`` holds globally, plus those held for exactly this scope."""
    return role_scopes_of(user, country=country, organisation=organisation)[1]


def role_assignments_of(user: User) -> QuerySet[RoleAssignment]:
    """The roles a user holds, with their scopes, for display."""
    return (
        RoleAssignment.objects.filter(user_id=user.pk)
        .select_related("role", "country", "organisation")
        .order_by("role__order", "id")
    )


# --- Profiles ------------------------------------------------------------------------------------
def profile_of(user: User) -> User:
    """The user with everything the profile page shows."""
    return (
        User.objects.select_related("country", "organisation")
        .prefetch_related("languages")
        .get(pk=user.pk)
    )


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def email_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


# --- Choices for forms ---------------------------------------------------------------------------
def countries_by_name() -> list[Country]:
    """All countries, sorted by their name in the active language."""
    return sorted(Country.objects.all(), key=lambda country: pick(country.names).casefold())


def country_by_code(code: str) -> Country | None:
    return Country.objects.filter(alpha2__iexact=code.strip()).first()


def languages_for_choice() -> tuple[list[Language], list[Language]]:
    """The six UN languages, then every other language, each sorted by localised name."""
    un_languages: list[Language] = []
    others: list[Language] = []
    for language in Language.objects.all():
        (un_languages if language.is_un_language else others).append(language)

    def key(language: Language) -> str:
        return pick(language.names).casefold() or language.code

    return sorted(un_languages, key=key), sorted(others, key=key)


def languages_by_code(codes: list[str]) -> dict[str, Language]:
    found = Language.objects.filter(code__in=[code.strip().lower() for code in codes])
    return {language.code: language for language in found}


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("country").order_by("name")


def organisation_matching(*, name: str, country: Country | None) -> Organisation | None:
    return Organisation.objects.filter(name__iexact=name.strip(), country=country).first()


# --- API tokens ----------------------------------------------------------------------------------
def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """A user's tokens, newest first, revoked ones included (they show when they were revoked)."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def api_token_of(user: User, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user_id=user.pk, pk=token_id).first()


def api_token_for_key(key: str) -> ApiToken | None:
    """The active token of an active user that ``key`` is, if any."""
    key = key.strip()
    if not key.startswith(TOKEN_PREFIX):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


# --- Data export ---------------------------------------------------------------------------------
def user_data_export(user: User) -> dict[str, Any]:
    """Everything the accounts app holds about ``user``, as JSON-ready data."""
    profile = profile_of(user)
    organisation = profile.organisation
    return {
        "format": "iite-account-export",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": profile.email,
            "email_verified": profile.email_verified,
            "name": profile.name,
            "interface_language": profile.language,
            "country": profile.country.alpha2 if profile.country else None,
            "languages": sorted(language.code for language in profile.languages.all()),
            "education_role": profile.education_role,
            "date_joined": profile.date_joined.isoformat(),
            "last_login": profile.last_login.isoformat() if profile.last_login else None,
        },
        "organisation": (
            {
                "name": organisation.name,
                "kind": organisation.kind,
                "country": organisation.country.alpha2 if organisation.country else None,
                "website": organisation.website,
            }
            if organisation
            else None
        ),
        "roles": [
            {
                "role": assignment.role.code,
                "country": assignment.country.alpha2 if assignment.country else None,
                "organisation": assignment.organisation.name if assignment.organisation else None,
                "since": assignment.created_at.isoformat(),
            }
            for assignment in role_assignments_of(user)
        ],
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in api_tokens_of(user)
        ],
        "note": (
            "This file holds what the accounts part of the platform stores about you. "
            "Other parts of the platform (assessments, learning, library) add their data "
            "to this export as they are built."
        ),
    }


def active_api_token_count(user: User) -> int:
    return ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).count()


def organisation_by_id(organisation_id: int) -> Organisation | None:
    return Organisation.objects.filter(pk=organisation_id).first()
