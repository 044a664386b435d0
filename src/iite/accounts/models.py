"""Users and their profiles, organisations, roles held as data, and personal API tokens."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iite.core.models import TimestampedModel
from iite.core.translation import pick


class UserManager(DjangoUserManager["User"]):
    """Creates users identified by their email address."""

    def _create_user_object(self, username: Any, email: Any, password: Any, **extra: Any) -> User:
        email = self.normalize_email(email or username)
        user = self.model(email=email, **extra)
        user.set_password(password)
        return user

    def _create_user(self, username: Any, email: Any, password: Any, **extra: Any) -> User:
        user = self._create_user_object(username, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # People type their address in any case; it is stored once, case-insensitively unique.
        return self.get(email__iexact=username)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified", True)
        return self._create_user(None, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account, identified by email; their profile lives on the same row."""

    class EducationRole(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        SCHOOL_LEADER = "school-leader", _("School leader")
        POLICY_MAKER = "policy-maker", _("Policy maker")
        RESEARCHER = "researcher", _("Researcher")
        OTHER = "other", _("Other")

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    email_verified = models.BooleanField(_("email verified"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), auto_now_add=True)
    language = models.CharField(_("interface language"), max_length=10, blank=True)
    country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    languages = models.ManyToManyField(
        "reference.Language", verbose_name=_("languages I work in"), blank=True, related_name="+"
    )
    education_role = models.CharField(
        _("role in education"), max_length=20, choices=EducationRole.choices, blank=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email


class Organisation(TimestampedModel):
    """A school, ministry, university, NGO, company or UN body in the institute's work."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        MINISTRY = "ministry", _("Ministry")
        UNIVERSITY = "university", _("University")
        NGO = "ngo", _("Non-governmental organisation")
        COMPANY = "company", _("Company")
        UN_BODY = "un-body", _("United Nations body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="accounts_organisation_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A role someone can hold; scoped roles are held for one country or one organisation."""

    class Scope(models.TextChoices):
        GLOBAL = "global", _("everywhere")
        COUNTRY = "country", _("a country")
        ORGANISATION = "organisation", _("an organisation")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    names = models.JSONField(_("names"), default=dict)
    scope = models.CharField(
        _("held for"), max_length=20, choices=Scope.choices, default=Scope.GLOBAL
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def name(self) -> str:
        return pick(self.names)


class RoleAssignment(TimestampedModel):
    """That a user holds a role, everywhere or within one country or organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    country = models.ForeignKey(
        "reference.Country", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            # Partial unique indexes, because NULL scopes never collide in a plain one.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(country__isnull=True, organisation__isnull=True),
                name="accounts_role_unique_global",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "country"],
                condition=Q(country__isnull=False),
                name="accounts_role_unique_country",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="accounts_role_unique_organisation",
            ),
            models.CheckConstraint(
                condition=Q(country__isnull=True) | Q(organisation__isnull=True),
                name="accounts_role_assignment_one_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = self.country_id or self.organisation_id or "*"
        return f"{self.user_id}:{self.role_id}@{scope}"


class ApiToken(TimestampedModel):
    """A personal API token; only its SHA-256 digest is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
