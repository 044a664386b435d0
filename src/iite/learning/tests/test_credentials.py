"""Issuing, verifying, revoking and baking credentials; keys and their rotation."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iite.core.errors import PermissionDenied
from iite.learning import credential_selectors, credential_services, services
from iite.learning.credentials import baking, keys, status_list
from iite.learning.credentials.verification import MAX_BYTES
from iite.learning.models import Credential
from iite.learning.tests.conftest import VECTORS


def complete(path, learner, reviewer):
    """Work through every step of ``path`` as ``learner``; return the credential."""
    enrolment = services.enrol(path=path, user=learner)
    for step in path.steps.order_by("order"):
        if step.kind in ("external", "resource"):
            services.step_complete(enrolment=enrolment, step=step, user=learner)
        elif step.kind == "activity":
            progress = services.activity_submit(
                enrolment=enrolment, step=step, user=learner, text="My school's plan."
            )
            services.submission_review(progress=progress, accept=True, by=reviewer)
        else:
            answers = {n: q["answer"] for n, q in enumerate(step.questions)}
            services.quiz_submit(enrolment=enrolment, step=step, user=learner, answers=answers)
    return Credential.objects.get(enrolment=enrolment)


@pytest.fixture
def credential(path, learner, editor):
    return complete(path, learner, editor)


def checks(verdict) -> dict[str, str]:
    return {check.code: check.status for check in verdict.checks}


@pytest.mark.django_db
def test_a_completed_path_gives_a_valid_open_badge(credential, no_network):
    document = json.loads(credential.document)
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == "Understanding ICT in education policy"
    assert [a["targetCode"] for a in achievement["alignment"]] == ["1.KA"]
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert document["proof"]["verificationMethod"].startswith("did:key:z6Mk")
    verdict = credential_selectors.credential_verify(credential.document)
    assert verdict.valid, verdict.as_data()
    assert set(checks(verdict).values()) == {"pass"}


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_one_character_changed_fails(credential, data):
    """Change one character inside any string of the credential: it no longer verifies."""
    text = credential.document
    document = json.loads(text)
    strings: list[tuple[int, int]] = []
    position = 0
    decoder = json.JSONDecoder()
    # Positions of characters inside JSON string tokens (keys and values alike).
    while position < len(text):
        if text[position] == '"':
            _value, end = decoder.raw_decode(text, position)
            strings.append((position + 1, end - 1))
            position = end
        else:
            position += 1
    start, end = data.draw(st.sampled_from([s for s in strings if s[1] > s[0]]))
    at = data.draw(st.integers(start, end - 1))
    original = text[at]
    if original == "\\":
        return
    replacement = data.draw(
        st.sampled_from("abcXYZ019:/#-").filter(lambda c: c != original), label="replacement"
    )
    changed = text[:at] + replacement + text[at + 1 :]
    try:
        json.loads(changed)
    except ValueError:
        return
    verdict = credential_selectors.credential_verify(changed)
    assert not verdict.valid, (at, original, replacement, verdict.as_data())
    assert document  # the original still parses


@pytest.mark.django_db
def test_completing_twice_issues_one_credential(path, learner, editor):
    credential = complete(path, learner, editor)
    enrolment = credential.enrolment
    step = path.steps.get(kind="external")
    services.step_complete(enrolment=enrolment, step=step, user=learner)
    assert services.completion_check(enrolment=enrolment) == credential
    assert credential_services.credential_issue(enrolment=enrolment) == credential
    assert Credential.objects.count() == 1


@pytest.mark.django_db
def test_revoked_credentials_fail_on_revocation(credential, admin, editor):
    with pytest.raises(PermissionDenied):
        credential_services.credential_revoke(credential=credential, reason="error", by=editor)
    credential_services.credential_revoke(credential=credential, reason="Issued in error", by=admin)
    verdict = credential_selectors.credential_verify(credential.document)
    assert not verdict.valid
    assert checks(verdict)["revocation"] == "fail"
    assert checks(verdict)["signature"] == "pass"


@pytest.mark.django_db
def test_status_list_sets_the_revoked_bit(credential, admin):
    index = credential.status_index
    listed = credential_selectors.status_list_credential(0)
    bits = status_list.decode(listed["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == status_list.LIST_SIZE
    assert not status_list.is_set(bits, index)
    credential_services.credential_revoke(credential=credential, reason="Issued in error", by=admin)
    listed = credential_selectors.status_list_credential(0)
    assert status_list.is_set(status_list.decode(listed["credentialSubject"]["encodedList"]), index)
    # The status list is itself a credential we signed.
    assert credential_selectors.credential_verify(json.dumps(listed)).valid


@pytest.mark.django_db
def test_rotated_keys_still_verify_old_credentials(path, learner, editor, credential_keys):
    from iite.accounts.tests.factories import make_user
    from iite.learning.tests.conftest import make_path

    old = complete(path, learner, editor)
    first = keys.current_key()
    pem = credential_keys / f"{first.multibase}.pem"
    assert oct(os.stat(pem).st_mode & 0o777) == "0o600"
    second = credential_services.issuer_key_rotate(by=None)
    assert second.multibase != first.multibase
    other = make_path(editor, slug="second-path")
    new = complete(other, make_user(), editor)
    assert json.loads(new.document)["proof"]["verificationMethod"] == second.verification_method
    assert credential_selectors.credential_verify(old.document).valid
    assert credential_selectors.credential_verify(new.document).valid
    listed = [key["id"] for key in credential_selectors.issuer_profile()["verificationMethod"]]
    assert listed == [second.verification_method, first.verification_method]


@pytest.mark.django_db
def test_someone_elses_key_claiming_our_issuer_fails(credential):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from iite.learning.credentials import signing

    document = json.loads(credential.document)
    forger = Ed25519PrivateKey.generate()
    forged = signing.sign(
        document,
        private_key=forger,
        verification_method=signing.did_key_method(forger.public_key()),
        created="2026-01-01T00:00:00Z",
    )
    verdict = credential_selectors.credential_verify(json.dumps(forged))
    assert checks(verdict)["signature"] == "pass"
    assert checks(verdict)["issuer"] == "fail"
    assert not verdict.valid


@pytest.mark.django_db
def test_a_did_key_issuer_verifies_offline(no_network):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from iite.learning.credentials import signing

    key = Ed25519PrivateKey.generate()
    did = signing.did_key(key.public_key())
    unsigned = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "validFrom": "2020-01-01T00:00:00Z",
        "validUntil": "2020-12-31T00:00:00Z",
        "credentialSubject": {"id": "did:example:123", "name": "Someone"},
    }
    signed = signing.sign(
        unsigned,
        private_key=key,
        verification_method=signing.did_key_method(key.public_key()),
        created="2020-01-01T00:00:00Z",
    )
    before_expiry = credential_selectors.credential_verify(
        json.dumps(signed), now=datetime(2020, 6, 1, tzinfo=UTC)
    )
    assert before_expiry.valid, before_expiry.as_data()
    assert checks(before_expiry)["issuer"] == "pass"
    expired = credential_selectors.credential_verify(json.dumps(signed))
    assert checks(expired)["expiry"] == "fail"
    assert not expired.valid


@pytest.mark.django_db
def test_the_spec_vector_verifies_with_a_warning_about_its_issuer(no_network):
    v = json.loads(VECTORS.read_text())["vectors"][0]
    verdict = credential_selectors.credential_verify(json.dumps(v["signed_credential"]))
    assert verdict.valid
    assert checks(verdict)["signature"] == "pass"
    assert checks(verdict)["issuer"] == "warning"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "format"),
        ("not json", "format"),
        ("[1, 2]", "format"),
        ('{"name": "a recipe"}', "format"),
        ('{"type": ["VerifiablePresentation"]}', "format"),
        ('{"type": "VerifiableCredential", "issuer": "x", "credentialSubject": {}}', "format"),
        ("[" * 100_000 + "]" * 100_000, "format"),
        ('{"a": NaN}', "format"),
        (b"\xff\xfe not utf-8", "format"),
        (" " * (MAX_BYTES + 1), "format"),
    ],
)
def test_bad_input_gets_a_clear_verdict(raw, reason, no_network):
    verdict = credential_selectors.credential_verify(raw)
    assert not verdict.valid
    assert checks(verdict)[reason] == "fail"
    assert all(check.message for check in verdict.checks)


@pytest.mark.django_db
def test_an_unshipped_context_is_refused_without_a_request(credential, no_network):
    document = json.loads(credential.document)
    document["@context"].append("https://evil.example/context.json")
    verdict = credential_selectors.credential_verify(json.dumps(document))
    assert checks(verdict)["context"] == "fail"
    assert "https://evil.example/context.json" in verdict.checks[1].message
    # A context hidden inside the document is refused the same way.
    document = json.loads(credential.document)
    document["credentialSubject"]["@context"] = "https://evil.example/nested.json"
    verdict = credential_selectors.credential_verify(json.dumps(document))
    assert checks(verdict)["context"] == "fail"


def test_baking_round_trip():
    png = baking.badge_image(3)
    baked = baking.bake(png, '{"a": "é"}')
    assert baking.unbake(baked) == '{"a": "é"}'
    assert baking.unbake(baking.bake(baked, '{"b": 1}')) == '{"b": 1}'
    assert baking.unbake(png) is None
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(baked)).size == (256, 256)
    with pytest.raises(baking.NotAPng):
        baking.bake(b"GIF89a", "{}")
    with pytest.raises(baking.NotAPng):
        baking.unbake(png[:40])


def test_status_list_round_trip():
    encoded = status_list.encode([0, 7, 131_071])
    bits = status_list.decode(encoded)
    assert [status_list.is_set(bits, i) for i in (0, 1, 7, 8, 131_071)] == [
        True,
        False,
        True,
        False,
        True,
    ]
    with pytest.raises(ValueError, match="GZIP"):
        status_list.decode("uAAAA")
    with pytest.raises(ValueError, match="outside"):
        status_list.encode([131_072])


@pytest.mark.django_db
def test_the_rotate_command_keeps_old_keys(credential_keys):
    from io import StringIO

    from django.core.management import call_command

    first = keys.current_key()
    out = StringIO()
    call_command("credential_key_rotate", stdout=out)
    assert "Keys held: 2" in out.getvalue()
    assert keys.current_key().multibase != first.multibase
    assert keys.key_for_method(first.verification_method) is not None


@pytest.mark.django_db
def test_a_status_index_outside_the_list_is_not_ours(credential):
    from iite.learning.credentials import document as documents

    trust = credential_selectors.trust()
    list_url = documents.status_list_url(0)
    assert trust.revoked(list_url, credential.status_index) is False
    assert trust.revoked(list_url, -1) is None
    assert trust.revoked(list_url, status_list.LIST_SIZE) is None
    assert trust.revoked(documents.status_list_url(1), credential.status_index) is None
    assert trust.revoked(list_url + "x", 0) is None


@pytest.mark.django_db
def test_an_undefined_property_is_refused_not_dropped(credential, no_network):
    """JSON-LD drops terms no context defines; safe mode refuses them instead (unsigned claims)."""
    for where in ("top", "issuer", "achievement"):
        document = json.loads(credential.document)
        target = {
            "top": document,
            "issuer": document["issuer"],
            "achievement": document["credentialSubject"]["achievement"],
        }[where]
        target["grade"] = "A+"
        verdict = credential_selectors.credential_verify(json.dumps(document))
        assert not verdict.valid, where
        assert checks(verdict)["context"] == "fail"
        assert "grade" in verdict.checks[1].message


def _mutations(node, path=()):
    """Every way to change one character of one key or one string value (the first, or last)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield ("key", (*path, key))
            yield from _mutations(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _mutations(value, (*path, index))
    elif isinstance(node, str) and node:
        yield ("value", path)


def _changed(text: str) -> str:
    spot = len(text) - 1 if text[-1].isalnum() else 0
    replacement = "x" if text[spot] != "x" else "y"
    return text[:spot] + replacement + text[spot + 1 :]


@pytest.mark.django_db
def test_every_key_and_value_changed_by_one_character_fails(credential):
    """Exhaustive companion of the property test: each key and each string, one change each."""
    original = json.loads(credential.document)
    tried = 0
    for kind, path in _mutations(original):
        document = json.loads(credential.document)
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if kind == "key":
            parent[_changed(last)] = parent.pop(last)
        else:
            parent[last] = _changed(parent[last])
        verdict = credential_selectors.credential_verify(json.dumps(document))
        assert not verdict.valid, (kind, path)
        tried += 1
    assert tried > 60


def test_broken_baked_chunks_are_refused_cleanly():
    import struct
    import zlib

    png = baking.badge_image(2)
    for body in (
        b"openbadgecredential\0",
        b"openbadgecredential\0\x01\0\0\0not zlib",
        b"openbadgecredential\0\0\0\0\0\xff\xfe",
    ):
        chunk = struct.pack(">I", len(body)) + b"iTXt" + body
        chunk += struct.pack(">I", zlib.crc32(b"iTXt" + body) & 0xFFFFFFFF)
        broken = png[:-12] + chunk + png[-12:]
        with pytest.raises(baking.NotAPng):
            baking.unbake(broken)
