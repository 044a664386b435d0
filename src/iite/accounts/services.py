"""Writes to accounts: sign-up and verification, profiles, organisations, roles, tokens, deletion.

Every function validates, writes inside one transaction, sends email only once the transaction has
committed, and raises ``ApplicationError`` (already translated) when it refuses.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, Final, Literal

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from iite.accounts import selectors
from iite.accounts.models import ApiToken, Organisation, Role, RoleAssignment, User
from iite.accounts.permissions import can
from iite.core.errors import ApplicationError, NotFound, PermissionDenied
from iite.reference.models import Country, Language

VERIFICATION_SALT: Final = "iite.accounts.email-verification"
TOKEN_LIMIT: Final = 20  # active tokens per person; enough for scripts, few enough to review
TOKEN_TOUCH_INTERVAL: Final = timedelta(minutes=1)


class _Unset(enum.Enum):
    UNSET = enum.auto()


UNSET: Final = _Unset.UNSET
"""Marks a profile field that an update leaves as it is."""


class VerificationResult(enum.Enum):
    VERIFIED = "verified"
    ALREADY_VERIFIED = "already-verified"


def _field_error(field: str, message: str, *, code: str = "validation") -> ApplicationError:
    return ApplicationError(message, code=code, details=[{"field": field, "message": message}])


def _interface_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


# --- Sign-up and email verification --------------------------------------------------------------
def user_signup(
    *,
    email: str,
    name: str,
    password: str,
    country: Country | None = None,
    education_role: str = "",
    language: str = "",
) -> User:
    """Create an unverified account with the ``member`` role and email it a verification link."""
    email = User.objects.normalize_email(email.strip())
    try:
        validate_email(email)
    except ValidationError as exc:
        raise _field_error("email", _("Enter a valid email address.")) from exc
    if selectors.email_taken(email):
        raise _field_error(
            "email",
            _("An account with this email address already exists. Sign in, or reset the password."),
            code="email_taken",
        )
    if education_role and education_role not in User.EducationRole.values:
        raise _field_error("education_role", _("Choose one of the roles in the list."))
    if language and language not in _interface_languages():
        raise _field_error("language", _("Choose one of the interface languages."))
    user = User(
        email=email,
        name=name.strip(),
        country=country,
        education_role=education_role,
        language=language,
        email_verified=False,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        raise _field_error("password", message) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            role_grant(user=user, role="member", by=None)
    except IntegrityError as exc:  # two sign-ups with one address at the same moment
        raise _field_error(
            "email", _("An account with this email address already exists."), code="email_taken"
        ) from exc
    _on_commit_send_verification(user)
    return user


def email_verification_token(*, user: User) -> str:
    """A signed token naming the user and the address it verifies; it expires with time."""
    signer = signing.TimestampSigner(salt=VERIFICATION_SALT)
    return signer.sign_object({"user": user.pk, "email": user.email}, compress=True)


def email_verification_url(*, user: User, language: str | None = None) -> str:
    with translation.override(language or user.language or settings.LANGUAGE_CODE):
        path = reverse("accounts:verify", kwargs={"token": email_verification_token(user=user)})
    return f"{settings.SITE_URL}{path}"


def email_verification_send(*, user: User) -> None:
    """Email the verification link now, in the person's language."""
    language = user.language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "user": user,
            "url": email_verification_url(user=user, language=language),
            "days": max(1, settings.EMAIL_VERIFICATION_MAX_AGE // 86400),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("accounts/email/verify_subject.txt", context)
        body = render_to_string("accounts/email/verify_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def _on_commit_send_verification(user: User) -> None:
    language = translation.get_language()

    def send() -> None:
        with translation.override(language):
            email_verification_send(user=user)

    transaction.on_commit(send)


def email_verification_resend(*, email: str) -> None:
    """Send a new link if an unverified account has this address; say nothing about others."""
    user = selectors.user_by_email(email)
    if user is None or user.email_verified or not user.is_active:
        return
    _on_commit_send_verification(user)


@transaction.atomic
def user_email_verify(*, token: str) -> tuple[User, VerificationResult]:
    """Mark the address in ``token`` verified; a second use of the link changes nothing."""
    signer = signing.TimestampSigner(salt=VERIFICATION_SALT)
    try:
        data = signer.unsign_object(token, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ApplicationError(
            _("This link has expired. Ask for a new one below."), code="link_expired"
        ) from exc
    except signing.BadSignature as exc:
        raise ApplicationError(
            _("This link is not valid. Check that you copied all of it, or ask for a new one."),
            code="link_invalid",
        ) from exc
    user = (
        User.objects.select_for_update()
        .filter(pk=data.get("user"), email=data.get("email"), is_active=True)
        .first()
    )
    if user is None:
        raise ApplicationError(
            _("This link is not valid any more: the account or its address has changed."),
            code="link_invalid",
        )
    if user.email_verified:
        return user, VerificationResult.ALREADY_VERIFIED
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    return user, VerificationResult.VERIFIED


@transaction.atomic
def user_email_mark_verified(*, user: User) -> User:
    """Record that the person has shown they read this address (for example by resetting)."""
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


# --- Profile -------------------------------------------------------------------------------------
@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Remember the interface language a signed-in person chose."""
    if language and language not in _interface_languages():
        raise _field_error("language", _("Choose one of the interface languages."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    by: User,
    name: str | Literal[_Unset.UNSET] = UNSET,
    country: Country | Literal[_Unset.UNSET] | None = UNSET,
    languages: Iterable[Language] | Literal[_Unset.UNSET] = UNSET,
    education_role: str | Literal[_Unset.UNSET] = UNSET,
    organisation: Organisation | Literal[_Unset.UNSET] | None = UNSET,
    language: str | Literal[_Unset.UNSET] = UNSET,
    new_organisation_name: str = "",
    new_organisation_kind: str = "",
) -> User:
    """Change the given profile fields (the others stay as they are); all or nothing.

    A ``new_organisation_name`` (with its kind) adds that organisation, in the profile's country,
    and makes it the person's organisation.
    """
    if by.pk != user.pk or not can(by, "profile.edit_own"):
        raise PermissionDenied(_("You may change only your own profile."))
    errors: list[dict[str, Any]] = []
    changed: list[str] = []
    if name is not UNSET:
        name = name.strip()
        if len(name) > User._meta.get_field("name").max_length:  # type: ignore[operator]
            errors.append({"field": "name", "message": _("The name is too long.")})
        user.name = name
        changed.append("name")
    if education_role is not UNSET:
        if education_role and education_role not in User.EducationRole.values:
            errors.append(
                {"field": "education_role", "message": _("Choose one of the roles in the list.")}
            )
        user.education_role = education_role
        changed.append("education_role")
    if language is not UNSET:
        if language and language not in _interface_languages():
            errors.append(
                {"field": "language", "message": _("Choose one of the interface languages.")}
            )
        user.language = language
        changed.append("language")
    if country is not UNSET:
        user.country = country
        changed.append("country")
    if organisation is not UNSET:
        user.organisation = organisation
        changed.append("organisation")
    if errors:
        user.refresh_from_db()
        raise ApplicationError(
            _("The profile was not changed; see details for each field."),
            code="validation",
            details=errors,
        )
    if new_organisation_name.strip():
        try:
            user.organisation = organisation_create(
                name=new_organisation_name,
                kind=new_organisation_kind,
                country=user.country,
                by=by,
            )
        except ApplicationError:
            user.refresh_from_db()
            raise
        changed.append("organisation")
    if changed:
        user.save(update_fields=sorted(set(changed)))
    if languages is not UNSET:
        user.languages.set(list(languages))
    return user


# --- Organisations -------------------------------------------------------------------------------
@transaction.atomic
def organisation_create(
    *, name: str, kind: str, country: Country | None = None, website: str = "", by: User
) -> Organisation:
    """Add an organisation, or return the one of that name in that country if it exists."""
    if not can(by, "organisation.create"):
        raise PermissionDenied(_("You may not add organisations."))
    name = " ".join(name.split())
    errors: list[dict[str, Any]] = []
    if not name:
        errors.append({"field": "name", "message": _("Enter the organisation's name.")})
    elif len(name) > Organisation._meta.get_field("name").max_length:  # type: ignore[operator]
        errors.append({"field": "name", "message": _("The name is too long.")})
    if kind not in Organisation.Kind.values:
        errors.append({"field": "kind", "message": _("Choose what kind of organisation it is.")})
    if errors:
        raise ApplicationError(
            _("The organisation was not added; see details for each field."),
            code="validation",
            details=errors,
        )
    existing = selectors.organisation_matching(name=name, country=country)
    if existing is not None:
        return existing
    return Organisation.objects.create(name=name, kind=kind, country=country, website=website)


# --- Roles ---------------------------------------------------------------------------------------
def _role(role: Role | str) -> Role:
    if isinstance(role, Role):
        return role
    found = Role.objects.filter(code=role).first()
    if found is None:
        raise NotFound(_("There is no role “%(code)s”.") % {"code": role}, code="unknown_role")
    return found


def role_scope_check(
    role: Role, country: Country | None, organisation: Organisation | None
) -> None:
    """Refuse a scope that does not fit the role: a country, a (school) organisation, or none."""
    if role.scope == Role.Scope.COUNTRY:
        if country is None or organisation is not None:
            raise _field_error("country", _("This role is held for one country: choose it."))
    elif role.scope == Role.Scope.ORGANISATION:
        if organisation is None or country is not None:
            raise _field_error(
                "organisation", _("This role is held for one organisation: choose it.")
            )
        if role.code == "school-coordinator" and organisation.kind != Organisation.Kind.SCHOOL:
            raise _field_error(
                "organisation", _("A school coordinator is held for a school, not another kind.")
            )
    elif country is not None or organisation is not None:
        raise _field_error(
            "role", _("This role is held everywhere: give no country or organisation.")
        )


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: Role | str,
    country: Country | None = None,
    organisation: Organisation | None = None,
    by: User | None,
) -> RoleAssignment:
    """Give ``user`` a role for the scope the role needs; granting it twice changes nothing.

    ``by`` is None only when the platform itself grants (the ``member`` role at sign-up).
    """
    if by is not None and not can(by, "role.grant"):
        raise PermissionDenied(_("You may not give roles."))
    role = _role(role)
    role_scope_check(role, country, organisation)
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        country=country,
        organisation=organisation,
        defaults={"granted_by": by},
    )
    return assignment


@transaction.atomic
def role_revoke(
    *,
    user: User,
    role: Role | str,
    country: Country | None = None,
    organisation: Organisation | None = None,
    by: User | None,
) -> bool:
    """Take a role away for one scope; whether there was one to take."""
    if by is not None and not can(by, "role.revoke"):
        raise PermissionDenied(_("You may not take roles away."))
    role = _role(role)
    deleted, _rows = RoleAssignment.objects.filter(
        user=user, role=role, country=country, organisation=organisation
    ).delete()
    return deleted > 0


# --- API tokens ----------------------------------------------------------------------------------
@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the token itself is returned once and never stored."""
    if not can(user, "token.manage_own"):
        raise PermissionDenied(_("You may not create API tokens."))
    name = " ".join(name.split())
    if not name:
        raise _field_error("name", _("Give the token a name, so you know later what uses it."))
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise _field_error("name", _("The name is too long."))
    # Lock the person's row so two requests cannot both slip under the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if selectors.active_api_token_count(user) >= TOKEN_LIMIT:
        raise ApplicationError(
            _("You have %(limit)d active tokens, the most allowed. Revoke one first.")
            % {"limit": TOKEN_LIMIT},
            code="token_limit",
        )
    secret = selectors.TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: selectors.TOKEN_PREFIX_LENGTH],
        digest=selectors.token_digest(secret),
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Stop a token working, for good; revoking twice changes nothing."""
    if token.user_id != by.pk or not can(by, "token.manage_own"):
        raise NotFound(_("There is no such token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that a token was used, at most once a minute (to spare the database)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# --- Deleting an account -------------------------------------------------------------------------
@transaction.atomic
def user_delete(*, user: User, password: str) -> None:
    """Delete the account and everything it owns (tokens, roles), once the password is confirmed."""
    if not can(user, "account.delete_own"):
        raise PermissionDenied(_("This account cannot be deleted here; ask an administrator."))
    if not user.check_password(password):
        raise _field_error(
            "password",
            _("The password is not right. Your account was not deleted."),
            code="wrong_password",
        )
    ApiToken.objects.filter(user_id=user.pk).delete()
    RoleAssignment.objects.filter(user_id=user.pk).delete()
    user.delete()
