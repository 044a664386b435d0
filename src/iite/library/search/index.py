"""Writing the search index (contract 1 of the library: docs/search.md).

``index_resource`` is called by the library's services inside the transaction that changes a
resource, and by the OAI-PMH harvester; only published resources have a row. ``index_documents``
writes many rows at once (``iite reindex-library``, the benchmark).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from iite.library.models import CaseStudy, Resource
from iite.library.search import bitmaps
from iite.library.search.facets import resource_facets
from iite.library.search.models import Entry, Facet, Value
from iite.library.search.text import cjk_bigrams, fold, sort_key

# Extracted text beyond this is not indexed: a tsvector holds at most 1 MB, and the start of a
# long document says what it is about.
BODY_LIMIT = 200_000
CJK_LIMIT = 50_000
CONFIGS = {
    "en": "iite_english",
    "fr": "iite_french",
    "ru": "iite_russian",
    "es": "iite_spanish",
    "ar": "iite_arabic",
}
PREFETCH = (
    "creators",
    "files",
    "countries__unesco_region",
    "regions",
    "isced_levels",
    "topics",
    "action_areas",
    "competencies__framework",
    "accessibility_features__vocabulary",
)
BATCH = 500


@dataclass
class Document:
    """Everything the index holds about one resource: display fields, texts and facets."""

    resource_id: int
    uuid: UUID
    kind: str
    language: str
    title: str
    creators: str = ""
    keywords: str = ""
    abstract: str = ""
    body: str = ""
    publisher: str = ""
    issued: date | None = None
    licence: str = ""
    doi: str = ""
    isbn: str = ""
    url: str = ""
    published_at: datetime | None = None
    facets: list[tuple[str, str]] = field(default_factory=list)

    @property
    def config(self) -> str:
        return CONFIGS.get(self.language, "iite_simple")

    def entry(self, now: datetime) -> Entry:
        return Entry(
            resource_id=self.resource_id,
            uuid=self.uuid,
            kind=self.kind,
            language=self.language,
            title=self.title[:500],
            title_sort=sort_key(self.title),
            creators=self.creators[:500],
            abstract=self.abstract,
            publisher=self.publisher[:300],
            issued=self.issued,
            year=self.issued.year if self.issued else None,
            licence=self.licence,
            doi=self.doi,
            isbn=self.isbn,
            url=self.url,
            published_at=self.published_at,
            config=self.config,
            indexed_at=now,
        )

    def texts(self) -> dict[str, str]:
        """The folded texts each engine indexes, with the CJK bigrams of all of them."""
        body = self.body[:BODY_LIMIT]
        everything = " ".join((self.title, self.keywords, self.abstract, body))
        return {
            "title": fold(self.title),
            "creators": fold(" ".join(filter(None, (self.creators, self.publisher)))),
            "keywords": fold(self.keywords),
            "abstract": fold(self.abstract),
            "body": fold(body),
            "cjk": cjk_bigrams(everything[:CJK_LIMIT]),
        }


def document_of(resource: Resource) -> Document:
    """The index document of a resource (use PREFETCH when making many)."""
    creators = [creator.display_name for creator in resource.creators.all()]
    parts: list[str] = []
    try:
        study = resource.case_study
    except CaseStudy.DoesNotExist:
        study = None
    if study is not None:
        parts += [
            study.context,
            study.solution,
            study.actors,
            study.results,
            study.lessons,
            study.scalability,
        ]
    parts += [file.extracted_text for file in resource.files.all() if file.extracted_text]
    return Document(
        resource_id=resource.pk,
        uuid=resource.uuid,
        kind=resource.kind,
        language=resource.language.code,
        title=resource.title,
        creators="; ".join(creators),
        keywords="; ".join(str(keyword) for keyword in resource.keywords or []),
        abstract=resource.abstract,
        body="\n".join(part for part in parts if part),
        publisher=resource.publisher,
        issued=resource.issued,
        licence=resource.licence.spdx_id if resource.licence else "",
        doi=resource.doi,
        isbn=resource.isbn,
        url=resource.url,
        published_at=resource.published_at,
        facets=resource_facets(resource),
    )


def index_resource(resource: Resource) -> None:
    """Write or refresh the index row of ``resource``, or remove it if it is not published."""
    if resource.status != Resource.Status.PUBLISHED:
        remove_resource(resource.pk)
        return
    document = document_of(resource)
    with transaction.atomic():
        remove_resource(resource.pk)
        index_documents([document])


def remove_resource(resource_id: int) -> None:
    """Remove the index row of a resource, if it has one."""
    with transaction.atomic():
        value_ids = list(
            Facet.objects.filter(entry_id=resource_id).values_list("value_id", flat=True)
        )
        Facet.objects.filter(entry_id=resource_id).delete()
        # On SQLite a trigger removes the FTS row with the entry; on PostgreSQL it is a column.
        removed, _kinds = Entry.objects.filter(resource_id=resource_id).delete()
        if value_ids:
            bitmaps.change({value_id: (set(), {resource_id}) for value_id in value_ids})
        elif removed:
            bitmaps.touch()


def _value_ids(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The id of each (facet, value), creating the values not yet in the index."""
    if not pairs:
        return {}
    Value.objects.bulk_create(
        [Value(facet=name, value=value) for name, value in sorted(pairs)],
        ignore_conflicts=True,
    )
    rows = Value.objects.filter(value__in={value for _name, value in pairs}).values_list(
        "facet", "value", "id"
    )
    return {(name, value): value_id for name, value, value_id in rows if (name, value) in pairs}


