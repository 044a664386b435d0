"""Writes to accounts (to be completed)."""

from __future__ import annotations

from iite.accounts.models import User


def user_language_set(*, user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user
