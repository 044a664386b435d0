"""Writes of a resource's files, links and cover; ``library.files`` only inspects their content.

A file is checked by ``library.files`` before anything is stored, and its text is extracted after
commit by the ``extract_file_text`` task. The rules of ``library.services`` hold here, with its
helpers: one transaction, index row refreshed in it, a stored file deleted only once the database
agrees, and nothing left behind by a refusal.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.core.errors import ApplicationError, PermissionDenied
from iite.library import files as library_files
from iite.library import metadata, selectors
from iite.library.models import Resource, ResourceFile
from iite.library.services import Status, _field_error, _index, _locked, _require


def file_upload(
    *, resource: Resource, by: User, upload: Any, label: str = "", language: Any = None
) -> ResourceFile:
    """Store a file after checking its content and size; its text is extracted in the background.
    A refused file leaves nothing behind, in the database or in storage."""
    if not selectors.may_edit(resource, by):
        raise PermissionDenied(_("You may not add files to this resource now."))
    name = metadata.without_nul(str(getattr(upload, "name", "") or "")) or "file"
    inspected = library_files.inspect(upload, name=name)
    needs_text = inspected.format != ResourceFile.Format.IMAGE
    row = ResourceFile(
        resource=resource,
        format=inspected.format,
        label=metadata.without_nul(label or "").strip()[:200],
        original_name=name.rsplit("/", 1)[-1][:255],
        media_type=inspected.media_type,
        size=inspected.size,
        sha256=inspected.sha256,
        language=language,
        extraction=ResourceFile.Extraction.PENDING
        if needs_text
        else ResourceFile.Extraction.NOT_NEEDED,
    )
    stored = ""
    try:
        with transaction.atomic():
            last = ResourceFile.objects.filter(resource=resource).order_by("-order").first()
            row.order = (last.order + 1) if last else 0
            row.file.save(row.original_name, ContentFile(inspected.data), save=False)
            stored = row.file.name or ""
            row.save()
            if resource.status == Status.PUBLISHED:
                Resource.objects.filter(pk=resource.pk).update(datestamp=timezone.now())
            if needs_text:
                file_id = row.pk
                transaction.on_commit(lambda: _schedule_extraction(file_id), robust=True)
    except BaseException:
        if stored:
            row.file.storage.delete(stored)
        raise
    return row


def _schedule_extraction(file_id: int) -> None:
    from iite.library.tasks import extract_file_text

    extract_file_text.enqueue(file_id)


def file_link_add(*, resource: Resource, by: User, url: str, label: str = "") -> ResourceFile:
    """A link (for example to a video) instead of a file."""
    if not selectors.may_edit(resource, by):
        raise PermissionDenied(_("You may not add links to this resource now."))
    cleaned = metadata.clean({"url": url}, creating=False)
    if not cleaned.scalars["url"]:
        raise _field_error("url", _("Give the web address."))
    with transaction.atomic():
        last = ResourceFile.objects.filter(resource=resource).order_by("-order").first()
        return ResourceFile.objects.create(
            resource=resource,
            format=ResourceFile.Format.LINK,
            url=cleaned.scalars["url"],
            label=metadata.without_nul(label or "").strip()[:200],
            order=(last.order + 1) if last else 0,
        )


def file_remove(*, file: ResourceFile, by: User) -> None:
    resource = file.resource
    if not selectors.may_edit(resource, by):
        raise PermissionDenied(_("You may not remove files of this resource now."))
    name = file.file.name if file.file else ""
    storage = file.file.storage if file.file else None
    with transaction.atomic():
        file.delete()
        _index(resource)
        if name and storage is not None:
            transaction.on_commit(lambda: storage.delete(name), robust=True)


def cover_set(*, resource: Resource, by: User, upload: Any) -> Resource:
    """Set the cover image (PNG, JPEG or WebP, checked by content)."""
    if not selectors.may_edit(resource, by):
        raise PermissionDenied(_("You may not change this resource now."))
    inspected = library_files.inspect(upload, name=str(getattr(upload, "name", "")))
    if inspected.format != "image":
        raise _field_error("cover", _("A cover is a PNG, JPEG or WebP image."))
    extension = inspected.media_type.split("/")[1].replace("jpeg", "jpg")
    old = resource.cover.name if resource.cover else ""
    with transaction.atomic():
        current = _locked(resource)
        current.cover.save(f"{current.uuid}.{extension}", ContentFile(inspected.data), save=False)
        current.save(update_fields=["cover", "updated_at"])
    if old:
        current.cover.storage.delete(old)
    resource.refresh_from_db()
    return resource


def file_text_extract(*, file_id: int) -> ResourceFile | None:
    """Extract the text of one stored file for search; a failure is recorded for editors and
    never blocks publication."""
    row = ResourceFile.objects.select_related("resource").filter(pk=file_id).first()
    if row is None or not row.file:
        return None
    try:
        with row.file.open("rb") as handle:
            data = handle.read()
        text = library_files.extract_text(row.format, data)
    except Exception as exc:  # any parser error is a failed extraction, shown to editors
        message = str(exc) or exc.__class__.__name__
        ResourceFile.objects.filter(pk=row.pk).update(
            extraction=ResourceFile.Extraction.FAILED,
            extraction_error=message[:2000],
            extracted_text="",
        )
        row.refresh_from_db()
        return row
    with transaction.atomic():
        ResourceFile.objects.filter(pk=row.pk).update(
            extraction=ResourceFile.Extraction.DONE, extraction_error="", extracted_text=text
        )
        _index(row.resource)
    row.refresh_from_db()
    return row


def file_extraction_retry(*, file: ResourceFile, by: User) -> ResourceFile:
    _require(by, "resource.edit")
    if file.format in (ResourceFile.Format.IMAGE, ResourceFile.Format.LINK):
        raise ApplicationError(_("This file has no text to extract."), code="bad_state")
    ResourceFile.objects.filter(pk=file.pk).update(
        extraction=ResourceFile.Extraction.PENDING, extraction_error=""
    )
    transaction.on_commit(lambda: _schedule_extraction(file.pk), robust=True)
    file.refresh_from_db()
    return file
