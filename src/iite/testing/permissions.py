"""Read the "who may do what" tables of docs/architecture.md, to test them against the code."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ARCHITECTURE = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"


def documented_table(app: str, role_codes: Sequence[str]) -> dict[str, set[str]]:
    """The table under the heading ``### <app>``: each action and the roles with a tick."""
    section = ARCHITECTURE.read_text(encoding="utf-8").split(f"### {app} ", 1)[1]
    section = section.split("\n### ", 1)[0].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    if header[1:] != list(role_codes):
        raise ValueError(f"The {app} table's columns are not the roles: {header[1:]}")
    table = {}
    for line in rows[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = {
            code for code, cell in zip(role_codes, cells[1:], strict=True) if cell.startswith("✓")
        }
    return table


def holder(code: str, scopes: dict[str, Any]) -> Any:
    """A new person holding exactly one role, in the scope that role needs."""
    from iite.accounts import services
    from iite.accounts.models import Role
    from iite.accounts.tests.factories import make_user

    user = make_user()
    role = Role.objects.get(code=code)
    scope: dict[str, Any] = {}
    if role.scope == Role.Scope.COUNTRY:
        scope = {"country": scopes["country"]}
    elif role.scope == Role.Scope.ORGANISATION:
        scope = {"organisation": scopes["organisation"]}
    services.role_grant(user=user, role=role, by=None, **scope)
    return user


def walk_table(table: Any, can: Callable[..., bool], scopes: dict[str, Any]) -> int:
    """Check ``can`` against every cell of a permission table; return how many were checked.

    ``scopes`` holds ``country`` and ``organisation`` (where scoped roles are held) and
    ``other_country`` and ``other_organisation`` (where they count for nothing). Every active
    account is a member, so an action open to members is open to every role.
    """
    from django.contrib.auth.models import AnonymousUser

    from iite.accounts.permissions import ROLE_CODES

    holders = {code: holder(code, scopes) for code in ROLE_CODES}
    checked = 0
    for rule in table.rules:
        for code, user in holders.items():
            expected = code in rule.roles or "member" in rule.roles
            here = can(
                user, rule.action, country=scopes["country"], organisation=scopes["organisation"]
            )
            if here is not expected:
                raise AssertionError(f"{rule.action} for {code}: {here}, table says {expected}")
            elsewhere = can(
                user,
                rule.action,
                country=scopes["other_country"],
                organisation=scopes["other_organisation"],
            )
            if elsewhere is not (expected and code not in rule.scoped):
                raise AssertionError(f"{rule.action} for {code} outside its scope: {elsewhere}")
            checked += 1
        if can(AnonymousUser(), rule.action) is not rule.anonymous:
            raise AssertionError(f"{rule.action} for an anonymous visitor")
    return checked
