"""iite setup: everything a fresh database needs before the platform can serve."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prepare the platform: apply database migrations, load the reference data and the "
        "packaged questionnaires (idempotent) and collect the static files. Safe to run again "
        "after every upgrade."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        call_command("load_reference", verbosity=verbosity)
        call_command("load_instrument", verbosity=verbosity)
        call_command("collectstatic", interactive=False, verbosity=max(0, verbosity - 1))
        self.stdout.write(self.style.SUCCESS("The platform is set up."))
