"""Makers of test rows (plain typed functions: mypy checks the tests too)."""

from __future__ import annotations

import itertools
from typing import Any

from iite.accounts.models import Organisation, User

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_user(**fields: Any) -> User:
    """A verified, active person with the test password and no roles."""
    number = next(_numbers)
    fields.setdefault("email", f"person{number}@example.org")
    fields.setdefault("name", f"Person {number}")
    fields.setdefault("email_verified", True)
    password = fields.pop("password", PASSWORD)
    user = User(**fields)
    user.set_password(password)
    user.save()
    return user


def make_organisation(**fields: Any) -> Organisation:
    number = next(_numbers)
    fields.setdefault("name", f"School {number}")
    fields.setdefault("kind", Organisation.Kind.SCHOOL)
    return Organisation.objects.create(**fields)
