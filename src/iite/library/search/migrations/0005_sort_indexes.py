"""PostgreSQL: indexes in the order of the date and title sorts, so browsing without words (and
any page sorted by date or title) reads twenty entries instead of sorting the whole index
(100,000 entries: 280 ms to 0.2 ms for the first page by date). SQLite sorts its much narrower
rows fast enough (about 10 ms) and gets none.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

INDEXES = {
    "library_search_entry_date": "(issued DESC NULLS LAST, resource_id DESC)",
    "library_search_entry_title": "(title_sort, resource_id)",
}


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, columns in INDEXES.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON library_search_entry {columns}")


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("library_search", "0004_document_inline")]

    operations = [migrations.RunPython(forward, backward)]
