"""The OAI-PMH 2.0 data provider: one request's arguments in, one response document out.

The six verbs, every error code where it applies, seconds granularity, sets by kind, collection
and topic (``kind:case-study``; a family name such as ``topic`` is the set of everything in one
of its members), signed keyset resumption tokens, and withdrawn resources as persistent deleted
records. ``noMetadataFormats`` and ``noSetHierarchy`` never apply: every record is available in
every format, and the repository has sets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.conf import settings
from django.utils import timezone, translation
from lxml import etree

from iite.core.translation import DATA_LANGUAGES, pick
from iite.library.models import Resource
from iite.library.oai import formats, selectors, tokens
from iite.library.oai.formats import XSI, clean
from iite.library.oai.selectors import Position, SetFilter

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DEFAULT_PAGE_SIZE = 100

# Each verb's required and optional arguments; the list verbs may instead take a token alone.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
}
RESUMABLE = frozenset({"ListSets", "ListIdentifiers", "ListRecords"})
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
# The OAI-PMH schema's pattern for adminEmail.
EMAIL = re.compile(r"\S+@(\S+\.)+\S+")


class OaiError(Exception):
    """A protocol error: its OAI code and a message for the harvester's operator."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def page_size() -> int:
    return int(getattr(settings, "LIBRARY_OAI_PAGE_SIZE", DEFAULT_PAGE_SIZE))


def repository_identifier() -> str:
    configured: str = getattr(settings, "LIBRARY_OAI_REPOSITORY_IDENTIFIER", "")
    return configured or (urlsplit(settings.SITE_URL).hostname or "localhost")


def oai_identifier(resource: Resource) -> str:
    return f"oai:{repository_identifier()}:{resource.uuid}"


def _uuid_of(identifier: str) -> UUID | None:
    prefix = f"oai:{repository_identifier()}:"
    if not identifier.startswith(prefix):
        return None
    try:
        return UUID(identifier[len(prefix) :])
    except ValueError:
        return None


def datestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _admin_email() -> str:
    configured = (
        getattr(settings, "LIBRARY_OAI_ADMIN_EMAIL", "")
        or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    )
    # A local address such as noreply@localhost is not one the protocol accepts.
    return configured if EMAIL.fullmatch(configured or "") else "noreply@example.org"


