"""The JSON of what the platform issues: OpenBadgeCredentials, its issuer profile, status lists.

Addresses are absolute, under ``settings.SITE_URL``, and outside the language prefix so they
never change with the reader's language: ``/api/v1/credentials/…``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from iite.learning.credentials import jsonld

CONTEXT = [jsonld.VC_V2, jsonld.OB_V3]
ISSUER_NAME = "IITE Platform"


def base_url() -> str:
    return f"{settings.SITE_URL.rstrip('/')}/api/v1/credentials"


def issuer_id() -> str:
    return f"{base_url()}/issuer"


def credential_url(public_id: str) -> str:
    return f"{base_url()}/{public_id}"


def status_list_url(number: int) -> str:
    return f"{base_url()}/status/{number}"


def achievement_url(slug: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/api/v1/learning/paths/{slug}"


def issuer_profile(*, keys: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The issuer's OB 3.0 Profile, with the keys it signs with (current first)."""
    profile: dict[str, Any] = {
        "@context": CONTEXT,
        "id": issuer_id(),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": settings.SITE_URL.rstrip("/") + "/",
        "description": (
            "The online platform of an institute for ICT in education. It issues Open Badges "
            "for completed learning paths aligned to the UNESCO ICT Competency Framework for "
            "Teachers."
        ),
    }
    if keys is not None:
        profile["verificationMethod"] = keys
        profile["assertionMethod"] = [key["id"] for key in keys]
    return profile


@dataclass(frozen=True)
class Alignment:
    code: str
    name: str
    framework: str
    url: str


@dataclass(frozen=True)
class Achievement:
    slug: str
    name: str
    description: str
    criteria: str
    language: str
    alignments: tuple[Alignment, ...]
    kind: str = "LearningProgram"


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 hashed identity: ``sha256$`` + hex digest of the address and the salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def open_badge(
    *,
    public_id: str,
    achievement: Achievement,
    learner_name: str,
    email: str,
    salt: str,
    valid_from: str,
    status_index: int,
    list_size: int,
) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential for one learner's achievement."""
    number, index = divmod(status_index, list_size)
    return {
        "@context": CONTEXT,
        "id": credential_url(public_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {key: value for key, value in issuer_profile().items() if key != "@context"},
        "validFrom": valid_from,
        "name": achievement.name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(email, salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                },
                {
                    "type": "IdentityObject",
                    "identityHash": learner_name,
                    "identityType": "name",
                    "hashed": False,
                },
            ],
            "achievement": {
                "id": achievement_url(achievement.slug),
                "type": ["Achievement"],
                "achievementType": achievement.kind,
                "name": achievement.name,
                "description": achievement.description,
                "criteria": {"narrative": achievement.criteria},
                "inLanguage": achievement.language,
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": alignment.name,
                        "targetCode": alignment.code,
                        "targetFramework": alignment.framework,
                        "targetType": "ceasn:Competency",
                        "targetUrl": alignment.url,
                    }
                    for alignment in achievement.alignments
                ],
            },
        },
        "credentialStatus": {
            "id": f"{status_list_url(number)}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": status_list_url(number),
        },
    }


def status_list_credential(*, number: int, encoded_list: str, valid_from: str) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential for list ``number``."""
    url = status_list_url(number)
    return {
        "@context": [jsonld.VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }
