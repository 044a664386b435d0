"""Fixtures for learning tests: keys in a temporary folder, no network, paths and learners."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Any

import pytest

from iite.accounts import services as accounts_services
from iite.accounts.models import User
from iite.accounts.tests.factories import make_user
from iite.learning import services
from iite.learning.models import Path

SHARED = FilePath(__file__).resolve().parents[5] / "shared" / "data" / "open-badges"
VECTORS = SHARED / "ob3-1edtech" / "ob3_eddsa_rdfc_2022_test_vectors.json"


@pytest.fixture(autouse=True)
def credential_keys(settings: Any, tmp_path: FilePath) -> FilePath:
    """Every test signs with keys of its own, in a temporary folder."""
    folder = tmp_path / "keys"
    settings.CREDENTIAL_KEYS_DIR = folder
    settings.SITE_URL = "https://iite.example.org"
    return folder


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail any attempt to open a network connection, and record it."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("network access attempted in a test that must work offline")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts
    assert attempts == []


def member(**fields: Any) -> User:
    user = make_user(**fields)
    accounts_services.role_grant(user=user, role="member", by=None)
    return user


@pytest.fixture
def editor(db: Any) -> User:
    user = member()
    accounts_services.role_grant(user=user, role="editor", by=None)
    return user


@pytest.fixture
def admin(db: Any) -> User:
    user = member()
    accounts_services.role_grant(user=user, role="admin", by=None)
    return user


@pytest.fixture
def learner(db: Any) -> User:
    return member(name="Amina Learner")


QUIZ = [
    {"question": "Two plus two?", "choices": ["3", "4"], "answer": 1},
    {"question": "The capital of France?", "choices": ["Paris", "Lyon", "Nice"], "answer": 0},
]


def make_path(by: User, *, slug: str = "ict-policy", **fields: Any) -> Path:
    """A published three-step path: an external course, an activity and a quiz."""
    fields.setdefault("title", "Understanding ICT in education policy")
    fields.setdefault("summary", "What your country's ICT policy asks of teachers.")
    fields.setdefault("language", "en")
    fields.setdefault("competencies", ["1.KA"])
    path = services.path_create(slug=slug, by=by, **fields)
    services.step_add(
        path=path,
        kind="external",
        title="Watch the introduction",
        url="https://example.org/course",
        by=by,
    )
    services.step_add(path=path, kind="activity", title="Write about your school", by=by)
    services.step_add(path=path, kind="quiz", title="Check yourself", questions=QUIZ, by=by)
    return services.path_publish(path=path, by=by)


@pytest.fixture
def path(editor: User) -> Path:
    return make_path(editor)
