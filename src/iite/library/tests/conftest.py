"""Fixtures for library tests: people holding each library role, and resources in each state."""

from __future__ import annotations

from typing import Any

import pytest

from iite.accounts import services as accounts_services
from iite.accounts.models import User
from iite.accounts.tests.factories import make_user
from iite.library import services, workflow
from iite.library.models import Resource


def person(*roles: str, **fields: Any) -> User:
    """A new verified account holding ``roles`` everywhere (and ``member``, implied)."""
    user = make_user(**fields)
    for role in roles:
        accounts_services.role_grant(user=user, role=role, by=None)
    return user


@pytest.fixture
def editor(db: Any) -> User:
    return person("editor", name="Edith Editor")


@pytest.fixture
def reviewer(db: Any) -> User:
    return person("reviewer", name="Rémi Reviewer")


@pytest.fixture
def member(db: Any) -> User:
    return person(name="Mariam Member", language="en")


CASE = {
    "context": "Rural primary schools with one shared laptop and no connection.",
    "solution": "Offline tablets with a local server and lesson plans co-written by teachers.",
    "actors": "Ministry of education, district offices, a teacher network.",
    "results": "Attendance rose from 71% to 83% in two years in the 40 pilot schools.",
    "lessons": "Teachers needed time in the timetable to prepare.",
    "scalability": "Extended to 400 schools in 2024.",
    "contacts": "pilot@example.org",
}


def publication(by: User, **fields: Any) -> Resource:
    fields.setdefault("kind", "publication")
    fields.setdefault("title", "Digital skills for teachers")
    fields.setdefault("language", "en")
    return services.resource_create(by=by, **fields)


def case_study(by: User, **fields: Any) -> Resource:
    fields.setdefault("kind", "case-study")
    fields.setdefault("title", "Offline tablets in rural schools")
    fields.setdefault("language", "en")
    fields.setdefault("case_study", dict(CASE))
    return services.resource_create(by=by, **fields)


def published(by: User, **fields: Any) -> Resource:
    resource = publication(by, **fields)
    return workflow.resource_publish(resource=resource, by=by)
