"""The metadata formats the provider disseminates: ``oai_dc`` and ``iite_lrmi``.

``oai_dc`` is simple Dublin Core, which every harvester reads. ``iite_lrmi`` is this platform's
richer format: the Dublin Core fields with their structure kept (creators with roles and ORCID,
typed identifiers, licence as SPDX) plus the educational metadata of LRMI / schema.org
``LearningResource`` (level, competencies taught, audience, resource type) and the schema.org
accessibility properties. Its XML Schema ships in ``schemas/`` and is served at
``/oai/schemas/iite_lrmi-1.xsd``. Every label is written in English; codes are the stable part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import translation
from lxml import etree

from iite.core.translation import pick
from iite.library.models import Creator, Resource
from iite.library.oai.selectors import related_of

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
LRMI_NS = "urn:iite-platform:oai:iite_lrmi:1"
LRMI_SCHEMA_FILE = "iite_lrmi-1.xsd"
INTERFACE_LANGUAGES = {"ar", "en", "es", "fr", "ru", "zh"}

# Characters XML 1.0 cannot hold; text typed or harvested elsewhere sometimes has them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    return _NOT_XML.sub("", str(text))


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    namespace: str
    schema_path: str  # absolute URL, or a path on this site resolved against the request
    write: Callable[[Resource, str], etree._Element]


def _sub(parent: etree._Element, tag: str, text: object = None, **attributes: str) -> Any:
    element = etree.SubElement(
        parent, tag, {key: clean(value) for key, value in attributes.items()}
    )
    if text is not None:
        element.text = clean(text)
    return element


def resource_page_url(resource: Resource, site: str) -> str:
    """The resource page in the edition's language when the interface has it, else English."""
    code = resource.language.code if resource.language_id else "en"
    language = "zh-hans" if code == "zh" else code if code in INTERFACE_LANGUAGES else "en"
    with translation.override(language):
        path = reverse("library:resource", kwargs={"uuid": resource.uuid})
    return f"{site}{path}"


def _english(texts: dict[str, str] | None) -> str:
    return pick(texts, "en")


def _creator_name(creator: Creator) -> str:
    if creator.kind == Creator.Kind.ORGANISATION or not creator.given_names:
        return creator.family_name
    return f"{creator.family_name}, {creator.given_names}"


def _identifiers(resource: Resource, site: str) -> list[tuple[str, str]]:
    found = [("page", resource_page_url(resource, site))]
    if resource.doi:
        found.append(("doi", f"https://doi.org/{resource.doi}"))
    if resource.isbn:
        found.append(("isbn", f"urn:isbn:{resource.isbn}"))
    if resource.url:
        found.append(("url", resource.url))
    return found


def _kind_label(resource: Resource) -> str:
    with translation.override("en"):
        return str(Resource.Kind(resource.kind).label)


# --- oai_dc ---------------------------------------------------------------------------------------
def write_oai_dc(resource: Resource, site: str) -> etree._Element:
    dc = etree.Element(
        f"{{{OAI_DC_NS}}}dc",
        nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI},
    )
    dc.set(
        f"{{{XSI}}}schemaLocation", f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    )

    def add(name: str, text: object) -> None:
        if text:
            _sub(dc, f"{{{DC_NS}}}{name}", text)

    add("title", resource.title)
    for creator in related_of(resource, "creators"):
        add(
            "creator" if creator.role == Creator.Role.AUTHOR else "contributor",
            _creator_name(creator),
        )
    for keyword in resource.keywords or []:
        add("subject", keyword)
    for topic in related_of(resource, "topics"):
        add("subject", _english(topic.names))
    add("description", resource.abstract)
    add("publisher", resource.publisher)
    add("date", resource.issued.isoformat() if resource.issued else "")
    add("type", _kind_label(resource))
    add("type", "Text" if resource.kind != Resource.Kind.OER else "InteractiveResource")
    for _kind, identifier in _identifiers(resource, site):
        add("identifier", identifier)
    add("language", resource.language.code if resource.language_id else "")
    for country in related_of(resource, "countries"):
        add("coverage", _english(country.names))
    for region in related_of(resource, "regions"):
        add("coverage", _english(region.names))
    if resource.licence is not None:
        add("rights", resource.licence.url or resource.licence.spdx_id)
    return dc


