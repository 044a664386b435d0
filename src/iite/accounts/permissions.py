"""Who may do what in accounts: the table, and ``can``, the one place the table is checked.

A role listed in ``roles`` counts wherever it is held; a role also listed in ``scoped`` counts only
when it is held for the country or organisation the action is about.
"""

from __future__ import annotations

from typing import Any

from iite.accounts.selectors import role_scopes_of
from iite.core.permissions import PermissionTable, Rule

ROLE_CODES = (
    "member",
    "editor",
    "reviewer",
    "focal-point",
    "school-coordinator",
    "partner-manager",
    "admin",
)
EVERYONE = frozenset(ROLE_CODES)
ADMIN = frozenset({"admin"})

TABLE = PermissionTable(
    rules=(
        Rule("profile.view_own", EVERYONE, "See one's own profile."),
        Rule("profile.edit_own", EVERYONE, "Change one's own profile."),
        Rule("token.manage_own", EVERYONE, "Create, list and revoke one's own API tokens."),
        Rule("data.export_own", EVERYONE, "Download all one's own data."),
        Rule("account.delete_own", EVERYONE, "Delete one's own account."),
        Rule("organisation.create", EVERYONE, "Add an organisation (for example one's school)."),
        Rule(
            "organisation.edit",
            frozenset({"school-coordinator", "partner-manager", "admin"}),
            "Change an organisation; a school coordinator only their own school.",
            scoped=frozenset({"school-coordinator"}),
        ),
        Rule("role.grant", ADMIN, "Give someone a role."),
        Rule("role.revoke", ADMIN, "Take a role away from someone."),
        Rule("user.list", ADMIN, "See the list of all accounts."),
    )
)


def can(user: Any, action: str, *, country: Any = None, organisation: Any = None) -> bool:
    """Whether ``user`` may take ``action``, for the given country or organisation if it has one."""
    rule = TABLE.rule(action)
    authenticated = bool(getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_active", False)
    )
    if not authenticated:
        return TABLE.allows(action, roles=(), authenticated=False)
    held_anywhere, held_here = role_scopes_of(user, country=country, organisation=organisation)
    effective = held_here | (held_anywhere - rule.scoped)
    return TABLE.allows(action, roles=effective, authenticated=True)
