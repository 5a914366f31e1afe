"""Search that finds what a reader means, in every part of the document.

A query is read into words as the document may say them (:mod:`.query`: thesaurus groups,
amounts in words, run-together words cut, question words dropped). Every part of the
document is a *place* to find them: each clause (title, text, responsible units), each
domain's introduction (with its targets and budget, and its lead agencies), the preamble,
each closing paragraph, and the reader's own notes.

Places are ranked in tiers, then by a BM25 score within a tier:

1. the clause whose number was typed (14, 十四, 第十四條);
2. a place whose title is the query as typed, then places that hold it as typed (an exact
   phrase);
3. places holding every word (a thesaurus word counts as any word of its group);
4. places holding most of them (only when the words they hold carry at least half of the
   query's weight, each word weighted by how rare it is: a word the document has nowhere
   weighs as much as its rarest word, so nonsense still finds nothing).

The BM25 score sums, per word, its rarity (inverse document frequency) times how often the
place's text has it (saturating, relative to the text's length), plus fixed amounts for a
title, the responsible units or an amount that match; a word found only as another word of
its group counts a little less. Every result says why it matched: which words it has, which
through another word (补贴≈补助), and how many of them.

Documents and queries meet in one *search key* (see :mod:`.script`): Simplified characters,
mainland wording, half width, lower case, no punctuation. Any string is a valid query: the
worst it can do is match nothing.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_right
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from operator import add
from typing import Any, Literal

from .models import DEFAULT_SCRIPT, DOCUMENT, Clause, Document, Script, Target, amount_key
from .money import MONEY_RE, money_value, query_amount
from .query import (
    QUESTION_CHARS,
    QUESTION_WORDS,
    Amount,
    Query,
    QueryReader,
    Term,
    clause_number_query,
    query_terms,
    words,
)
from .script import decode_alignment, same_characters, search_key, search_key_aligned
from .thesaurus import Thesaurus, shipped_thesaurus

UNITS_LABEL: dict[Script, str] = {"traditional": "責任單位:", "simplified": "责任单位:"}
LEAD_LABEL: dict[Script, str] = {"traditional": "牽頭單位:", "simplified": "牵头单位:"}

SNIPPET_BEFORE = 16
SNIPPET_AFTER = 40

# Where a result is: a clause, a domain's introduction, the preamble, a closing paragraph or
# the reader's note on a clause.
Place = Literal["clause", "domain", "preamble", "closing", "note"]

# Words that say what a place is, so a reader can ask for it: 目标 (a domain's targets), 预算
# (its budget), 前言, 结语. Search keys.
_ABOUT_DOMAIN = "领域"
_ABOUT_TARGETS = "目标"
_ABOUT_BUDGET = "预算"
_ABOUT_PREAMBLE = "前言"
_ABOUT_CLOSING = "结语"


@dataclass(frozen=True)
class Weights:
    """How a place scores (see the module's docstring)."""

    k1: float = 1.2  # how soon repeats of a word stop counting
    b: float = 0.75  # how much a long text is discounted
    title: float = 2.5  # a word in the title: the place is about it
    about: float = 1.5  # a word that says what the place is (目标, 前言)
    amount: float = 2.5  # an amount typed (1000万) that the place states, however written
    units: float = 1.0  # a word in the responsible units: the clause names that body
    other_word: float = 0.9  # found only as another word of the thesaurus group
    partial_share: float = 0.5  # the share of the query's weight a partial match must hold


WEIGHTS = Weights()


@dataclass(frozen=True)
class Hit:
    place: Place
    number: int  # the clause (clause, note), the domain, the closing paragraph (from 1); 0 for the preamble
    title: str
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # spans inside ``snippet``
    where: tuple[str, ...]  # "number", "title", "text", "units", "amount", "about"
    matched: tuple[str, ...] = ()  # the query's words this place has, as typed
    via: tuple[tuple[str, str], ...] = ()  # (as typed, as the place says it) for a word found as another
    words: int = 0  # how many words the query has (len(matched) < words: a partial match)

    @property
    def clause(self) -> int | None:
        """The clause this result is in (a clause's or a note's), else None."""
        return self.number if self.place in ("clause", "note") else None

    @property
    def target(self) -> Target:
        """The page a result opens: its clause, its domain, or the document's page."""
        if self.place in ("clause", "note"):
            return ("clause", self.number)
        if self.place == "domain":
            return ("domain", self.number)
        return DOCUMENT

    @property
    def partial(self) -> bool:
        return len(self.matched) < self.words

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"place": self.place}
        if self.clause is not None:
            out["clause"] = self.clause
        elif self.place == "domain":
            out["domain"] = self.number
        elif self.place == "closing":
            out["paragraph"] = self.number
        out |= {
            "title": self.title,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "matched_in": list(self.where),
            "matched": list(self.matched),
            "via": [{"typed": typed, "found": found} for typed, found in self.via],
            "words": [len(self.matched), self.words],
        }
        return out


