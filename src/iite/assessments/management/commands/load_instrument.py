"""``iite load-instrument FILE [FILE…]``: load instrument files (docs/instruments.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iite.assessments.services import instrument_load, instruments_load_packaged
from iite.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Load instrument files (questionnaires of the self-assessment engine). Each file is "
        "validated first and loaded in one transaction; loading the same file again changes "
        "nothing, and a changed file with the same version is refused (raise its version). "
        "Without files, loads the instruments shipped in src/iite/assessments/instruments/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="Instrument TOML files.")

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = options["files"]
        try:
            if files:
                loaded = [instrument_load(path=path) for path in files]
            else:
                loaded = instruments_load_packaged()
        except ApplicationError as error:
            lines = [error.message]
            if len(error.details) > 1:
                lines += [f"  - {item['field']}: {item['message']}" for item in error.details]
            raise CommandError("\n".join(lines)) from None
        if options["verbosity"] == 0:
            return
        for instrument in loaded:
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {instrument.code} version {instrument.version}.")
            )
        if not loaded:
            self.stdout.write("No instrument files to load.")
