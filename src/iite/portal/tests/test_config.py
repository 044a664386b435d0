"""Start-up refuses bad configuration with one clear sentence, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

IITE = [sys.executable, "-m", "iite"]


def run_iite(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "IITE_ENV", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update({"IITE_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(
        [*IITE, *args], capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def test_production_without_secret_key_stops_with_a_clear_message(tmp_path: Path) -> None:
    result = run_iite(tmp_path, "check", IITE_ENV="production", ALLOWED_HOSTS="iite.example.org")
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_with_short_secret_key_stops(tmp_path: Path) -> None:
    result = run_iite(
        tmp_path, "check", IITE_ENV="production", SECRET_KEY="short", ALLOWED_HOSTS="x.org"
    )
    assert result.returncode == 2
    assert "SECRET_KEY is too short" in result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql//nonsense", "not a database address"),
        ("ftp://example.org/db", "not a database address"),
        ("postgres://", "names no database"),
    ],
)
def test_malformed_database_url_stops_with_a_clear_message(
    tmp_path: Path, url: str, expected: str
) -> None:
    result = run_iite(tmp_path, "check", DATABASE_URL=url)
    assert result.returncode == 2, result.stderr
    assert "DATABASE_URL" in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_production_with_debug_on_stops(tmp_path: Path) -> None:
    result = run_iite(
        tmp_path,
        "check",
        IITE_ENV="production",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="x.org",
        DEBUG="true",
    )
    assert result.returncode == 2
    assert "DEBUG must be off" in result.stderr


def test_unknown_mode_stops(tmp_path: Path) -> None:
    result = run_iite(tmp_path, "check", IITE_ENV="staging")
    assert result.returncode == 2
    assert "IITE_ENV must be one of" in result.stderr


def test_development_mode_keeps_its_secret_key_under_var(tmp_path: Path) -> None:
    assert run_iite(tmp_path, "check").returncode == 0
    key = (tmp_path / "var" / "secret_key").read_text()
    assert len(key) >= 50
    assert run_iite(tmp_path, "check").returncode == 0
    assert (tmp_path / "var" / "secret_key").read_text() == key


def test_help_lists_the_platforms_commands(tmp_path: Path) -> None:
    result = run_iite(tmp_path, "--help")
    assert result.returncode == 0
    for command in ("serve", "load-reference", "demo", "createsuperuser"):
        assert command in result.stdout
