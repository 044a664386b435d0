"""Uploads checked by content, refused whole when bad, their text extracted in the background."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from iite.core.errors import ApplicationError
from iite.library import file_services, files, workflow
from iite.library.models import ResourceFile
from iite.library.tests.conftest import case_study, publication

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[5] / "shared" / "data" / "accessibility"
PDF = next((SHARED / "pdf-ua" / "files" / "PDF_UA-2").rglob("8.4.4-t02-pass-a.pdf"))
EPUB = SHARED / "epub" / "epub" / "base-epub-30.epub"


def docx_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_real_files_are_recognised_by_content():
    assert files.detect(PDF.read_bytes())[0] == "pdf"
    assert files.detect(EPUB.read_bytes())[0] == "epub"
    assert files.detect(docx_bytes("Hello"))[0] == "docx"
    assert files.detect(png_bytes()) == ("image", "image/png")
    assert files.detect(b"<!doctype html><html><body><p>Hi</p></body></html>")[0] == "html"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("report.pdf", b"%PDF-1.7\nthis is not a pdf at all", "file_invalid"),
        ("book.epub", EPUB.read_bytes()[:600], "file_invalid"),
        ("picture.png", png_bytes()[:30], "file_invalid"),
        ("report.pdf", png_bytes(), "file_type_mismatch"),
        ("notes.txt", b"plain words, not a document", "file_invalid"),
        ("empty.pdf", b"", "file_invalid"),
        (
            "archive.zip",
            docx_bytes("x").replace(b"word/document.xml", b"word/documenX.xml"),
            "file_invalid",
        ),
    ],
)
def test_corrupt_or_mislabelled_files_are_refused_and_nothing_is_stored(
    editor, media, name, data, code
):
    resource = publication(editor)
    with pytest.raises(ApplicationError) as refused:
        file_services.file_upload(resource=resource, by=editor, upload=upload(name, data))
    assert refused.value.code == code
    assert ResourceFile.objects.count() == 0
    assert stored(media) == []


def test_an_oversize_file_is_refused(editor, media, settings):
    settings.LIBRARY_UPLOAD_MAX_BYTES = 1000
    resource = publication(editor)
    with pytest.raises(ApplicationError, match="larger than") as refused:
        file_services.file_upload(
            resource=resource, by=editor, upload=upload("a.pdf", PDF.read_bytes())
        )
    assert refused.value.code == "file_too_large"
    assert stored(media) == []


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("guide.pdf", PDF.read_bytes(), "Catálogo"),
        ("book.epub", EPUB.read_bytes(), "Call me Ishmael"),
        ("lesson.docx", docx_bytes("Lesson plan on digital citizenship"), "digital citizenship"),
        (
            "page.html",
            b"<html><body><script>x()</script><p>Open data guide</p></body></html>",
            "Open data guide",
        ),
    ],
)
def test_text_is_extracted_in_the_background(
    editor, media, name, data, words, django_capture_on_commit_callbacks
):
    resource = publication(editor)
    with django_capture_on_commit_callbacks(execute=True):
        row = file_services.file_upload(
            resource=resource, by=editor, upload=upload(name, data), label="Full text"
        )
    row.refresh_from_db()
    assert row.sha256
    assert row.size == len(data)
    assert len(stored(media)) == 1
    assert row.extraction == ResourceFile.Extraction.DONE, row.extraction_error
    assert words in row.extracted_text
    assert "x()" not in row.extracted_text


def test_a_failed_extraction_is_recorded_and_does_not_block_publishing(
    editor, media, django_capture_on_commit_callbacks
):
    resource = publication(editor)
    blank = io.BytesIO()
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(blank)
    with django_capture_on_commit_callbacks(execute=True):
        row = file_services.file_upload(
            resource=resource, by=editor, upload=upload("scan.pdf", blank.getvalue())
        )
    row.refresh_from_db()
    assert row.extraction == ResourceFile.Extraction.FAILED
    assert "no text" in row.extraction_error
    workflow.resource_publish(resource=resource, by=editor)
    from iite.library import selectors

    assert list(selectors.extraction_failures()) == [row]


def test_images_need_no_extraction_and_a_member_adds_files_to_their_own_draft_only(
    editor, member, media
):
    mine = case_study(member)
    row = file_services.file_upload(
        resource=mine, by=member, upload=upload("photo.png", png_bytes())
    )
    assert row.extraction == ResourceFile.Extraction.NOT_NEEDED
    theirs = publication(editor)
    from iite.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        file_services.file_upload(
            resource=theirs, by=member, upload=upload("photo.png", png_bytes())
        )
    workflow.resource_submit(resource=mine, by=member)
    mine.refresh_from_db()
    with pytest.raises(PermissionDenied):
        file_services.file_upload(resource=mine, by=member, upload=upload("photo.png", png_bytes()))
