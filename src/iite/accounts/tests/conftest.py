"""Fixtures for accounts tests: a few reference rows, people and signed-in clients."""

from __future__ import annotations

import pytest
from django.test import Client

from iite.accounts import services
from iite.accounts.models import User
from iite.accounts.tests.factories import PASSWORD, make_organisation, make_user
from iite.reference.models import Country, Language


@pytest.fixture
def france(db):
    country, _ = Country.objects.get_or_create(
        alpha2="FR",
        defaults={
            "alpha3": "FRA",
            "m49": "250",
            "names": {"en": "France", "fr": "France", "es": "Francia"},
        },
    )
    return country


@pytest.fixture
def kenya(db):
    country, _ = Country.objects.get_or_create(
        alpha2="KE",
        defaults={"alpha3": "KEN", "m49": "404", "names": {"en": "Kenya", "fr": "Kenya"}},
    )
    return country


@pytest.fixture
def languages(db):
    rows = [
        ("fr", "fra", True, {"en": "French", "fr": "français"}),
        ("ar", "ara", True, {"en": "Arabic", "fr": "arabe"}),
        ("sw", "swa", False, {"en": "Swahili", "fr": "swahili"}),
    ]
    found = {}
    for code, alpha3, un, names in rows:
        language, _ = Language.objects.get_or_create(
            code=code,
            defaults={
                "alpha3": alpha3,
                "direction": "rtl" if code == "ar" else "ltr",
                "is_un_language": un,
                "names": names,
            },
        )
        found[code] = language
    return found


@pytest.fixture
def member(db):
    user = make_user(email="amina@example.org", name="Amina")
    services.role_grant(user=user, role="member", by=None)
    return user


@pytest.fixture
def member_client(member: User) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def admin_user(db):
    user = make_user(email="admin@example.org", name="Admin")
    services.role_grant(user=user, role="admin", by=None)
    return user


@pytest.fixture
def school(db, france):
    return make_organisation(name="Lycée Victor Hugo", country=france)


@pytest.fixture
def password() -> str:
    return PASSWORD
