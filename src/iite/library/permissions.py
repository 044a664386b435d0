"""Who may do what in the library: the table, and ``can``, the one place it is checked.

No library role is scoped to a country or organisation. Some actions are limited further by the
services to one's own rows: a member submits and sees only their own drafts, a reviewer reviews
only what an editor assigned to them.
"""

from __future__ import annotations

from typing import Any

from iite.accounts.permissions import ROLE_CODES
from iite.accounts.selectors import role_scopes_of
from iite.core.permissions import PermissionTable, Rule

EVERYONE = frozenset(ROLE_CODES)
EDITORS = frozenset({"editor", "admin"})
REVIEWERS = frozenset({"reviewer", "admin"})

TABLE = PermissionTable(
    rules=(
        Rule(
            "case_study.submit",
            EVERYONE,
            "Write a case study and submit it for review (one's own only).",
        ),
        Rule("resource.submit", EVERYONE, "Submit one's own draft or returned resource."),
        Rule("resource.create", EDITORS, "Add any kind of resource with all its metadata."),
        Rule("resource.edit", EDITORS, "Change any resource's metadata, files and editions."),
        Rule("resource.view_any", EDITORS, "See every resource in any state, and its history."),
        Rule("review.assign", EDITORS, "Ask a reviewer to review a submitted resource."),
        Rule("review.write", REVIEWERS, "Score and comment on a resource one was assigned."),
        Rule("resource.decide", EDITORS, "Publish a resource in review, or return it."),
        Rule("resource.withdraw", EDITORS, "Withdraw a published resource, saying why."),
        Rule("resource.reinstate", EDITORS, "Publish a withdrawn resource again, saying why."),
        Rule("collection.manage", EDITORS, "Create collections and series and curate them."),
        Rule("resource.import", EDITORS, "Import resources from a CSV file."),
        Rule("usage.view", EDITORS, "See usage statistics of every resource."),
        Rule("harvest.manage", EDITORS, "Configure OAI-PMH sources and run harvests."),
    )
)


def can(user: Any, action: str, *, country: Any = None, organisation: Any = None) -> bool:
    """Whether ``user`` may take ``action`` in the library (no library role has a scope, so
    ``country`` and ``organisation`` change nothing; they keep the signature of every ``can``)."""
    TABLE.rule(action)
    authenticated = bool(getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_active", False)
    )
    if not authenticated:
        return TABLE.allows(action, roles=(), authenticated=False)
    _anywhere, held = role_scopes_of(user)
    return TABLE.allows(action, roles=held, authenticated=True)
