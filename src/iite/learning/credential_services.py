"""Writes of credentials: issue a completed enrolment's credential, revoke one, rotate the key.

``services.completion_check`` issues the credential in the transaction that completes the
enrolment; issuing again (a double post, a race) returns the one already issued, because a
credential is unique per enrolment. Bad input raises an ``ApplicationError`` with a translated
message and changes nothing.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.core.errors import ApplicationError, PermissionDenied
from iite.learning import credential_selectors
from iite.learning.credentials import document as documents
from iite.learning.credentials import keys, signing, status_list
from iite.learning.models import Credential, Enrolment
from iite.learning.permissions import can


def _invalid(message: str, details: list[dict[str, Any]] | None = None) -> ApplicationError:
    return ApplicationError(message, code="validation", details=details)


def _next_status_index() -> int:
    last = Credential.objects.aggregate(last=Max("status_index"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def credential_issue(*, enrolment: Enrolment) -> Credential:
    """Sign and store the credential of a completed enrolment (once: a second call returns it)."""
    existing = Credential.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    if enrolment.status != Enrolment.Status.COMPLETED:
        raise _invalid(_("The path is not completed yet."))
    achievement = credential_selectors.achievement_of(enrolment.path)
    key = keys.current_key()
    issued_at = timezone.now().replace(microsecond=0)
    stamp = issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    for _attempt in range(5):
        credential = Credential(enrolment=enrolment, key=key.multibase, issued_at=issued_at)
        credential.status_index = _next_status_index()
        unsigned = documents.open_badge(
            public_id=str(credential.public_id),
            achievement=achievement,
            learner_name=enrolment.learner.name,
            email=enrolment.learner.email,
            salt=secrets.token_hex(8),
            valid_from=stamp,
            status_index=credential.status_index,
            list_size=status_list.LIST_SIZE,
        )
        signed = signing.sign(
            unsigned,
            private_key=key.private_key,
            verification_method=key.verification_method,
            created=stamp,
        )
        credential.document = json.dumps(signed, ensure_ascii=False, indent=2)
        try:
            with transaction.atomic():
                credential.save()
        except IntegrityError:
            found = Credential.objects.filter(enrolment=enrolment).first()
            if found is not None:
                return found  # issued by a concurrent request
            continue  # the status index was taken meanwhile: take the next one
        return credential
    raise ApplicationError(
        _("The credential could not be issued just now; try again."), code="busy", status=503
    )


@transaction.atomic
def credential_revoke(*, credential: Credential, reason: str, by: User) -> Credential:
    """Revoke a credential: its bit in the status list is set from now on."""
    if not can(by, "credential.revoke"):
        raise PermissionDenied(_("Only administrators revoke credentials."))
    reason = " ".join(reason.split())
    if not reason or len(reason) > 500:
        raise _invalid(
            _("Say why the credential is revoked (500 characters at most)."),
            [{"field": "reason", "message": _("Give the reason.")}],
        )
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.revocation_reason = reason
        credential.revoked_by = by
        credential.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])
    return credential


def issuer_key_rotate(*, by: User | None) -> keys.IssuerKey:
    """Make a new signing key current (``by=None``: the console command)."""
    if by is not None and not can(by, "issuer_key.rotate"):
        raise PermissionDenied(_("Only administrators rotate the signing key."))
    return keys.rotate()