ENTRY_COLUMNS = (
    "resource_id",
    "uuid",
    "kind",
    "language",
    "title",
    "title_sort",
    "creators",
    "abstract",
    "publisher",
    "issued",
    "year",
    "licence",
    "doi",
    "isbn",
    "url",
    "published_at",
    "config",
    "indexed_at",
)


def _insert_entries(documents: list[Document], now: datetime) -> None:
    """Insert ``Entry`` rows with one executemany: the model's own values (``Document.entry``),
    without building a model instance and compiler per row, which costs more than the insert."""
    ops = connection.ops
    native_uuid = connection.features.has_native_uuid_field
    stamp = ops.adapt_datetimefield_value(now)
    rows = []
    for document in documents:
        entry = document.entry(now)
        rows.append(
            (
                entry.resource_id,
                entry.uuid if native_uuid else entry.uuid.hex,
                entry.kind,
                entry.language,
                entry.title,
                entry.title_sort,
                entry.creators,
                entry.abstract,
                entry.publisher,
                ops.adapt_datefield_value(entry.issued),
                entry.year,
                entry.licence,
                entry.doi,
                entry.isbn,
                entry.url,
                ops.adapt_datetimefield_value(entry.published_at),
                entry.config,
                stamp,
            )
        )
    marks = ", ".join(["%s"] * len(ENTRY_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO library_search_entry ({', '.join(ENTRY_COLUMNS)}) VALUES ({marks})",  # noqa: S608  (this module's names, placeholders)
            rows,
        )


def index_documents(documents: list[Document], *, bitmaps_now: bool = True) -> None:
    """Insert the rows of resources not yet indexed (one statement per table and batch).

    ``bitmaps_now=False`` leaves the value bitmaps to one ``bitmaps.rebuild_all()`` after a
    bulk load (``rebuild``, the benchmark); every other caller keeps the default.
    """
    now = timezone.now()
    pairs = {
        (document.resource_id, name, value[:60])
        for document in documents
        for name, value in document.facets
    }
    with transaction.atomic():
        _insert_entries(documents, now)
        ids = _value_ids({(name, value) for _entry, name, value in pairs})
        with connection.cursor() as cursor:
            # Facet rows are many and plain: one executemany, not model instances.
            cursor.executemany(
                "INSERT INTO library_search_facet (entry_id, value_id) VALUES (%s, %s)",
                sorted({(entry, ids[(name, value)]) for entry, name, value in pairs}),
            )
            if connection.vendor == "sqlite":
                cursor.executemany(
                    "INSERT INTO library_search_fts "
                    "(rowid, title, creators, keywords, abstract, body, cjk) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    [_fts_row(document) for document in documents],
                )
            elif connection.vendor == "postgresql":
                cursor.executemany(
                    "UPDATE library_search_entry SET document = "
                    "setweight(to_tsvector(%(config)s::regconfig, %(title)s), 'A') || "
                    "setweight(to_tsvector(%(config)s::regconfig, %(who)s), 'B') || "
                    "setweight(to_tsvector(%(config)s::regconfig, %(abstract)s), 'C') || "
                    "setweight(to_tsvector(%(config)s::regconfig, %(body)s), 'D') || "
                    "setweight(to_tsvector('iite_simple', %(cjk)s), 'B') "
                    "WHERE resource_id = %(id)s",
                    [_tsvector_row(document) for document in documents],
                )
        if bitmaps_now:
            added: dict[int, tuple[set[int], set[int]]] = {}
            for entry, name, value in pairs:
                added.setdefault(ids[(name, value)], (set(), set()))[0].add(entry)
            if added:
                bitmaps.change(added)
            else:
                bitmaps.touch()


def _fts_row(document: Document) -> tuple[Any, ...]:
    texts = document.texts()
    return (
        document.resource_id,
        texts["title"],
        texts["creators"],
        texts["keywords"],
        texts["abstract"],
        texts["body"],
        texts["cjk"],
    )


def _tsvector_row(document: Document) -> dict[str, Any]:
    texts = document.texts()
    return {
        "id": document.resource_id,
        "config": document.config,
        "title": texts["title"],
        "who": f"{texts['creators']} {texts['keywords']}",
        "abstract": texts["abstract"],
        "body": texts["body"],
        "cjk": texts["cjk"],
    }


def published_documents(batch: int = BATCH) -> Iterator[list[Document]]:
    """The documents of every published resource, a batch at a time, in a few queries each."""
    ids = list(
        Resource.objects.filter(status=Resource.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch):
        resources = (
            Resource.objects.filter(pk__in=ids[start : start + batch])
            .select_related("language", "licence", "case_study")
            .prefetch_related(*PREFETCH)
            .order_by("pk")
        )
        yield [document_of(resource) for resource in resources]


def rebuild(batches: Iterable[list[Document]] | None = None) -> int:
    """Empty the index and write every published resource again; the number indexed."""
    count = 0
    with transaction.atomic():
        Facet.objects.all().delete()
        Value.objects.all().delete()
        Entry.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM library_search_fts")
        for documents in batches if batches is not None else published_documents():
            index_documents(documents, bitmaps_now=False)
            count += len(documents)
        bitmaps.rebuild_all()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO library_search_fts(library_search_fts) VALUES ('optimize')")
    return count
