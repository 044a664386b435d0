"""Uploaded files: their type found from their content, their size limited, their text extracted.

A file is accepted only when its bytes are what they claim to be: a PDF starts with ``%PDF-``
and pypdf can read its pages; an EPUB is a zip whose first entry ``mimetype`` says
``application/epub+zip`` and which has ``META-INF/container.xml``; a DOCX is a zip with
``[Content_Types].xml`` and ``word/document.xml``; an image is a PNG, JPEG or WebP that Pillow
verifies; HTML is UTF-8 text that an HTML parser finds an ``<html>`` or ``<body>`` in. A name
ending in one type's extension with another type's content is refused, so is anything corrupt.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from iite.core.errors import ApplicationError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# A zip may not unpack to more than this many bytes (a "zip bomb" is refused, not unpacked).
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
# Text kept per file for search; enough for a long report, bounded for the index.
MAX_TEXT_CHARACTERS = 2_000_000

EXTENSIONS = {
    "pdf": {"pdf"},
    "epub": {"epub"},
    "docx": {"docx"},
    "html": {"html", "htm", "xhtml"},
    "image": {"png", "jpg", "jpeg", "webp"},
}
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "epub": "application/epub+zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
}


@dataclass(frozen=True)
class Inspected:
    """What an upload turned out to be."""

    format: str  # a ResourceFile.Format value other than "link"
    media_type: str
    size: int
    sha256: str
    data: bytes


def max_bytes() -> int:
    return int(getattr(settings, "LIBRARY_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _refuse(message: str, code: str = "file_invalid") -> ApplicationError:
    return ApplicationError(message, code=code, details=[{"field": "file", "message": message}])


def read_limited(upload: IO[bytes] | Any) -> bytes:
    """The upload's bytes, refusing it once it is larger than the limit (without reading on)."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > limit:
        raise _too_big(limit)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(limit)
    return bytes(data)


def _too_big(limit: int) -> ApplicationError:
    return _refuse(
        _("The file is larger than %(limit)s, the most the library accepts.")
        % {"limit": filesizeformat(limit)},
        code="file_too_large",
    )


def _zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise _refuse(_("The file unpacks to far more than it weighs; it was refused."))
        if archive.testzip() is not None:
            raise zipfile.BadZipFile("a member is damaged")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        raise _refuse(_("The file is damaged: its zip structure cannot be read.")) from exc
    return archive


def _zip_format(data: bytes) -> str:
    archive = _zip(data)
    names = archive.namelist()
    if names and names[0] == "mimetype":
        if archive.read("mimetype").strip() != b"application/epub+zip":
            raise _refuse(_("The file is a zip archive but not an EPUB book."))
        if "META-INF/container.xml" not in names:
            raise _refuse(_("The EPUB book is damaged: META-INF/container.xml is missing."))
        _epub_documents(archive)  # refuses a book whose package cannot be read
        return "epub"
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        try:
            etree.fromstring(archive.read("word/document.xml"))
        except etree.XMLSyntaxError as exc:
            raise _refuse(_("The Word document is damaged: its text cannot be read.")) from exc
        return "docx"
    raise _refuse(_("The file is a zip archive, which the library does not accept."))


def _pdf_check(data: bytes) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) < 1:
            raise ValueError("no pages")
    except Exception as exc:  # pypdf raises many kinds of error on a damaged file
        raise _refuse(_("The PDF is damaged: its pages cannot be read.")) from exc


def _image_format(data: bytes) -> str:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse(_("The image is damaged or not an image.")) from exc
    if kind not in IMAGE_TYPES:
        raise _refuse(_("Only PNG, JPEG and WebP images are accepted."))
    return IMAGE_TYPES[kind]


def _looks_like_html(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    head = text[:2048].lstrip().lower()
    if not (head.startswith("<!doctype html") or "<html" in head or "<body" in head):
        return False
    try:
        document = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return False
    return bool(document.tag == "html")


def detect(data: bytes) -> tuple[str, str]:
    """The format and media type of ``data`` from its content; refuses anything else."""
    if not data:
        raise _refuse(_("The file is empty."))
    if data.startswith(b"%PDF-"):
        _pdf_check(data)
        return "pdf", MEDIA_TYPES["pdf"]
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_format(data)
        return kind, MEDIA_TYPES[kind]
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    ):
        return "image", _image_format(data)
    if _looks_like_html(data):
        return "html", MEDIA_TYPES["html"]
    raise _refuse(
        _("The library accepts PDF, EPUB, DOCX, HTML, PNG, JPEG and WebP files; this is none.")
    )


def inspect(upload: IO[bytes] | Any, *, name: str = "") -> Inspected:
    """Read and check an upload; refuse it (saving nothing) unless its content is accepted and
    its name's extension, if it has one we know, matches that content."""
    data = read_limited(upload)
    kind, media_type = detect(data)
    extension = posixpath.splitext(name or getattr(upload, "name", "") or "")[1].lstrip(".")
    known = {ext for group in EXTENSIONS.values() for ext in group}
    if extension.lower() in known and extension.lower() not in EXTENSIONS[kind]:
        raise _refuse(
            _("The file is called .%(extension)s but its content is %(kind)s.")
            % {"extension": extension.lower(), "kind": kind.upper()},
            code="file_type_mismatch",
        )
    return Inspected(
        format=kind,
        media_type=media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


# --- Text extraction ----------------------------------------------------------------------------
def _html_text(markup: bytes | str) -> str:
    document = lxml_html.document_fromstring(markup)
    for element in document.xpath("//script|//style|//noscript"):
        element.drop_tree()
    return " ".join(document.text_content().split())


def _epub_documents(archive: zipfile.ZipFile) -> list[str]:
    """The content documents of an EPUB in reading order (its spine)."""
    try:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        rootfile = container.find(".//{*}rootfile")
        if rootfile is None:
            raise ValueError("no rootfile")
        opf_path = rootfile.get("full-path") or ""
        package = etree.fromstring(archive.read(opf_path))
    except (KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise _refuse(_("The EPUB book is damaged: its package document cannot be read.")) from exc
    base = posixpath.dirname(opf_path)
    manifest = {
        item.get("id"): item.get("href") for item in package.iterfind(".//{*}manifest/{*}item")
    }
    documents = []
    for itemref in package.iterfind(".//{*}spine/{*}itemref"):
        href = manifest.get(itemref.get("idref"))
        if href:
            documents.append(posixpath.normpath(posixpath.join(base, href)))
    return documents


def extract_text(kind: str, data: bytes) -> str:
    """The readable text of a file, for search. Raises ``ValueError`` when it cannot."""
    if kind == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    elif kind == "epub":
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = []
        for path in _epub_documents(archive):
            try:
                parts.append(_html_text(archive.read(path)))
            except KeyError:
                continue
        text = "\n".join(parts)
    elif kind == "docx":
        archive = zipfile.ZipFile(io.BytesIO(data))
        document = etree.fromstring(archive.read("word/document.xml"))
        paragraphs = [
            "".join(node.text or "" for node in paragraph.iter("{*}t"))
            for paragraph in document.iter("{*}p")
        ]
        text = "\n".join(p for p in paragraphs if p)
    elif kind == "html":
        text = _html_text(data)
    else:
        return ""
    text = text.replace("\x00", "").strip()
    if not text:
        raise ValueError(_("The file holds no text that could be read (is it scanned images?)."))
    return text[:MAX_TEXT_CHARACTERS]
