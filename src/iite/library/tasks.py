"""Background work of the library: extracting the text of uploaded files for search."""

from __future__ import annotations

from django_tasks import task


@task()
def extract_file_text(file_id: int) -> None:
    """Extract one file's text (a failure is recorded on the file for editors to see)."""
    from iite.library import file_services

    file_services.file_text_extract(file_id=file_id)
