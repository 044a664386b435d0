"""Bitstring Status List v1.0: which credentials are revoked, as a compressed bitstring.

Bit ``i`` (counting from the left of the first byte) is 1 when the credential with status index
``i`` is revoked. The list is GZIP-compressed and written as multibase base64url (``u`` prefix).
A list holds at least 131,072 entries (16 KB) so one credential cannot be told from its neighbours.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

LIST_SIZE = 131_072
MAX_ENCODED = 1_000_000  # a foreign list larger than this is not read


def encode(revoked: Iterable[int], size: int = LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    """The bitstring of an encoded list; ValueError if it is not one."""
    if not encoded.startswith("u") or len(encoded) > MAX_ENCODED:
        raise ValueError("not a multibase base64url list")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return gzip.decompress(compressed)
    except (ValueError, OSError, EOFError) as error:
        raise ValueError("not a GZIP-compressed bitstring") from error


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status index {index} outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
