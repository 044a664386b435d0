"""The ``eddsa-rdfc-2022`` Data Integrity cryptosuite with Ed25519, and ``did:key`` encoding.

Signing hashes (SHA-256) the canonical proof options (the proof without ``proofValue``, with the
document's ``@context``) and the canonical document without ``proof``, signs the proof hash
followed by the document hash, and writes ``z`` + base58btc of the signature as ``proofValue``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from iite.learning.credentials.jsonld import canonicalise

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
ED25519_MULTICODEC = b"\xed\x01"
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {character: number for number, character in enumerate(BASE58_ALPHABET)}


# --- base58btc, multibase, did:key --------------------------------------------------------------
def base58_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = BASE58_ALPHABET[remainder] + encoded
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + encoded


def base58_decode(text: str) -> bytes:
    """Bytes of a base58btc string; ValueError for a character outside the alphabet."""
    number = 0
    for character in text:
        if character not in _BASE58_INDEX:
            raise ValueError(f"not base58btc: {character!r}")
        number = number * 58 + _BASE58_INDEX[character]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading_zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_zeros + body


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_multibase(key: Ed25519PublicKey) -> str:
    """The key as a Multikey ``publicKeyMultibase``: ``z`` + base58btc(0xed01 + 32 bytes)."""
    return "z" + base58_encode(ED25519_MULTICODEC + public_key_bytes(key))


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """The Ed25519 key of a ``z6Mk…`` multibase value; ValueError if it is not one."""
    if not value.startswith("z"):
        raise ValueError("not a base58btc multibase value")
    raw = base58_decode(value[1:])
    if len(raw) != 34 or raw[:2] != ED25519_MULTICODEC:
        raise ValueError("not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def did_key(key: Ed25519PublicKey) -> str:
    return "did:key:" + public_key_multibase(key)


def did_key_method(key: Ed25519PublicKey) -> str:
    """The verification method id of a did:key: the DID, ``#``, and the multibase key again."""
    multibase = public_key_multibase(key)
    return f"did:key:{multibase}#{multibase}"


def did_document(key: Ed25519PublicKey) -> dict[str, Any]:
    """The DID document a did:key resolves to (Multikey form)."""
    did = did_key(key)
    method = did_key_method(key)
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": public_key_multibase(key),
            }
        ],
        "authentication": [method],
        "assertionMethod": [method],
    }


# --- the cryptosuite ----------------------------------------------------------------------------
@dataclass
class Timings:
    """Seconds spent in canonicalisation and in Ed25519, summed over calls (for the benchmark)."""

    canonicalise: float = 0.0
    sign: float = 0.0
    verify: float = 0.0
    calls: int = field(default=0)


def _without_proof(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "proof"}


def proof_options(document: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    """The proof without ``proofValue``, carrying the document's ``@context``."""
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    options["@context"] = document.get("@context")
    return options


def hash_data(
    document: dict[str, Any], proof: dict[str, Any], timings: Timings | None = None
) -> bytes:
    """SHA-256 of the canonical proof options followed by SHA-256 of the canonical document."""
    started = time.perf_counter()
    proof_canonical = canonicalise(proof_options(document, proof))
    document_canonical = canonicalise(_without_proof(document))
    if timings is not None:
        timings.canonicalise += time.perf_counter() - started
    return (
        hashlib.sha256(proof_canonical.encode("utf-8")).digest()
        + hashlib.sha256(document_canonical.encode("utf-8")).digest()
    )


def sign(
    document: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    timings: Timings | None = None,
) -> dict[str, Any]:
    """A copy of ``document`` with an ``eddsa-rdfc-2022`` DataIntegrityProof added."""
    unsigned = _without_proof(document)
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "created": created,
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": "assertionMethod",
    }
    data = hash_data(unsigned, proof, timings)
    started = time.perf_counter()
    signature = private_key.sign(data)
    if timings is not None:
        timings.sign += time.perf_counter() - started
        timings.calls += 1
    proof["proofValue"] = "z" + base58_encode(signature)
    return {**unsigned, "proof": proof}


def signature_valid(
    document: dict[str, Any],
    proof: dict[str, Any],
    public_key: Ed25519PublicKey,
    timings: Timings | None = None,
) -> bool:
    """Whether ``proof`` (one eddsa-rdfc-2022 proof of ``document``) verifies with the key.

    Context and JSON-LD errors propagate (ContextNotShipped, NotJsonLd); a malformed
    ``proofValue`` is simply not valid.
    """
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return False
    try:
        signature = base58_decode(value[1:])
    except ValueError:
        return False
    if len(signature) != 64:
        return False
    data = hash_data(_without_proof(document), proof, timings)
    started = time.perf_counter()
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    finally:
        if timings is not None:
            timings.verify += time.perf_counter() - started
            timings.calls += 1
    return True
