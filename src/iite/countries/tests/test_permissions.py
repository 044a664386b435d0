"""The countries permission table, walked cell by cell, and compared with docs/architecture.md."""

from __future__ import annotations

import pytest

from iite.accounts.permissions import ROLE_CODES
from iite.accounts.tests.factories import make_organisation
from iite.countries.permissions import TABLE, can
from iite.testing.permissions import documented_table, walk_table


@pytest.fixture
def scopes(kenya, france):
    return {
        "country": kenya,
        "organisation": make_organisation(name="Ministry test", country=kenya),
        "other_country": france,
        "other_organisation": make_organisation(name="Other ministry", country=france),
    }


@pytest.mark.django_db
def test_walk_the_whole_table(scopes):
    assert walk_table(TABLE, can, scopes) == len(TABLE.rules) * len(ROLE_CODES)


def test_the_documented_table_matches_the_code():
    documented = documented_table("countries", ROLE_CODES)
    expected = {
        rule.action: (set(ROLE_CODES) if "member" in rule.roles else set(rule.roles))
        for rule in TABLE.rules
    }
    assert documented == expected
