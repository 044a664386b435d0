"""``iite harvest URL [--set SPEC] [--from DATE]``: harvest an OAI-PMH repository now."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iite.core.errors import ApplicationError
from iite.library.oai.models import HarvestRun
from iite.library.oai.services import harvest_url


def _moment(value: str) -> datetime:
    for pattern in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise CommandError(f"--from must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not {value!r}.")


class Command(BaseCommand):
    help = (
        "Harvest the Dublin Core records of an OAI-PMH repository into the library. The address "
        "is remembered as a harvest source; the next harvest of it asks only for what changed "
        "since the last complete one. Records are published directly, deduplicated by their "
        "identifier; deleted records withdraw what was harvested before."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="The repository's base URL, e.g. https://example.org/oai")
        parser.add_argument("--set", dest="set_spec", default="", help="Harvest only this set.")
        parser.add_argument(
            "--from",
            dest="harvest_from",
            default="",
            help="Only records changed from this date on (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = _moment(options["harvest_from"]) if options["harvest_from"] else None
        try:
            run = harvest_url(
                base_url=options["url"], set_spec=options["set_spec"], harvest_from=since
            )
        except ApplicationError as error:
            raise CommandError(error.message) from None
        summary = (
            f"{run.source.name}: {run.created} new, {run.updated} updated, {run.deleted} "
            f"withdrawn, {run.skipped} skipped, in {run.pages} page(s)."
        )
        for problem in run.errors[:20]:
            self.stderr.write(f"  skipped {problem['identifier']}: {problem['message']}")
        if run.status == HarvestRun.Status.FAILED:
            raise CommandError(f"The harvest stopped: {run.message}\n{summary}")
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(summary))
