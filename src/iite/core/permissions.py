"""Helpers for the permission tables each app declares in its own ``permissions.py``.

A table maps an action to the roles that may take it. A role is held either everywhere or within
a scope (a country, an organisation); ``Rule`` says which scope an action needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol


class Actor(Protocol):
    """What a permission check needs to know about the one acting."""

    is_authenticated: bool
    is_active: bool


@dataclass(frozen=True)
class Rule:
    """Who may take one action: any of ``roles``; ``scoped`` ones only within the target's scope."""

    action: str
    roles: frozenset[str]
    description: str = ""
    anonymous: bool = False
    scoped: frozenset[str] = field(default_factory=frozenset)


RoleLookup = Callable[[Any, Any], Iterable[str]]


@dataclass(frozen=True)
class PermissionTable:
    """An app's permission table, readable as data and checked in one place."""

    rules: tuple[Rule, ...]

    def rule(self, action: str) -> Rule:
        for rule in self.rules:
            if rule.action == action:
                return rule
        raise KeyError(f"No permission rule for action {action!r}.")

    def allows(self, action: str, *, roles: Iterable[str], authenticated: bool) -> bool:
        """Whether someone holding ``roles`` (already resolved for the target's scope) may act."""
        rule = self.rule(action)
        if rule.anonymous:
            return True
        if not authenticated:
            return False
        return bool(rule.roles & set(roles))

    def actions(self) -> list[str]:
        return [rule.action for rule in self.rules]
