"""Demo content for the library app, loaded by `iite demo` after the demo people exist."""

from __future__ import annotations

from iite.accounts.models import User


def demo_load(*, admin: User) -> None:
    """Load this app's demo content; safe to run again (changes nothing the second time)."""
