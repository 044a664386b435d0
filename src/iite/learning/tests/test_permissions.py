"""The learning permission table, walked cell by cell, and compared with the documentation."""

from __future__ import annotations

import pytest

from iite.accounts.permissions import ROLE_CODES
from iite.accounts.tests.factories import make_organisation
from iite.learning.permissions import TABLE, can
from iite.reference.models import Country
from iite.testing.permissions import documented_table, walk_table


@pytest.fixture
def scopes(db):
    france = Country.objects.get(alpha2="FR")
    kenya = Country.objects.get(alpha2="KE")
    return {
        "country": france,
        "organisation": make_organisation(name="School", country=france),
        "other_country": kenya,
        "other_organisation": make_organisation(name="Other school", country=kenya),
    }


def test_the_table_names_only_known_roles():
    for rule in TABLE.rules:
        assert rule.roles <= set(ROLE_CODES), rule.action


@pytest.mark.django_db
def test_walk_the_whole_table(scopes):
    assert walk_table(TABLE, can, scopes) == len(TABLE.rules) * len(ROLE_CODES)


def test_the_documented_table_is_the_table_in_the_code():
    documented = documented_table("learning", ROLE_CODES)
    assert documented == {rule.action: set(rule.roles) for rule in TABLE.rules}
