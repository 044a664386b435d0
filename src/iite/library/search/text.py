"""Text handling both engines share: folding, Chinese and Japanese bigrams, reading a query,
and turning an engine's marked-up excerpt into safe HTML.

SQLite's ``unicode61`` tokenizer folds Latin diacritics but leaves Arabic vowel marks, the
forms of alef and Cyrillic "ё" alone, so text is folded here before either engine sees it. The
folding maps each character to at most one (vowel marks and tatweel are dropped), so an
excerpt of folded text can be mapped back to the original for highlighting (``restore``).

Chinese and Japanese are written without spaces between words. Each run of such characters is
indexed as its overlapping pairs of characters ("信息技术" → "信息 息技 技术") and a query's run
is searched as the phrase of its pairs, so a two-character word matches anywhere inside a run;
the standard CJK approach (Lucene's CJKAnalyzer) works on both engines without extensions.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

# Private-use characters that cannot occur in folded text mark the start and end of a match.
MARK_START = "\ue000"
MARK_END = "\ue001"

_ARABIC_MARKS = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670\u0640"
_FOLD = str.maketrans(
    {
        # Alef with hamza above, below, madda, wasla -> bare alef; alef maqsura -> yeh;
        # teh marbuta -> heh; Cyrillic io -> ie (both cases).
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0622": "\u0627",
        "\u0671": "\u0627",
        "\u0649": "\u064a",
        "\u0629": "\u0647",
        "\u0451": "\u0435",
        "\u0401": "\u0415",
        **dict.fromkeys(_ARABIC_MARKS, ""),
    }
)

# Han ideographs (with extension A and compatibility forms), kana, and CJK punctuation-free runs.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "「": '"', "」": '"'})
_WORD = re.compile(r"[^\W_]", re.UNICODE)

MAX_QUERY_LENGTH = 500
MAX_TERMS = 40


_NEEDS_FOLD = re.compile("[" + "".join(chr(c) for c in _FOLD) + "]")


def fold(text: str) -> str:
    """The text as both engines index it: Arabic vowel marks dropped, alef forms and "ё" unified."""
    # str.translate with a mapping looks up every character; most text needs none of it.
    return text.translate(_FOLD) if _NEEDS_FOLD.search(text) else text


def cjk_bigrams(text: str) -> str:
    """Every run of Chinese or Japanese characters as its overlapping pairs, space-separated."""
    grams: list[str] = []
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            grams.append(run)
        else:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(grams)


@dataclass(frozen=True)
class Term:
    """One unit of a query: a word or phrase, or a run of CJK characters (as its bigrams)."""

    text: str
    cjk: bool = False

    @property
    def bigrams(self) -> list[str]:
        if len(self.text) == 1:
            return [self.text]
        return [self.text[i : i + 2] for i in range(len(self.text) - 1)]


def parse_query(query: str) -> list[Term]:
    """The terms of what a person typed, every character taken as text.

    Double quotes group words into a phrase (an unbalanced quote is ignored); everything
    else - operators, column names, brackets - is only text, and punctuation-only pieces are
    dropped. Runs of CJK characters become their own terms.
    """
    text = fold(query[:MAX_QUERY_LENGTH]).translate(_QUOTES)
    if text.count('"') % 2:
        head, _quote, tail = text.rpartition('"')
        text = f"{head} {tail}"  # an unbalanced quote is only a character
    pieces: list[str] = []
    for number, part in enumerate(text.split('"')):
        if number % 2:
            pieces.append(part)  # inside quotes: one phrase
        else:
            pieces.extend(part.split())
    terms: list[Term] = []
    for piece in pieces:
        rest = CJK_RUN.sub(" ", piece)
        for run in CJK_RUN.findall(piece):
            terms.append(Term(run, cjk=True))
        words = " ".join(re.findall(r"[^\W_]+", rest))
        if words:
            terms.append(Term(words))
    unique = list(dict.fromkeys(terms))
    return unique[:MAX_TERMS]


def fts5_expression(terms: list[Term], *, any_term: bool = False) -> str:
    """An FTS5 MATCH expression in which every term is a quoted string (never syntax)."""
    parts = []
    for term in terms:
        if term.cjk:
            phrase = " ".join(term.bigrams)
            parts.append(f'cjk : "{phrase}"' + ("*" if len(term.text) == 1 else ""))
        else:
            parts.append('"' + term.text.replace('"', "") + '"')
    return (" OR " if any_term else " AND ").join(parts)


def marked_html(marked: str) -> SafeString:
    """Escape an excerpt whose matches are between MARK_START and MARK_END; wrap them in <mark>."""
    escaped = html.escape(marked, quote=False)
    escaped = escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(escaped)  # noqa: S308  (escaped above; only our own tags added)


def restore(original: str, marked_folded: str) -> str:
    """Carry the marks of an excerpt of ``fold(original)`` over to the same place in ``original``.

    Folding drops some characters (Arabic vowel marks), so the excerpt is aligned through a map
    from each folded character to its place in the original; an excerpt that is not part of
    this text comes back unchanged.
    """
    if fold(original) == original:
        return marked_folded
    mapping = [(out, index) for index, char in enumerate(original) for out in char.translate(_FOLD)]
    folded = "".join(out for out, _index in mapping)
    lead = "…" if marked_folded.startswith("…") else ""
    trail = "…" if len(marked_folded) > 1 and marked_folded.endswith("…") else ""
    body = marked_folded[len(lead) : len(marked_folded) - len(trail)]
    plain = body.replace(MARK_START, "").replace(MARK_END, "")
    start = folded.find(plain) if plain else -1
    if start < 0:
        return marked_folded
    out: list[str] = []
    position = start
    previous = mapping[start][1]
    for char in body:
        if char in (MARK_START, MARK_END):
            out.append(char)
            continue
        index = mapping[position][1]
        if index >= previous:
            out.append(original[previous : index + 1])  # with any marks folding dropped
            previous = index + 1
        position += 1
    return lead + "".join(out) + trail


def highlight_cjk(text: str, terms: list[Term], *, width: int = 120) -> str:
    """A marked excerpt of ``text`` around the first CJK term it contains ('' if none)."""
    runs = [term.text for term in terms if term.cjk]
    if not runs:
        return ""
    pattern = re.compile("|".join(re.escape(run) for run in sorted(runs, key=len, reverse=True)))
    first = pattern.search(text)
    if first is None:
        return ""
    start = max(0, first.start() - width // 3)
    excerpt = text[start : start + width]
    marked = pattern.sub(lambda match: MARK_START + match.group(0) + MARK_END, excerpt)
    return ("…" if start else "") + marked + ("…" if start + width < len(text) else "")


def has_word(text: str) -> bool:
    return bool(_WORD.search(text))


def sort_key(title: str) -> str:
    """A title as it sorts: casefolded, without leading punctuation or quotes."""
    return re.sub(r"^[\W_]+", "", fold(title).casefold())[:200]
