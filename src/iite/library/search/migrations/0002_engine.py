"""The full-text structures of each engine, which Django does not model.

SQLite: an FTS5 table (Porter stemming over ``unicode61`` with diacritics folded) whose rowid is
the resource's id, and a trigger that removes a row when its entry goes.

PostgreSQL: a ``document`` tsvector column with a GIN index, and one text search configuration
per language with a Snowball stemmer (``iite_english`` ...) plus ``iite_simple`` for the others,
each folding diacritics with ``unaccent`` when the extension can be created (it is a trusted
extension since PostgreSQL 13: the database owner may create it). Without it the configurations
still work, without folding; docs/search.md says what production needs.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

STEMMED = ("english", "french", "russian", "spanish", "arabic")
FTS_COLUMNS = "title, creators, keywords, abstract, body, cjk"


def _sqlite_forward(cursor: Any) -> None:
    cursor.execute(
        f"CREATE VIRTUAL TABLE library_search_fts USING fts5({FTS_COLUMNS}, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    cursor.execute(
        "CREATE TRIGGER library_search_entry_fts_delete AFTER DELETE ON library_search_entry "
        "BEGIN DELETE FROM library_search_fts WHERE rowid = old.resource_id; END"
    )


def _postgres_forward(cursor: Any) -> None:
    cursor.execute("SAVEPOINT library_search_unaccent")
    try:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("RELEASE SAVEPOINT library_search_unaccent")
        unaccent = True
    except Exception:  # not installed or not permitted: configurations without folding
        cursor.execute("ROLLBACK TO SAVEPOINT library_search_unaccent")
        unaccent = False
    for language in (*STEMMED, "simple"):
        name = f"iite_{language}"
        dictionary = f"{language}_stem" if language in STEMMED else "simple"
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {language})")
        if unaccent:
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR "
                f"hword, hword_part, word WITH unaccent, {dictionary}"
            )
    cursor.execute("ALTER TABLE library_search_entry ADD COLUMN document tsvector")
    cursor.execute(
        "CREATE INDEX library_search_entry_document ON library_search_entry USING gin (document)"
    )


def forward(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "sqlite":
            _sqlite_forward(cursor)
        elif schema_editor.connection.vendor == "postgresql":
            _postgres_forward(cursor)


def backward(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS library_search_entry_fts_delete")
            cursor.execute("DROP TABLE IF EXISTS library_search_fts")
        elif schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS library_search_entry_document")
            cursor.execute("ALTER TABLE library_search_entry DROP COLUMN IF EXISTS document")
            for language in (*STEMMED, "simple"):
                cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS iite_{language}")


class Migration(migrations.Migration):
    dependencies = [("library_search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
