"""Fixtures for countries tests: the real SDG 4 extracts, UIS-format files, people with roles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iite.accounts import services as accounts_services
from iite.accounts.models import User
from iite.accounts.tests.factories import make_user
from iite.reference.models import Country

SHARED = Path(__file__).resolve().parents[5] / "shared" / "data" / "sdg4"
UN_DIR = SHARED / "un-sdg-global-database-2021"
UIS_DIR = SHARED / "uis-bulk-2021-metadata"
UIS_HEADER = "INDICATOR_ID,COUNTRY_ID,YEAR,VALUE,MAGNITUDE,QUALIFIER\n"


def person(role: str | None = None, **scope: Any) -> User:
    user = make_user()
    accounts_services.role_grant(user=user, role="member", by=None)
    if role:
        accounts_services.role_grant(user=user, role=role, by=None, **scope)
    return user


def uis_file(tmp_path: Path, rows: list[str], name: str = "SDG_DATA_NATIONAL.csv") -> Path:
    path = tmp_path / name
    path.write_text(UIS_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def kenya(db) -> Country:
    return Country.objects.get(alpha2="KE")


@pytest.fixture
def france(db) -> Country:
    return Country.objects.get(alpha2="FR")


@pytest.fixture
def editor(db) -> User:
    return person("editor")


@pytest.fixture
def focal_point(db, kenya) -> User:
    return person("focal-point", country=kenya)


@pytest.fixture
def member(db) -> User:
    return person()
