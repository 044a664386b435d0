"""The SQL of each engine behind the one search function: matching, ranking, excerpts.

Every user-supplied string reaches the database as a bound parameter; what is assembled into
SQL text is only placeholders and names from this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from iite.library.search.text import MARK_END, MARK_START, Term, fts5_expression

# Weights of title, creators, keywords, abstract, body and CJK bigrams for bm25.
BM25 = "bm25(library_search_fts, 10.0, 4.0, 5.0, 2.0, 1.0, 4.0)"
STEMMING_CONFIGS = ("iite_english", "iite_french", "iite_russian", "iite_spanish", "iite_arabic")
ALL_CONFIGS = (*STEMMING_CONFIGS, "iite_simple")
EXCERPT_WORDS = 28


class Match:
    """A text condition on entries (``e``), with what it needs to rank and excerpt."""

    def __init__(self, sql: str, params: Sequence[Any]) -> None:
        self.sql = sql
        self.params = list(params)


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


class Engine:
    vendor = ""

    def match(self, terms: list[Term], *, any_term: bool) -> Match | None:
        raise NotImplementedError

    def match_ids(self, match: Match) -> list[int]:
        """The ids of every entry the text matches, in no order."""
        raise NotImplementedError

    def ranked_ids(
        self, match: Match, where: str, params: list[Any], limit: int, offset: int
    ) -> list[tuple[int, float]]:
        """Ids and scores of one page of matching entries, best first; ``where`` filters ``e``."""
        raise NotImplementedError

    def excerpts(self, match: Match | None, ids: list[int]) -> dict[int, tuple[str, str, str]]:
        """(marked title, marked abstract excerpt, marked body excerpt) of each id."""
        raise NotImplementedError


class SqliteEngine(Engine):
    vendor = "sqlite"

    def match(self, terms: list[Term], *, any_term: bool) -> Match | None:
        if not terms:
            return None
        expression = fts5_expression(terms, any_term=any_term)
        sql = (
            "e.resource_id IN (SELECT rowid FROM library_search_fts "
            "WHERE library_search_fts MATCH %s)"
        )
        return Match(sql, [expression])

    def match_ids(self, match: Match) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM library_search_fts WHERE library_search_fts MATCH %s",
                match.params,
            )
            return [row[0] for row in cursor.fetchall()]

    def ranked_ids(
        self, match: Match, where: str, params: list[Any], limit: int, offset: int
    ) -> list[tuple[int, float]]:
        # Every FTS5 row has its entry (written together, removed by trigger): join the entries
        # only when filters need them, not for each of a broad query's matches.
        join = "JOIN library_search_entry e ON e.resource_id = f.rowid " if where.strip() else ""
        sql = (
            f"SELECT f.rowid, -{BM25} AS score FROM library_search_fts f {join}"  # noqa: S608  (placeholders and this module's names only)
            f"WHERE library_search_fts MATCH %s {where} "
            "ORDER BY score DESC, f.rowid DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match.params[0], *params, limit, offset])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def excerpts(self, match: Match | None, ids: list[int]) -> dict[int, tuple[str, str, str]]:
        if match is None or not ids:
            return {}
        marks = [MARK_START, MARK_END]
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            "SELECT rowid, highlight(library_search_fts, 0, %s, %s), "  # noqa: S608  (placeholders and this module's names only)
            f"snippet(library_search_fts, 3, %s, %s, '…', {EXCERPT_WORDS}), "
            f"snippet(library_search_fts, 4, %s, %s, '…', {EXCERPT_WORDS}) "
            "FROM library_search_fts WHERE library_search_fts MATCH %s "
            f"AND rowid IN ({placeholders})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*marks, *marks, *marks, match.params[0], *ids])
            return {row[0]: (row[1] or "", row[2] or "", row[3] or "") for row in cursor}


class PostgresEngine(Engine):
    vendor = "postgresql"

    def _alternatives(self, terms: list[Term]) -> list[list[str]]:
        """Each non-CJK term as stemmed by every configuration (its alternatives)."""
        words = [term.text for term in terms if not term.cjk]
        if not words:
            return []
        sql = (
            "SELECT t.i, c.name, phraseto_tsquery(c.name::regconfig, t.word)::text "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(word, i), "
            "unnest(%s::text[]) AS c(name)"
        )
        found: dict[int, dict[str, str]] = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [words, list(ALL_CONFIGS)])
            for index, config, query in cursor.fetchall():
                found.setdefault(index, {})[config] = query
        alternatives = []
        for index in sorted(found):
            stems = found[index]
            # A stop word in any language (le, de, the...) would match nothing there: drop it.
            if any(not stems.get(config) for config in STEMMING_CONFIGS):
                continue
            alternatives.append(sorted({stem for stem in stems.values() if stem}))
        return alternatives

    def match(self, terms: list[Term], *, any_term: bool) -> Match | None:
        if not terms:
            return None
        parts = [
            "(" + " | ".join(f"({alternative})" for alternative in alternatives) + ")"
            for alternatives in self._alternatives(terms)
        ]
        for term in terms:
            if term.cjk:
                parts.append("(" + " <-> ".join(_quote_lexeme(gram) for gram in term.bigrams) + ")")
        if not parts:
            return Match("1 = 0", [])  # only stop words: nothing to find
        query = (" | " if any_term else " & ").join(parts)
        return Match("e.document @@ %s::tsquery", [query])

    def match_ids(self, match: Match) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.resource_id FROM library_search_entry e WHERE {match.sql}",  # noqa: S608  (this module's SQL, placeholders)
                match.params,
            )
            return [row[0] for row in cursor.fetchall()]

    def ranked_ids(
        self, match: Match, where: str, params: list[Any], limit: int, offset: int
    ) -> list[tuple[int, float]]:
        sql = (
            "SELECT e.resource_id, ts_rank_cd(e.document, %s::tsquery, 1) AS score "  # noqa: S608  (placeholders and this module's names only)
            "FROM library_search_entry e WHERE e.document @@ %s::tsquery "
            f"{where} ORDER BY score DESC, e.resource_id DESC LIMIT %s OFFSET %s"
        )
        query = match.params[0]
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, query, *params, limit, offset])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def excerpts(self, match: Match | None, ids: list[int]) -> dict[int, tuple[str, str, str]]:
        if match is None or not ids:
            return {}
        marks = f"StartSel={MARK_START}, StopSel={MARK_END}"
        title_options = f"{marks}, HighlightAll=true"
        abstract_options = (
            f"{marks}, MaxWords={EXCERPT_WORDS}, MinWords=12, MaxFragments=2, "
            'FragmentDelimiter=" … "'
        )
        sql = (
            "SELECT e.resource_id, "
            "ts_headline(e.config::regconfig, e.title, q.query, %s), "
            "ts_headline(e.config::regconfig, e.abstract, q.query, %s) "
            "FROM library_search_entry e, (SELECT %s::tsquery AS query) q "
            "WHERE e.resource_id = ANY(%s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [title_options, abstract_options, match.params[0], ids])
            return {row[0]: (row[1] or "", _fragment(row[2] or ""), "") for row in cursor}


def _fragment(headline: str) -> str:
    """A headline that found no match is the text's start: show it only if it has a mark."""
    return headline if MARK_START in headline else ""


def engine() -> Engine:
    if connection.vendor == "postgresql":
        return PostgresEngine()
    return SqliteEngine()