# --- Arguments ------------------------------------------------------------------------------------
def _arguments(params: Sequence[tuple[str, list[str]]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, or the ``badVerb`` / ``badArgument`` they deserve."""
    verbs = [values for key, values in params if key == "verb"]
    if not verbs or not verbs[0] or not verbs[0][0]:
        raise OaiError("badVerb", "The request has no verb.")
    if len(verbs[0]) > 1:
        raise OaiError("badVerb", "The verb is given more than once.")
    verb = verbs[0][0]
    if verb not in VERBS:
        raise OaiError("badVerb", f"“{verb}” is not an OAI-PMH verb.")
    required, optional = VERBS[verb]
    arguments: dict[str, str] = {}
    for key, values in params:
        if key == "verb":
            continue
        if len(values) > 1:
            raise OaiError("badArgument", f"The argument “{key}” is given more than once.")
        allowed = required | optional | ({"resumptionToken"} if verb in RESUMABLE else set())
        if key not in allowed:
            raise OaiError("badArgument", f"{verb} takes no argument “{key}”.")
        arguments[key] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OaiError(
                "badArgument", "A resumptionToken is the only argument allowed beside the verb."
            )
        return verb, arguments
    missing = sorted(required - arguments.keys())
    if missing:
        raise OaiError("badArgument", f"{verb} needs the argument “{missing[0]}”.")
    return verb, arguments


def _instant(value: str, name: str) -> tuple[datetime, timedelta]:
    """A from/until value and the width of its granularity (a day or a second)."""
    try:
        if DAY.fullmatch(value):
            return datetime.fromisoformat(value).replace(tzinfo=UTC), timedelta(days=1)
        if SECOND.fullmatch(value):
            parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return parsed, timedelta(seconds=1)
    except ValueError:
        pass
    raise OaiError(
        "badArgument",
        f"“{name}” must be a date (YYYY-MM-DD) or a UTC time to the second "
        f"(YYYY-MM-DDThh:mm:ssZ), not “{value}”.",
    )


def _window(arguments: dict[str, str]) -> tuple[datetime | None, datetime | None]:
    """``[start, end)`` from ``from`` and ``until``; ``until`` includes its whole day or second."""
    start = end = None
    widths = []
    if "from" in arguments:
        start, width = _instant(arguments["from"], "from")
        widths.append(width)
    if "until" in arguments:
        until, width = _instant(arguments["until"], "until")
        widths.append(width)
        try:
            end = until + width
        except OverflowError:
            end = None
    if len(set(widths)) > 1:
        raise OaiError("badArgument", "“from” and “until” must have the same granularity.")
    if start is not None and end is not None and start >= end:
        raise OaiError("badArgument", "“from” is later than “until”.")
    return start, end


def _set_filter(spec: str) -> SetFilter | None:
    if not spec:
        return None
    if not SET_SPEC.fullmatch(spec):
        raise OaiError("badArgument", f"“{spec}” is not a well-formed setSpec.")
    family, _colon, code = spec.partition(":")
    return SetFilter(family, code)


def _format(prefix: str) -> formats.MetadataFormat:
    found = formats.FORMATS.get(prefix)
    if found is None:
        raise OaiError(
            "cannotDisseminateFormat",
            f"The format “{prefix}” is not available; ListMetadataFormats lists those that are.",
        )
    return found


# --- The response ---------------------------------------------------------------------------------
def _q(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> Any:
    element = etree.SubElement(parent, _q(tag), attributes)
    if text is not None:
        element.text = clean(text)
    return element


class Response:
    """One response document being built."""

    def __init__(self, base_url: str, site: str, now: datetime) -> None:
        self.base_url = base_url
        self.site = site
        self.now = now
        self.root = etree.Element(_q("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI})
        self.root.set(f"{{{XSI}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
        _sub(self.root, "responseDate", datestamp(now))
        self.request = _sub(self.root, "request", base_url)

    def echo(self, verb: str, arguments: dict[str, str]) -> None:
        self.request.set("verb", verb)
        for key, value in arguments.items():
            self.request.set(key, clean(value))

    def error(self, error: OaiError) -> None:
        if error.code in {"badVerb", "badArgument"}:
            # The protocol: the request element then carries no attributes (they may be invalid).
            self.request.attrib.clear()
        _sub(self.root, "error", error.message, code=error.code)

    def bytes(self) -> bytes:
        document: bytes = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")
        return document


def respond(params: Sequence[tuple[str, list[str]]], *, base_url: str, site: str) -> bytes:
    """The response document to one request (GET query or POST form, as key and values)."""
    now = timezone.now().replace(microsecond=0)
    response = Response(base_url, site, now)
    try:
        verb, arguments = _arguments(params)
    except OaiError as error:
        response.error(error)
        return response.bytes()
    response.echo(verb, arguments)
    with translation.override("en"):
        try:
            HANDLERS[verb](response, arguments)
        except OaiError as error:
            response.error(error)
    return response.bytes()


def _identify(response: Response, arguments: dict[str, str]) -> None:
    identify = _sub(response.root, "Identify")
    name = getattr(settings, "LIBRARY_OAI_REPOSITORY_NAME", "") or "IITE Platform knowledge hub"
    _sub(identify, "repositoryName", name)
    _sub(identify, "baseURL", response.base_url)
    _sub(identify, "protocolVersion", "2.0")
    _sub(identify, "adminEmail", _admin_email())
    earliest = selectors.earliest_datestamp()
    _sub(identify, "earliestDatestamp", datestamp(earliest or response.now))
    _sub(identify, "deletedRecord", "persistent")
    _sub(identify, "granularity", GRANULARITY)
    repository = repository_identifier()
    description = _sub(identify, "description")
    ident = etree.SubElement(
        description, f"{{{IDENTIFIER_NS}}}oai-identifier", nsmap={None: IDENTIFIER_NS}
    )
    ident.set(f"{{{XSI}}}schemaLocation", f"{IDENTIFIER_NS} {IDENTIFIER_SCHEMA}")
    for tag, text in (
        ("scheme", "oai"),
        ("repositoryIdentifier", repository),
        ("delimiter", ":"),
        ("sampleIdentifier", f"oai:{repository}:3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
    ):
        etree.SubElement(ident, f"{{{IDENTIFIER_NS}}}{tag}").text = text


def _list_metadata_formats(response: Response, arguments: dict[str, str]) -> None:
    if "identifier" in arguments:
        _record(arguments["identifier"])
    element = _sub(response.root, "ListMetadataFormats")
    for metadata_format in formats.FORMATS.values():
        item = _sub(element, "metadataFormat")
        _sub(item, "metadataPrefix", metadata_format.prefix)
        _sub(item, "schema", formats.schema_url(metadata_format, response.site))
        _sub(item, "metadataNamespace", metadata_format.namespace)


def _set_description(
    parent: etree._Element, names: dict[str, str], descriptions: dict[str, str]
) -> None:
    """Names and descriptions in every language a set has them, as a Dublin Core description."""
    if not names and not descriptions:
        return
    description = _sub(parent, "setDescription")
    dc = etree.SubElement(
        description,
        f"{{{formats.OAI_DC_NS}}}dc",
        nsmap={"oai_dc": formats.OAI_DC_NS, "dc": formats.DC_NS},
    )
    dc.set(
        f"{{{XSI}}}schemaLocation",
        f"{formats.OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    )
    for tag, texts in (("title", names), ("description", descriptions)):
        for language in DATA_LANGUAGES:
            if texts.get(language):
                element = etree.SubElement(dc, f"{{{formats.DC_NS}}}{tag}")
                element.set("{http://www.w3.org/XML/1998/namespace}lang", language)
                element.text = clean(texts[language])


def _list_sets(response: Response, arguments: dict[str, str]) -> None:
    if "resumptionToken" in arguments:
        raise OaiError("badResumptionToken", "ListSets is sent whole; this token is not ours.")
    element = _sub(response.root, "ListSets")

    def add(
        spec: str,
        name: str,
        names: dict[str, str] | None = None,
        descriptions: dict[str, str] | None = None,
    ) -> None:
        item = _sub(element, "set")
        _sub(item, "setSpec", spec)
        _sub(item, "setName", name)
        _set_description(item, names or {}, descriptions or {})

    add("kind", "Kind of resource")
    for kind in Resource.Kind:
        add(f"kind:{kind.value}", str(kind.label))
    add("collection", "Collections and series")
    for collection in selectors.collections_all():
        add(
            f"collection:{collection.code}",
            pick(collection.names, "en") or collection.code,
            collection.names,
            collection.descriptions,
        )
    add("topic", "Topics")
    for topic in selectors.topics_all():
        add(
            f"topic:{topic.code}",
            pick(topic.names, "en") or topic.code,
            topic.names,
            topic.descriptions,
        )


def _header(parent: etree._Element, resource: Resource) -> None:
    attributes = {"status": "deleted"} if resource.status == Resource.Status.WITHDRAWN else {}
    header = _sub(parent, "header", **attributes)
    _sub(header, "identifier", oai_identifier(resource))
    assert resource.datestamp is not None  # noqa: S101  (selectors return only datestamped rows)
    _sub(header, "datestamp", datestamp(resource.datestamp))
    _sub(header, "setSpec", f"kind:{resource.kind}")
    for collection in selectors.related_of(resource, "collections"):
        _sub(header, "setSpec", f"collection:{collection.code}")
    for topic in selectors.related_of(resource, "topics"):
        _sub(header, "setSpec", f"topic:{topic.code}")


def _write_record(
    parent: etree._Element, resource: Resource, metadata_format: formats.MetadataFormat, site: str
) -> None:
    record = _sub(parent, "record")
    _header(record, resource)
    if resource.status != Resource.Status.WITHDRAWN:
        metadata = _sub(record, "metadata")
        metadata.append(metadata_format.write(resource, site))


def _record(identifier: str, *, full: bool = False) -> Resource:
    uuid = _uuid_of(identifier)
    resource = selectors.record_by_uuid(uuid, full=full) if uuid else None
    if resource is None:
        raise OaiError("idDoesNotExist", f"“{identifier}” is not an identifier of this repository.")
    return resource


def _get_record(response: Response, arguments: dict[str, str]) -> None:
    metadata_format = _format(arguments["metadataPrefix"])
    resource = _record(arguments["identifier"], full=True)
    element = _sub(response.root, "GetRecord")
    _write_record(element, resource, metadata_format, response.site)


def _list(response: Response, arguments: dict[str, str], *, verb: str) -> None:
    """ListIdentifiers and ListRecords: one page from the start or from a token."""
    if "resumptionToken" in arguments:
        try:
            state = tokens.decode(arguments["resumptionToken"], verb=verb)
        except tokens.BadToken:
            raise OaiError(
                "badResumptionToken", "The resumptionToken is not valid; start the list again."
            ) from None
        metadata_format = _format(state.prefix)
        set_filter = _set_filter(state.set_spec)
        start = datetime.fromisoformat(state.start) if state.start else None
        end = datetime.fromisoformat(state.end) if state.end else None
        after: Position | None = Position(
            datetime.fromisoformat(state.after_datestamp), state.after_id
        )
        cursor, size = state.cursor, state.size
    else:
        metadata_format = _format(arguments["metadataPrefix"])
        start, end = _window(arguments)
        set_filter = _set_filter(arguments.get("set", ""))
        if set_filter is not None and not selectors.set_exists(set_filter):
            raise OaiError("noRecordsMatch", f"The repository has no set “{set_filter.spec}”.")
        # Pin the list to what exists now, so it ends; later changes come in the next harvest.
        if end is None or end > response.now:
            end = response.now
        after, cursor = None, 0
        size = selectors.record_count(start=start, end=end, set_filter=set_filter)
        if size == 0:
            raise OaiError("noRecordsMatch", "No records match the request.")
    limit = page_size()
    keys = selectors.record_keys(
        start=start, end=end, set_filter=set_filter, after=after, limit=limit + 1
    )
    more = len(keys) > limit
    keys = keys[:limit]
    if not keys:
        # Only when the records after the token changed since: they come in the next harvest.
        raise OaiError("noRecordsMatch", "No records match the request.")
    full = verb == "ListRecords"
    resources = selectors.records_by_keys(keys, full=full)
    element = _sub(response.root, verb)
    for resource in resources:
        if full:
            _write_record(element, resource, metadata_format, response.site)
        else:
            _header(element, resource)
    if not more and after is None:
        return
    token = ""
    if more:
        last = keys[-1]
        token = tokens.encode(
            tokens.ListState(
                verb=verb,
                prefix=metadata_format.prefix,
                set_spec=set_filter.spec if set_filter else "",
                start=start.isoformat() if start else "",
                end=end.isoformat() if end else "",
                after_datestamp=last.datestamp.isoformat(),
                after_id=last.id,
                cursor=cursor + len(keys),
                size=size,
            )
        )
    _sub(
        element,
        "resumptionToken",
        token,
        completeListSize=str(max(size, cursor + len(keys))),
        cursor=str(cursor),
    )


def _list_identifiers(response: Response, arguments: dict[str, str]) -> None:
    _list(response, arguments, verb="ListIdentifiers")


def _list_records(response: Response, arguments: dict[str, str]) -> None:
    _list(response, arguments, verb="ListRecords")


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": _list_identifiers,
    "ListRecords": _list_records,
    "GetRecord": _get_record,
}
