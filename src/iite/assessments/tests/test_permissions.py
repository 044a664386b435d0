"""The assessments permission table, walked cell by cell."""

from __future__ import annotations

import pytest

from iite.accounts.permissions import ROLE_CODES
from iite.accounts.tests.factories import make_organisation
from iite.assessments.permissions import OPEN_ACTIONS, REPORT_ACTIONS, TABLE, can
from iite.testing.permissions import holder, walk_table


@pytest.fixture
def scopes(france, kenya, school):
    return {
        "country": france,
        "organisation": school,
        "other_country": kenya,
        "other_organisation": make_organisation(name="Other school", country=kenya),
    }


def test_the_table_names_only_known_roles_and_actions():
    for rule in TABLE.rules:
        assert rule.roles <= set(ROLE_CODES), rule.action
        assert rule.scoped <= rule.roles, rule.action
    assert set(OPEN_ACTIONS.values()) | set(REPORT_ACTIONS.values()) <= set(TABLE.actions())


@pytest.mark.django_db
def test_walk_the_whole_table(scopes):
    assert walk_table(TABLE, can, scopes) == len(TABLE.rules) * len(ROLE_CODES)


@pytest.mark.django_db
def test_inactive_people_may_do_nothing(scopes):
    user = holder("admin", scopes)
    user.is_active = False
    for action in TABLE.actions():
        assert not can(user, action)


def test_the_documented_table_is_the_table_in_the_code():
    """docs/architecture.md shows exactly who may do what in assessments."""
    from iite.accounts.permissions import ROLE_CODES
    from iite.assessments.permissions import TABLE
    from iite.testing.permissions import documented_table

    documented = documented_table("assessments", ROLE_CODES)
    assert documented == {rule.action: set(rule.roles) for rule in TABLE.rules}