@dataclass(frozen=True)
class Results:
    query: str
    hits: tuple[Hit, ...]
    total: int
    full: int = 0  # how many places hold every word (they come first)
    read: Query | None = None
    # A word the document has nowhere, and the word one character away it has (研發投人:
    # 研發投入), as the reader's script shows it.
    suggestions: tuple[tuple[str, str], ...] = ()
    # A clause number the document does not have, and its last clause's: (77, 76).
    no_clause: tuple[int, int] | None = None

    @property
    def words(self) -> tuple[Term, ...]:
        return self.read.terms if self.read else ()

    @property
    def marks(self) -> tuple[str, ...]:
        """The search keys to mark in a page: every word and the words that count as it."""
        return tuple(dict.fromkeys(k for t in self.words if t.known for k in t.keys))

    @property
    def dropped(self) -> tuple[str, ...]:
        return self.read.dropped if self.read else ()

    @property
    def unknown(self) -> tuple[str, ...]:
        return self.read.unknown if self.read else ()

    @property
    def only_asked(self) -> bool:
        """The query was question words only (searched as typed)."""
        return self.read is not None and self.read.only_asked

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "all_words": self.full,
            "read": {
                "words": [
                    {"typed": t.shown, "key": t.key, "also": list(t.alternatives), "in_document": t.known}
                    for t in self.words
                ],
                "dropped": list(self.dropped),
                "not_in_document": list(self.unknown),
                "did_you_mean": [{"typed": typed, "word": word} for typed, word in self.suggestions],
            },
            "results": [h.to_json() for h in self.hits],
        }


# --- The places ---------------------------------------------------------------------------------


@dataclass
class _Place:
    place: Place
    number: int
    title_key: str
    body_key: str
    units_key: str
    about_key: str
    amounts: frozenset[Amount]
    clause: Clause | None = None
    # A place other than a clause: its text in each script, with the alignment key -> text,
    # made on first need.
    texts: dict[Script, tuple[str, str, list[int]]] = field(default_factory=dict)
    maps: tuple[list[int], list[int]] | None = None  # a clause: (key -> simplified, simplified -> body)


@dataclass
class _Found:
    """Where one word (any of its keys) occurs: per place index."""

    body: dict[int, int] = field(default_factory=dict)  # count
    title: set[int] = field(default_factory=set)
    units: set[int] = field(default_factory=set)
    about: set[int] = field(default_factory=set)
    amount: set[int] = field(default_factory=set)
    own: set[int] = field(default_factory=set)  # places that have the word as typed (not another of its group)

    def places(self) -> set[int]:
        return set(self.body).union(self.title, self.units, self.about, self.amount)

    def has(self, i: int) -> bool:
        return i in self.body or i in self.title or i in self.units or i in self.about or i in self.amount


@dataclass(frozen=True)
class _Where:
    """Where one search key stands, per place index (what :meth:`SearchIndex._occurrences` keeps)."""

    body: dict[int, int]  # count (never changed once made)
    title: frozenset[int]
    units: frozenset[int]
    about: frozenset[int]

    def places(self) -> set[int]:
        return set(self.body).union(self.title, self.units, self.about)


_NOWHERE = _Where({}, frozenset(), frozenset(), frozenset())


def _numeric(key: str) -> bool:
    """A key that starts or ends with a digit: it matches whole numbers only."""
    return key[0].isdigit() or key[-1].isdigit()


def _joined(keys: list[str]) -> tuple[str, list[int]]:
    """Keys in one string, a newline between them, and where each starts."""
    starts = []
    pos = 0
    for k in keys:
        starts.append(pos)
        pos += len(k) + 1
    return "\n".join(keys), starts


