"""How a query is read: the reader's words, as the document might say them.

A query is split on spaces into words; each word is put in search-key form (Simplified,
mainland wording, lower case, no punctuation; see :mod:`.script`). Then, word by word:

1. a clause number (14, 十四, 第十四條) is a jump to that clause, and a word as well;
2. an amount or a rate, in digits or in words (1000万, 一千万, 1千万, 百分之五), is that sum or
   rate however the document writes it;
3. a word of the thesaurus (:mod:`.thesaurus`) counts as any word of its group (补贴 finds
   补助; 芯片 finds 集成电路; subsidy finds 补贴);
4. a word the document contains as it is stays one word;
5. a word it does not contain is cut into the words the reader ran together (软件企业奖励 ->
   软件企业 + 奖励): amounts, question words (能, 多少, 怎么 …) and thesaurus words first,
   the rest into the fewest pieces the document contains. Question words and a stray
   character are dropped; what the document has nowhere is kept, as a word that finds
   nothing (so nonsense finds nothing).

Only question words are dropped: a query of nothing else is searched as it is typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from .money import query_amount
from .numerals import parse_numeral, spoken_number
from .script import MAX_QUERY_CHARS, search_key, search_key_aligned
from .thesaurus import Thesaurus

# A sum of money as (amount, currency), so 1000萬元 and 0.1億元 are the same key.
Amount = tuple[Decimal, str]

# Words that ask rather than name (in search-key form: Simplified). Dropped from a query that
# has other words. Longer first where one contains another.
QUESTION_WORDS = (
    "可不可以", "能不能", "有没有", "怎么样", "为什么", "有哪些", "是什么", "怎么办",
    "多少钱", "多少", "怎么", "怎样", "如何", "哪些", "哪个", "哪里", "什么", "是否", "能否",
    "可以", "请问", "多久", "我们", "我想", "想要", "需要", "一下", "相关", "有关", "关于",
    "申请", "办理",
)  # fmt: skip
# Single characters that ask or join (能补多少: 能; 有租房补贴吗: 有, 吗). Dropped where they stand
# alone or where a word must be cut; never cut out of a word the document has (能源).
QUESTION_CHARS = frozenset("能吗呢吧啊么的了我有要想给哪谁可会和与及或在对被是")
ENGLISH_FILLER = frozenset(
    [
        "how",
        "much",
        "many",
        "can",
        "could",
        "what",
        "which",
        "who",
        "where",
        "when",
        "is",
        "are",
        "was",
        "the",
        "a",
        "an",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "and",
        "or",
        "do",
        "does",
        "did",
        "i",
        "we",
        "my",
        "our",
        "me",
        "get",
        "got",
        "there",
        "any",
        "some",
        "about",
        "with",
        "by",
        "from",
        "be",
        "it",
        "this",
        "that",
    ]
)

_CLAUSE_NO = re.compile(
    r"^(?:第|条款|條款|条|條|clause\s*|art(?:icle)?\.?\s*|no\.?\s*)?[(（]?"
    r"(?P<n>\d{1,3}|[零〇一二两兩三四五六七八九十百]{1,6})[)）]?(?:條|条|款)?$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
_PERCENT_WORDS = re.compile(r"^百分之(?P<n>[0-9.零〇一二两三四五六七八九十百]+)$")
_PERCENT = re.compile(r"^(?P<n>\d+(?:\.\d+)?)%$")
_SPOKEN_CLASS = "0-9.零〇一二两三四五六七八九十百千万亿"
# An amount or a rate inside a run-together word: a number with a unit of money, or 百分之 …
_AMOUNT_IN = re.compile(
    rf"(?:百分之[{_SPOKEN_CLASS}]+)|(?:[{_SPOKEN_CLASS}]*[0-9零〇一二两三四五六七八九十百千][{_SPOKEN_CLASS}]*(?:美元|元|%)"
    rf"|[{_SPOKEN_CLASS}]*[0-9零〇一二两三四五六七八九十百千][万亿])"
)
_ASCII_RUN = re.compile(r"[a-z0-9.%+&-]+")

MAX_PIECE = 16  # the longest piece a run-together word is cut into (bounds the work per keystroke)


@dataclass(frozen=True)
class Term:
    """One word of a query, as the document may say it."""

    shown: str  # as the reader typed it
    key: str  # its search key
    alternatives: tuple[str, ...] = ()  # other keys that count as it (its thesaurus group)
    amount: Amount | None = None  # a sum of money, however it is written
    known: bool = True  # the document has it somewhere (or a word of its group)

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *self.alternatives)


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...]
    phrase: str = ""  # the whole query in search-key form: where it stands as typed, it ranks first
    jump: int | None = None  # a clause number
    dropped: tuple[str, ...] = field(default=())  # question words and stray characters left out
    only_asked: bool = False  # nothing but question words (searched as typed)

    @property
    def unknown(self) -> tuple[str, ...]:
        return tuple(t.shown for t in self.terms if not t.known)


class Corpus(Protocol):
    """What query reading needs to know of the document (the search index provides it)."""

    def occurs(self, key: str) -> bool: ...

    def occurs_often(self, key: str) -> bool: ...  # three times or more

    def has_char(self, ch: str) -> bool: ...


def clause_number_query(query: str) -> int | None:
    """14, 十四, (十四), （十四）, 第十四條 -> 14."""
    text = unicodedata.normalize("NFKC", query).strip()
    m = _CLAUSE_NO.match(text)
    if not m:
        return None
    n = m["n"]
    return int(n) if n.isdigit() else parse_numeral(n)


def words(query: str) -> list[str]:
    """A query's words: split on spaces (control characters count as spaces), cut to length."""
    text = query[:MAX_QUERY_CHARS]
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return [w for w in _SPACES.split(text) if w]


