"""`iite demo` gives a new installation people in every role, and can run again safely."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from iite.accounts import selectors as account_selectors
from iite.accounts.models import Organisation, RoleAssignment, User
from iite.portal.demo import ADMIN_EMAIL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_demo_prints_a_working_admin_login_and_is_idempotent(var_dir: Path) -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    password = (var_dir / "demo-password").read_text().strip()
    assert ADMIN_EMAIL in out.getvalue()
    assert password in out.getvalue()
    counts = (User.objects.count(), Organisation.objects.count(), RoleAssignment.objects.count())

    call_command("demo", stdout=StringIO())
    assert counts == (
        User.objects.count(),
        Organisation.objects.count(),
        RoleAssignment.objects.count(),
    )
    client = Client()
    assert client.login(email=ADMIN_EMAIL, password=password)
    assert client.get("/en/admin/").status_code == 200


def test_demo_people_hold_their_scoped_roles() -> None:
    call_command("demo", stdout=StringIO())
    focal = User.objects.get(email="focal.point@demo.iite.example")
    kenya = focal.country
    assert kenya is not None
    assert kenya.alpha2 == "KE"
    assert "focal-point" in account_selectors.roles_of(focal, country=kenya)
    assert "focal-point" not in account_selectors.roles_of(focal)
    coordinator = User.objects.get(email="coordinator@demo.iite.example")
    school = coordinator.organisation
    assert school is not None
    assert school.kind == Organisation.Kind.SCHOOL
    assert "school-coordinator" in account_selectors.roles_of(coordinator, organisation=school)
