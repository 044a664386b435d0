"""Who may do what in assessments: the table, and ``can``, the one place it is checked.

A role listed in ``roles`` counts wherever it is held; a role also listed in ``scoped`` counts only
when held for the country or organisation the action is about (a focal point for their country,
a school coordinator for their school).
"""

from __future__ import annotations

from typing import Any

from iite.accounts.permissions import ROLE_CODES
from iite.accounts.selectors import role_scopes_of
from iite.core.permissions import PermissionTable, Rule

EVERYONE = frozenset(ROLE_CODES)
COORDINATOR = frozenset({"school-coordinator", "admin"})
FOCAL_POINT = frozenset({"focal-point", "admin"})
STAFF = frozenset({"editor", "admin"})

TABLE = PermissionTable(
    rules=(
        Rule("campaign.open_self", EVERYONE, "Take a self-assessment alone, at any time."),
        Rule(
            "campaign.open_school",
            COORDINATOR,
            "Run a campaign for an organisation; a school coordinator only for their school.",
            scoped=frozenset({"school-coordinator"}),
        ),
        Rule(
            "campaign.open_country",
            FOCAL_POINT,
            "Run a campaign for a country; a focal point only for their country.",
            scoped=frozenset({"focal-point"}),
        ),
        Rule("campaign.open_cohort", STAFF, "Run a campaign for a training cohort."),
        Rule("response.view_own", EVERYONE, "See one's own responses and results."),
        Rule(
            "report.view_school",
            COORDINATOR,
            "See an organisation's group report; a school coordinator only their school's.",
            scoped=frozenset({"school-coordinator"}),
        ),
        Rule(
            "report.view_country",
            FOCAL_POINT,
            "See a country's group report; a focal point only their country's.",
            scoped=frozenset({"focal-point"}),
        ),
        Rule("report.view_cohort", STAFF, "See a training cohort's group report."),
        Rule(
            "action_plan.edit",
            COORDINATOR,
            "Write a school's action plan; a school coordinator only their school's.",
            scoped=frozenset({"school-coordinator"}),
        ),
        Rule(
            "action_plan.view",
            COORDINATOR,
            "See a school's action plan; a school coordinator only their school's.",
            scoped=frozenset({"school-coordinator"}),
        ),
    )
)

# The action that opens, closes or reports on a campaign of each scope.
OPEN_ACTIONS = {
    "self": "campaign.open_self",
    "organisation": "campaign.open_school",
    "country": "campaign.open_country",
    "cohort": "campaign.open_cohort",
}
REPORT_ACTIONS = {
    "organisation": "report.view_school",
    "country": "report.view_country",
    "cohort": "report.view_cohort",
}


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
