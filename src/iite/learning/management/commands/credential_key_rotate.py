"""``iite credential_key_rotate``: make a new credential signing key current."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from iite.learning import credential_services
from iite.learning.credentials import keys


class Command(BaseCommand):
    help = (
        "Make a new Ed25519 key sign credentials from now on. Older keys stay in the key folder "
        "(settings.CREDENTIAL_KEYS_DIR, by default VAR_DIR/credential-keys), so every credential "
        "they signed still verifies. Back the folder up: it is not in the database."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        key = credential_services.issuer_key_rotate(by=None)
        self.stdout.write(f"New signing key: {key.verification_method}")
        self.stdout.write(f"Keys held: {len(keys.all_keys())} (in {keys.keys_dir()})")
