"""Search that finds what a reader means.

Documents and queries meet in one *search key* (see :mod:`.script`): Simplified characters,
mainland wording, half width, lower case, no punctuation. So 高质量发展 finds 高品質發展,
集成电路 finds 積體電路, 產業 finds 産業, 首台套 finds 首臺(套) and reits finds REITs. A query
of several words (split on spaces) needs all of them. A clause number (14, 十四, (十四),
第十四條) jumps to that clause; an amount (1000万, 0.1亿) also matches the same sum written
another way. Any string is a valid query: the worst it can do is match nothing.

Chinese is written without spaces, so a reader may run words together that the document
never puts side by side (研发补助: 研发 and 补助 are both there, 研发补助 is not). When a
query matches nothing, each word the document never contains is split where two of its
characters never meet in the document; a piece that still never occurs is matched by its
character pairs. The results then say they are this looser match, and with which pieces.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Any

from .models import DEFAULT_SCRIPT, Clause, Document, Script, amount_key
from .money import MONEY_RE, money_value, query_amount
from .numerals import parse_numeral
from .script import MAX_QUERY_CHARS, decode_alignment, search_key, search_key_aligned

UNITS_LABEL: dict[Script, str] = {"traditional": "責任單位:", "simplified": "责任单位:"}

SNIPPET_BEFORE = 16
SNIPPET_AFTER = 40


@dataclass(frozen=True)
class Weights:
    """What a clause scores for each way it matches the query (summed over the query's words)."""

    title: int = 20  # a word in the clause's title: the clause is about it
    amount: int = 8  # an amount typed (1000万) that the clause states, however it is written
    units: int = 6  # a word in the responsible units: the clause names that body
    body: int = 2  # a word in the clause's text...
    body_repeats: int = 5  # ...plus 1 for each time it occurs there, counted up to this many
    number: int = 1000  # the query is this clause's number (14, 十四): it comes first
    phrase: int = 10  # several words that stand together, as one phrase, in the text
    exact_title: int = 30  # the words together are the clause's whole title


WEIGHTS = Weights()

# A sum of money as (amount, currency), so 1000萬元 and 0.1億元 are the same key.
Amount = tuple[Decimal, str]

_CLAUSE_NO = re.compile(r"^(?:第)?[(（]?(?P<n>\d{1,3}|[零〇一二两兩三四五六七八九十百]{1,6})[)）]?(?:條|条|款)?$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Hit:
    clause: int
    title: str
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # spans inside ``snippet``
    where: tuple[str, ...]  # "number", "title", "text", "units", "amount"

    def to_json(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "title": self.title,
            "score": self.score,
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "matched_in": list(self.where),
        }


@dataclass(frozen=True)
class Results:
    query: str
    hits: tuple[Hit, ...]
    total: int
    terms: tuple[str, ...] = field(default=())
    # Set when nothing matched the words as typed and these pieces of them did (see above):
    # the pieces in the reader's own characters.
    relaxed: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "results": [h.to_json() for h in self.hits],
        }
        if self.relaxed:
            out["relaxed"] = list(self.relaxed)
        return out


@dataclass
class _Occurrences:
    body: dict[int, int] = field(default_factory=dict)  # clause index -> count
    title: set[int] = field(default_factory=set)
    units: set[int] = field(default_factory=set)
    amount: set[int] = field(default_factory=set)

    def clauses(self) -> set[int]:
        return set(self.body) | self.title | self.units | self.amount


def _record(occ: _Occurrences, region: str, i: int, count: int) -> None:
    if region == "body":
        occ.body[i] = occ.body.get(i, 0) + count
    elif region == "title":
        occ.title.add(i)
    else:
        occ.units.add(i)


def _joined(keys: list[str]) -> tuple[str, list[int]]:
    starts = []
    pos = 0
    for k in keys:
        starts.append(pos)
        pos += len(k) + 1
    return "\n".join(keys), starts


@dataclass
class _Entry:
    clause: Clause
    amounts: frozenset[Amount]
    maps: tuple[list[int], list[int]] | None = None  # (search key -> simplified, simplified -> body), on first need


def clause_number_query(query: str) -> int | None:
    """14, 十四, (十四), （十四）, 第十四條 -> 14."""
    text = unicodedata.normalize("NFKC", query).strip()
    m = _CLAUSE_NO.match(text)
    if not m:
        return None
    n = m["n"]
    return int(n) if n.isdigit() else parse_numeral(n)


def _words(query: str) -> list[str]:
    """A query's words: split on spaces (control characters count as spaces), cut to length."""
    text = query[:MAX_QUERY_CHARS]
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return [w for w in _SPACES.split(text) if w]


def query_terms(query: str) -> tuple[str, ...]:
    """The search keys of a query's words, without empty ones (pure punctuation)."""
    keys = (search_key(w) for w in _words(query))
    seen: list[str] = []
    for k in keys:
        if k and k not in seen:
            seen.append(k)
    return tuple(seen)


class SearchIndex:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._entries = [_Entry(c, frozenset(amount_key(m) for m in c.money)) for c in doc.clauses]
        self._index_of = {e.clause.number: i for i, e in enumerate(self._entries)}
        self._by_title_key: dict[str, int] = {}
        for i, e in enumerate(self._entries):
            self._by_title_key.setdefault(e.clause.search_title_key, i)
        self._by_amount: dict[Amount, set[int]] = {}
        for i, e in enumerate(self._entries):
            for amount in e.amounts:
                self._by_amount.setdefault(amount, set()).add(i)
        self._numbers = [e.clause.number for e in self._entries]
        self._body_keys = [e.clause.search_key for e in self._entries]
        # One string per region, clauses separated by a newline (never part of a key).
        self._regions = {
            "body": _joined(self._body_keys),
            "title": _joined([e.clause.search_title_key for e in self._entries]),
            "units": _joined([e.clause.search_units_key for e in self._entries]),
        }
        self._pair_set: frozenset[str] | None = None

    def _entry(self, number: int) -> _Entry | None:
        i = self._index_of.get(number)
        return None if i is None else self._entries[i]

    # -- alignment ---------------------------------------------------------------------------

    def _maps(self, e: _Entry) -> tuple[list[int], list[int]]:
        if e.maps is None:
            e.maps = decode_alignment(e.clause.key_to_simp), decode_alignment(e.clause.simp_to_body)
        return e.maps

    def _display_span(self, e: _Entry, ks: int, ke: int, script: Script) -> tuple[int, int]:
        k2s, s2b = self._maps(e)
        start, end = k2s[ks], k2s[ke - 1] + 1
        if script == "traditional":
            start, end = s2b[start], s2b[end - 1] + 1
        return start, end

    @staticmethod
    def display_body(c: Clause, script: Script) -> str:
        return c.body_in(script)

    @staticmethod
    def _units_snippet(c: Clause, terms: tuple[str, ...], script: Script) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A units-only match: show the responsible units, with the matching one marked."""
        units = c.units_in(script)
        label = UNITS_LABEL[script]
        parts: list[str] = []
        highlights: list[tuple[int, int]] = []
        pos = len(label)
        for unit in units:
            highlights.extend((pos + s, pos + e) for s, e in _units_snippet_spans(unit, terms))
            parts.append(unit)
            pos += len(unit) + 1
        return label + "、".join(parts), tuple(highlights)

    def quote_span(self, number: int, quote: str, script: Script) -> tuple[int, int] | None:
        """Where a verbatim quote of the clause stands in its displayed body."""
        e = self._entry(number)
        if e is None:
            return None
        start = e.clause.body.find(quote)
        if start < 0:
            return None
        return self._body_span(e, start, start + len(quote), script)

    def text_span(self, number: int, start: int, end: int, script: Script) -> tuple[int, int] | None:
        """A span of the clause's source line (a money figure) in its displayed body."""
        e = self._entry(number)
        if e is None:
            return None
        offset = e.clause.text.find(e.clause.body)
        if offset < 0 or start < offset or end > offset + len(e.clause.body):
            return None
        return self._body_span(e, start - offset, end - offset, script)

    def _body_span(self, e: _Entry, start: int, end: int, script: Script) -> tuple[int, int] | None:
        if script == "traditional":
            return start, end
        _, s2b = self._maps(e)
        simp = [i for i, b in enumerate(s2b) if start <= b < end]
        return (simp[0], simp[-1] + 1) if simp else None

    def match_spans(self, number: int, terms: tuple[str, ...], script: Script) -> list[tuple[int, int]]:
        """Every place the terms match in a clause's displayed body, in reading order."""
        e = self._entry(number)
        if e is None:
            return []
        key = e.clause.search_key
        spans: set[tuple[int, int]] = set()
        for term in terms:
            amount = query_amount(term)
            if amount is not None:
                body = self.display_body(e.clause, script)
                for m in MONEY_RE.finditer(body):
                    if money_value(m["num"], m["unit"]) == amount:
                        spans.add((m.start(), m.end()))
            for start in _find_all(key, term):
                spans.add(self._display_span(e, start, start + len(term), script))
        return _merge(sorted(spans))

    # -- search ------------------------------------------------------------------------------

    def search(self, query: str, script: Script = DEFAULT_SCRIPT, limit: int | None = 50) -> Results:
        terms = query_terms(query)
        jump = clause_number_query(query[:MAX_QUERY_CHARS])
        results = self._search(query, terms, jump, script, limit)
        if results.total or not terms:
            return results
        pieces = self._pieces(query)
        if not pieces:
            return results
        loose = self._search(query, tuple(dict.fromkeys(key for _, key in pieces)), jump, script, limit)
        if not loose.total:
            return results
        return Results(
            query=loose.query,
            hits=loose.hits,
            total=loose.total,
            terms=loose.terms,
            relaxed=tuple(dict.fromkeys(shown for shown, _ in pieces)),
        )

    # -- the looser match (see the module's docstring) ---------------------------------------

    MAX_RELAXED_WORD = 24  # longer words are not a reader's run-together phrase

    def _pairs(self) -> frozenset[str]:
        """Every pair of adjacent key characters in the document (built on first need)."""
        if self._pair_set is None:  # the joined regions: a pair across "\n" never matches a key
            self._pair_set = frozenset(big[i : i + 2] for big, _ in self._regions.values() for i in range(len(big) - 1))
        return self._pair_set

    def _occurs(self, key: str) -> bool:
        if key[0].isdigit() or key[-1].isdigit():
            return any(_find_all(big, key) for big, _ in self._regions.values())
        return any(key in big for big, _ in self._regions.values())

    def _pieces(self, query: str) -> list[tuple[str, str]]:
        """The query's words, the missing ones split: [(piece as typed, its key)], or []
        when no word can be split (nothing looser to try)."""
        out: list[tuple[str, str]] = []
        split_any = False
        for word in _words(query):
            key, align = search_key_aligned(word)
            if not key:
                continue
            if len(key) < 3 or len(key) > self.MAX_RELAXED_WORD or self._occurs(key):
                out.append((word, key))
                continue
            pairs = self._pairs()
            cuts = [0] + [i for i in range(1, len(key)) if key[i - 1 : i + 1] not in pairs] + [len(key)]
            for a, b in pairwise(cuts):
                if b - a < 3 or self._occurs(key[a:b]):
                    spans = [(a, b)]
                else:  # every pair of it occurs, though never all in a row: match the pairs
                    spans = [(i, i + 2) for i in range(a, b - 1)]
                out.extend((word[align[i] : align[j - 1] + 1], key[i:j]) for i, j in spans)
            split_any = True
        return out if split_any else []

    def _search(
        self, query: str, terms: tuple[str, ...], jump: int | None, script: Script, limit: int | None
    ) -> Results:
        # Per term, where it occurs: found in three long strings (all titles, all bodies, all
        # units) with C-speed find, so the cost follows the matches, not the corpus size.
        per_term = [self._occurrences(t) for t in terms]
        candidates = _common_clauses(per_term)
        jump_index = self._index_of.get(jump) if jump is not None else None
        if jump_index is not None:
            candidates.add(jump_index)
        score = self._scores(terms, per_term, candidates, jump_index)
        total = len(candidates)
        ranked = [(sc, -self._numbers[i], i) for i, sc in score.items()]  # plain tuples: no key function
        if limit is None:
            ranked.sort(reverse=True)
        else:
            ranked = heapq.nlargest(max(limit, 0), ranked)
        top = [i for _, _, i in ranked]
        hits = tuple(
            self._hit(self._entries[i], score[i], self._where(i, per_term, jump_index), terms, script) for i in top
        )
        return Results(query=query, hits=hits, total=total, terms=terms)

    def _scores(
        self, terms: tuple[str, ...], per_term: list[_Occurrences], candidates: set[int], jump_index: int | None
    ) -> dict[int, float]:
        """Each candidate's score: in bulk, per term and region (see :class:`Weights`)."""
        w = WEIGHTS
        score: dict[int, float] = dict.fromkeys(candidates, 0.0)
        for occ in per_term:
            for i in occ.title & candidates:
                score[i] += w.title
            for i in occ.amount & candidates:
                score[i] += w.amount
            for i, count in occ.body.items():
                if i in score:
                    score[i] += w.body + min(w.body_repeats, count)
            for i in occ.units & candidates:
                score[i] += w.units
        if jump_index is not None:
            score[jump_index] += w.number
        phrase = "".join(terms)
        if len(terms) > 1:
            for i in candidates:
                if phrase in self._entries[i].clause.search_key:
                    score[i] += w.phrase
        exact_title = self._by_title_key.get(phrase) if phrase else None
        if exact_title is not None and exact_title in score:
            score[exact_title] += w.exact_title
        return score

    @staticmethod
    def _where(i: int, per_term: list[_Occurrences], jump_index: int | None) -> tuple[str, ...]:
        where: list[str] = ["number"] if i == jump_index else []
        for occ in per_term:
            if i in occ.title:
                _add(where, "title")
            if i in occ.amount:
                _add(where, "amount")
            if i in occ.body:
                _add(where, "text")
            if i in occ.units:
                _add(where, "units")
        return tuple(where)

    def _occurrences(self, term: str) -> _Occurrences:
        occ = _Occurrences()
        numeric = term[0].isdigit() or term[-1].isdigit()
        for region, (big, starts) in self._regions.items():
            if numeric:  # whole numbers only: check each occurrence's neighbours
                for pos in _find_all(big, term):
                    i = bisect_right(starts, pos) - 1
                    _record(occ, region, i, 1)
                continue
            n = len(starts)
            if region == "body" and self._common(big, term, n):
                # A term in most clauses: one C count per clause beats finding each match.
                for i, key in enumerate(self._body_keys):
                    count = key.count(term)
                    if count:
                        occ.body[i] = count
                continue
            # Find the first occurrence, count the rest of that clause in C, skip to the next.
            pos = big.find(term)
            while pos >= 0:
                i = bisect_right(starts, pos) - 1
                end = starts[i + 1] - 1 if i + 1 < n else len(big)
                _record(occ, region, i, big.count(term, pos, end) if region == "body" else 1)
                pos = big.find(term, end)
        amount = query_amount(term)
        if amount is not None:
            occ.amount = self._by_amount.get(amount, set())
        return occ

    @staticmethod
    def _common(big: str, term: str, clauses: int) -> bool:
        """Estimate from a sixteenth of the corpus whether the term is in most clauses."""
        sample = len(big) // 16
        return sample > 0 and big.count(term, 0, sample) * 16 > clauses // 2

    def _hit(self, e: _Entry, score: float, where: tuple[str, ...], terms: tuple[str, ...], script: Script) -> Hit:
        c = e.clause
        body = self.display_body(c, script)
        spans = self.match_spans(c.number, terms, script) if terms else []
        title = c.title_in(script)
        if not spans and "units" in where:
            return Hit(c.number, title, score, *self._units_snippet(c, terms, script), where)
        anchor = spans[0][0] if spans else 0
        start = max(0, anchor - SNIPPET_BEFORE)
        end = min(len(body), anchor + SNIPPET_AFTER)
        snippet = body[start:end]
        highlights = tuple((max(s, start) - start, min(t, end) - start) for s, t in spans if s < end and t > start)
        # ASCII dots: the ellipsis character is ambiguous-width and misaligns some terminals.
        prefix = "..." if start > 0 else ""
        suffix = "..." if end < len(body) else ""
        if prefix:
            highlights = tuple((s + 3, t + 3) for s, t in highlights)
        return Hit(c.number, title, score, prefix + snippet + suffix, highlights, where)


def _common_clauses(per_term: list[_Occurrences]) -> set[int]:
    """The clauses where every term occurs (in any region)."""
    candidates: set[int] | None = None
    for occ in per_term:
        found = occ.clauses()
        candidates = found if candidates is None else candidates & found
        if not candidates:
            break
    return set(candidates or ())


def _units_snippet_spans(unit: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    key, align = search_key_aligned(unit)
    return [(align[pos], align[pos + len(term) - 1] + 1) for term in terms for pos in _find_all(key, term)]


def _find_all(key: str, term: str) -> list[int]:
    """Where ``term`` occurs in ``key``; a number only matches a whole number (5% is not 5.5%)."""
    check_start = term[0].isdigit()
    check_end = term[-1].isdigit()
    out = []
    pos = key.find(term)
    while pos >= 0:
        end = pos + len(term)
        if not (
            (check_start and pos > 0 and (key[pos - 1].isdigit() or key[pos - 1] == "."))
            or (check_end and end < len(key) and (key[end].isdigit() or key[end] == "."))
        ):
            out.append(pos)
        pos = key.find(term, pos + 1)
    return out


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


__all__ = ["Hit", "Results", "SearchIndex", "clause_number_query", "query_terms"]
