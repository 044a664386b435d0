"""Fixtures of the OAI-PMH tests: a small repository, and requests whose answers are validated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from iite.library.models import Resource
from iite.library.oai.tests.factories import EPOCH, collect, make_collection, make_resource
from iite.reference.models import Competency, Country, Language, Term, Topic

SHARED = Path(__file__).resolve().parents[6] / "shared" / "data" / "oai-pmh"
OAI_SCHEMA_FILE = SHARED / "schema" / "OAI-PMH.xsd"
NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "iite": "urn:iite-platform:oai:iite_lrmi:1",
}


@pytest.fixture(scope="session")
def oai_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(OAI_SCHEMA_FILE)))


@pytest.fixture
def oai(client: Client, oai_schema: etree.XMLSchema) -> Callable[..., Any]:
    """GET /oai with the given arguments; the answer must validate against OAI-PMH.xsd."""

    def request(method: str = "get", **params: str) -> Any:
        response = getattr(client, method)("/oai", params)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        tree = etree.fromstring(response.content)
        if not oai_schema.validate(tree):
            raise AssertionError(str(oai_schema.error_log))
        return tree

    return request


def error_codes(tree: Any) -> list[str]:
    return [element.get("code") for element in tree.findall("o:error", NS)]


@pytest.fixture
def repository(db) -> dict[str, Any]:
    """Five published resources, one withdrawn, one draft; a collection; rich metadata on one."""
    english = Language.objects.get(code="en")
    french = Language.objects.get(code="fr")
    ai = Topic.objects.get(code="ai-in-education")
    stem = Topic.objects.get(code="stem")
    rich = make_resource(
        title="Guidelines for ICT in education policies & masterplans",
        kind=Resource.Kind.PUBLICATION,
        abstract="How ministries plan <digital> education.",
        keywords=["policy", "planning"],
        publisher="UNESCO IITE",
        issued=EPOCH.date(),
        doi="10.54675/TEST1",
        isbn="978-5-0000-0000-1",
        topics=[ai],
        countries=list(Country.objects.filter(alpha2__in=["FR", "KE"])),
        competencies=list(Competency.objects.all()[:2]),
        accessibility_features=list(
            Term.objects.filter(vocabulary__code="accessibility-feature", code="alternativeText")
        ),
        access_modes=list(Term.objects.filter(vocabulary__code="access-mode", code="textual")),
        creators=[
            {"family_name": "Kozma", "given_names": "Robert", "orcid": "0000-0002-1825-0097"},
            {"family_name": "UNESCO IITE", "kind": "organisation", "role": "editor"},
        ],
    )
    case = make_resource(title="Étude de cas", kind=Resource.Kind.CASE_STUDY, language=french)
    oer = make_resource(title="Lesson plan", kind=Resource.Kind.OER, topics=[stem])
    brief = make_resource(title="Policy brief on AI", kind=Resource.Kind.POLICY_BRIEF, topics=[ai])
    course = make_resource(title="Course", kind=Resource.Kind.EXTERNAL_COURSE, language=english)
    withdrawn = make_resource(
        title="Withdrawn report",
        status=Resource.Status.WITHDRAWN,
        withdrawal_reason="Superseded",
        topics=[ai],
    )
    draft = make_resource(title="Draft", status=Resource.Status.DRAFT)
    collection = make_collection("ai-in-education")
    collect(collection, rich, brief)
    return {
        "rich": rich,
        "case": case,
        "oer": oer,
        "brief": brief,
        "course": course,
        "withdrawn": withdrawn,
        "draft": draft,
        "collection": collection,
        "visible": [rich, case, oer, brief, course, withdrawn],
    }


def at(minutes: int) -> str:
    return (EPOCH + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
