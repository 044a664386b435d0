"""Citing a resource: a formatted reference (APA-like), BibTeX, RIS and CSL-JSON.

All four read the same fields (``metadata.creators_of`` and the resource's own columns), so a
citation never disagrees with the page.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from iite.library.metadata import creators_of
from iite.library.models import Creator, Resource

BIBTEX_TYPES = {
    Resource.Kind.PUBLICATION: "techreport",
    Resource.Kind.POLICY_BRIEF: "techreport",
    Resource.Kind.POLICY_DOCUMENT: "misc",
    Resource.Kind.CASE_STUDY: "misc",
    Resource.Kind.OER: "misc",
    Resource.Kind.EXTERNAL_COURSE: "misc",
}
RIS_TYPES = {
    Resource.Kind.PUBLICATION: "RPRT",
    Resource.Kind.POLICY_BRIEF: "RPRT",
    Resource.Kind.POLICY_DOCUMENT: "GOVDOC",
    Resource.Kind.CASE_STUDY: "GEN",
    Resource.Kind.OER: "GEN",
    Resource.Kind.EXTERNAL_COURSE: "GEN",
}
CSL_TYPES = {
    Resource.Kind.PUBLICATION: "report",
    Resource.Kind.POLICY_BRIEF: "report",
    Resource.Kind.POLICY_DOCUMENT: "legislation",
    Resource.Kind.CASE_STUDY: "article",
    Resource.Kind.OER: "document",
    Resource.Kind.EXTERNAL_COURSE: "webpage",
}


def page_url(resource: Resource) -> str:
    with override("en"):
        path = reverse("library:resource", kwargs={"uuid": resource.uuid})
    return f"{settings.SITE_URL}{path}"


def link(resource: Resource) -> str:
    """The most lasting address: the DOI, else the page on the platform."""
    return f"https://doi.org/{resource.doi}" if resource.doi else page_url(resource)


def _authors(resource: Resource) -> list[Creator]:
    creators = creators_of(resource)
    authors = [c for c in creators if c.role == Creator.Role.AUTHOR]
    return authors or creators


def _initials(given: str) -> str:
    return " ".join(f"{part[0]}." for part in re.split(r"[\s.]+", given) if part)


def formatted(resource: Resource) -> str:
    """A reference in author-date style:
    ``Family, G., & Other, O. (2024). Title. Publisher. URL``."""
    names = []
    for creator in _authors(resource):
        if creator.kind == Creator.Kind.PERSON and creator.given_names:
            names.append(f"{creator.family_name}, {_initials(creator.given_names)}")
        else:
            names.append(creator.family_name)
    if len(names) > 1:
        authors = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        authors = names[0] if names else (resource.publisher or "")
    year = str(resource.issued.year) if resource.issued else "n.d."
    parts = [f"{authors} ({year}).".strip(), f"{resource.title.rstrip('.')}."]
    if resource.publisher and resource.publisher != authors:
        parts.append(f"{resource.publisher}.")
    parts.append(link(resource))
    return " ".join(part for part in parts if part)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def citation_key(resource: Resource) -> str:
    authors = _authors(resource)
    family = _ascii(authors[0].family_name if authors else resource.publisher or "iite")
    word = re.sub(r"[^A-Za-z0-9]", "", family.split()[0] if family.split() else "") or "iite"
    year = str(resource.issued.year) if resource.issued else "nd"
    return f"{word.lower()}{year}_{str(resource.uuid)[:8]}"


def _bibtex_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}")
    for char in "{}&%$#_":
        text = text.replace(char, "\\" + char)
    return text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def _bibtex_name(creator: Creator) -> str:
    if creator.kind == Creator.Kind.ORGANISATION or not creator.given_names:
        return "{" + _bibtex_escape(creator.family_name) + "}"
    return f"{_bibtex_escape(creator.family_name)}, {_bibtex_escape(creator.given_names)}"


def bibtex(resource: Resource) -> str:
    entry = BIBTEX_TYPES.get(resource.kind, "misc")  # type: ignore[call-overload]
    fields: list[tuple[str, str]] = [("title", "{" + _bibtex_escape(resource.title) + "}")]
    authors = _authors(resource)
    if authors:
        fields.append(("author", " and ".join(_bibtex_name(c) for c in authors)))
    if resource.issued:
        fields.append(("year", str(resource.issued.year)))
    if resource.publisher:
        key = "institution" if entry == "techreport" else "publisher"
        fields.append((key, _bibtex_escape(resource.publisher)))
    if resource.doi:
        fields.append(("doi", _bibtex_escape(resource.doi)))
    if resource.isbn:
        fields.append(("isbn", resource.isbn))
    fields.append(("url", link(resource)))
    fields.append(("language", resource.language.code))
    if resource.abstract:
        fields.append(("abstract", _bibtex_escape(" ".join(resource.abstract.split()))))
    if resource.keywords:
        fields.append(("keywords", _bibtex_escape(", ".join(resource.keywords))))
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields)
    return f"@{entry}{{{citation_key(resource)},\n{body}\n}}\n"


def ris(resource: Resource) -> str:
    lines = [("TY", RIS_TYPES.get(resource.kind, "GEN"))]  # type: ignore[call-overload]
    lines.append(("TI", resource.title))
    for creator in _authors(resource):
        name = creator.family_name
        if creator.kind == Creator.Kind.PERSON and creator.given_names:
            name = f"{creator.family_name}, {creator.given_names}"
        lines.append(("AU", name))
    if resource.issued:
        lines.append(("PY", str(resource.issued.year)))
        lines.append(("DA", resource.issued.strftime("%Y/%m/%d")))
    if resource.publisher:
        lines.append(("PB", resource.publisher))
    if resource.abstract:
        lines.append(("AB", " ".join(resource.abstract.split())))
    for keyword in resource.keywords or []:
        lines.append(("KW", keyword))
    if resource.doi:
        lines.append(("DO", resource.doi))
    if resource.isbn:
        lines.append(("SN", resource.isbn))
    lines.append(("UR", link(resource)))
    lines.append(("LA", resource.language.code))
    lines.append(("ER", ""))
    return (
        "\r\n".join(
            f"{tag}  - {value}".rstrip() if tag == "ER" else f"{tag}  - {value}"
            for tag, value in lines
        )
        + "\r\n"
    )


def csl_item(resource: Resource) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": str(resource.uuid),
        "type": CSL_TYPES.get(resource.kind, "document"),  # type: ignore[call-overload]
        "title": resource.title,
        "language": resource.language.code,
        "URL": link(resource),
    }
    authors = []
    for creator in _authors(resource):
        if creator.kind == Creator.Kind.PERSON and creator.given_names:
            authors.append({"family": creator.family_name, "given": creator.given_names})
        else:
            authors.append({"literal": creator.family_name})
    if authors:
        item["author"] = authors
    if resource.issued:
        item["issued"] = {
            "date-parts": [[resource.issued.year, resource.issued.month, resource.issued.day]]
        }
    if resource.publisher:
        item["publisher"] = resource.publisher
    if resource.abstract:
        item["abstract"] = resource.abstract
    if resource.doi:
        item["DOI"] = resource.doi
    if resource.isbn:
        item["ISBN"] = resource.isbn
    if resource.keywords:
        item["keyword"] = ", ".join(resource.keywords)
    return item


def csl_json(resource: Resource) -> str:
    return json.dumps([csl_item(resource)], ensure_ascii=False, indent=2)


EXPORTS = {
    "bib": ("application/x-bibtex; charset=utf-8", bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", ris),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", csl_json),
}
