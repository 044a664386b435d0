"""A real harvester client (sickle, from PyPI) harvests the whole repository over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sickle import Sickle

from iite.library.models import Resource
from iite.library.oai import provider
from iite.library.oai.tests.factories import EPOCH, make_resource
from iite.reference.models import Language, Topic


@pytest.fixture
def corpus(transactional_db, reference_data, settings) -> list[Resource]:
    settings.LIBRARY_OAI_PAGE_SIZE = 7
    english = Language.objects.get(code="en")
    topic = Topic.objects.get(code="digital-skills")
    resources = []
    for number in range(45):
        resources.append(
            make_resource(
                title=f"Harvested whole {number}",
                language=english,
                kind=Resource.Kind.OER if number % 3 else Resource.Kind.CASE_STUDY,
                topics=[topic] if number % 2 else [],
                status=Resource.Status.WITHDRAWN if number % 10 == 9 else Resource.Status.PUBLISHED,
                # Pairs share a datestamp, so pages break inside equal datestamps too.
                datestamp=EPOCH + timedelta(seconds=number // 2),
            )
        )
    return resources


def test_sickle_harvests_every_record_in_both_formats(live_server, corpus):
    sickle = Sickle(f"{live_server.url}/oai", max_retries=0, timeout=30)
    assert sickle.Identify().repositoryName
    expected = {provider.oai_identifier(resource) for resource in corpus}
    for prefix in ("oai_dc", "iite_lrmi"):
        records = list(sickle.ListRecords(metadataPrefix=prefix, ignore_deleted=False))
        identifiers = [record.header.identifier for record in records]
        assert len(identifiers) == len(set(identifiers)) == 45
        assert set(identifiers) == expected
        assert sum(record.deleted for record in records) == 4
    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="kind:case-study"))
    assert len(headers) == 15
    one = sickle.GetRecord(identifier=provider.oai_identifier(corpus[0]), metadataPrefix="oai_dc")
    assert one.metadata["title"] == ["Harvested whole 0"]
    sets = {item.setSpec for item in sickle.ListSets()}
    assert "topic:digital-skills" in sets
