"""Reading OAI-PMH responses from other repositories: strict, offline, and in plain words.

A response is parsed without fetching anything (no DTD, no external entities, no network) and
with no document type declaration allowed at all; it must be an ``OAI-PMH`` document, and unless
it reports a protocol error it must validate against the OAI-PMH 2.0 schema shipped in
``schemas/``. A broken response stops the harvest with a message; nothing of it is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from django.utils.translation import gettext as _
from lxml import etree

from iite.library.oai import client
from iite.library.oai.client import HarvestError
from iite.library.oai.formats import DC_NS, OAI_DC_NS, SCHEMA_DIR

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = f"{{{DC_NS}}}"
# Flow-control errors a list may end with that mean "nothing (more) to harvest".
EMPTY = "noRecordsMatch"


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "OAI-PMH.xsd"), parser))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


@dataclass
class OaiResponse:
    root: etree._Element
    response_date: datetime
    error_code: str = ""
    error_message: str = ""


@dataclass
class Identity:
    name: str
    granularity: str
    earliest: str


@dataclass
class HarvestedRecord:
    identifier: str
    datestamp: str
    deleted: bool
    metadata: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Page:
    response_date: datetime
    records: list[HarvestedRecord]
    token: str


def parse(body: bytes) -> OaiResponse:
    """A response document, checked; ``HarvestError`` if it is not a sound OAI-PMH response."""
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as error:
        raise HarvestError(
            _("The repository sent a response that is not well-formed XML (%(reason)s).")
            % {"reason": error.msg}
        ) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise HarvestError(_("The repository sent a response with a document type declaration."))
    if root.tag != f"{OAI}OAI-PMH":
        raise HarvestError(_("The repository sent something that is not an OAI-PMH response."))
    errors = root.findall(f"{OAI}error")
    if not errors and not _schema().validate(root):
        problem = _schema().error_log.last_error
        raise HarvestError(
            _("The repository sent an invalid OAI-PMH response (line %(line)s: %(reason)s).")
            % {
                "line": problem.line if problem else "?",
                "reason": problem.message if problem else "",
            }
        )
    response_date = _datestamp(root.findtext(f"{OAI}responseDate") or "")
    if response_date is None:
        raise HarvestError(_("The repository's response has no valid responseDate."))
    response = OaiResponse(root, response_date)
    if errors:
        response.error_code = errors[0].get("code", "")
        response.error_message = " ".join((errors[0].text or "").split())
    return response


def _datestamp(value: str) -> datetime | None:
    value = value.strip()
    for pattern in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _raise_for_error(response: OaiResponse) -> None:
    if response.error_code:
        raise HarvestError(
            _("The repository answered with the OAI-PMH error “%(code)s”: %(message)s")
            % {"code": response.error_code, "message": response.error_message or "—"}
        )


def identify(base_url: str) -> Identity:
    response = parse(client.fetch(base_url, {"verb": "Identify"}))
    _raise_for_error(response)
    element = response.root.find(f"{OAI}Identify")
    if element is None:
        raise HarvestError(_("The repository's Identify response has no Identify element."))
    return Identity(
        name=(element.findtext(f"{OAI}repositoryName") or "").strip(),
        granularity=(element.findtext(f"{OAI}granularity") or "").strip(),
        earliest=(element.findtext(f"{OAI}earliestDatestamp") or "").strip(),
    )


def _dublin_core(metadata: etree._Element | None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    dc = metadata.find(f"{{{OAI_DC_NS}}}dc") if metadata is not None else None
    if dc is None:
        return found
    for element in dc:
        if not isinstance(element.tag, str) or not element.tag.startswith(DC):
            continue
        text = " ".join("".join(element.itertext()).split())
        if text:
            found.setdefault(element.tag[len(DC) :], []).append(text)
    return found


def _records(response: OaiResponse) -> Iterator[HarvestedRecord]:
    for record in response.root.iterfind(f"{OAI}ListRecords/{OAI}record"):
        header = record.find(f"{OAI}header")
        if header is None:  # the schema requires one; kept for type checkers
            continue
        yield HarvestedRecord(
            identifier=(header.findtext(f"{OAI}identifier") or "").strip(),
            datestamp=(header.findtext(f"{OAI}datestamp") or "").strip(),
            deleted=header.get("status") == "deleted",
            metadata=_dublin_core(record.find(f"{OAI}metadata")),
        )


def list_records(base_url: str, params: dict[str, str]) -> Iterator[Page]:
    """The pages of one ListRecords request, following resumption tokens to the end."""
    seen: set[str] = set()
    request = {"verb": "ListRecords", **params}
    while True:
        response = parse(client.fetch(base_url, request))
        if response.error_code == EMPTY and not seen:
            return
        _raise_for_error(response)
        element = response.root.find(f"{OAI}ListRecords")
        if element is None:
            raise HarvestError(
                _("The repository's answer to ListRecords has no ListRecords element.")
            )
        token = (element.findtext(f"{OAI}resumptionToken") or "").strip()
        yield Page(response.response_date, list(_records(response)), token)
        if not token:
            return
        if token in seen:
            raise HarvestError(_("The repository sent the same resumption token twice."))
        seen.add(token)
        request = {"verb": "ListRecords", "resumptionToken": token}


def from_argument(since: datetime, granularity: str) -> str:
    """``since`` as the repository's granularity allows (a day-granular one gets the day)."""
    since = since.astimezone(UTC)
    if granularity == "YYYY-MM-DD":
        return since.strftime("%Y-%m-%d")
    return since.strftime("%Y-%m-%dT%H:%M:%SZ")
