"""The SQL of each engine behind the one search function: matching, ranking, excerpts.

Every user-supplied string reaches the database as a bound parameter; what is assembled into
SQL text is only placeholders and names from this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection

from iite.library.search.text import MARK_END, MARK_START, Term, fts5_expression

if TYPE_CHECKING:
    from iite.library.search.bitmaps import Snapshot

# Weights of title, creators, keywords, abstract, body and CJK bigrams for bm25.
BM25 = "bm25(library_search_fts, 10.0, 4.0, 5.0, 2.0, 1.0, 4.0)"
STEMMING_CONFIGS = ("iite_english", "iite_french", "iite_russian", "iite_spanish", "iite_arabic")
ALL_CONFIGS = (*STEMMING_CONFIGS, "iite_simple")
EXCERPT_WORDS = 28
# PostgreSQL: how many entries hold each word, per database, under one index state token.
_FREQUENCIES: dict[str, tuple[str, dict[str, int]]] = {}
MAX_KNOWN_FREQUENCIES = 10_000


class Match:
    """A text condition on entries (``e``), with what it needs to rank and excerpt; ``parts``
    are the query's words, each a condition of its own (PostgreSQL weighs them by rarity)."""

    def __init__(self, sql: str, params: Sequence[Any], parts: Sequence[str] = ()) -> None:
        self.sql = sql
        self.params = list(params)
        self.parts = list(parts)


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
        self,
        match: Match,
        where: str,
        params: list[Any],
        limit: int,
        offset: int,
        state: Snapshot | None = None,
    ) -> list[tuple[int, float]]:
        """Ids and scores of one page of matching entries, best first; ``where`` filters ``e``.
        ``state`` is the index state the search runs on."""
        raise NotImplementedError

    def scored_ids(self, match: Match, state: Snapshot) -> list[tuple[int, float]] | None:
        """Every matching entry with its score, in no order, when this engine ranks as cheaply
        as it matches (then a search reads the matches once); None otherwise."""
        return None

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
        self,
        match: Match,
        where: str,
        params: list[Any],
        limit: int,
        offset: int,
        state: Snapshot | None = None,
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
        return Match("e.document @@ %s::tsquery", [query], parts)

    def match_ids(self, match: Match) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.resource_id FROM library_search_entry e WHERE {match.sql}",  # noqa: S608  (this module's SQL, placeholders)
                match.params,
            )
            return [row[0] for row in cursor.fetchall()]

    def ranked_ids(
        self,
        match: Match,
        where: str,
        params: list[Any],
        limit: int,
        offset: int,
        state: Snapshot | None = None,
    ) -> list[tuple[int, float]]:
        score, score_params = self._score(match, state)
        sql = (
            f"SELECT e.resource_id, {score} AS score "  # noqa: S608  (placeholders and this module's names only)
            "FROM library_search_entry e WHERE e.document @@ %s::tsquery "
            f"{where} ORDER BY score DESC, e.resource_id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*score_params, match.params[0], *params, limit, offset])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def scored_ids(self, match: Match, state: Snapshot) -> list[tuple[int, float]] | None:
        # A broad word is matched by reading every row's tsvector; scoring it there costs about
        # a fifth more, against a second pass over the same rows to rank them.
        if not match.params:
            return []  # only stop words: nothing to find
        score, score_params = self._score(match, state)
        sql = (
            f"SELECT e.resource_id, {score} FROM library_search_entry e "  # noqa: S608  (placeholders and this module's names only)
            "WHERE e.document @@ %s::tsquery"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*score_params, match.params[0]])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def _score(self, match: Match, state: Snapshot | None) -> tuple[str, list[Any]]:
        """The score of an entry ``e``, and its parameters.

        Cover density alone weighs every word the same, so a common word found often outranks
        a rare one: with several words, each word's cover density is weighted by its rarity
        (BM25's inverse document frequency), as FTS5's bm25 does."""
        weights = self._rarity(match.parts, state) if len(match.parts) > 1 else None
        if weights is None:
            return "ts_rank_cd(e.document, %s::tsquery, 1)", [match.params[0]]
        score = " + ".join(["%s * ts_rank_cd(e.document, %s::tsquery, 1)"] * len(weights))
        pairs = zip(weights, match.parts, strict=True)
        return score, [value for pair in pairs for value in pair]

    def _rarity(self, parts: list[str], state: Snapshot | None) -> list[float] | None:
        """Each word's inverse document frequency, ln(1 + (N - n + 0.5) / (n + 0.5)), with N
        the entries and n those holding the word. Counts are kept for as long as the index
        state token is the same, so a word is counted once between two changes of the index."""
        if state is None:
            return None
        key = connection.settings_dict["NAME"]
        token, known = _FREQUENCIES.get(key, ("", {}))
        if token != state.token or len(known) > MAX_KNOWN_FREQUENCIES:
            known = {}
            _FREQUENCIES[key] = (state.token, known)
        weights = []
        with connection.cursor() as cursor:
            total = known.get("")  # the number of entries, kept under the empty word
            if total is None:
                cursor.execute("SELECT count(*) FROM library_search_entry")
                total = known[""] = int(cursor.fetchone()[0])
            for part in parts:
                found = known.get(part)
                if found is None:
                    cursor.execute(
                        "SELECT count(*) FROM library_search_entry e "
                        "WHERE e.document @@ %s::tsquery",
                        [part],
                    )
                    found = known[part] = int(cursor.fetchone()[0])
                weights.append(math.log(1 + (total - found + 0.5) / (found + 0.5)))
        return weights

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
