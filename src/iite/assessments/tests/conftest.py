"""Fixtures for assessments tests: the two small test instruments, people with roles, campaigns."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from iite.accounts import services as accounts_services
from iite.accounts.models import Organisation, User
from iite.accounts.tests.factories import make_organisation, make_user
from iite.assessments import services
from iite.assessments.definition import CompetencyPlace, FrameworkMap
from iite.assessments.models import Campaign, Instrument
from iite.reference.models import Country

HERE = Path(__file__).resolve().parent / "instruments"
TEACHER_FILE = HERE / "teacher.toml"
SCHOOL_FILE = HERE / "school.toml"

# The ICT CFT v3 map as the reference data holds it, for tests that need no database.
ICT_CFT = FrameworkMap(
    code="ict-cft",
    version="3",
    dimensions=("1", "2", "3", "4", "5", "6"),
    levels=("KA", "KD", "KC"),
    competencies={
        f"{dimension}.{level}": CompetencyPlace(dimension, level, order)
        for dimension in "123456"
        for order, level in enumerate(("KA", "KD", "KC"), start=1)
    },
)


def fake_lookup(code: str, version: str) -> FrameworkMap | None:
    return ICT_CFT if (code, version) == ("ict-cft", "3") else None


def document(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture
def teacher_instrument(db) -> Instrument:
    return services.instrument_load(path=TEACHER_FILE)


@pytest.fixture
def school_instrument(db) -> Instrument:
    return services.instrument_load(path=SCHOOL_FILE)


@pytest.fixture
def france(db) -> Country:
    return Country.objects.get(alpha2="FR")


@pytest.fixture
def kenya(db) -> Country:
    return Country.objects.get(alpha2="KE")


@pytest.fixture
def school(db, france) -> Organisation:
    return make_organisation(name="École test", country=france)


def person(role: str | None = None, **scope: Any) -> User:
    user = make_user()
    accounts_services.role_grant(user=user, role="member", by=None)
    if role:
        accounts_services.role_grant(user=user, role=role, by=None, **scope)
    return user


@pytest.fixture
def teacher(db) -> User:
    return person()


@pytest.fixture
def coordinator(db, school) -> User:
    return person("school-coordinator", organisation=school)


@pytest.fixture
def admin(db) -> User:
    return person("admin")


def open_window() -> dict[str, Any]:
    now = timezone.now()
    return {"opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=30)}


@pytest.fixture
def school_campaign(school_instrument, school, coordinator) -> Campaign:
    return services.campaign_open(
        instrument=school_instrument,
        scope="organisation",
        organisation=school,
        by=coordinator,
        **open_window(),
    )
