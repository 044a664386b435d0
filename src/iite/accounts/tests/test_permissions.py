"""The permission table, walked in full, and the roles services and selectors."""

from __future__ import annotations

import pytest

from iite.accounts import services
from iite.accounts.models import Organisation, Role, RoleAssignment
from iite.accounts.permissions import ROLE_CODES, TABLE, can
from iite.accounts.selectors import roles_of
from iite.accounts.tests.factories import make_organisation, make_user
from iite.core.errors import ApplicationError, PermissionDenied
from iite.testing.permissions import documented_table, walk_table


@pytest.fixture
def scopes(france, kenya, school):
    other_school = make_organisation(name="Nairobi School", country=kenya)
    return {
        "country": france,
        "organisation": school,
        "other_country": kenya,
        "other_organisation": other_school,
    }


@pytest.mark.django_db
def test_the_roles_in_the_table_are_the_roles_in_the_database():
    assert tuple(Role.objects.order_by("order").values_list("code", flat=True)) == ROLE_CODES
    for rule in TABLE.rules:
        assert rule.roles <= set(ROLE_CODES), rule.action
        assert rule.scoped <= rule.roles, rule.action


@pytest.mark.django_db
def test_walk_the_whole_table(scopes):
    """For every role and every action, ``can`` answers exactly what the table says."""
    assert walk_table(TABLE, can, scopes) == len(TABLE.rules) * len(ROLE_CODES)


@pytest.mark.django_db
def test_inactive_people_may_do_nothing(member):
    member.is_active = False
    for action in TABLE.actions():
        assert not can(member, action)


@pytest.mark.django_db
def test_an_account_made_without_roles_is_still_a_member():
    made_in_admin = make_user()
    assert roles_of(made_in_admin) == {"member"}
    for action in TABLE.actions():
        assert can(made_in_admin, action) is ("member" in TABLE.rule(action).roles)


@pytest.mark.django_db
def test_superusers_are_admins_implicitly():
    boss = make_user(is_superuser=True)
    assert roles_of(boss) == {"member", "admin"}
    assert all(can(boss, action) for action in TABLE.actions())


@pytest.mark.django_db
def test_roles_of_counts_only_the_exact_scope(member, france, kenya, school):
    services.role_grant(user=member, role="focal-point", country=france, by=None)
    services.role_grant(user=member, role="school-coordinator", organisation=school, by=None)
    assert roles_of(member) == {"member"}
    assert roles_of(member, country=france) == {"member", "focal-point"}
    assert roles_of(member, country=kenya) == {"member"}
    assert roles_of(member, organisation=school) == {"member", "school-coordinator"}
    assert roles_of(member, country=france, organisation=school) == {
        "member",
        "focal-point",
        "school-coordinator",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("focal-point", {}),
        ("focal-point", {"organisation": "school"}),
        ("school-coordinator", {}),
        ("school-coordinator", {"country": "france"}),
        ("school-coordinator", {"organisation": "ministry"}),
        ("editor", {"country": "france"}),
        ("admin", {"organisation": "school"}),
        ("member", {"country": "france"}),
    ],
)
def test_role_grant_refuses_a_scope_that_does_not_fit(
    member, admin_user, france, school, role, scope
):
    ministry = make_organisation(name="Ministry", kind=Organisation.Kind.MINISTRY)
    objects = {"france": france, "school": school, "ministry": ministry}
    kwargs = {key: objects[value] for key, value in scope.items()}
    before = RoleAssignment.objects.count()
    with pytest.raises(ApplicationError) as error:
        services.role_grant(user=member, role=role, by=admin_user, **kwargs)
    assert error.value.status == 400
    assert error.value.details
    assert RoleAssignment.objects.count() == before


@pytest.mark.django_db
def test_role_grant_and_revoke(member, admin_user, france, school):
    assignment = services.role_grant(user=member, role="focal-point", country=france, by=admin_user)
    assert assignment.granted_by == admin_user
    again = services.role_grant(user=member, role="focal-point", country=france, by=admin_user)
    assert again.pk == assignment.pk
    services.role_grant(user=member, role="school-coordinator", organisation=school, by=admin_user)
    services.role_grant(user=member, role="editor", by=admin_user)
    assert roles_of(member, country=france, organisation=school) == {
        "member",
        "focal-point",
        "school-coordinator",
        "editor",
    }
    assert services.role_revoke(user=member, role="focal-point", country=france, by=admin_user)
    assert not services.role_revoke(user=member, role="focal-point", country=france, by=admin_user)
    assert "focal-point" not in roles_of(member, country=france)


@pytest.mark.django_db
def test_only_admins_grant_and_revoke(member, france):
    other = make_user()
    with pytest.raises(PermissionDenied):
        services.role_grant(user=other, role="editor", by=member)
    with pytest.raises(PermissionDenied):
        services.role_revoke(user=other, role="editor", by=member)
    assert not RoleAssignment.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_unknown_role_code(member, admin_user):
    with pytest.raises(ApplicationError) as error:
        services.role_grant(user=member, role="wizard", by=admin_user)
    assert error.value.status == 404


def test_the_documented_table_is_the_table_in_the_code():
    """docs/architecture.md shows exactly who may do what in accounts."""
    documented = documented_table("accounts", ROLE_CODES)
    assert documented == {rule.action: set(rule.roles) for rule in TABLE.rules}
