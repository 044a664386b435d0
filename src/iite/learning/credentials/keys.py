"""The platform's Ed25519 signing keys, kept as files outside the database.

Keys live in ``settings.CREDENTIAL_KEYS_DIR`` (default ``VAR_DIR/credential-keys``), one PEM file
per key named by its multibase public key, readable by the owner only. ``current`` names the key
that signs; rotating writes a new key and points ``current`` at it, and every older key stays so
the credentials it signed still verify. A database dump therefore never contains a private key.
The first signature generates the first key (under a file lock, so two processes agree).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from django.conf import settings

from iite.learning.credentials import signing

CURRENT = "current"
_LOCK = threading.Lock()
_CACHE: dict[Path, Ed25519PrivateKey] = {}


@dataclass(frozen=True)
class IssuerKey:
    """One signing key: its multibase name, verification method, when made, whether current."""

    multibase: str
    created: datetime
    current: bool
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def verification_method(self) -> str:
        return f"did:key:{self.multibase}#{self.multibase}"

    @property
    def did(self) -> str:
        return f"did:key:{self.multibase}"


def keys_dir() -> Path:
    configured = getattr(settings, "CREDENTIAL_KEYS_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "credential-keys"


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _LOCK, (directory / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _write_pointer(directory: Path, name: str) -> None:
    temporary = directory / f"{CURRENT}.tmp"
    temporary.write_text(name + "\n", encoding="ascii")
    os.replace(temporary, directory / CURRENT)


def _load(path: Path) -> Ed25519PrivateKey:
    cached = _CACHE.get(path)
    if cached is not None:
        return cached
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 key")
    _CACHE[path] = key
    return key


def _new_key(directory: Path) -> str:
    private_key = Ed25519PrivateKey.generate()
    name = signing.public_key_multibase(private_key.public_key())
    pem = private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    _write_private(directory / f"{name}.pem", pem)
    return name


def _current_name(directory: Path) -> str | None:
    pointer = directory / CURRENT
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="ascii").strip()
    return name if (directory / f"{name}.pem").exists() else None


def current_key() -> IssuerKey:
    """The key that signs now; the first call on a new installation generates it."""
    directory = keys_dir()
    name = _current_name(directory)
    if name is None:
        with _locked(directory):
            name = _current_name(directory)  # another process may have made it meanwhile
            if name is None:
                name = _new_key(directory)
                _write_pointer(directory, name)
    return _issuer_key(directory / f"{name}.pem", current=True)


def rotate() -> IssuerKey:
    """Make a new signing key current; the old ones stay, so what they signed still verifies."""
    directory = keys_dir()
    with _locked(directory):
        name = _new_key(directory)
        _write_pointer(directory, name)
    return _issuer_key(directory / f"{name}.pem", current=True)


def _issuer_key(path: Path, *, current: bool) -> IssuerKey:
    created = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).replace(microsecond=0)
    return IssuerKey(multibase=path.stem, created=created, current=current, private_key=_load(path))


def all_keys() -> list[IssuerKey]:
    """Every key the platform has held, the current one first, then newest to oldest."""
    directory = keys_dir()
    if not directory.exists():
        return []
    current = _current_name(directory)
    found = [_issuer_key(path, current=path.stem == current) for path in directory.glob("z*.pem")]
    return sorted(found, key=lambda key: (not key.current, -key.created.timestamp(), key.multibase))


def key_for_method(verification_method: str) -> IssuerKey | None:
    """Our key named by a verification method (``did:key:z…#z…``), or None if it is not ours."""
    if not verification_method.startswith("did:key:z"):
        return None
    multibase = verification_method.removeprefix("did:key:").split("#", 1)[0]
    if not multibase.isalnum():
        return None
    path = keys_dir() / f"{multibase}.pem"
    if not path.is_file():
        return None
    return _issuer_key(path, current=_current_name(keys_dir()) == multibase)
