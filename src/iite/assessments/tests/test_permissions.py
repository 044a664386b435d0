"""The assessments permission table, walked cell by cell."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from iite.accounts import services as accounts_services
from iite.accounts.models import Role, User
from iite.accounts.permissions import ROLE_CODES
from iite.accounts.tests.factories import make_organisation, make_user
from iite.assessments.permissions import OPEN_ACTIONS, REPORT_ACTIONS, TABLE, can


@pytest.fixture
def scopes(france, kenya, school):
    return {
        "country": france,
        "organisation": school,
        "other_country": kenya,
        "other_organisation": make_organisation(name="Other school", country=kenya),
    }


def _holder(code: str, scopes: dict[str, Any]) -> User:
    user = make_user()
    role = Role.objects.get(code=code)
    scope: dict[str, Any] = {}
    if role.scope == Role.Scope.COUNTRY:
        scope = {"country": scopes["country"]}
    elif role.scope == Role.Scope.ORGANISATION:
        scope = {"organisation": scopes["organisation"]}
    accounts_services.role_grant(user=user, role=role, by=None, **scope)
    return user


def test_the_table_names_only_known_roles_and_actions():
    for rule in TABLE.rules:
        assert rule.roles <= set(ROLE_CODES), rule.action
        assert rule.scoped <= rule.roles, rule.action
    assert set(OPEN_ACTIONS.values()) | set(REPORT_ACTIONS.values()) <= set(TABLE.actions())


@pytest.mark.django_db
def test_walk_the_whole_table(scopes):
    holders = {code: _holder(code, scopes) for code in ROLE_CODES}
    checked = 0
    for rule in TABLE.rules:
        for code, user in holders.items():
            # Every active account is a member, so "member" actions hold for every role.
            expected = code in rule.roles or "member" in rule.roles
            here = can(
                user, rule.action, country=scopes["country"], organisation=scopes["organisation"]
            )
            assert here is expected, (rule.action, code)
            elsewhere = can(
                user,
                rule.action,
                country=scopes["other_country"],
                organisation=scopes["other_organisation"],
            )
            assert elsewhere is (expected and code not in rule.scoped), (rule.action, code)
            checked += 1
        assert can(AnonymousUser(), rule.action) is rule.anonymous
    assert checked == len(TABLE.rules) * len(ROLE_CODES)


@pytest.mark.django_db
def test_inactive_people_may_do_nothing(scopes):
    user = _holder("admin", scopes)
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
