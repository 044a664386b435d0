"""schema.org JSON-LD of a resource page: CreativeWork / LearningResource with the LRMI and
accessibility properties, written into the page in a ``<script type="application/ld+json">``."""

from __future__ import annotations

import json
from typing import Any

from iite.core.translation import pick
from iite.library.citations import link, page_url
from iite.library.metadata import creators_of
from iite.library.models import Creator, Resource

SCHEMA_TYPES = {
    Resource.Kind.PUBLICATION: "Report",
    Resource.Kind.POLICY_BRIEF: "Report",
    Resource.Kind.POLICY_DOCUMENT: "Legislation",
    Resource.Kind.CASE_STUDY: "Article",
    Resource.Kind.OER: "LearningResource",
    Resource.Kind.EXTERNAL_COURSE: "Course",
}
# Every property this module writes, so a test can hold it to schema.org terms.
PROPERTIES = {
    "@context",
    "@type",
    "@id",
    "name",
    "url",
    "identifier",
    "abstract",
    "keywords",
    "inLanguage",
    "datePublished",
    "publisher",
    "author",
    "license",
    "isbn",
    "spatialCoverage",
    "about",
    "educationalLevel",
    "teaches",
    "audience",
    "learningResourceType",
    "accessibilityFeature",
    "accessMode",
    "accessModeSufficient",
    "accessibilityHazard",
    "accessibilitySummary",
    "workTranslation",
    "translationOfWork",
    "encoding",
    "contentUrl",
    "encodingFormat",
    "contentSize",
    "sameAs",
    "givenName",
    "familyName",
    "affiliation",
    "propertyID",
    "value",
    "educationalRole",
    "termCode",
    "inDefinedTermSet",
    "image",
    "creativeWorkStatus",
}


def _person(creator: Creator) -> dict[str, Any]:
    if creator.kind == Creator.Kind.ORGANISATION:
        return {"@type": "Organization", "name": creator.family_name}
    person: dict[str, Any] = {
        "@type": "Person",
        "name": creator.display_name,
        "familyName": creator.family_name,
    }
    if creator.given_names:
        person["givenName"] = creator.given_names
    if creator.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": creator.affiliation}
    if creator.orcid:
        person["sameAs"] = f"https://orcid.org/{creator.orcid}"
    return person


def resource_jsonld(
    resource: Resource, *, editions: list[Resource] | None = None
) -> dict[str, Any]:
    url = page_url(resource)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(resource.kind, "CreativeWork"),  # type: ignore[call-overload]
        "@id": url,
        "url": url,
        "name": resource.title,
        "inLanguage": resource.language.code,
    }
    if resource.status == Resource.Status.WITHDRAWN:
        data["creativeWorkStatus"] = "Withdrawn"
        return data
    if resource.abstract:
        data["abstract"] = resource.abstract
    if resource.keywords:
        data["keywords"] = list(resource.keywords)
    if resource.issued:
        data["datePublished"] = resource.issued.isoformat()
    if resource.publisher:
        data["publisher"] = {"@type": "Organization", "name": resource.publisher}
    authors = [_person(c) for c in creators_of(resource)]
    if authors:
        data["author"] = authors
    if resource.licence and resource.licence.url:
        data["license"] = resource.licence.url
    identifiers = []
    if resource.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": resource.doi})
        data["sameAs"] = link(resource)
    if identifiers:
        data["identifier"] = identifiers
    if resource.isbn:
        data["isbn"] = resource.isbn
    countries = [pick(c.names, "en") for c in resource.countries.all()]
    if countries:
        data["spatialCoverage"] = [{"@type": "Country", "name": n} for n in countries]
    topics = [pick(t.names, "en") for t in resource.topics.all()]
    if topics:
        data["about"] = topics
    levels = [
        {
            "@type": "DefinedTerm",
            "termCode": level.code,
            "name": pick(level.names, "en"),
            "inDefinedTermSet": "ISCED 2011",
        }
        for level in resource.isced_levels.all()
    ]
    if levels:
        data["educationalLevel"] = levels
    teaches = [
        {
            "@type": "DefinedTerm",
            "termCode": c.code,
            "name": pick(c.names, "en"),
            "inDefinedTermSet": "UNESCO ICT CFT",
        }
        for c in resource.competencies.all()
    ]
    if teaches:
        data["teaches"] = teaches
    audiences = [t.code for t in resource.audiences.all()]
    if audiences:
        data["audience"] = [
            {"@type": "EducationalAudience", "educationalRole": code} for code in audiences
        ]
    for prop, relation in (
        ("learningResourceType", "learning_resource_types"),
        ("accessibilityFeature", "accessibility_features"),
        ("accessMode", "access_modes"),
        ("accessModeSufficient", "access_modes_sufficient"),
        ("accessibilityHazard", "accessibility_hazards"),
    ):
        codes = [t.code for t in getattr(resource, relation).all()]
        if codes:
            data[prop] = codes
    if resource.accessibility_summary:
        data["accessibilitySummary"] = resource.accessibility_summary
    encodings = [
        {
            "@type": "MediaObject",
            "encodingFormat": f.media_type,
            "contentSize": str(f.size),
            "contentUrl": f"{url}files/{f.pk}/",
        }
        for f in resource.files.all()
        if f.file
    ]
    if encodings:
        data["encoding"] = encodings
    if editions:
        data["workTranslation"] = [
            {"@type": "CreativeWork", "@id": page_url(e), "inLanguage": e.language.code}
            for e in editions
        ]
    return data


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>`` can end it early)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
