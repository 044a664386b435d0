"""eddsa-rdfc-2022 against the 1EdTech test vectors, read from the shared data folder."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from iite.learning.credentials import jsonld, signing
from iite.learning.tests.conftest import VECTORS


def vectors() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
    return found


def vector(name: str) -> dict[str, Any]:
    return next(v for v in vectors() if v["name"] == name)


def private_key(v: dict[str, Any]) -> Ed25519PrivateKey:
    # The vectors' private key is 64 bytes, seed then public key: the seed is the first half.
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(v["private_key_hex"])[:32])


def test_the_vectors_are_there():
    assert {v["name"] for v in vectors()} >= {"OpenBadgeCredential", "ClrCredential"}


def test_open_badge_vector_is_reproduced_byte_for_byte(no_network):
    v = vector("OpenBadgeCredential")
    key = private_key(v)
    assert signing.public_key_multibase(key.public_key()) == v["public_key_multibase"]
    proof_nquads = jsonld.canonicalise(signing.proof_options(v["unsigned_credential"], v["proof"]))
    document_nquads = jsonld.canonicalise(v["unsigned_credential"])
    assert proof_nquads == v["proof_canonical_nquads"]
    assert document_nquads == v["document_canonical_nquads"]
    assert hashlib.sha256(proof_nquads.encode()).hexdigest() == v["proof_hash_hex"]
    assert hashlib.sha256(document_nquads.encode()).hexdigest() == v["document_hash_hex"]
    data = signing.hash_data(v["unsigned_credential"], v["proof"])
    assert data.hex() == v["data_to_sign_hex"]

    signed = signing.sign(
        v["unsigned_credential"],
        private_key=key,
        verification_method=v["verification_method"],
        created=v["proof"]["created"],
    )
    assert key.sign(data).hex() == v["signature_hex"]
    assert signed["proof"]["proofValue"] == v["proof_value"]
    # Byte for byte: the same JSON, keys in the same order, as the spec's signed credential.
    assert json.dumps(signed, indent=2) == json.dumps(v["signed_credential"], indent=2)


def test_clr_vector_signature_from_its_canonical_form(no_network):
    """The CLR vector needs contexts we do not ship; its hashes and signature still reproduce."""
    v = vector("ClrCredential")
    key = private_key(v)
    proof_hash = hashlib.sha256(v["proof_canonical_nquads"].encode()).hexdigest()
    document_hash = hashlib.sha256(v["document_canonical_nquads"].encode()).hexdigest()
    assert proof_hash == v["proof_hash_hex"]
    assert document_hash == v["document_hash_hex"]
    signature = key.sign(bytes.fromhex(proof_hash + document_hash))
    assert signature.hex() == v["signature_hex"]
    assert "z" + signing.base58_encode(signature) == v["proof_value"]
    with pytest.raises(jsonld.ContextNotShipped) as refused:
        jsonld.canonicalise(v["unsigned_credential"])
    assert refused.value.url == "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"


def test_signed_vector_verifies_and_a_changed_one_does_not(no_network):
    v = vector("OpenBadgeCredential")
    public = private_key(v).public_key()
    document = v["signed_credential"]
    assert signing.signature_valid(document, document["proof"], public)
    changed = json.loads(json.dumps(document).replace("Teamwork Badge", "Teamwork Badgf"))
    assert not signing.signature_valid(changed, changed["proof"], public)


def test_the_loader_refuses_every_other_url(no_network):
    for url in (
        "https://www.w3.org/ns/credentials/v2/",
        "http://www.w3.org/ns/credentials/v2",
        "https://evil.example/context.json",
        "file:///etc/passwd",
    ):
        with pytest.raises(jsonld.ContextNotShipped):
            jsonld.document_loader(url)
    assert jsonld.document_loader(jsonld.VC_V2)["document"]["@context"]


@given(st.binary(max_size=64))
def test_base58_round_trip(data):
    assert signing.base58_decode(signing.base58_encode(data)) == data


def test_did_key_of_the_vector_key():
    key = private_key(vector("OpenBadgeCredential")).public_key()
    assert signing.did_key(key) == "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    again = signing.public_key_from_multibase(signing.public_key_multibase(key))
    assert signing.public_key_bytes(again) == signing.public_key_bytes(key)
    with pytest.raises(ValueError, match="Ed25519"):
        signing.public_key_from_multibase("zQ3s" + "1" * 40)


def test_signing_refuses_undefined_properties(no_network):
    v = vector("OpenBadgeCredential")
    document = json.loads(json.dumps(v["unsigned_credential"]))
    document["credentialSubject"]["mark"] = 20
    with pytest.raises(jsonld.UndefinedTerm) as refused:
        signing.sign(
            document,
            private_key=private_key(v),
            verification_method=v["verification_method"],
            created=v["proof"]["created"],
        )
    assert refused.value.term == "mark"