# --- iite_lrmi ------------------------------------------------------------------------------------
def _coded(parent: etree._Element, tag: str, items: Iterable[Any], code: str = "code") -> None:
    for item in items:
        names = getattr(item, "names", None)
        _sub(
            parent,
            f"{{{LRMI_NS}}}{tag}",
            _english(names) or getattr(item, code),
            code=getattr(item, code),
        )


def write_iite_lrmi(resource: Resource, site: str) -> etree._Element:
    def n(tag: str) -> str:
        return f"{{{LRMI_NS}}}{tag}"

    root = etree.Element(n("resource"), nsmap={"iite": LRMI_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{LRMI_NS} {site}{schema_path(LRMI_SCHEMA_FILE)}")
    _sub(root, n("identifier"), resource.uuid, type="uuid")
    for kind, identifier in _identifiers(resource, site):
        _sub(root, n("identifier"), identifier, type=kind)
    _sub(root, n("work"), resource.work)
    _sub(root, n("kind"), _kind_label(resource), code=resource.kind)
    _sub(root, n("title"), resource.title)
    if resource.abstract:
        _sub(root, n("abstract"), resource.abstract)
    for creator in related_of(resource, "creators"):
        element = _sub(root, n("creator"), role=creator.role, type=creator.kind)
        _sub(element, n("name"), creator.display_name)
        if creator.kind == Creator.Kind.PERSON:
            _sub(element, n("familyName"), creator.family_name)
            if creator.given_names:
                _sub(element, n("givenName"), creator.given_names)
        if creator.affiliation:
            _sub(element, n("affiliation"), creator.affiliation)
        if creator.orcid:
            _sub(element, n("orcid"), creator.orcid)
    if resource.publisher:
        _sub(root, n("publisher"), resource.publisher)
    if resource.issued:
        _sub(root, n("datePublished"), resource.issued.isoformat())
    _sub(root, n("inLanguage"), resource.language.code)
    for keyword in resource.keywords or []:
        if str(keyword).strip():
            _sub(root, n("keyword"), keyword)
    licence = resource.licence
    if licence is not None:
        attributes = {"spdx": licence.spdx_id}
        if licence.url:
            attributes["url"] = licence.url
        _sub(root, n("licence"), _english(licence.names) or licence.spdx_id, **attributes)
    _coded(root, "country", related_of(resource, "countries"), code="alpha2")
    _coded(root, "region", related_of(resource, "regions"))
    _coded(root, "educationalLevel", related_of(resource, "isced_levels"))
    _coded(root, "topic", related_of(resource, "topics"))
    _coded(root, "actionArea", related_of(resource, "action_areas"))
    _coded(root, "sdgTarget", related_of(resource, "sdg_targets"))
    for competency in related_of(resource, "competencies"):
        framework = competency.framework
        _sub(
            root,
            n("teaches"),
            _english(competency.names) or competency.code,
            code=competency.code,
            framework=framework.code,
            version=framework.version,
        )
    _coded(root, "audience", related_of(resource, "audiences"))
    _coded(root, "learningResourceType", related_of(resource, "learning_resource_types"))
    _coded(root, "accessibilityFeature", related_of(resource, "accessibility_features"))
    _coded(root, "accessMode", related_of(resource, "access_modes"))
    _coded(root, "accessModeSufficient", related_of(resource, "access_modes_sufficient"))
    _coded(root, "accessibilityHazard", related_of(resource, "accessibility_hazards"))
    if resource.accessibility_summary:
        _sub(root, n("accessibilitySummary"), resource.accessibility_summary)
    _coded(root, "collection", related_of(resource, "collections"))
    return root


def schema_path(filename: str) -> str:
    return reverse("library-oai-schema", kwargs={"filename": filename})


FORMATS: dict[str, MetadataFormat] = {
    "oai_dc": MetadataFormat(
        prefix="oai_dc",
        namespace=OAI_DC_NS,
        schema_path="http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        write=write_oai_dc,
    ),
    "iite_lrmi": MetadataFormat(
        prefix="iite_lrmi",
        namespace=LRMI_NS,
        schema_path="",  # served by this site: schema_path(LRMI_SCHEMA_FILE)
        write=write_iite_lrmi,
    ),
}


def schema_url(metadata_format: MetadataFormat, site: str) -> str:
    return metadata_format.schema_path or f"{site}{schema_path(LRMI_SCHEMA_FILE)}"


def shipped_schema(filename: str) -> bytes | None:
    """The content of a schema this site serves, or None if it ships no such file."""
    if filename != LRMI_SCHEMA_FILE:
        return None
    return (SCHEMA_DIR / filename).read_bytes()
