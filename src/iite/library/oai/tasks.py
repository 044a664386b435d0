"""Background work of the harvester: one queued harvest run, started by the "harvest now" button."""

from __future__ import annotations

from django_tasks import task


@task()
def harvest_run_task(run_id: int) -> None:
    """Do one queued run; its outcome, failures included, is recorded on the run."""
    from iite.library.oai import services

    services.harvest_run_execute(run_id=run_id)
