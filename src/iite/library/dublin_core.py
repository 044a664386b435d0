"""Dublin Core as harvested over OAI-PMH, mapped into the library's metadata fields.

Pure functions: the values a record gives (each a string or a list of strings) become the codes
``metadata.clean`` takes. Kinds come from ``dc:type`` (a word or a vocabulary URI), licences from
``dc:rights`` when it is a Creative Commons URL or an SPDX id the reference data holds, and
identifiers are sorted into DOI, URL and ISBN.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from iite.core.errors import ApplicationError
from iite.library import metadata
from iite.library.models import HarvestSource, Resource
from iite.reference.models import Licence

DC_TYPES = {
    "dataset": Resource.Kind.OER,
    "interactiveresource": Resource.Kind.OER,
    "movingimage": Resource.Kind.OER,
    "video": Resource.Kind.OER,
    "software": Resource.Kind.OER,
    "lesson": Resource.Kind.OER,
    "learningobject": Resource.Kind.OER,
    "course": Resource.Kind.EXTERNAL_COURSE,
    "policy": Resource.Kind.POLICY_DOCUMENT,
    "report": Resource.Kind.PUBLICATION,
    "book": Resource.Kind.PUBLICATION,
    "article": Resource.Kind.PUBLICATION,
    "text": Resource.Kind.PUBLICATION,
}
LICENCE_URLS = {
    "by": "CC-BY-4.0",
    "by-sa": "CC-BY-SA-4.0",
    "by-nc": "CC-BY-NC-4.0",
    "by-nc-sa": "CC-BY-NC-SA-4.0",
    "by-nd": "CC-BY-ND-4.0",
    "by-nc-nd": "CC-BY-NC-ND-4.0",
}


def _values(metadata_in: Mapping[str, Any], key: str) -> list[str]:
    raw = metadata_in.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [" ".join(str(item).split()) for item in items if str(item).strip()]


def _dc_kind(types: list[str], default: str) -> str:
    for value in types:
        token = value.rsplit("/", 1)[-1].replace("-", "").replace("_", "").replace(" ", "").lower()
        for key, kind in DC_TYPES.items():
            if key in token:
                return kind if key != "text" else default
    return default


def _dc_licence(rights: list[str]) -> str:
    known = set(Licence.objects.values_list("spdx_id", flat=True))
    for value in rights:
        lowered = value.lower()
        if "creativecommons.org/publicdomain/zero" in lowered and "CC0-1.0" in known:
            return "CC0-1.0"
        if "creativecommons.org/licenses/" in lowered:
            parts = lowered.split("creativecommons.org/licenses/", 1)[1].strip("/").split("/")
            spdx = LICENCE_URLS.get(parts[0])
            version = parts[1] if len(parts) > 1 else "4.0"
            if spdx:
                spdx = spdx.replace("4.0", version) if version in ("3.0", "4.0") else spdx
                if version == "3.0" and len(parts) > 2 and parts[2] == "igo":
                    spdx = spdx.replace("3.0", "3.0-IGO")
                if spdx in known:
                    return spdx
        for candidate in known:
            if candidate.lower() == lowered.strip() or (
                lowered.strip() in {"cc0", "public domain"} and candidate == "CC0-1.0"
            ):
                return candidate
    return ""


def _dc_identifiers(identifiers: list[str]) -> dict[str, str]:
    found = {"url": "", "doi": "", "isbn": ""}
    for value in identifiers:
        text = value.strip()
        lowered = text.lower()
        doi = metadata.doi_normal(text)
        if metadata.DOI_PATTERN.match(doi) and not found["doi"]:
            found["doi"] = doi
            if lowered.startswith("http") and not found["url"]:
                found["url"] = text
        elif lowered.startswith(("http://", "https://")) and not found["url"]:
            found["url"] = text[:1000]
        else:
            isbn = (
                lowered.removeprefix("urn:isbn:").removeprefix("isbn:").removeprefix("isbn").strip()
            )
            if metadata.isbn_valid(isbn) and not found["isbn"]:
                found["isbn"] = isbn.upper()
    return found


def _dc_creator(name: str) -> dict[str, str]:
    creator = metadata.creator_from(name[:300])
    creator.setdefault("role", "author")
    return creator


def clean_lenient(fields: dict[str, Any]) -> metadata.Cleaned:
    """Clean harvested fields, dropping a value the library cannot use rather than the record
    (a harvested record is someone else's; only a missing title refuses it)."""
    try:
        return metadata.clean(fields, creating=True)
    except ApplicationError as error:
        bad = {str(d["field"]).split(".")[0] for d in error.details}
        if "title" in bad or "kind" in bad:
            raise
        for name in bad:
            if name == "language":
                fields["language"] = "en"
            else:
                fields.pop(name, None)
        return metadata.clean(fields, creating=True)


def fields_from(source: HarvestSource, dc: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata fields of one record; refuses a record without a title."""
    titles = _values(dc, "title")
    if not titles:
        message = _("The record has no title.")
        raise ApplicationError(message, details=[{"field": "title", "message": message}])
    languages = _values(dc, "language")
    language = (languages[0].split("-")[0].split("_")[0].lower() if languages else "") or "en"
    dates = [metadata.parse_date(d) for d in _values(dc, "date")]
    identifiers = _dc_identifiers(_values(dc, "identifier"))
    fields: dict[str, Any] = {
        "kind": _dc_kind(_values(dc, "type"), source.default_kind),
        "title": titles[0][:500],
        "abstract": "\n\n".join(_values(dc, "description"))[:20_000],
        "keywords": [k[:100] for k in _values(dc, "subject")][: metadata.MAX_KEYWORDS],
        "language": language,
        "publisher": "; ".join(_values(dc, "publisher"))[:300],
        "issued": next((d for d in dates if d), None),
        "creators": [_dc_creator(name) for name in _values(dc, "creator")][: metadata.MAX_CREATORS],
        **identifiers,
    }
    licence = _dc_licence(_values(dc, "rights"))
    if licence:
        fields["licence"] = licence
    return fields
