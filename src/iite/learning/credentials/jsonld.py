"""JSON-LD canonicalisation (RDFC-1.0 / URDNA2015) with an offline document loader.

The loader answers only for the contexts that ship in ``learning/contexts/`` and refuses every
other URL with :class:`ContextNotShipped`; it never opens a network connection.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld  # type: ignore[import-untyped]  # pyld ships no type hints

CONTEXTS_DIR = Path(__file__).resolve().parent.parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# Context URL -> shipped file. Sources and licences: contexts/README.md.
SHIPPED: dict[str, str] = {
    VC_V2: "credentials-v2.json",
    VC_V1: "credentials-v1.json",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-context-3.0.2.json",
    OB_V3: "ob-context-3.0.3.json",
}


class ContextNotShipped(Exception):
    """A document names a JSON-LD context that does not ship with the platform."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class UndefinedTerm(Exception):
    """A property the contexts do not define: JSON-LD would drop it, unsigned (safe mode)."""

    def __init__(self, term: str) -> None:
        super().__init__(term)
        self.term = term


def _refuse_dropped(term: str | None) -> None:
    raise UndefinedTerm(str(term) if term else "@…")


class NotJsonLd(Exception):
    """A document that JSON-LD processing rejects (bad keywords, cycles, nesting too deep)."""


@cache
def _context_document(url: str) -> dict[str, Any]:
    with (CONTEXTS_DIR / SHIPPED[url]).open(encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld's document loader over the shipped contexts; any other URL raises ContextNotShipped.

    URLs match exactly: a look-alike is refused rather than mapped to a shipped file.
    """
    if url not in SHIPPED:
        raise ContextNotShipped(url)
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": copy.deepcopy(_context_document(url)),
        # "static" lets pyld keep the processed context for the life of the process.
        "tag": "static",
    }


def context_urls(document: Any) -> list[str]:
    """Every context URL a document names at its top level (inline contexts are skipped)."""
    contexts = document.get("@context") if isinstance(document, dict) else None
    if contexts is None:
        return []
    if not isinstance(contexts, list):
        contexts = [contexts]
    return [context for context in contexts if isinstance(context, str)]


def _unwrap(error: BaseException) -> ContextNotShipped | UndefinedTerm | None:
    """pyld wraps loader failures in its own errors; find ours inside the chain."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ContextNotShipped | UndefinedTerm):
            return current
        details = getattr(current, "details", None)
        cause = details.get("cause") if isinstance(details, dict) else None
        if isinstance(cause, BaseException):
            current = cause
            continue
        current = current.__cause__ or current.__context__
    return None


def canonicalise(document: dict[str, Any]) -> str:
    """The document's canonical N-Quads (RDFC-1.0), computed offline.

    Safe mode: a property the contexts do not define raises UndefinedTerm instead of being
    dropped (a dropped property would not be covered by a signature, so a credential could
    carry unsigned claims). Raises ContextNotShipped for a context that does not ship, NotJsonLd
    for anything else JSON-LD processing refuses.
    """
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    try:
        result = processor.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": document_loader,
            },
        )
    except (ContextNotShipped, UndefinedTerm):
        raise
    except RecursionError as error:
        raise NotJsonLd("nested too deeply") from error
    except Exception as error:  # pyld raises JsonLdError and, on odd input, plain Python errors
        shipped = _unwrap(error)
        if shipped is not None:
            raise shipped from error
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise NotJsonLd(reason) from error
    return str(result)
