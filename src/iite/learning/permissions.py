"""Who may do what in learning: the table, and ``can``, the one place it is checked.

Facilitators named on a path or cohort may also follow and review that path's learners without
any role (``may_facilitate``); the table covers what roles allow everywhere.
"""

from __future__ import annotations

from typing import Any

from iite.accounts.permissions import ROLE_CODES
from iite.accounts.selectors import role_scopes_of
from iite.core.permissions import PermissionTable, Rule

EVERYONE = frozenset(ROLE_CODES)
STAFF = frozenset({"editor", "admin"})
ADMIN = frozenset({"admin"})

TABLE = PermissionTable(
    rules=(
        Rule("credential.verify", EVERYONE, "Verify any credential.", anonymous=True),
        Rule("path.enrol", EVERYONE, "Enrol in a published path and work through it."),
        Rule("credential.view_own", EVERYONE, "See and download one's own credentials."),
        Rule("path.manage", STAFF, "Write paths, their steps and cohorts; publish them."),
        Rule("cohort.view_any", STAFF, "Follow any cohort's progress and export it as CSV."),
        Rule("submission.review_any", STAFF, "Review any learner's activity submission."),
        Rule("credential.revoke", ADMIN, "Revoke an issued credential."),
        Rule("issuer_key.rotate", ADMIN, "Make a new signing key current."),
    )
)


def can(user: Any, action: str, *, country: Any = None, organisation: Any = None) -> bool:
    """Whether ``user`` may take ``action`` (learning roles are never scoped)."""
    rule = TABLE.rule(action)
    authenticated = bool(getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_active", False)
    )
    if not authenticated:
        return TABLE.allows(action, roles=(), authenticated=False)
    held_anywhere, held_here = role_scopes_of(user, country=country, organisation=organisation)
    effective = held_here | (held_anywhere - rule.scoped)
    return TABLE.allows(action, roles=effective, authenticated=True)
