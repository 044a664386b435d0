"""Who may do what in countries: the table, and ``can``, the one place it is checked.

Country profiles and published policy self-assessments are public. A focal point's role counts
only for the country they hold it for (``scoped``); staff (editors, admins) import indicators
and see the rounds a country shared with the institute.
"""

from __future__ import annotations

from typing import Any

from iite.accounts.permissions import ROLE_CODES
from iite.accounts.selectors import role_scopes_of
from iite.core.permissions import PermissionTable, Rule

EVERYONE = frozenset(ROLE_CODES)
STAFF = frozenset({"editor", "admin"})
FOCAL_POINT = frozenset({"focal-point", "admin"})

TABLE = PermissionTable(
    rules=(
        Rule(
            "profile.view",
            EVERYONE,
            "See country profiles, indicators, maps and published self-assessments.",
            anonymous=True,
        ),
        Rule("indicators.import", STAFF, "Import an indicator file and see every import."),
        Rule(
            "policy.answer",
            FOCAL_POINT,
            "Start and answer a country's policy self-assessment; a focal point only their own.",
            scoped=frozenset({"focal-point"}),
        ),
        Rule(
            "policy.view_unpublished",
            FOCAL_POINT,
            "See a country's unpublished rounds; a focal point only their own country's.",
            scoped=frozenset({"focal-point"}),
        ),
        Rule(
            "policy.publish",
            FOCAL_POINT,
            "Share a round with the institute or publish it; a focal point only their own.",
            scoped=frozenset({"focal-point"}),
        ),
        Rule("policy.view_shared", STAFF, "See the rounds countries shared with the institute."),
    )
)


def can(user: Any, action: str, *, country: Any = None, organisation: Any = None) -> bool:
    """Whether ``user`` may take ``action``, for the given country if it has one."""
    rule = TABLE.rule(action)
    if rule.anonymous:
        return True
    authenticated = bool(getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_active", False)
    )
    if not authenticated:
        return False
    held_anywhere, held_here = role_scopes_of(user, country=country, organisation=organisation)
    effective = held_here | (held_anywhere - rule.scoped)
    return TABLE.allows(action, roles=effective, authenticated=True)
