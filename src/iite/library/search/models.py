"""The search index: one row per published resource, and its facet values.

Rows are written only by ``iite.library.search.index``, in the transaction that changes the
resource. The full text itself lives in the engine's own structure, created by migration 0002:
an FTS5 table ``library_search_fts`` on SQLite, a ``document`` tsvector column with a GIN index
on PostgreSQL. Django does not model either; ``index`` and ``query`` reach them with SQL.
"""

from __future__ import annotations

from django.db import models

from iite.library.models import Resource


class Entry(models.Model):
    """What the result list shows and sorts by, for one published resource."""

    resource = models.OneToOneField(
        Resource, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    uuid = models.UUIDField(unique=True)
    kind = models.CharField(max_length=20)
    language = models.CharField(max_length=3)
    title = models.CharField(max_length=500)
    # Casefolded title without leading punctuation, for sorting by title in any script.
    title_sort = models.CharField(max_length=200, db_index=True)
    creators = models.CharField(max_length=500, blank=True)
    abstract = models.TextField(blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    issued = models.DateField(null=True, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    licence = models.CharField(max_length=40, blank=True)
    doi = models.CharField(max_length=200, blank=True)
    isbn = models.CharField(max_length=17, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The PostgreSQL text search configuration of the resource's language (unused on SQLite).
    config = models.CharField(max_length=20, default="simple")
    indexed_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return self.title


class Value(models.Model):
    """One facet value present in the index, e.g. (``country``, ``KE``), with its bitmap.

    Bit ``n`` of ``bitmap`` (little-endian bytes) is set when the entry of resource ``n`` has
    this value: the compact per-value posting list real engines keep (Lucene's doc-value
    ordinals, Meilisearch's roaring bitmaps) from which facet counts and filters are computed
    with a bitwise AND and a population count (``iite.library.search.bitmaps``).
    """

    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=60)
    bitmap = models.BinaryField(default=b"")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "value"], name="library_search_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class Facet(models.Model):
    """That an indexed resource has a facet value: two integers, for filtering in SQL."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="facets")
    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            # Filtering a page by value finds entries; re-indexing an entry finds its values.
            models.Index(fields=["value", "entry"], name="library_search_facet_value"),
            models.Index(fields=["entry", "value"], name="library_search_facet_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.value_id}"


class State(models.Model):
    """One row: a token that every write to the index changes, in the same transaction.

    A process caches the bitmaps of ``Value`` with the token it read them under and reloads
    them when the token differs; tokens are random, so a rolled-back write cannot be mistaken
    for the state before it.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
