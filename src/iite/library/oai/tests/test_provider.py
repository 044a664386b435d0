"""The OAI-PMH data provider: every verb, every error that applies, sets, dates and tokens.

Every response is validated against the OAI-PMH 2.0 schema by the ``oai`` fixture.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from iite.library.models import Resource
from iite.library.oai import formats, provider
from iite.library.oai.tests.conftest import NS, error_codes
from iite.library.oai.tests.factories import make_resource

pytestmark = pytest.mark.django_db


def identifiers(tree) -> list[str]:
    return [element.text for element in tree.iterfind(".//o:header/o:identifier", NS)]


def oai_id(resource: Resource) -> str:
    return provider.oai_identifier(resource)


def stamp(resource: Resource, delta: timedelta = timedelta()) -> str:
    assert resource.datestamp is not None
    return provider.datestamp(resource.datestamp + delta)


# --- Identify, formats, sets ---------------------------------------------------------------------
def test_identify_describes_the_repository(oai, repository):
    tree = oai(verb="Identify")
    identify = tree.find("o:Identify", NS)
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    earliest = min(resource.datestamp for resource in repository["visible"])
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == provider.datestamp(earliest)
    assert tree.find("o:request", NS).get("verb") == "Identify"


def test_list_metadata_formats_offers_dc_and_the_rich_format(oai, repository):
    tree = oai(verb="ListMetadataFormats")
    prefixes = [e.text for e in tree.iterfind(".//o:metadataPrefix", NS)]
    assert prefixes == ["oai_dc", "iite_lrmi"]
    schemas = [e.text for e in tree.iterfind(".//o:schema", NS)]
    assert schemas[1] == "http://testserver/oai/schemas/iite_lrmi-1.xsd"
    # For one item too, deleted or not; an unknown item is idDoesNotExist.
    for resource in (repository["rich"], repository["withdrawn"]):
        tree = oai(verb="ListMetadataFormats", identifier=oai_id(resource))
        assert len(tree.findall(".//o:metadataFormat", NS)) == 2
    tree = oai(verb="ListMetadataFormats", identifier=oai_id(repository["draft"]))
    assert error_codes(tree) == ["idDoesNotExist"]


def test_the_rich_formats_schema_is_served_from_here(client: Client):
    response = client.get("/oai/schemas/iite_lrmi-1.xsd")
    assert response.status_code == 200
    schema = etree.XMLSchema(etree.fromstring(response.content))
    assert schema is not None
    assert client.get("/oai/schemas/other.xsd").status_code == 404


def test_list_sets_has_kinds_collections_and_topics(oai, repository):
    tree = oai(verb="ListSets")
    specs = [e.text for e in tree.iterfind(".//o:setSpec", NS)]
    assert {"kind", "kind:case-study", "collection", "collection:ai-in-education", "topic"} <= set(
        specs
    )
    assert "topic:ai-in-education" in specs
    # Topic names come in the six languages, as a Dublin Core set description.
    titles = tree.xpath(
        "//o:set[o:setSpec='topic:ai-in-education']//dc:title/@xml:lang", namespaces=NS
    )
    assert set(titles) == {"ar", "en", "es", "fr", "ru", "zh"}
    assert error_codes(oai(verb="ListSets", resumptionToken="anything")) == ["badResumptionToken"]


# --- Records --------------------------------------------------------------------------------------
def test_list_identifiers_shows_published_and_withdrawn_in_datestamp_order(oai, repository):
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    expected = sorted(repository["visible"], key=lambda r: (r.datestamp, r.pk))
    assert identifiers(tree) == [oai_id(r) for r in expected]
    deleted = tree.xpath("//o:header[@status='deleted']/o:identifier/text()", namespaces=NS)
    assert deleted == [oai_id(repository["withdrawn"])]
    assert oai_id(repository["draft"]) not in identifiers(tree)
    assert tree.find(".//o:resumptionToken", NS) is None


def test_headers_carry_the_sets_of_each_record(oai, repository):
    tree = oai(verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(repository["rich"]))
    specs = [e.text for e in tree.iterfind(".//o:header/o:setSpec", NS)]
    assert specs == ["kind:publication", "collection:ai-in-education", "topic:ai-in-education"]


def test_oai_dc_record_maps_the_metadata(oai, repository):
    rich = repository["rich"]
    tree = oai(verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(rich))
    dc = tree.find(".//oai_dc:dc", NS)

    def values(name: str) -> list[str]:
        return [e.text for e in dc.iterfind(f"dc:{name}", NS)]

    assert values("title") == ["Guidelines for ICT in education policies & masterplans"]
    assert values("creator") == ["Kozma, Robert"]
    assert values("contributor") == ["UNESCO IITE"]
    assert values("subject") == ["policy", "planning", "AI in education"]
    assert values("description") == ["How ministries plan <digital> education."]
    assert values("date") == ["2024-01-01"]
    assert values("language") == ["en"]
    assert "https://doi.org/10.54675/TEST1" in values("identifier")
    assert "urn:isbn:978-5-0000-0000-1" in values("identifier")
    assert f"http://testserver/en/library/r/{rich.uuid}/" in values("identifier")
    assert set(values("coverage")) == {"France", "Kenya"}


def test_iite_lrmi_records_validate_against_the_shipped_schema(oai, repository):
    schema = etree.XMLSchema(etree.parse(str(formats.SCHEMA_DIR / formats.LRMI_SCHEMA_FILE)))
    tree = oai(verb="ListRecords", metadataPrefix="iite_lrmi")
    records = tree.findall(".//iite:resource", NS)
    assert len(records) == 5  # the withdrawn one is a header only
    for record in records:
        assert schema.validate(record), schema.error_log
    rich = next(r for r in records if r.findtext("iite:title", namespaces=NS).startswith("Guide"))
    assert [e.get("code") for e in rich.iterfind("iite:accessibilityFeature", NS)] == [
        "alternativeText"
    ]
    assert [e.get("code") for e in rich.iterfind("iite:accessMode", NS)] == ["textual"]
    assert len(rich.findall("iite:teaches", NS)) == 2
    assert rich.find("iite:teaches", NS).get("framework") == "ict-cft"
    creator = rich.find("iite:creator", NS)
    assert creator.findtext("iite:orcid", namespaces=NS) == "0000-0002-1825-0097"
    assert rich.find("iite:collection", NS).get("code") == "ai-in-education"


def test_a_withdrawn_resource_is_a_deleted_record(oai, repository):
    tree = oai(
        verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(repository["withdrawn"])
    )
    record = tree.find(".//o:record", NS)
    assert record.find("o:header", NS).get("status") == "deleted"
    assert record.find("o:metadata", NS) is None


def test_control_characters_in_text_do_not_break_the_document(oai, db):
    resource = make_resource(title="Bell\x07 and form feed\x0c", abstract="escape\x1b here")
    tree = oai(verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(resource))
    assert tree.findtext(".//dc:title", namespaces=NS) == "Bell and form feed"


# --- Selective harvesting -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("kind:case-study", ["case"]),
        ("collection:ai-in-education", ["rich", "brief"]),
        ("topic:ai-in-education", ["rich", "brief", "withdrawn"]),
        ("topic", ["rich", "oer", "brief", "withdrawn"]),
        ("kind", ["rich", "case", "oer", "brief", "course", "withdrawn"]),
    ],
)
def test_sets_select_records(oai, repository, spec, expected):
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
    assert identifiers(tree) == [oai_id(repository[name]) for name in expected]


def test_an_unknown_set_matches_no_records_and_a_malformed_one_is_a_bad_argument(oai, repository):
    tree = oai(verb="ListRecords", metadataPrefix="oai_dc", set="topic:no-such-topic")
    assert error_codes(tree) == ["noRecordsMatch"]
    tree = oai(verb="ListRecords", metadataPrefix="oai_dc", set="topic:bad spec")
    assert error_codes(tree) == ["badArgument"]


def test_from_and_until_are_inclusive_to_the_second(oai, repository):
    case, oer = repository["case"], repository["oer"]
    tree = oai(
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": stamp(case), "until": stamp(oer)},
    )
    assert identifiers(tree) == [oai_id(case), oai_id(oer)]
    one_second = timedelta(seconds=1)
    tree = oai(
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": stamp(case, one_second), "until": stamp(oer, -one_second)},
    )
    assert error_codes(tree) == ["noRecordsMatch"]


def test_day_granularity_is_accepted_and_covers_the_whole_day(oai, repository):
    day = repository["rich"].datestamp.date().isoformat()
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until=day)
    assert len(identifiers(tree)) == 6
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until="2000-01-01")
    assert error_codes(tree) == ["noRecordsMatch"]


def test_a_change_moves_a_record_to_the_end_of_the_list(oai, repository):
    rich = repository["rich"]
    Resource.objects.filter(pk=rich.pk).update(datestamp=timezone.now() - timedelta(seconds=5))
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(tree)[-1] == oai_id(rich)


# --- Resumption -----------------------------------------------------------------------------------
def test_resumption_tokens_walk_the_whole_list_without_repeats(oai, repository, settings):
    settings.LIBRARY_OAI_PAGE_SIZE = 2
    # Two records with one datestamp: the id breaks the tie across a page boundary.
    same = repository["oer"].datestamp
    Resource.objects.filter(pk=repository["brief"].pk).update(datestamp=same)
    seen: list[str] = []
    cursors = []
    tree = oai(verb="ListRecords", metadataPrefix="oai_dc")
    while True:
        seen += identifiers(tree)
        token = tree.find(".//o:resumptionToken", NS)
        if token is None:
            break
        assert token.get("completeListSize") == "6"
        cursors.append(token.get("cursor"))
        if not token.text:
            break
        tree = oai(verb="ListRecords", resumptionToken=token.text)
    assert cursors == ["0", "2", "4"]
    assert sorted(seen) == sorted(oai_id(r) for r in repository["visible"])
    assert len(seen) == len(set(seen))


def test_a_list_is_pinned_to_the_moment_it_began(oai, repository, settings):
    settings.LIBRARY_OAI_PAGE_SIZE = 3
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = tree.find(".//o:resumptionToken", NS).text
    make_resource(title="Published during the harvest", datestamp=timezone.now())
    tree = oai(verb="ListIdentifiers", resumptionToken=token)
    assert len(identifiers(tree)) == 3
    assert tree.find(".//o:resumptionToken", NS).text is None


@pytest.mark.parametrize("mutate", ["forge", "tamper", "truncate", "other-verb"])
def test_a_forged_or_changed_token_is_a_bad_resumption_token(oai, repository, settings, mutate):
    settings.LIBRARY_OAI_PAGE_SIZE = 2
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = tree.find(".//o:resumptionToken", NS).text
    verb = "ListIdentifiers"
    if mutate == "forge":
        token = "eyJ2IjoxLCJhZnRlcl9pZCI6MH0:1abc:xyz"
    elif mutate == "tamper":
        token = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    elif mutate == "truncate":
        token = token[: len(token) // 2]
    else:
        verb = "ListRecords"
    assert error_codes(oai(verb=verb, resumptionToken=token)) == ["badResumptionToken"]


def test_a_deep_page_costs_the_queries_of_the_first(
    oai, repository, settings, django_assert_max_num_queries
):
    settings.LIBRARY_OAI_PAGE_SIZE = 1
    with django_assert_max_num_queries(30) as first:
        tree = oai(verb="ListRecords", metadataPrefix="iite_lrmi")
    for _page in range(3):
        token = tree.find(".//o:resumptionToken", NS).text
        with django_assert_max_num_queries(len(first.captured_queries)):
            tree = oai(verb="ListRecords", resumptionToken=token)


# --- Errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01T00:00Z"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01T00:00:00.5Z"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-02-01",
                "until": "2024-01-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:1"},
            "idDoesNotExist",
        ),
        ({"verb": "ListIdentifiers", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1999-12-31"},
            "noRecordsMatch",
        ),
    ],
)
def test_protocol_errors(oai, repository, params, code):
    tree = oai(**params)
    assert error_codes(tree) == [code]
    request = tree.find("o:request", NS)
    if code in {"badVerb", "badArgument"}:
        assert dict(request.attrib) == {}


def test_repeated_verbs_and_arguments_are_refused(client: Client, oai_schema, repository):
    for query in ("verb=Identify&verb=Identify", "verb=ListSets&verb=Identify"):
        tree = etree.fromstring(client.get(f"/oai?{query}").content)
        assert error_codes(tree) == ["badVerb"]
    query = "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc"
    tree = etree.fromstring(client.get(f"/oai?{query}").content)
    assert oai_schema.validate(tree)
    assert error_codes(tree) == ["badArgument"]


def test_an_empty_repository_matches_no_records(oai, db):
    assert error_codes(oai(verb="ListRecords", metadataPrefix="oai_dc")) == ["noRecordsMatch"]
    assert oai(verb="Identify").find(".//o:earliestDatestamp", NS).text


def test_post_works_without_a_csrf_token(repository, oai_schema):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    assert oai_schema.validate(tree)
    assert len(identifiers(tree)) == 6


def test_other_methods_are_refused(client: Client):
    assert client.put("/oai").status_code == 405
