"""The library permission table, walked cell by cell, and its copy in docs/architecture.md."""

from __future__ import annotations

import pytest

from iite.accounts.permissions import ROLE_CODES
from iite.accounts.tests.factories import make_organisation
from iite.library.permissions import TABLE, can
from iite.reference.models import Country
from iite.testing.permissions import documented_table, holder, walk_table


@pytest.fixture
def scopes(db):
    france, kenya = Country.objects.get(alpha2="FR"), Country.objects.get(alpha2="KE")
    return {
        "country": france,
        "organisation": make_organisation(name="École", country=france),
        "other_country": kenya,
        "other_organisation": make_organisation(name="Shule", country=kenya),
    }


def test_the_table_names_only_known_roles():
    for rule in TABLE.rules:
        assert rule.roles <= set(ROLE_CODES), rule.action
        assert not rule.scoped, rule.action


@pytest.mark.django_db
def test_walk_the_whole_table(scopes):
    assert walk_table(TABLE, can, scopes) == len(TABLE.rules) * len(ROLE_CODES)


@pytest.mark.django_db
def test_inactive_people_may_do_nothing(scopes):
    user = holder("admin", scopes)
    user.is_active = False
    assert not any(can(user, action) for action in TABLE.actions())


def test_the_documented_table_is_the_table_in_the_code():
    documented = documented_table("library", ROLE_CODES)
    assert documented == {rule.action: set(rule.roles) for rule in TABLE.rules}
