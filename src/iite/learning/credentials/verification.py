"""Verify any Verifiable Credential offline, and say why it is or is not valid.

The verdict lists one check per concern: format, context, signature, issuer, expiry, revocation.
Each passes, fails, warns (something that cannot be confirmed offline) or is skipped (an earlier
check made it meaningless). A credential is valid when no check fails. Nothing here opens a
network connection: contexts must ship, keys must be ``did:key`` (or ours), and only our own
status lists are read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext as _

from iite.learning.credentials import jsonld, signing

MAX_BYTES = 256 * 1024
CHECKS = ("format", "context", "signature", "issuer", "expiry", "revocation")
PASS, FAIL, WARN, SKIP = "pass", "fail", "warning", "skipped"


@dataclass(frozen=True)
class Check:
    code: str
    status: str
    message: str


@dataclass
class Verdict:
    """The outcome of verifying one document: valid or not, each check, and what it claims."""

    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return len(self.checks) == len(CHECKS) and all(c.status != FAIL for c in self.checks)

    @property
    def warnings(self) -> bool:
        return any(check.status == WARN for check in self.checks)

    @property
    def summary(self) -> str:
        if not self.valid:
            return _("Not valid: see the reasons below.")
        if self.warnings:
            return _("Valid signature, with points that cannot be confirmed offline (below).")
        return _("Valid: the credential is authentic, current and not revoked.")

    def add(self, code: str, status: str, message: str) -> None:
        self.checks.append(Check(code, status, message))

    def skip_rest(self, message: str) -> Verdict:
        done = {check.code for check in self.checks}
        for code in CHECKS:
            if code not in done:
                self.add(code, SKIP, message)
        return self

    def as_data(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "summary": self.summary,
            "checks": [check.__dict__ for check in self.checks],
            "credential": self.credential,
        }


@dataclass(frozen=True)
class Trust:
    """What the verifier knows of its own issuer: its id, its keys and its status lists."""

    issuer_id: str
    issuer_name: str
    own_key: Callable[[str], Ed25519PublicKey | None]  # verification method -> our key
    status_list_prefix: str
    revoked: Callable[[str, int], bool | None]  # (list URL, index) -> revoked; None: unknown


def _parse(raw: bytes | str, verdict: Verdict) -> dict[str, Any] | None:
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > MAX_BYTES:
        verdict.add(
            "format",
            FAIL,
            _("The document is %(size)d KB; credentials of more than %(max)d KB are not read.")
            % {"size": size // 1024, "max": MAX_BYTES // 1024},
        )
        return None
    if size == 0 or not raw.strip():
        verdict.add("format", FAIL, _("The document is empty."))
        return None
    try:
        text = raw if isinstance(raw, str) else raw.decode("utf-8")
        document = json.loads(text, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        verdict.add("format", FAIL, _("The document is not JSON, so it cannot be a credential."))
        return None
    if not isinstance(document, dict):
        verdict.add("format", FAIL, _("The JSON is not an object, so it is not a credential."))
        return None
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    if "VerifiablePresentation" in types:
        verdict.add(
            "format",
            FAIL,
            _("This is a presentation, not a credential: verify each credential inside it."),
        )
        return None
    if "VerifiableCredential" not in types:
        verdict.add(
            "format",
            FAIL,
            _("The JSON is not a Verifiable Credential (its type has no “VerifiableCredential”)."),
        )
        return None
    missing = [name for name in ("issuer", "credentialSubject", "proof") if not document.get(name)]
    if missing:
        verdict.add(
            "format",
            FAIL,
            _("The credential has no %(fields)s.") % {"fields": ", ".join(missing)},
        )
        return None
    verdict.add("format", PASS, _("The document is a Verifiable Credential."))
    return document


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value[:300]
    if isinstance(value, dict):
        return _text(value.get("@value") or value.get("name") or "")
    return ""


def _summary(document: dict[str, Any]) -> dict[str, Any]:
    issuer = document.get("issuer")
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    return {
        "id": _text(document.get("id")),
        "name": _text(document.get("name")),
        "issuer_id": _text(issuer.get("id") if isinstance(issuer, dict) else issuer),
        "issuer_name": _text(issuer.get("name")) if isinstance(issuer, dict) else "",
        "achievement": _text(achievement.get("name")) if isinstance(achievement, dict) else "",
        "valid_from": _text(document.get("validFrom") or document.get("issuanceDate")),
        "valid_until": _text(document.get("validUntil") or document.get("expirationDate")),
    }


def _context(document: dict[str, Any], verdict: Verdict) -> bool:
    contexts = document.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if first not in (jsonld.VC_V2, jsonld.VC_V1):
        verdict.add(
            "context",
            FAIL,
            _("The first context must be the W3C Verifiable Credentials context (%(url)s).")
            % {"url": jsonld.VC_V2},
        )
        return False
    for url in jsonld.context_urls(document):
        if url not in jsonld.SHIPPED:
            verdict.add("context", FAIL, _not_shipped(url))
            return False
    verdict.add("context", PASS, _("Every context it uses ships with the platform."))
    return True


def _not_shipped(url: str) -> str:
    return _(
        "It uses the context %(url)s, which does not ship with the platform. Reading it would "
        "need a network request, which the verifier never makes."
    ) % {"url": url}


def _proof(document: dict[str, Any], verdict: Verdict) -> dict[str, Any] | None:
    proof = document.get("proof")
    if isinstance(proof, list):
        proof = proof[0] if len(proof) == 1 else None
    if not isinstance(proof, dict):
        verdict.add("signature", FAIL, _("The credential must carry exactly one proof."))
        return None
    if (
        proof.get("type") != signing.PROOF_TYPE
        or proof.get("cryptosuite") != signing.CRYPTOSUITE
        or proof.get("proofPurpose") != "assertionMethod"
    ):
        verdict.add(
            "signature",
            FAIL,
            _(
                "The proof is not an eddsa-rdfc-2022 DataIntegrityProof for assertion, the only "
                "kind this verifier checks."
            ),
        )
        return None
    if not isinstance(proof.get("verificationMethod"), str):
        verdict.add("signature", FAIL, _("The proof names no verification method."))
        return None
    return proof


def _key(method: str, trust: Trust) -> tuple[Ed25519PublicKey | None, str]:
    """The public key a verification method names, and how it was found."""
    own = trust.own_key(method)
    if own is not None:
        return own, "own"
    if method.startswith("did:key:"):
        did, _sep, fragment = method.partition("#")
        multibase = did.removeprefix("did:key:")
        if fragment and fragment != multibase:
            return None, ""
        try:
            return signing.public_key_from_multibase(multibase), "did:key"
        except ValueError:
            return None, ""
    fragment = method.partition("#")[2]
    if fragment.startswith("z6Mk"):
        try:
            return signing.public_key_from_multibase(fragment), "fragment"
        except ValueError:
            return None, ""
    return None, ""


def _dates(document: dict[str, Any], verdict: Verdict, now: datetime) -> None:
    start = document.get("validFrom") or document.get("issuanceDate")
    end = document.get("validUntil") or document.get("expirationDate")
    try:
        starts = _datetime(start) if start else None
        ends = _datetime(end) if end else None
    except ValueError:
        verdict.add("expiry", FAIL, _("Its validity dates cannot be read."))
        return
    if starts is not None and now < starts:
        verdict.add(
            "expiry", FAIL, _("It is not valid before %(date)s.") % {"date": starts.isoformat()}
        )
    elif ends is not None and now >= ends:
        verdict.add("expiry", FAIL, _("It expired on %(date)s.") % {"date": ends.isoformat()})
    elif ends is not None:
        verdict.add("expiry", PASS, _("Valid until %(date)s.") % {"date": ends.isoformat()})
    else:
        verdict.add("expiry", PASS, _("It does not expire."))


def _datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("not a date")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _status(document: dict[str, Any], verdict: Verdict, trust: Trust) -> None:
    entries = document.get("credentialStatus")
    if not entries:
        verdict.add("revocation", PASS, _("It names no status list, so it cannot be revoked."))
        return
    entries = entries if isinstance(entries, list) else [entries]
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            verdict.add(
                "revocation", WARN, _("Its status is of a kind this verifier cannot check.")
            )
            return
        url = str(entry.get("statusListCredential") or "")
        purpose = entry.get("statusPurpose")
        try:
            index = int(str(entry.get("statusListIndex")))
        except ValueError:
            verdict.add("revocation", FAIL, _("Its status list index cannot be read."))
            return
        if not url.startswith(trust.status_list_prefix):
            verdict.add(
                "revocation",
                WARN,
                _(
                    "Its status list (%(url)s) belongs to another issuer and is not fetched: "
                    "whether it was revoked cannot be checked offline."
                )
                % {"url": url},
            )
            return
        revoked = trust.revoked(url, index)
        if revoked is None:
            verdict.add("revocation", FAIL, _("Its status list entry is not one we issued."))
            return
        if revoked and purpose in ("revocation", "suspension"):
            verdict.add("revocation", FAIL, _("The issuer has revoked it."))
            return
    verdict.add("revocation", PASS, _("Not revoked (checked against the issuer's status list)."))


def verify(raw: bytes | str, *, trust: Trust, now: datetime | None = None) -> Verdict:
    """Verify a credential given as JSON text or bytes; never raises for bad input."""
    now = now or datetime.now(tz=UTC)
    verdict = Verdict()
    document = _parse(raw, verdict)
    if document is None:
        return verdict.skip_rest(_("Not checked: the document is not a credential."))
    verdict.credential = _summary(document)
    if not _context(document, verdict):
        return verdict.skip_rest(_("Not checked: the credential cannot be read offline."))
    proof = _proof(document, verdict)
    if proof is None:
        return verdict.skip_rest(_("Not checked: the credential has no usable proof."))
    method = str(proof["verificationMethod"])
    key, found = _key(method, trust)
    if key is None:
        verdict.add(
            "signature",
            FAIL,
            _(
                "Its key (%(method)s) cannot be resolved offline: only did:key keys and the "
                "platform's own keys can."
            )
            % {"method": method[:200]},
        )
        return verdict.skip_rest(_("Not checked: the signature could not be checked."))
    try:
        good = signing.signature_valid(document, proof, key)
    except jsonld.ContextNotShipped as error:
        verdict.checks = [c for c in verdict.checks if c.code != "context"]
        verdict.checks.insert(1, Check("context", FAIL, _not_shipped(error.url)))
        return verdict.skip_rest(_("Not checked: the credential cannot be read offline."))
    except jsonld.UndefinedTerm as error:
        verdict.checks = [c for c in verdict.checks if c.code != "context"]
        verdict.checks.insert(
            1,
            Check(
                "context",
                FAIL,
                _(
                    "It has a property its contexts do not define (“%(term)s”). Such a property "
                    "is not covered by the signature, so the credential is refused."
                )
                % {"term": error.term[:100]},
            ),
        )
        return verdict.skip_rest(_("Not checked: the credential has properties nobody signed."))
    except jsonld.NotJsonLd:
        verdict.checks[0] = Check(
            "format", FAIL, _("The credential is not valid JSON-LD, so it cannot be verified.")
        )
        return verdict.skip_rest(_("Not checked: the document is not a credential."))
    if not good:
        verdict.add(
            "signature",
            FAIL,
            _("The signature does not match: the credential was changed after it was signed."),
        )
    else:
        verdict.add("signature", PASS, _("The signature is valid."))
    _issuer(document, method, found, verdict, trust)
    _dates(document, verdict, now)
    _status(document, verdict, trust)
    return verdict


def _issuer(
    document: dict[str, Any], method: str, found: str, verdict: Verdict, trust: Trust
) -> None:
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not issuer_id:
        verdict.add("issuer", FAIL, _("The credential does not say who issued it."))
    elif issuer_id == trust.issuer_id:
        if found == "own":
            verdict.add(
                "issuer",
                PASS,
                _("Issued by %(name)s, with one of its keys.") % {"name": trust.issuer_name},
            )
        else:
            verdict.add(
                "issuer",
                FAIL,
                _("It claims to come from %(name)s but was signed with a key it never held.")
                % {"name": trust.issuer_name},
            )
    elif found == "did:key" and issuer_id == method.partition("#")[0]:
        verdict.add("issuer", PASS, _("The issuer is the did:key that signed it."))
    else:
        verdict.add(
            "issuer",
            WARN,
            _(
                "Signed by a key that cannot be tied to the issuer %(issuer)s offline: trust it "
                "only if you know the key belongs to them."
            )
            % {"issuer": issuer_id[:200]},
        )
