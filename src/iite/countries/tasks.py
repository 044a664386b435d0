"""Background work of the countries app: tasks take ids and call a service."""

from __future__ import annotations

from django_tasks import task

from iite.countries import services


@task()
def indicator_import_task(release_id: int) -> str:
    """Import an uploaded indicator file; returns the release's final status."""
    return services.indicator_import_queued(release_id=release_id).status
