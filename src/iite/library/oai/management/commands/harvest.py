"""``iite harvest URL [--set SPEC] [--from DATE]``: harvest an OAI-PMH repository now;
``iite harvest --due``: harvest every source whose time has come (from cron or a systemd timer)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iite.core.errors import ApplicationError
from iite.library.oai.models import HarvestRun
from iite.library.oai.services import harvest_due, harvest_url


def _moment(value: str) -> datetime:
    for pattern in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise CommandError(f"--from must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not {value!r}.")


def _summary(run: HarvestRun) -> str:
    return (
        f"{run.source.name}: {run.created} new, {run.updated} updated, {run.deleted} "
        f"withdrawn, {run.skipped} skipped, in {run.pages} page(s)."
    )


class Command(BaseCommand):
    help = (
        "Harvest the Dublin Core records of an OAI-PMH repository into the library. The address "
        "is remembered as a harvest source; the next harvest of it asks only for what changed "
        "since the last complete one. Records are published directly, deduplicated by their "
        "identifier; deleted records withdraw what was harvested before. With --due instead of "
        "an address, harvest every source that is harvested regularly and whose interval has "
        "passed since its last harvest, one after another; run it from cron or a systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "url",
            nargs="?",
            default="",
            help="The repository's base URL, e.g. https://example.org/oai",
        )
        parser.add_argument(
            "--due",
            action="store_true",
            help="Harvest every due source; one line per source; exit status 1 if any failed.",
        )
        parser.add_argument("--set", dest="set_spec", default="", help="Harvest only this set.")
        parser.add_argument(
            "--from",
            dest="harvest_from",
            default="",
            help="Only records changed from this date on (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["due"]:
            if options["url"] or options["set_spec"] or options["harvest_from"]:
                raise CommandError(
                    "--due harvests the configured sources; give no address, --set or --from."
                )
            self.harvest_due(options["verbosity"])
            return
        if not options["url"]:
            raise CommandError("Give the repository's base URL, or --due.")
        since = _moment(options["harvest_from"]) if options["harvest_from"] else None
        try:
            run = harvest_url(
                base_url=options["url"], set_spec=options["set_spec"], harvest_from=since
            )
        except ApplicationError as error:
            raise CommandError(error.message) from None
        for problem in run.errors[:20]:
            self.stderr.write(f"  skipped {problem['identifier']}: {problem['message']}")
        if run.status == HarvestRun.Status.FAILED:
            raise CommandError(f"The harvest stopped: {run.message}\n{_summary(run)}")
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(_summary(run)))

    def harvest_due(self, verbosity: int) -> None:
        """Failures go to standard error whatever the verbosity, so ``-v 0`` under cron mails
        only when something went wrong."""
        outcomes = harvest_due()
        if not outcomes and verbosity:
            self.stdout.write("No harvest source is due.")
        for outcome in outcomes:
            name = outcome.source.name
            if outcome.outcome == "failed":
                self.stderr.write(f"{name}: failed: {outcome.message}")
            elif outcome.outcome == "skipped" and verbosity:
                self.stdout.write(f"{name}: skipped: {outcome.message}")
            elif outcome.run is not None and verbosity:
                self.stdout.write(self.style.SUCCESS(_summary(outcome.run)))
        failed = sum(outcome.outcome == "failed" for outcome in outcomes)
        if failed:
            raise CommandError(f"{failed} of {len(outcomes)} due harvest(s) failed.")