def query_terms(query: str) -> tuple[str, ...]:
    """The search keys of a query's words as typed, without empty ones (pure punctuation)."""
    return tuple(dict.fromkeys(k for k in (search_key(w) for w in words(query)) if k))


def _number_text(value: Decimal) -> str:
    """1.50 -> 1.5, 1E+3 -> 1000."""
    return format(value.normalize(), "f")


def amount_term(shown: str, key: str) -> Term | None:
    """A word that is a sum or a rate: 1000万, 一千万, 1千万元, 两亿美元, 5%, 百分之五."""
    amount = query_amount(key)
    if amount is not None:
        return Term(shown, key, amount=amount)
    m = _PERCENT_WORDS.match(key)
    if m:
        n = spoken_number(m["n"])
        return None if n is None else Term(shown, f"{_number_text(n)}%")
    if _PERCENT.match(key):
        return Term(shown, key)
    currency = "CNY"
    body = key
    for unit, cur in (("美元", "USD"), ("元", "CNY")):
        if body.endswith(unit):
            body, currency = body[: -len(unit)], cur
            break
    else:
        if not body.endswith(("万", "亿")):
            return None  # 三千 alone is a count, not a sum
    if not body or body.isdigit():
        return None
    value = spoken_number(body)
    if value is None or value <= 0:
        return None
    for unit, size in (("亿", Decimal(100000000)), ("万", Decimal(10000))):
        if value >= size and value % (size / 10000) == 0:
            written = f"{_number_text(value / size)}{unit}"
            break
    else:
        written = _number_text(value)
    # with its currency, so 一亿元 never matches the text's 1亿美元
    written += "美元" if currency == "USD" else "元"
    return Term(shown, search_key(written), amount=(value, currency))


