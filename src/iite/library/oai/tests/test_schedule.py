"""Regular harvests: which sources are due, ``iite harvest --due`` against real HTTP servers,
one failing source that stops no other, the exit status, and the lock against overlapping jobs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connections
from django.test import Client
from django.utils import timezone

from iite.library.models import HarvestSource, Resource
from iite.library.oai import harvester, selectors, services
from iite.library.oai.models import HarvestRun
from iite.library.oai.tests.oai_server import OaiServer, serving
from iite.library.oai.tests.test_harvest import IDENTIFY_SECONDS, list_records
from iite.library.oai.tests.test_pages import person

pytestmark = pytest.mark.django_db

NOT_XML = b"<OAI-PMH><unclosed></OAI-PMH>"


@pytest.fixture
def good(settings) -> Iterator[OaiServer]:
    settings.LIBRARY_HARVEST_ALLOW_PRIVATE = True
    with serving(OaiServer()) as server:
        server.add("verb=Identify", IDENTIFY_SECONDS)
        server.add(
            "verb=ListRecords&metadataPrefix=oai_dc",
            list_records(("oai:x:1", "2025-03-01T00:00:00Z", "Premier rapport")),
        )
        yield server


@pytest.fixture
def broken(settings) -> Iterator[OaiServer]:
    settings.LIBRARY_HARVEST_ALLOW_PRIVATE = True
    with serving(OaiServer()) as server:
        server.add("verb=Identify", NOT_XML)
        yield server


def source(name: str, url: str, **fields) -> HarvestSource:
    return HarvestSource.objects.create(name=name, base_url=url, **fields)


def finished_run(source: HarvestSource, hours_ago: float, **fields) -> HarvestRun:
    fields.setdefault("status", HarvestRun.Status.SUCCEEDED)
    run = HarvestRun.objects.create(source=source, **fields)
    moment = timezone.now() - timedelta(hours=hours_ago)
    finished = moment if fields["status"] not in (HarvestRun.Status.QUEUED, "running") else None
    HarvestRun.objects.filter(pk=run.pk).update(
        queued_at=moment, started_at=moment, finished_at=finished
    )
    return run


# --- Which sources are due ------------------------------------------------------------------------
def test_due_not_due_disabled_and_in_progress():
    never = source("Never harvested", "https://a.example.org/oai")
    old = source("Harvested 25 hours ago", "https://b.example.org/oai")
    finished_run(old, 25)
    recent = source("Harvested 2 hours ago", "https://c.example.org/oai")
    finished_run(recent, 2)
    weekly = source("Weekly, harvested 2 days ago", "https://d.example.org/oai", interval_hours=168)
    finished_run(weekly, 48)
    disabled = source("Switched off", "https://e.example.org/oai", enabled=False)
    running = source("Being harvested", "https://f.example.org/oai")
    finished_run(running, 30)
    finished_run(running, 0.5, status=HarvestRun.Status.RUNNING)
    queued = source("Queued by the button", "https://g.example.org/oai")
    HarvestRun.objects.create(source=queued, trigger=HarvestRun.Trigger.PAGE)
    lost = source("Run lost 7 hours ago", "https://h.example.org/oai")
    finished_run(lost, 7, status=HarvestRun.Status.RUNNING)
    failed = source("Failed 26 hours ago", "https://i.example.org/oai")
    finished_run(failed, 26, status=HarvestRun.Status.FAILED)

    due = {s.name for s in selectors.sources_due(timezone.now())}
    assert due == {never.name, old.name, lost.name, failed.name}

    assert selectors.harvest_schedule(disabled).next_due is None
    assert selectors.harvest_schedule(running).running
    schedule = selectors.harvest_schedule(recent)
    assert not schedule.due
    assert schedule.last_finished is not None
    expected = schedule.last_finished + timedelta(hours=24) - selectors.DUE_SLACK
    assert schedule.next_due == expected
    # An hour from now nothing has changed; a day from now the recent one is due too.
    assert recent not in selectors.sources_due(timezone.now() + timedelta(hours=1))
    assert recent in selectors.sources_due(timezone.now() + timedelta(hours=22, minutes=50))


def test_a_daily_job_does_not_slip_by_the_length_of_a_run():
    """Finished 23 h 50 min ago: due, so a job at the same hour each day finds it due."""
    daily = source("Daily", "https://a.example.org/oai")
    finished_run(daily, 23 + 50 / 60)
    assert selectors.sources_due() == [daily]
    hourly = source("Hourly", "https://b.example.org/oai", interval_hours=1)
    finished_run(hourly, 0.8)  # slack is at most a tenth of the interval
    assert hourly not in selectors.sources_due()


# --- The command ----------------------------------------------------------------------------------
def test_one_failing_source_does_not_stop_the_others_and_the_command_fails(good, broken, capsys):
    failing = source("A broken repository", broken.url)
    working = source("B working repository", good.url)
    off = source("C switched off", "https://off.example.org/oai", enabled=False)
    with pytest.raises(CommandError, match="1 of 2 due harvest"):
        call_command("harvest", "--due")
    out, err = capsys.readouterr()
    assert "B working repository: 1 new, 0 updated, 0 withdrawn, 0 skipped, in 1 page(s)." in out
    assert (
        "A broken repository: failed: The repository sent a response that is not well-formed" in err
    )
    assert Resource.objects.get(harvest_source=working).title == "Premier rapport"
    assert failing.runs.get().status == HarvestRun.Status.FAILED
    assert working.runs.get().trigger == HarvestRun.Trigger.SCHEDULE
    assert not off.runs.exists()

    # Both ran a moment ago, so neither is due: nothing is fetched again.
    requests = len(good.log) + len(broken.log)
    call_command("harvest", "--due")
    assert "No harvest source is due." in capsys.readouterr().out
    assert len(good.log) + len(broken.log) == requests


def test_the_exit_status_of_the_console_command(good, broken, capsys, monkeypatch):
    """As `iite harvest --due` runs it (``iite.cli.main`` hands over to this)."""
    # run_from_argv closes every connection when done, the test's own too; keep it open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    source("Working", good.url)
    execute_from_command_line(["iite", "harvest", "--due"])  # returns: exit status 0
    assert "Working: 1 new" in capsys.readouterr().out
    source("Broken", broken.url)
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["iite", "harvest", "--due", "-v", "0"])
    assert exit_.value.code == 1
    out, err = capsys.readouterr()
    assert out == ""  # quiet unless something failed, for cron's mail
    assert "Broken: failed:" in err


def test_a_fault_of_ours_fails_that_source_only_and_leaves_no_run_running(good, monkeypatch):
    real = harvester.identify

    def faulty(base_url: str):
        if "faulty" in base_url:
            raise RuntimeError("a bug")
        return real(base_url)

    monkeypatch.setattr(harvester, "identify", faulty)
    bad = source("A faulty", "https://faulty.example.org/oai")
    fine = source("B fine", good.url)
    outcomes = services.harvest_due()
    assert [(o.source.name, o.outcome) for o in outcomes] == [
        (bad.name, "failed"),
        (fine.name, "harvested"),
    ]
    run = bad.runs.get()
    assert run.status == HarvestRun.Status.FAILED
    assert run.finished_at is not None
    assert "RuntimeError" in run.message


def test_the_command_refuses_mixed_arguments():
    with pytest.raises(CommandError, match="--due"):
        call_command("harvest", "--due", "https://example.org/oai")
    with pytest.raises(CommandError, match="--due"):
        call_command("harvest")


# --- The lock -------------------------------------------------------------------------------------
def test_overlapping_jobs_never_harvest_a_source_twice(good):
    """Job 2 listed the source as due, but job 1 harvested it meanwhile: job 2 skips it."""
    shared = source("Shared", good.url)
    listed_by_second_job = selectors.sources_due()
    assert listed_by_second_job == [shared]
    first = services.harvest_due()
    assert [o.outcome for o in first] == ["harvested"]
    assert services.harvest_run_queue_if_due(source=shared) is None
    assert shared.runs.count() == 1


def test_a_source_being_harvested_is_not_queued_again(good):
    shared = source("Shared", good.url)
    run = services.harvest_run_queue_if_due(source=shared)
    assert run is not None
    assert run.status == HarvestRun.Status.QUEUED
    assert services.harvest_run_queue_if_due(source=shared) is None  # the first is under way
    assert selectors.sources_due() == []
    assert services.harvest_due() == []


# --- The form and the page ------------------------------------------------------------------------
def test_the_interval_is_set_on_the_form_and_the_page_says_when_the_next_harvest_is_due():
    client = Client()
    client.force_login(person("editor"))
    data = {
        "name": "Erasmus",
        "base_url": "https://repository.example.org/oai",
        "default_kind": "publication",
        "enabled": "on",
    }
    for bad in ("0", "721", "soon", ""):
        response = client.post("/en/library/harvest/new/", {**data, "interval_hours": bad})
        assert response.status_code == 400, bad
        assert 'id="id_interval_hours_error"' in response.content.decode()
    assert not HarvestSource.objects.exists()
    response = client.post("/en/library/harvest/new/", {**data, "interval_hours": "168"})
    created = HarvestSource.objects.get()
    assert created.interval_hours == 168
    finished_run(created, 2)
    page = client.get(response["Location"]).content.decode()
    assert "yes, every 168 hours" in page
    assert "Next harvest due at" in page
    due = selectors.harvest_schedule(created).next_due
    assert f'datetime="{timezone.localtime(due).isoformat()}"' in page
    edit = client.get(f"/en/library/harvest/{created.pk}/edit/").content.decode()
    assert 'name="interval_hours" value="168"' in edit


def test_the_service_refuses_an_interval_out_of_range():
    from iite.core.errors import ApplicationError

    editor = person("editor")
    with pytest.raises(ApplicationError) as refused:
        services.harvest_source_create(
            by=editor, name="S", base_url="https://example.org/oai", interval_hours=721
        )
    assert refused.value.details[0]["field"] == "interval_hours"
    created = services.harvest_source_create(
        by=editor, name="S", base_url="https://example.org/oai"
    )
    assert created.interval_hours == 24