class SearchIndex:
    def __init__(self, doc: Document, thesaurus: Thesaurus | None = None) -> None:
        self.doc = doc
        base = shipped_thesaurus() if thesaurus is None else thesaurus
        self.thesaurus = base.with_groups([a["name"], *a["aliases"]] for a in doc.agency_aliases)
        self._places = self._make_places(doc)
        self._index_of = {(p.place, p.number): i for i, p in enumerate(self._places)}
        self._clause_index = {n: i for (place, n), i in self._index_of.items() if place == "clause"}
        self._numbers_max = max((c.number for c in doc.clauses), default=0)
        self._body_keys = [p.body_key for p in self._places]
        self._title_keys = [p.title_key for p in self._places]
        self._units_keys = [p.units_key for p in self._places]
        self._about_keys = [p.about_key for p in self._places]
        # each place's regions in one string (a key never holds the "\n" between them)
        # the short regions of all places, each joined in one string (a key never holds "\n")
        self._short = tuple(_joined(keys) for keys in (self._title_keys, self._units_keys, self._about_keys))
        regions = zip(self._title_keys, self._body_keys, self._units_keys, self._about_keys, strict=True)
        self._texts = ["\n".join(keys) for keys in regions]
        self._lengths = [max(len(k), 1) for k in self._body_keys]
        self._average = sum(self._lengths) / max(len(self._lengths), 1)
        self._by_amount: dict[Amount, set[int]] = {}
        for i, p in enumerate(self._places):
            for amount in p.amounts:
                self._by_amount.setdefault(amount, set()).add(i)
        self._by_title_key: dict[str, int] = {}
        for i, p in enumerate(self._places):
            self._by_title_key.setdefault(p.title_key, i)
        self._chars = frozenset("".join(p.title_key + p.body_key + p.units_key + p.about_key for p in self._places))
        self._grams: dict[str, list[int]] | None = None
        self._occurs_memo: dict[str, bool] = {}
        self._cache: OrderedDict[str, _Where] = OrderedDict()
        self._norm_list: list[float] | None = None
        self.reader = QueryReader(self, self.thesaurus)

    @staticmethod
    def _make_places(doc: Document) -> list[_Place]:
        places = [
            _Place(
                "clause",
                c.number,
                c.search_title_key,
                c.search_key,
                c.search_units_key,
                "",
                frozenset(amount_key(m) for m in c.money),
                clause=c,
            )
            for c in doc.clauses
        ]
        for d in doc.domains:
            about = [_ABOUT_DOMAIN] + ([_ABOUT_TARGETS] if d.targets else []) + ([_ABOUT_BUDGET] if d.budget else [])
            places.append(
                _Place(
                    "domain",
                    d.number,
                    search_key(d.title),
                    search_key(d.intro),
                    " ".join(search_key(a) for a in d.lead_agencies),
                    " ".join(about),
                    # its budget too: the domain's page states it
                    frozenset(_amounts(d.intro) + ([(Decimal(d.budget["yuan"]), "CNY")] if d.budget else [])),
                )
            )
        if doc.preamble.strip():
            places.append(_Place("preamble", 0, "", search_key(doc.preamble), "", _ABOUT_PREAMBLE, frozenset()))
        for n, para in enumerate(doc.closing, 1):
            places.append(_Place("closing", n, "", search_key(para), "", _ABOUT_CLOSING, frozenset(_amounts(para))))
        return places

    # -- what query reading asks of the document (query.Corpus) ------------------------------

    def _postings(self) -> dict[str, list[int]]:
        """Every pair of adjacent key characters in the document, with the places that have
        it (built on first need): a word is looked for only where its rarest pair is."""
        if self._grams is None:
            grams: defaultdict[str, list[int]] = defaultdict(list)
            for i, text in enumerate(self._texts):
                for pair in set(map(add, text, text[1:])):
                    grams[pair].append(i)
            self._grams = dict(grams)
        return self._grams

    def _candidates(self, key: str) -> list[int] | None:
        """The places that have the rarest pair of ``key`` (None: some pair is nowhere)."""
        return self._candidates_of([key[j : j + 2] for j in range(len(key) - 1)])

    def occurs(self, key: str) -> bool:
        """Whether the document has ``key`` anywhere (a number only as a whole number)."""
        if not key:
            return False
        known = self._occurs_memo.get(key)
        if known is not None:
            return known
        if len(key) == 1:
            found = key in self._chars
        else:
            places = self._candidates(key)
            if places is None:
                found = False
            elif _numeric(key):  # a whole number somewhere
                found = bool(self._locate(key, places).places())
            else:
                found = any(key in self._texts[i] for i in places)
        if len(self._occurs_memo) > 4096:  # what the document has never changes: a bound is enough
            self._occurs_memo.clear()
        self._occurs_memo[key] = found
        return found

    def occurs_often(self, key: str) -> bool:
        """Whether the document's texts have ``key`` three times or more."""
        return len(key) > 1 and sum(self._occurrences(key).body.values()) >= 3

    def has_char(self, ch: str) -> bool:
        return ch in self._chars

    # -- alignment -----------------------------------------------------------------------------

    def _clause_maps(self, p: _Place) -> tuple[list[int], list[int]]:
        if p.maps is None:
            assert p.clause is not None
            p.maps = decode_alignment(p.clause.key_to_simp), decode_alignment(p.clause.simp_to_body)
        return p.maps

    def _text(self, p: _Place, script: Script) -> tuple[str, str, list[int]]:
        """A place's text as shown in ``script``, its search key and the alignment key -> text."""
        made = p.texts.get(script)
        if made is None:
            text = self._display_text(p, script)
            key, align = search_key_aligned(text)
            made = p.texts[script] = (text, key, align)
        return made

    def _display_text(self, p: _Place, script: Script) -> str:
        doc = self.doc
        if p.place == "domain":
            return doc.domains[p.number - 1].intro_in(script)
        if p.place == "preamble":
            return doc.preamble_in(script)
        if p.place == "closing":
            return doc.closing_in(script)[p.number - 1]
        if p.place == "note":
            return p.texts[script][0]
        assert p.clause is not None
        return p.clause.body_in(script)

    def _spans(self, p: _Place, keys: tuple[str, ...], script: Script) -> list[tuple[int, int]]:
        """Where ``keys`` stand in a place's text as shown."""
        spans: set[tuple[int, int]] = set()
        if p.clause is not None:
            k2s, s2b = self._clause_maps(p)
            key = p.body_key
            for term in keys:
                for start in _find_all(key, term):
                    s, e = k2s[start], k2s[start + len(term) - 1] + 1
                    if script == "traditional":
                        s, e = s2b[s], s2b[e - 1] + 1
                    spans.add((s, e))
        else:
            _, key, align = self._text(p, script)
            for term in keys:
                for start in _find_all(key, term):
                    spans.add((align[start], align[start + len(term) - 1] + 1))
        return _merge(sorted(spans))

    def quote_span(self, number: int, quote: str, script: Script) -> tuple[int, int] | None:
        """Where a verbatim quote of the clause stands in its displayed body."""
        p = self._clause_place(number)
        if p is None or p.clause is None:
            return None
        start = p.clause.body.find(quote)
        if start < 0:
            return None
        return self._body_span(p, start, start + len(quote), script)

    def text_span(self, number: int, start: int, end: int, script: Script) -> tuple[int, int] | None:
        """A span of the clause's source line (a money figure) in its displayed body."""
        p = self._clause_place(number)
        if p is None or p.clause is None:
            return None
        c = p.clause
        offset = c.text.find(c.body)
        if offset < 0 or start < offset or end > offset + len(c.body):
            return None
        return self._body_span(p, start - offset, end - offset, script)

    def _body_span(self, p: _Place, start: int, end: int, script: Script) -> tuple[int, int] | None:
        if script == "traditional":
            return start, end
        _, s2b = self._clause_maps(p)
        simp = [i for i, b in enumerate(s2b) if start <= b < end]
        return (simp[0], simp[-1] + 1) if simp else None

    def _clause_place(self, number: int) -> _Place | None:
        i = self._clause_index.get(number)
        return None if i is None else self._places[i]

    def match_spans(self, number: int, keys: tuple[str, ...], script: Script) -> list[tuple[int, int]]:
        """Every place ``keys`` (search keys, as :attr:`Results.marks`) match in a clause's
        displayed body, amounts however written, in reading order."""
        p = self._clause_place(number)
        return [] if p is None else self._marks(p, keys, script)

    def place_text(self, hit: Hit, script: Script) -> str:
        """The text of a place as a page shows it (the block its matches are marked in)."""
        i = self._index_of.get((hit.place, hit.number))
        return "" if i is None else self._display_text(self._places[i], script)

    def _marks(self, p: _Place, keys: tuple[str, ...], script: Script) -> list[tuple[int, int]]:
        """Where ``keys`` (and the amounts they name) stand in a place's text as shown."""
        spans = self._spans(p, tuple(k for k in keys if k in p.body_key), script)
        amounts = _amounts_named(keys)
        if amounts:
            spans = _merge(sorted({*spans, *_money_spans(self._display_text(p, script), amounts)}))
        return spans

    # -- search --------------------------------------------------------------------------------

    def read(self, query: str) -> Query:
        return self.reader.read(query)

    def search(
        self,
        query: str,
        script: Script = DEFAULT_SCRIPT,
        limit: int | None = 50,
        notes: Mapping[int, str] | None = None,
    ) -> Results:
        """The places that hold what ``query`` means, best first (see the module's
        docstring); ``notes`` (clause -> the reader's note) are searched too."""
        read = self._with_notes(self.reader.read(query), notes or {})
        jump = read.jump if read.jump in self._clause_index else None
        if not read.terms and jump is None:
            no_clause = (read.jump, self._numbers_max) if read.jump is not None else None
            return Results(query, (), 0, 0, read, no_clause=no_clause)
        note_places = self._note_places(notes or {})
        found = [self._found(t, note_places) for t in read.terms]
        n_places = len(self._places) + len(note_places)
        idf = [_idf(n_places, len(f.places())) if t.known else 0.0 for t, f in zip(read.terms, found, strict=True)]
        known_weights = [x for x, t in zip(idf, read.terms, strict=True) if t.known]
        unknown_weight = max(known_weights, default=1.0)
        weight = [x if t.known else unknown_weight for x, t in zip(idf, read.terms, strict=True)]
        all_weight = sum(weight) or 1.0

        # Per word, in bulk over the places that have it: how many words each place has, the
        # weight they carry, and the score (see the module's docstring and Weights).
        w = WEIGHTS
        norms = self._norms(note_places)
        k1 = w.k1
        count: Counter[int] = Counter()
        share: dict[int, float] = {}
        score: dict[int, float] = {}
        for k, f in enumerate(found):
            places = f.places()
            count.update(places)
            weight_k, idf_k, other = weight[k], idf[k], w.other_word
            for i in places:
                share[i] = share.get(i, 0.0) + weight_k
            part = {i: tf * (k1 + 1) / (tf + k1 * norms[i]) for i, tf in f.body.items()}
            for bonus, marked in ((w.title, f.title), (w.units, f.units), (w.about, f.about), (w.amount, f.amount)):
                for i in marked:
                    part[i] = part.get(i, 0.0) + bonus
            own = f.own
            if not score:
                score = {i: idf_k * (v if i in own else v * other) for i, v in part.items()}
                continue
            for i, v in part.items():
                score[i] = score.get(i, 0.0) + idf_k * (v if i in own else v * other)
        n_words = len(read.terms)
        jump_index = self._clause_index.get(jump) if jump is not None else None
        phrase = self._phrase_places(read)
        exact_title = self._by_title_key.get(read.phrase, -1) if read.phrase else -1
        least = w.partial_share * all_weight - 1e-9
        ranked: list[tuple[tuple[float, ...], int]] = []
        full = 0
        for i, has in count.items():
            complete = has == n_words
            if not complete and i != jump_index and share[i] < least:
                continue
            full += complete
            ranked.append(((i == jump_index, i == exact_title, i in phrase, complete, score[i]), i))
        if jump_index is not None and jump_index not in count:
            ranked.append(((True, False, False, False, 0.0), jump_index))
        total = len(ranked)
        if limit is None:
            ranked.sort(reverse=True)
        else:
            ranked = heapq.nlargest(max(limit, 0), ranked)
        hits = tuple(self._hit(i, float(rank[-1]), found, read, script, jump_index, note_places) for rank, i in ranked)
        no_clause = (read.jump, self._numbers_max) if read.jump is not None and jump is None else None
        return Results(query, hits, total, full, read, self._suggestions(read, script), no_clause)

    def _suggestions(self, read: Query, script: Script) -> tuple[tuple[str, str], ...]:
        """For each word typed with a part the document has nowhere: the word it has one
        character away, if any."""
        unknown = [t.shown for t in read.terms if not t.known and t.amount is None]
        # a character left out of a word that is no question word: maybe a slip (專精特心)
        strays = [
            d for d in read.dropped if d not in QUESTION_WORDS and any(c not in QUESTION_CHARS for c in search_key(d))
        ]
        out = []
        for typed in words(read.text) if unknown or strays else ():
            key = search_key(typed)
            if self.occurs(key) or key in self.thesaurus:
                continue
            if any(u in typed for u in unknown) or any(d in typed for d in strays):
                word = self.near(search_key(typed), script)
                if word:
                    out.append((typed, word))
        return tuple(out)

    def near(self, key: str, script: Script = DEFAULT_SCRIPT) -> str:
        """A word of the document one character away from ``key`` (a slip of the input
        method: 研發投人 for 研發投入), the one it uses most, as ``script`` shows it; "" for
        none. Of three characters only the last may differ (孵化氣: 孵化器; 会计师 is not 设计师);
        of two, only a thesaurus word is offered, and only where one is one away (补帖: 补贴)."""
        if len(key) == 2:  # only a word of the thesaurus, the one such (补帖: 补贴)
            near = [
                w for w in self.thesaurus.keys if len(w) == 2 and sum(a != b for a, b in zip(w, key, strict=True)) == 1
            ]
            return self._as_shown(near[0], script) if len(near) == 1 and self.occurs(near[0]) else ""
        if not 3 <= len(key) <= 12 or _numeric(key):
            return ""
        counts: dict[str, int] = {}
        for j in range(len(key)) if len(key) > 3 else (2,):  # 孵化氣: 孵化器; never 会计师: 设计师
            # looked for where the pairs that do not hold character j all are
            pairs = [key[k : k + 2] for k in range(len(key) - 1) if j not in (k, k + 1)]
            places = self._candidates_of(pairs) if pairs else None
            if not places:
                continue
            pattern = re.compile(re.escape(key[:j]) + "([^\n])" + re.escape(key[j + 1 :]))
            for i in places:
                for m in pattern.finditer(self._texts[i]):
                    counts[m.group()] = counts.get(m.group(), 0) + 1
        if not counts:
            return ""
        return self._as_shown(max(sorted(counts), key=counts.__getitem__), script)

    def _as_shown(self, best: str, script: Script) -> str:
        """A key of the document as the first place that has it shows it in ``script``."""
        where = self._locate(best)
        for i in sorted(where.body):
            spans = self._spans(self._places[i], (best,), script)
            if spans:
                s, e = spans[0]
                return self._display_text(self._places[i], script)[s:e]
        return best

    def _candidates_of(self, pairs: list[str]) -> list[int] | None:
        """The places that have the rarest of ``pairs`` (None: one of them is nowhere)."""
        grams = self._postings()
        rarest: list[int] | None = None
        for pair in pairs:
            places = grams.get(pair)
            if places is None:
                return None
            if rarest is None or len(places) < len(rarest):
                rarest = places
        return rarest

    def _norms(self, note_places: list[_Place]) -> list[float]:
        """Per place, how much its length discounts a word's repeats (BM25's length norm)."""
        w = WEIGHTS
        if self._norm_list is None:
            self._norm_list = [1 - w.b + w.b * n / self._average for n in self._lengths]
        if not note_places:
            return self._norm_list
        return self._norm_list + [1 - w.b + w.b * max(len(p.body_key), 1) / self._average for p in note_places]

    def _phrase_places(self, read: Query) -> set[int]:
        """The places that have the query as typed, in a title or a text (for a query of
        several words)."""
        phrase = read.phrase
        if not phrase or len(read.terms) < 2:  # one word: its group's words count as much as it
            return set()
        if not self.occurs(phrase):
            return set()
        where = self._occurrences(phrase)
        return set(where.body) | where.title

    @staticmethod
    def _with_notes(read: Query, notes: Mapping[int, str]) -> Query:
        """A word the document has nowhere may be in the reader's notes."""
        if not notes or all(t.known for t in read.terms):
            return read
        keys = "\n".join(search_key(text) for text in notes.values())
        terms = tuple(
            t if t.known or not any(k in keys for k in t.keys) else replace(t, known=True) for t in read.terms
        )
        return replace(read, terms=terms)

    def _note_places(self, notes: Mapping[int, str]) -> list[_Place]:
        out = []
        for number, text in sorted(notes.items()):
            if text.strip() and number in self._clause_index:
                out.append(_Place("note", number, "", search_key(text), "", "", frozenset()))
                out[-1].texts["traditional"] = out[-1].texts["simplified"] = (text, *_aligned(text))
        return out

    def _place(self, i: int, note_places: list[_Place]) -> _Place:
        return self._places[i] if i < len(self._places) else note_places[i - len(self._places)]

    def _found(self, term: Term, note_places: list[_Place]) -> _Found:
        f = _Found()
        if not term.known:
            return f
        wheres = [self._occurrences(key) for n, key in enumerate(term.keys) if n == 0 or self.occurs(key)]
        if len(wheres) == 1 and not note_places:
            w = wheres[0]
            f.body, f.title, f.units, f.about = w.body, set(w.title), set(w.units), set(w.about)
        else:
            for w in wheres:
                body = f.body
                for i, count in w.body.items():
                    body[i] = body.get(i, 0) + count
                f.title |= w.title
                f.units |= w.units
                f.about |= w.about
        # a place found only through another word of the group is not "own"
        f.own = wheres[0].places() if wheres else set()
        if term.amount is not None:
            got = self._by_amount.get(term.amount, set())
            f.amount |= got
            if search_key(term.shown) == term.key:  # typed as a figure: as the text has it
                f.own |= got
        if search_key(term.shown) != term.key:  # typed in words (一千万, 百分之五): said otherwise
            f.own = set()
        offset = len(self._places)
        for j, p in enumerate(note_places):
            for n, key in enumerate(term.keys):
                count = len(_find_all(p.body_key, key))
                if count:
                    f.body[offset + j] = f.body.get(offset + j, 0) + count
                    if n == 0:
                        f.own.add(offset + j)
        return f

    def forget(self) -> None:
        """Drop what was kept of words looked up before (to measure a search from cold)."""
        self._cache.clear()
        self._occurs_memo.clear()
        search_key.cache_clear()

    CACHED_KEYS = 2048  # where a word stands never changes: the last words looked up are kept

    def _occurrences(self, term: str) -> _Where:
        """Where a search key stands in each region (kept for the words looked up last: the
        next keystroke asks for most of them again)."""
        where = self._cache.get(term)
        if where is not None:
            self._cache.move_to_end(term)
            return where
        where = self._locate(term)
        self._cache[term] = where
        if len(self._cache) > self.CACHED_KEYS:
            self._cache.popitem(last=False)
        return where

    def _locate(self, term: str, places: list[int] | None = None) -> _Where:
        """Where a key stands: in the places that have its rarest pair. A single character
        is looked for everywhere."""
        if len(term) == 1:
            return self._locate_char(term)
        if places is None:
            places = self._candidates(term)
            if places is None:
                return _NOWHERE
        bodies = self._body_keys
        numeric = _numeric(term)
        if numeric:  # whole numbers only
            body = {i: n for i in places if term in bodies[i] and (n := len(_find_all(bodies[i], term)))}
        else:
            body = {i: n for i in places if (n := bodies[i].count(term))}
        title, units, about = (self._short_region(region, term, numeric) for region in self._short)
        return _Where(body, title, units, about)

    def _short_region(self, region: tuple[str, list[int]], term: str, numeric: bool) -> frozenset[int]:
        """The places whose title (units, what it is) has ``term``: found in all of them
        joined, so the cost follows the matches (these regions are short)."""
        big, starts = region
        if numeric:
            return frozenset(bisect_right(starts, pos) - 1 for pos in _find_all(big, term))
        out = set()
        pos = big.find(term)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            out.add(i)
            pos = big.find(term, starts[i + 1] if i + 1 < len(starts) else len(big))
        return frozenset(out)

    def _locate_char(self, ch: str) -> _Where:
        if ch not in self._chars:
            return _NOWHERE
        if ch.isdigit():  # a number: whole numbers only (0 is not the 0 of 2024)

            def count(key: str) -> int:
                return len(_find_all(key, ch)) if ch in key else 0
        else:

            def count(key: str) -> int:
                return key.count(ch)

        body = {i: n for i, key in enumerate(self._body_keys) if (n := count(key))}
        title, units, about = (
            frozenset(i for i, key in enumerate(keys) if ch in key and count(key))
            for keys in (self._title_keys, self._units_keys, self._about_keys)
        )
        return _Where(body, title, units, about)

    # -- a result ------------------------------------------------------------------------------

    def _hit(
        self,
        i: int,
        score: float,
        found: list[_Found],
        read: Query,
        script: Script,
        jump_index: int | None,
        note_places: list[_Place],
    ) -> Hit:
        p = self._place(i, note_places)
        ks = [k for k, f in enumerate(found) if f.has(i)]
        where: list[str] = ["number"] if i == jump_index else []
        for k in ks:
            f = found[k]
            for region, present in (
                ("title", i in f.title),
                ("amount", i in f.amount),
                ("text", i in f.body),
                ("units", i in f.units),
                ("about", i in f.about),
            ):
                if present and region not in where:
                    where.append(region)
        terms = [read.terms[k] for k in ks]
        keys = tuple(dict.fromkeys(key for t in terms for key in t.keys))
        spans = self._marks(p, keys, script)
        in_text = tuple(k for k in keys if k in p.body_key)  # the others need no looking for
        via = tuple(
            (t.shown, shown)
            for k, t in zip(ks, terms, strict=True)
            if (shown := self._shown_as(p, t, script, own=i in found[k].own))
        )
        title = self._title(p, script)
        text = p.texts[script][0] if p.place == "note" else self._display_text(p, script)
        # The passage shown is where a word stands as typed, if it does: a word of its group
        # elsewhere in the text is marked too, but does not choose the passage.
        own = tuple(
            t.key for k, t in zip(ks, terms, strict=True) if i in found[k].own and t.amount is None and t.key in in_text
        )
        anchor = self._spans(p, own, script) if own else []
        for t in terms if not anchor else ():  # else where the first word of a group stands that it says
            anchor = next((a for alt in t.alternatives if alt in in_text and (a := self._spans(p, (alt,), script))), [])
            if anchor:
                break
        if not spans and "units" in where:
            snippet, highlights = self._units_snippet(p, keys, script)
        else:
            snippet, highlights = _snippet(text, spans, (anchor or spans or [(0, 0)])[0][0])
        return Hit(
            p.place,
            p.number,
            title,
            score,
            snippet,
            highlights,
            tuple(where),
            tuple(t.shown for t in terms),
            via,
            len(read.terms),
        )

    def _title(self, p: _Place, script: Script) -> str:
        doc = self.doc
        if p.place in ("clause", "note"):
            return doc.require(p.number).title_in(script)
        if p.place == "domain":
            return doc.domains[p.number - 1].title_in(script)
        return doc.title_in(script)

    def _shown_as(self, p: _Place, term: Term, script: Script, own: bool = False) -> str:
        """How a place says a word the reader typed otherwise: another word of its group, an
        amount in its own figures (一千万: 1000萬元), a rate (百分之五: 5%), the same word in other
        wording (集成電路: 積體電路); the first such words in its text, title or units. "" where
        it says the word as typed."""
        text = self._display_text(p, script)
        if own:  # the same key: only the wording can differ
            spans = self._spans(p, (term.key,), script) if term.key in p.body_key else []
            said = text[spans[0][0] : spans[0][1]] if spans else ""
            return said if said and said != term.shown and not same_characters(said, term.shown) else ""
        figures = _money_spans(text, [term.amount]) if term.amount is not None else []
        if figures:
            return text[figures[0][0] : figures[0][1]]
        others: list[str] = []
        if p.place == "clause":
            c = self.doc.require(p.number)
            others = [c.title_in(script), *c.units_in(script)]
        elif p.place == "domain":
            d = self.doc.domains[p.number - 1]
            others = [d.title_in(script), *d.lead_agencies_in(script)]
        rewritten = (term.key,) if search_key(term.shown) != term.key else ()  # 百分之五 is 5%
        for alt in (*rewritten, *term.alternatives):
            spans = self._spans(p, (alt,), script) if alt in p.body_key else []
            if spans:
                return text[spans[0][0] : spans[0][1]]
            for other in others:
                found = text_spans(other, (alt,))
                if found:
                    return other[found[0][0] : found[0][1]]
        return ""

    def _units_snippet(
        self, p: _Place, keys: tuple[str, ...], script: Script
    ) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A units-only match: show the responsible (or lead) units, the matching one marked."""
        if p.place == "domain":
            units, label = self.doc.domains[p.number - 1].lead_agencies_in(script), LEAD_LABEL[script]
        else:
            units, label = self.doc.require(p.number).units_in(script), UNITS_LABEL[script]
        parts: list[str] = []
        highlights: list[tuple[int, int]] = []
        pos = len(label)
        for unit in units:
            highlights.extend((pos + s, pos + e) for s, e in text_spans(unit, keys))
            parts.append(unit)
            pos += len(unit) + 1
        return label + "、".join(parts), tuple(highlights)


# --- Helpers ------------------------------------------------------------------------------------


def _idf(places: int, df: int) -> float:
    return math.log(1 + (places - df + 0.5) / (df + 0.5))


def _amounts_named(keys: tuple[str, ...]) -> list[Amount]:
    """The sums among search keys (1000万, 1000万元)."""
    return [a for a in map(query_amount, keys) if a is not None]


def _money_spans(text: str, amounts: list[Amount]) -> list[tuple[int, int]]:
    """Where a text writes any of ``amounts``, however (1000萬元 and 0.1億元 alike)."""
    return [(m.start(), m.end()) for m in MONEY_RE.finditer(text) if money_value(m["num"], m["unit"]) in amounts]


def _amounts(text: str) -> list[Amount]:
    return [money_value(m["num"], m["unit"]) for m in MONEY_RE.finditer(text)]


@lru_cache(maxsize=512)
def _aligned(text: str) -> tuple[str, list[int]]:
    return search_key_aligned(text)


def _snippet(text: str, spans: list[tuple[int, int]], anchor: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The passage of ``text`` around ``anchor``, with the spans that fall in it."""
    start = max(0, anchor - SNIPPET_BEFORE)
    end = min(len(text), anchor + SNIPPET_AFTER)
    snippet = text[start:end]
    highlights = tuple((max(s, start) - start, min(t, end) - start) for s, t in spans if s < end and t > start)
    # ASCII dots: the ellipsis character is ambiguous-width and misaligns some terminals.
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(text) else ""
    if prefix:
        highlights = tuple((s + 3, t + 3) for s, t in highlights)
    return prefix + snippet + suffix, highlights


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


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


__all__ = [
    "Hit",
    "Place",
    "Results",
    "SearchIndex",
    "clause_number_query",
    "document_keys",
    "query_terms",
    "text_spans",
]


def document_keys(doc: Document) -> list[str]:
    """Every part of a document a search looks in, as search keys."""
    return [key for p in SearchIndex._make_places(doc) for key in (p.title_key, p.body_key, p.units_key)]


def text_spans(text: str, keys: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where search keys (and amounts they name) stand in any text, in its own characters:
    a paragraph of a page or a line of the reader's note."""
    key, align = _aligned(text)
    spans = {(align[s], align[s + len(k) - 1] + 1) for k in keys for s in _find_all(key, k)}
    amounts = _amounts_named(keys)
    if amounts:
        spans |= set(_money_spans(text, amounts))
    return _merge(sorted(spans))