class QueryReader:
    """Reads queries against one document (its :class:`Corpus`) and a thesaurus."""

    def __init__(self, corpus: Corpus, thesaurus: Thesaurus) -> None:
        self.corpus = corpus
        self.thesaurus = thesaurus
        self._anchors = sorted(
            [*(k for k in thesaurus.keys if not k.isascii()), *QUESTION_WORDS], key=len, reverse=True
        )
        self._anchor_re = re.compile("|".join(re.escape(a) for a in self._anchors)) if self._anchors else None

    def read(self, query: str) -> Query:
        typed = self._joined(words(query))
        jump = clause_number_query(query[:MAX_QUERY_CHARS])
        terms: list[Term] = []
        dropped: list[str] = []
        for word in typed:
            key, align = search_key_aligned(word)
            if key:
                self._word(word, key, align, terms, dropped)
        if jump is not None:  # a clause's number (clause 14, 第十四條): its words only where the text has them
            terms = [t for t in terms if t.known]
        only_asked = jump is None and not terms and bool(dropped)
        if only_asked:  # only question words: search them as typed
            terms = [self._whole(w, k) for w in typed if (k := search_key(w))]
            dropped = []
        unique = tuple({t.key: t for t in terms}.values())
        phrase = "".join(k for k in (search_key(w) for w in typed) if k)
        return Query(query, unique, phrase, jump, tuple(dict.fromkeys(dropped)), only_asked)

    def _joined(self, typed: list[str]) -> list[str]:
        """Words a space should not have parted: an English phrase of the thesaurus
        (intellectual property, small and medium enterprise), a figure and its unit (200 万)."""
        out: list[str] = []
        i = 0
        while i < len(typed):
            for n in (4, 3, 2):
                run = typed[i : i + n]
                if len(run) == n and all(w.isascii() for w in run) and search_key(" ".join(run)) in self.thesaurus:
                    out.append(" ".join(run))
                    i += n
                    break
            else:
                word = typed[i]
                both = f"{out[-1]} {word}" if out else ""
                if out and search_key(out[-1]).replace(".", "").isdigit() and amount_term(both, search_key(both)):
                    out[-1] = both
                else:
                    out.append(word)
                i += 1
        return out

    # -- one word ----------------------------------------------------------------------------

    def _whole(self, shown: str, key: str) -> Term:
        """A word taken as it is: its group's words count as it."""
        amount = amount_term(shown, key)
        if amount is not None:
            return amount
        alternatives = self.thesaurus.alternatives(key)
        known = self.corpus.occurs(key) or any(self.corpus.occurs(a) for a in alternatives)
        return Term(shown, key, alternatives, known=known)

    def _word(self, word: str, key: str, align: list[int], terms: list[Term], dropped: list[str]) -> None:
        if key in QUESTION_WORDS or key in ENGLISH_FILLER or (len(key) == 1 and key in QUESTION_CHARS):
            dropped.append(word)
            return
        if clause_number_query(word) is not None:  # a jump; a word too where the text has it
            if self.corpus.occurs(key):
                terms.append(self._whole(word, key))
            return
        if key in self.thesaurus or amount_term(word, key) is not None or self.corpus.occurs(key) or len(key) == 1:
            terms.append(self._whole(word, key))
            return

        def shown(a: int, b: int) -> str:
            return word[align[a] : align[b - 1] + 1]

        for kind, a, b in self._cut(key):
            piece = key[a:b]
            if kind == "drop":
                dropped.append(shown(a, b))
            elif kind == "amount":
                term = amount_term(shown(a, b), piece)
                terms.append(term if term is not None else Term(shown(a, b), piece, known=False))
            elif kind == "unknown":
                terms.append(Term(shown(a, b), piece, known=False))
            else:
                terms.append(self._whole(shown(a, b), piece))

    def _cut(self, key: str) -> list[tuple[str, int, int]]:
        """A run-together word as pieces: (kind, start, end), kind "word", "amount", "drop"
        (a question word or a stray character) or "unknown" (the document has it nowhere)."""
        out: list[tuple[str, int, int]] = []
        pos = 0
        for m in _AMOUNT_IN.finditer(key):
            if amount_term(m.group(), m.group()) is None:
                continue
            out += self._cut_words(key, pos, m.start())
            out.append(("amount", m.start(), m.end()))
            pos = m.end()
        out += self._cut_words(key, pos, len(key))
        return out

    def _cut_words(self, key: str, start: int, end: int) -> list[tuple[str, int, int]]:
        """Thesaurus and question words first (longest, leftmost), the runs between them by
        what the document contains; English runs are whole words."""
        out: list[tuple[str, int, int]] = []
        pos = start
        for m in _ASCII_RUN.finditer(key, start, end):
            out += self._cut_chinese(key, pos, m.start())
            word = m.group()
            if word in ENGLISH_FILLER:
                out.append(("drop", m.start(), m.end()))
            elif word in self.thesaurus or self.corpus.occurs(word) or len(word) == 1:
                out.append(("word", m.start(), m.end()))
            else:
                out.append(("unknown", m.start(), m.end()))
            pos = m.end()
        out += self._cut_chinese(key, pos, end)
        return out

    def _cut_chinese(self, key: str, start: int, end: int) -> list[tuple[str, int, int]]:
        if start >= end:
            return []
        if self.corpus.occurs(key[start:end]) and end - start > 1:
            return [("word", start, end)]
        out: list[tuple[str, int, int]] = []
        pos = start
        if self._anchor_re is not None:
            for m in self._anchor_re.finditer(key, start, end):
                out += self._cut_run(key, pos, m.start())
                out.append(("drop" if m.group() in QUESTION_WORDS else "word", m.start(), m.end()))
                pos = m.end()
        out += self._cut_run(key, pos, end)
        return out

    def _cut_run(self, key: str, start: int, end: int) -> list[tuple[str, int, int]]:
        """The fewest pieces the document contains (a stray character is a piece that is
        dropped); what it never contains, kept whole as unknown."""
        n = end - start
        if n <= 0:
            return []
        run = key[start:end]
        if n > 1 and self.corpus.occurs(run):
            return [("word", start, end)]
        step = self._fewest_pieces(run)
        out: list[tuple[str, int, int]] = []
        i = 0
        stray_from: int | None = None
        while i < n:
            b = step[i]
            if b - i == 1:
                if stray_from is None:
                    stray_from = i
            else:
                out += self._strays(run, start, stray_from, i)
                stray_from = None
                out.append(("word", start + i, start + b))
            i = b
        out += self._strays(run, start, stray_from, n)
        return out

    def _reach(self, run: str) -> list[int]:
        """For each start, the end of the longest piece from there the document contains
        (never less for the next start: found in one pass, two pointers)."""
        n = len(run)
        reach = [0] * n
        j = 0
        for i in range(n):
            j = max(j, i + 1)
            while j < n and j - i < MAX_PIECE and self.corpus.occurs(run[i : j + 1]):
                j += 1
            reach[i] = j
        return reach

    def _fewest_pieces(self, run: str) -> list[int]:
        """step[i]: where the piece from i ends in the cut with the fewest pieces, then the
        fewest stray characters (a stray is a piece of one character)."""
        n = len(run)
        reach = self._reach(run)

        def allowed(a: int, b: int) -> bool:
            # A piece that starts or ends with a question character (能补), or of two characters
            # only (计师, from 设计师 for 会计师), is a word only if the document uses it often
            # (能源, 人才), not where two words merely touch or one holds the other.
            if b - a == 2 or run[a] in QUESTION_CHARS or run[b - 1] in QUESTION_CHARS:
                return self.corpus.occurs_often(run[a:b])
            return True

        best: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (pieces, strays) for run[i:]
        step = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            pieces, strays = best[i + 1]
            choice, nxt = (pieces + 1, strays + 1), i + 1
            for b in range(reach[i], i + 1, -1):
                if allowed(i, b) and (best[b][0] + 1, best[b][1]) < choice:
                    choice, nxt = (best[b][0] + 1, best[b][1]), b
            best[i], step[i] = choice, nxt
        return step

    def _strays(self, run: str, offset: int, a: int | None, b: int) -> list[tuple[str, int, int]]:
        """Characters no piece took: one alone is dropped; several the document never has
        together are a word it does not contain."""
        if a is None:
            return []
        if b - a == 1:
            kind = "drop" if self.corpus.has_char(run[a]) or run[a] in QUESTION_CHARS else "unknown"
            return [(kind, offset + a, offset + b)]
        letters = [c for c in run[a:b] if c not in QUESTION_CHARS]
        if len(letters) <= 1:
            return [("drop", offset + a, offset + b)]
        if self.corpus.occurs(run[a:b]):  # a rare word of the document (数据 in 数据要素): still a word
            return [("word", offset + a, offset + b)]
        return [("unknown", offset + a, offset + b)]


__all__ = ["QUESTION_WORDS", "Corpus", "Query", "QueryReader", "Term", "amount_term", "clause_number_query", "words"]
