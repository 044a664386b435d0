"""PostgreSQL: keep each entry's ``document`` tsvector in its row (storage MAIN) rather than in
the TOAST table.

A search word found in a third of the library is matched and ranked by reading every row; with
the tsvectors out of line, each row cost a TOAST index lookup and chunk reads (100,000 entries:
ranking "teacher" took 678 ms, 155 ms inline; docs/performance.md). Documents too long for a
page (long extracted texts) still go out of line. Existing rows are rewritten so they move in.
SQLite: nothing to do.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE library_search_entry ALTER COLUMN document SET STORAGE MAIN")
        # A new value is stored by the new strategy; the same value assigned again is not.
        cursor.execute(
            "UPDATE library_search_entry SET document = document || ''::tsvector "
            "WHERE document IS NOT NULL"
        )


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE library_search_entry ALTER COLUMN document SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    dependencies = [("library_search", "0003_facet_bitmaps")]

    operations = [migrations.RunPython(forward, backward)]
