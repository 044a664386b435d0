"""Two imports at the same moment: the second is refused with a clear message, nothing breaks.

The first import runs in a thread with its own database connection and is held, mid-import,
by its progress callback until the second has been tried; so the overlap is certain, not a race
the test may lose. That test needs PostgreSQL (the SQLite test database is one in-memory
connection); the others run on both.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from iite.countries import services
from iite.countries.models import Observation, Release
from iite.countries.tests.conftest import uis_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real connections (PostgreSQL)"
)
def test_a_second_import_while_one_runs_is_refused_and_the_first_completes(
    reference_data: None, tmp_path: Path
) -> None:
    first_file = uis_file(tmp_path, ["SCHBSP.1.WINTERN,KEN,2019,43.5,,", "TRTP.1,KEN,2019,90,,"])
    second_file = uis_file(tmp_path, ["TRTP.1,UGA,2019,80,,"], name="second.csv")
    running = threading.Event()
    second_done = threading.Event()
    outcome: dict[str, object] = {}

    def hold(_bytes_read: int) -> None:
        running.set()
        assert second_done.wait(timeout=60)

    def first() -> None:
        try:
            outcome["first"] = services.indicators_import(path=first_file, progress=hold)
        except Exception as error:
            outcome["error"] = error
        finally:
            running.set()
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert running.wait(timeout=60)
        assert Release.objects.filter(status=Release.Status.RUNNING).count() == 1
        second = services.indicators_import(path=second_file)
    finally:
        second_done.set()
        thread.join(timeout=120)
    assert "error" not in outcome, outcome
    assert second.status == Release.Status.REFUSED
    assert "Another import" in second.message
    assert "only one import runs at a time" in second.message
    assert second.rows_read == 0
    done = outcome["first"]
    assert isinstance(done, Release)
    assert (done.status, done.added) == (Release.Status.DONE, 2)
    assert not Observation.objects.filter(country__alpha3="UGA").exists()
    # The lock is free again: the refused file now imports.
    again = services.indicators_import(path=second_file)
    assert (again.status, again.added) == (Release.Status.DONE, 1)


def test_an_import_is_refused_while_another_process_holds_one_running(
    reference_data: None, tmp_path: Path
) -> None:
    """Another process's import, seen as its running release: refused, said, nothing read."""
    other = Release.objects.create(
        file_name="big.csv", status=Release.Status.RUNNING, started_at=timezone.now()
    )
    path = uis_file(tmp_path, ["TRTP.1,KEN,2019,90,,"])
    release = services.indicators_import(path=path)
    assert release.status == Release.Status.REFUSED
    assert f"Another import (release {other.pk}," in release.message
    assert not Observation.objects.exists()


def test_a_stale_running_import_does_not_block_the_next_one(
    reference_data: None, tmp_path: Path
) -> None:
    """An import whose process died long ago is marked failed; the next import runs."""
    stale = Release.objects.create(
        file_name="died.csv",
        status=Release.Status.RUNNING,
        started_at=timezone.now() - timedelta(days=1),
    )
    release = services.indicators_import(path=uis_file(tmp_path, ["TRTP.1,KEN,2019,90,,"]))
    assert (release.status, release.added) == (Release.Status.DONE, 1)
    stale.refresh_from_db()
    assert stale.status == Release.Status.FAILED
