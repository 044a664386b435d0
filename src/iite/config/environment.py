"""Read the platform's configuration from the environment, refusing bad values with a clear message.

Settings import this module; nothing in it touches Django, so start-up errors are plain sentences.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "production", "test")


class ConfigurationError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Environment:
    """Typed access to os.environ with defaults that suit a developer's machine."""

    values: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default).strip()

    def flag(self, name: str, default: bool = False) -> bool:
        raw = self.get(name)
        if not raw:
            return default
        if raw.lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.lower() in {"0", "false", "no", "off"}:
            return False
        raise ConfigurationError(f"{name} must be true or false (got {raw!r}).")

    def integer(self, name: str, default: int) -> int:
        raw = self.get(name)
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError:
            raise ConfigurationError(f"{name} must be a whole number (got {raw!r}).") from None

    def listing(self, name: str, default: list[str]) -> list[str]:
        raw = self.get(name)
        if not raw:
            return default
        return [item.strip() for item in raw.split(",") if item.strip()]

    @property
    def mode(self) -> str:
        mode = self.get("IITE_ENV", "development")
        if mode not in ENVIRONMENTS:
            raise ConfigurationError(
                f"IITE_ENV must be one of {', '.join(ENVIRONMENTS)} (got {mode!r})."
            )
        return mode


def secret_key(env: Environment, var_dir: Path) -> str:
    """The signing key: required from the environment in production, kept under var/ otherwise."""
    key = env.get("SECRET_KEY")
    if key:
        if env.mode == "production" and len(key) < 50:
            raise ConfigurationError(
                "SECRET_KEY is too short for production: use at least 50 random characters "
                '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
            )
        return key
    if env.mode == "production":
        raise ConfigurationError(
            "SECRET_KEY is not set. In production the platform needs a secret key from the "
            "environment: export SECRET_KEY to at least 50 random characters."
        )
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def database(env: Environment, var_dir: Path) -> dict[str, Any]:
    """Django's DATABASES['default'] from DATABASE_URL; an SQLite file under var/ by default."""
    import dj_database_url

    url = env.get("DATABASE_URL")
    if not url:
        var_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{var_dir / 'iite.sqlite3'}"
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigurationError(
            f"DATABASE_URL is not a database address the platform understands: {url!r}. "
            "Use sqlite:////absolute/path/to/file.sqlite3 or "
            "postgres://user:password@host:5432/name."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError) as error:
        raise ConfigurationError(f"DATABASE_URL could not be read ({error}): {url!r}.") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if not config.get("NAME"):
            raise ConfigurationError(f"DATABASE_URL names no SQLite file: {url!r}.")
        config["CONN_MAX_AGE"] = 0
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
        # concurrent writers queue instead of failing with "database is locked" mid-transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    else:
        if not config.get("NAME"):
            raise ConfigurationError(f"DATABASE_URL names no database: {url!r}.")
        config["CONN_HEALTH_CHECKS"] = True
        config["TEST"] = {"NAME": env.get("TEST_DATABASE_NAME") or f"test_{config['NAME']}"}
    return config
