"""Reads of credentials: what a path's credential says, a learner's credentials, verification,
and the issuer documents the platform serves (its profile, DID documents, status lists).

The protocol work (documents, signing, keys, status lists, verification) is in the
``credentials`` package, which never touches the database; this module gives it the rows.
Issuing and revoking are in ``credential_services``, the pages in ``credential_views``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.core.errors import NotFound
from iite.learning.credentials import document as documents
from iite.learning.credentials import keys, signing, status_list
from iite.learning.credentials.verification import Trust, Verdict, verify
from iite.learning.models import Credential, Path, Step
from iite.reference.models import Competency


def achievement_of(path: Path) -> documents.Achievement:
    """What a path's credential says about the achievement, from the path and its alignment."""
    aligned = set(path.competencies.values_list("pk", flat=True)) | set(
        Step.competencies.through.objects.filter(step__path=path).values_list(
            "competency_id", flat=True
        )
    )
    competencies = list(
        Competency.objects.filter(pk__in=aligned)
        .select_related("framework", "dimension", "level")
        .order_by("dimension__order", "level__order")
    )
    steps = list(path.steps.order_by("order").values_list("title", flat=True))
    rule = (
        _("Complete every step, passing each quiz with at least %(percent)d%%.")
        % {"percent": path.pass_percent}
        if path.completion == Path.Completion.QUIZ_SCORE
        else _("Complete every step.")
    )
    criteria = " ".join([rule, *[f"({number}) {title}." for number, title in enumerate(steps, 1)]])
    return documents.Achievement(
        slug=path.slug,
        name=path.title,
        description=path.summary,
        criteria=criteria,
        language=path.language,
        alignments=tuple(
            documents.Alignment(
                code=competency.code,
                name=competency.names.get("en") or competency.code,
                framework=competency.framework.names.get("en") or competency.framework.code,
                url=f"{competency.framework.url}#{competency.code}",
            )
            for competency in competencies
        ),
        kind="Course" if path.kind == Path.Kind.COURSE else "LearningProgram",
    )


def credentials_of(user: User) -> QuerySet[Credential]:
    return (
        Credential.objects.filter(enrolment__learner_id=user.pk)
        .select_related("enrolment__path")
        .order_by("-issued_at", "-pk")
    )


def credential_by_public_id(public_id: Any) -> Credential:
    try:
        found = (
            Credential.objects.select_related("enrolment__path", "enrolment__learner")
            .filter(public_id=str(public_id))
            .first()
        )
    except Exception:  # a malformed UUID
        found = None
    if found is None:
        raise NotFound(_("There is no such credential."))
    return found


def _own_key(method: str) -> Ed25519PublicKey | None:
    key = keys.key_for_method(method)
    return key.public_key if key is not None else None


def _revoked(url: str, index: int) -> bool | None:
    prefix = documents.status_list_url(0)[: -len("0")]
    try:
        number = int(url.removeprefix(prefix))
    except ValueError:
        return None
    if number < 0 or not 0 <= index < status_list.LIST_SIZE:
        return None
    rows = list(
        Credential.objects.filter(status_index=number * status_list.LIST_SIZE + index).values_list(
            "revoked_at", flat=True
        )[:1]
    )
    return (rows[0] is not None) if rows else None


def trust() -> Trust:
    """What our verifier knows of our own issuer: its id, keys and status lists."""
    return Trust(
        issuer_id=documents.issuer_id(),
        issuer_name=documents.ISSUER_NAME,
        own_key=_own_key,
        status_list_prefix=documents.status_list_url(0)[: -len("0")],
        revoked=_revoked,
    )


def credential_verify(raw: bytes | str, *, now: datetime | None = None) -> Verdict:
    """Verify any credential (JSON text or bytes) offline, with the reasons."""
    return verify(raw, trust=trust(), now=now)


def issuer_profile() -> dict[str, Any]:
    """The issuer profile the platform serves, listing every key it has signed with."""
    methods = [
        {
            "id": key.verification_method,
            "type": "Multikey",
            "controller": documents.issuer_id(),
            "publicKeyMultibase": key.multibase,
            "created": key.created.isoformat().replace("+00:00", "Z"),
            "current": key.current,
        }
        for key in keys.all_keys() or [keys.current_key()]
    ]
    return documents.issuer_profile(keys=methods)


def did_document(multibase: str) -> dict[str, Any]:
    """The DID document of one of our keys (a did:key resolves to it offline, too)."""
    key = keys.key_for_method(f"did:key:{multibase}")
    if key is None:
        raise NotFound(_("The platform holds no such key."))
    return signing.did_document(key.public_key)


def status_list_credential(number: int) -> dict[str, Any]:
    """The signed Bitstring Status List credential of list ``number`` (as of now)."""
    if number < 0 or number > 10_000:
        raise NotFound(_("There is no such status list."))
    start = number * status_list.LIST_SIZE
    revoked = Credential.objects.filter(
        status_index__gte=start,
        status_index__lt=start + status_list.LIST_SIZE,
        revoked_at__isnull=False,
    ).values_list("status_index", flat=True)
    encoded = status_list.encode(index - start for index in revoked)
    stamp = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    unsigned = documents.status_list_credential(
        number=number, encoded_list=encoded, valid_from=stamp
    )
    key = keys.current_key()
    return signing.sign(
        unsigned,
        private_key=key.private_key,
        verification_method=key.verification_method,
        created=stamp,
    )


def badge_colour_of(credential: Credential) -> int:
    """The ICT CFT aspect (1 to 6) a credential's badge is coloured by: its first alignment."""
    aspect = (
        Competency.objects.filter(
            Q(learning_paths=credential.enrolment.path_id)
            | Q(learning_steps__path=credential.enrolment.path_id)
        )
        .order_by("dimension__order")
        .values_list("dimension__order", flat=True)
        .first()
    )
    return int(aspect) if aspect else 1
