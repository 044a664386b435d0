"""``iite load-reference``: load or refresh the reference data from the data files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iite.core.errors import ApplicationError
from iite.reference.services import reference_load


class Command(BaseCommand):
    help = (
        "Load or refresh the reference data (countries and regions, languages, ISCED levels, "
        "SDG 4 targets and indicators, strategic priorities and action areas, topics, licences, "
        "vocabularies and competency frameworks). Every file is validated first; then all rows "
        "are upserted by code in one transaction, so running it again changes nothing and bad "
        "data changes nothing. A new competency framework is just a new file in "
        "data/frameworks/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Read the data files from this directory instead of the packaged "
            "src/iite/reference/data/ (same layout).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = reference_load(data_dir=options["data_dir"])
        except ApplicationError as error:
            lines = [error.message]
            if len(error.details) > 1:
                lines += [f"  - {item['field']}: {item['message']}" for item in error.details]
            raise CommandError("\n".join(lines)) from None
        if options["verbosity"] == 0:
            return
        for line in summary.lines():
            self.stdout.write(line)
        verdict = (
            f"{summary.changed} rows created or updated."
            if summary.changed
            else ("Everything was already up to date.")
        )
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded. {verdict}"))
