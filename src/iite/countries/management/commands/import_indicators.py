"""``iite import-indicators FILE [FILE…]``: import SDG 4 indicator files (docs/indicators.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iite.core.errors import ApplicationError
from iite.countries import services
from iite.countries.formats import SKIP_REASONS
from iite.countries.models import Release

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import indicator files: the UN SDG Global Database CSV (M49 area codes) or the UIS "
        "bulk-download CSV (INDICATOR_ID, COUNTRY_ID, YEAR, VALUE, MAGNITUDE, QUALIFIER), plain "
        "or gzip-compressed; the format is recognised from the header. An import is all or "
        "nothing: if any row is rejected, nothing is imported and the rejections are listed. "
        "Importing the same file twice changes nothing. Exits with status 1 when a file is "
        "refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="CSV files (or .csv.gz).")
        parser.add_argument("--label", default="", help="A name for the release, e.g. 'UIS 2021'.")
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw the progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refused = 0
        for path in options["files"]:
            show = not options["no_progress"] and options["verbosity"] > 0
            total = path.stat().st_size if path.is_file() else 0
            try:
                release = services.indicators_import(
                    path=path,
                    label=options["label"],
                    progress=self._bar(path.name, total) if show else None,
                )
            except ApplicationError as error:
                raise CommandError(error.message) from None
            if show:
                sys.stderr.write("\n")
            self._summary(release, options["verbosity"])
            if release.status in {Release.Status.REFUSED, Release.Status.FAILED}:
                refused += 1
        if refused:
            raise CommandError(f"{refused} file(s) refused; nothing was imported from them.")

    def _bar(self, name: str, total: int) -> Any:
        def draw(done: int) -> None:
            share = min(done / total, 1.0) if total else 1.0
            filled = int(share * BAR_WIDTH)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            sys.stderr.write(f"\r{name[:30]} [{bar}] {share:6.1%} of {total / 1e6:.1f} MB")
            sys.stderr.flush()

        return draw

    def _summary(self, release: Release, verbosity: int) -> None:
        write = self.stdout.write
        write(
            f"{release.file_name}: {release.get_status_display()} (release {release.pk}, "
            f"{release.get_source_display() or 'unknown format'})"
        )
        if release.message:
            write(f"  {release.message}")
        write(
            f"  read {release.rows_read}, added {release.added}, changed {release.changed}, "
            f"unchanged {release.unchanged}, duplicates {release.duplicates}, "
            f"skipped {release.skipped_total}, rejected {release.rejected}"
        )
        for reason, count in sorted(release.skipped.items()):
            write(f"  skipped {count}: {SKIP_REASONS.get(reason, reason)}")
        listed = release.rejections.all()[: 50 if verbosity < 2 else 1000]
        for rejection in listed:
            write(f"  line {rejection.line}: {rejection.reason}")
        if release.rejected > len(listed):
            write(f"  … {release.rejected - len(listed)} more rejections (see the staff page).")
