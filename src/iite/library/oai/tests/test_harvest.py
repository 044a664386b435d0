"""The harvester against a real HTTP server answering with real repositories' responses.

The samples are sickle's test responses and DSpace responses from pyoai's tests, including the
broken ones a harvester must refuse (``../shared/data/oai-pmh/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from iite.core.errors import ApplicationError
from iite.library.models import HarvestSource, Resource
from iite.library.oai import client, services
from iite.library.oai.client import HarvestError
from iite.library.oai.models import HarvestRun
from iite.library.oai.tests.oai_server import DSPACE, SICKLE, OaiServer, Reply, serving

pytestmark = pytest.mark.django_db

IDENTIFY_SECONDS = (DSPACE / "fake1" / "00001.xml").read_bytes()


def list_records(
    *records: tuple[str, str, str | None], token: str = "", date: str = "2025-03-01T10:00:00Z"
) -> bytes:
    """A ListRecords response: (identifier, datestamp, title or None for a deleted record)."""
    parts = []
    for identifier, stamp, title in records:
        if title is None:
            parts.append(
                f'<record><header status="deleted"><identifier>{identifier}</identifier>'
                f"<datestamp>{stamp}</datestamp></header></record>"
            )
            continue
        dc = (
            f"<dc:title>{title}</dc:title>" if title else ""
        ) + "<dc:creator>Doe, Jane</dc:creator><dc:language>fr</dc:language>"
        parts.append(
            f"<record><header><identifier>{identifier}</identifier><datestamp>{stamp}</datestamp>"
            '</header><metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
            f' xmlns:dc="http://purl.org/dc/elements/1.1/">{dc}</oai_dc:dc></metadata></record>'
        )
    resumption = f"<resumptionToken>{token}</resumptionToken>" if token else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        f"<responseDate>{date}</responseDate>"
        '<request verb="ListRecords">http://example.org/oai</request>'
        f"<ListRecords>{''.join(parts)}{resumption}</ListRecords></OAI-PMH>"
    ).encode()


@pytest.fixture
def private_allowed(settings) -> None:
    settings.LIBRARY_HARVEST_ALLOW_PRIVATE = True


@pytest.fixture
def server(private_allowed) -> Iterator[OaiServer]:
    with serving(OaiServer()) as running:
        yield running


def source_for(server: OaiServer, **fields) -> HarvestSource:
    return HarvestSource.objects.create(name="Test repository", base_url=server.url, **fields)


def run_of(source: HarvestSource, **arguments) -> HarvestRun:
    run = services.harvest_run_queue(source=source, by=None, trigger="command", **arguments)
    return services.harvest_run_execute(run_id=run.pk)


# --- Real repositories ----------------------------------------------------------------------------
def test_a_dspace_harvest_brings_every_record_in(server):
    server.add_mapping(DSPACE / "fake1")
    source = source_for(server, harvested_until=datetime(2003, 4, 10, tzinfo=UTC))
    run = run_of(source)
    assert run.status == HarvestRun.Status.SUCCEEDED, run.message
    assert server.log[-1] == {
        "verb": "ListRecords",
        "metadataPrefix": "oai_dc",
        "from": "2003-04-10T00:00:00Z",
    }
    assert (run.created, run.skipped) == (16, 0)
    harvested = Resource.objects.filter(harvest_source=source)
    assert harvested.count() == 16
    assert set(harvested.values_list("status", flat=True)) == {Resource.Status.PUBLISHED}
    one = harvested.get(external_identifier="hdl:1765/308")
    assert one.abstract.startswith("Met moderne beeldvormende technieken")
    source.refresh_from_db()
    assert source.harvested_until == datetime(2003, 4, 30, 16, 8, 2, tzinfo=UTC)


def test_harvesting_again_updates_and_never_duplicates(server):
    server.add_mapping(DSPACE / "fake1")
    since = datetime(2003, 4, 10, tzinfo=UTC)
    source = source_for(server, harvested_until=since)
    run_of(source)
    again = run_of(source, harvest_from=since)
    assert (again.created, again.updated) == (0, 16)
    assert Resource.objects.filter(harvest_source=source).count() == 16


def test_a_large_real_response_with_81_records(server):
    server.add_mapping(DSPACE / "fake2")
    source = source_for(server, harvested_until=datetime(2004, 1, 1, tzinfo=UTC))
    server.add("verb=Identify", IDENTIFY_SECONDS)
    run = run_of(source)
    assert run.status in {HarvestRun.Status.SUCCEEDED, HarvestRun.Status.PARTIAL}, run.message
    # 81 records, 2 of them deleted ones that were never harvested here: nothing to withdraw.
    assert (run.created, run.skipped, run.deleted) == (79, 0, 0)
    assert Resource.objects.filter(harvest_source=source).count() == run.created


def test_tokens_are_followed_and_a_broken_page_stops_the_run(server):
    server.add("verb=Identify", SICKLE / "Identify.xml")
    server.add("verb=ListRecords&metadataPrefix=oai_dc", SICKLE / "ListRecords.xml")
    for number in (2, 3, 4):
        server.add(
            f"verb=ListRecords&resumptionToken=ListRecords{number}.xml",
            SICKLE / f"ListRecords{number}.xml",
        )
    source = source_for(server)
    run = run_of(source)
    # Pages 1 to 3 are sound; page 4 has a record without identifier or datestamp.
    assert run.status == HarvestRun.Status.FAILED
    assert "invalid OAI-PMH response" in run.message
    assert run.pages == 3
    assert Resource.objects.filter(harvest_source=source).count() == 1
    source.refresh_from_db()
    assert source.harvested_until is None  # the next run starts from the same point


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (SICKLE / "ListRecordsBroken.xml", "not well-formed"),
        (DSPACE / "fake3" / "00001.xml", "not well-formed"),
        (DSPACE / "fake4" / "00001.xml", "not well-formed"),
        (DSPACE / "fake5" / "00001.xml", "invalid OAI-PMH response"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>', "document type"),
        (b"<html><body>Not here</body></html>", "not an OAI-PMH response"),
    ],
)
def test_broken_responses_are_refused_cleanly(server, body, message):
    server.add("verb=Identify", body)
    source = source_for(server)
    run = run_of(source)
    assert run.status == HarvestRun.Status.FAILED
    assert message in run.message
    assert not Resource.objects.filter(harvest_source=source).exists()


def test_protocol_errors_stop_the_run_and_no_records_is_success(server):
    server.add("verb=Identify", SICKLE / "Identify.xml")
    server.add("verb=ListRecords&metadataPrefix=oai_dc", SICKLE / "badArgument.xml")
    run = run_of(source_for(server))
    assert run.status == HarvestRun.Status.FAILED
    assert "badArgument" in run.message
    server.add("verb=ListRecords&metadataPrefix=oai_dc", SICKLE / "noRecordsMatch.xml")
    run = run_of(HarvestSource.objects.get())
    assert run.status == HarvestRun.Status.SUCCEEDED
    assert run.created == 0


def test_incremental_harvest_asks_from_the_last_response_date_in_the_repositorys_granularity(
    server,
):
    server.add("verb=Identify", SICKLE / "Identify.xml")  # day granularity
    first = list_records(("oai:x:1", "2025-03-01", "Premier"), date="2025-03-01T10:00:00Z")
    server.add("verb=ListRecords&metadataPrefix=oai_dc", first)
    source = source_for(server)
    assert run_of(source).created == 1
    source.refresh_from_db()
    assert source.harvested_until == datetime(2025, 3, 1, 10, tzinfo=UTC)
    later = list_records(("oai:x:1", "2025-03-02", None), ("oai:x:2", "2025-03-02", "Second"))
    server.add("verb=ListRecords&metadataPrefix=oai_dc&from=2025-03-01", later)
    run = run_of(source)
    assert (run.created, run.deleted) == (1, 1)
    withdrawn = Resource.objects.get(external_identifier="oai:x:1")
    assert withdrawn.status == Resource.Status.WITHDRAWN


def test_a_record_the_library_refuses_is_skipped_and_listed(server):
    server.add("verb=Identify", IDENTIFY_SECONDS)
    page = list_records(
        ("oai:x:1", "2025-03-01T00:00:00Z", ""), ("oai:x:2", "2025-03-01T00:00:00Z", "Kept")
    )
    server.add("verb=ListRecords&metadataPrefix=oai_dc", page)
    run = run_of(source_for(server))
    assert run.status == HarvestRun.Status.PARTIAL
    assert (run.created, run.skipped) == (1, 1)
    assert run.errors[0]["identifier"] == "oai:x:1"
    assert "title" in run.errors[0]["message"]


def test_a_repeated_token_stops_a_loop(server):
    server.add("verb=Identify", IDENTIFY_SECONDS)
    server.add(
        "verb=ListRecords&metadataPrefix=oai_dc",
        list_records(("oai:x:1", "2025-03-01T00:00:00Z", "A"), token="t"),
    )
    server.add(
        "verb=ListRecords&resumptionToken=t",
        list_records(("oai:x:2", "2025-03-01T00:00:00Z", "B"), token="t"),
    )
    run = run_of(source_for(server))
    assert run.status == HarvestRun.Status.FAILED
    assert "same resumption token twice" in run.message


# --- Network manners ------------------------------------------------------------------------------
def test_private_and_loopback_addresses_are_refused_by_default(settings):
    settings.LIBRARY_HARVEST_ALLOW_PRIVATE = False
    with serving(OaiServer()) as server:
        server.add("verb=Identify", IDENTIFY_SECONDS)
        run = run_of(source_for(server))
        assert run.status == HarvestRun.Status.FAILED
        assert "private or local address" in run.message
        assert server.log == []  # nothing was fetched
    for url in (
        "http://localhost/oai",
        "http://10.1.2.3/oai",
        "http://[::1]/oai",
        "http://169.254.169.254/",
    ):
        with pytest.raises(HarvestError, match="private or local"):
            client.fetch(url, {"verb": "Identify"})


def test_only_http_addresses_are_accepted():
    for url in (
        "file:///etc/passwd",
        "ftp://example.org/oai",
        "http:///oai",
        "http://user:pw@example.org/oai",
    ):
        with pytest.raises(HarvestError):
            client.check_url(url)


def test_the_host_is_resolved_once_and_that_address_is_used(server, monkeypatch):
    """A second lookup would answer with another address (DNS rebinding); none is made."""
    import socket

    real = socket.getaddrinfo
    answers = iter(["127.0.0.1", "203.0.113.7"])
    calls = []

    def rebinding(host, port, *args, **kwargs):
        calls.append(host)
        return real(next(answers), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    server.add("verb=Identify", IDENTIFY_SECONDS)
    body = client.fetch(server.url.replace("127.0.0.1", "oai.test"), {"verb": "Identify"})
    assert b"Erasmus" in body
    assert calls == ["oai.test"]


def test_a_slow_repository_times_out_politely(server, settings):
    settings.LIBRARY_HARVEST_TIMEOUT = 0.5
    server.add("verb=Identify", Reply(IDENTIFY_SECONDS, delay=2))
    run = run_of(source_for(server))
    assert run.status == HarvestRun.Status.FAILED
    assert "did not answer within" in run.message


def test_an_oversize_response_is_refused(server, settings):
    settings.LIBRARY_HARVEST_MAX_BYTES = 500
    server.add("verb=Identify", IDENTIFY_SECONDS)
    run = run_of(source_for(server))
    assert run.status == HarvestRun.Status.FAILED
    assert "larger than" in run.message


def test_flow_control_503_with_retry_after_is_waited_for(server):
    server.add(
        "verb=Identify",
        Reply(b"", status=503, headers={"Retry-After": "0"}, times=1),
        Reply(IDENTIFY_SECONDS),
    )
    server.add(
        "verb=ListRecords&metadataPrefix=oai_dc",
        list_records(("oai:x:1", "2025-03-01T00:00:00Z", "A")),
    )
    run = run_of(source_for(server))
    assert run.status == HarvestRun.Status.SUCCEEDED, run.message
    assert [entry["verb"] for entry in server.log] == ["Identify", "Identify", "ListRecords"]


def test_other_http_errors_are_reported(server):
    server.add("verb=Identify", Reply(b"gone", status=500))
    run = run_of(source_for(server))
    assert "HTTP status 500" in run.message


# --- One run at a time, the command ---------------------------------------------------------------
def test_one_run_of_a_source_at_a_time(server):
    source = source_for(server)
    services.harvest_run_queue(source=source, by=None, trigger="command")
    with pytest.raises(ApplicationError, match="being harvested already"):
        services.harvest_run_queue(source=source, by=None, trigger="command")


def test_the_harvest_command_remembers_the_source(server, capsys):
    server.add_mapping(DSPACE / "fake1")
    call_command("harvest", server.url, "--from", "2003-04-10")
    source = HarvestSource.objects.get(base_url=server.url)
    assert source.name == "Erasmus University : Research Online"
    assert Resource.objects.filter(harvest_source=source).count() == 16
    assert "16 new" in capsys.readouterr().out
    assert HarvestRun.objects.get().trigger == HarvestRun.Trigger.COMMAND


def test_the_harvest_command_explains_failures(server):
    server.add("verb=Identify", DSPACE / "fake4" / "00001.xml")
    with pytest.raises(CommandError, match="not well-formed"):
        call_command("harvest", server.url)
    with pytest.raises(CommandError, match="http"):
        call_command("harvest", "ftp://example.org/oai")
    with pytest.raises(CommandError, match="--from"):
        call_command("harvest", server.url, "--from", "yesterday")
    assert not HarvestSource.objects.exists()
