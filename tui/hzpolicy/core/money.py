"""Money figures and percentages in policy text: find them, value them exactly, say what they are.

Amounts are exact: 177.1億元 is 17,710,000,000 yuan as a Decimal, never a float. A figure in
美元 is USD and is never added to yuan.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import cast

from .models import MoneyRecord, PercentRecord

# Longest units first so 億美元 is not read as 億 + 美元 twice.
_UNITS: dict[str, tuple[Decimal, str]] = {
    "万亿元": (Decimal(1000000000000), "CNY"),
    "萬億元": (Decimal(1000000000000), "CNY"),
    "亿美元": (Decimal(100000000), "USD"),
    "億美元": (Decimal(100000000), "USD"),
    "万美元": (Decimal(10000), "USD"),
    "萬美元": (Decimal(10000), "USD"),
    "美元": (Decimal(1), "USD"),
    "亿元": (Decimal(100000000), "CNY"),
    "億元": (Decimal(100000000), "CNY"),
    "万元": (Decimal(10000), "CNY"),
    "萬元": (Decimal(10000), "CNY"),
    "元": (Decimal(1), "CNY"),
}
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
MONEY_RE = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>{'|'.join(sorted(_UNITS, key=len, reverse=True))})")
PERCENT_RE = re.compile(rf"(?P<num>{_NUMBER})[%％]")
# Things a reader sees highlighted: money and percentages.
FIGURE_RE = re.compile(rf"{MONEY_RE.pattern}|{PERCENT_RE.pattern.replace('?P<num>', '')}")

_CEILING = ("最高", "不超過", "不超过", "上限", "封頂", "封顶")
_BUDGET = ("預算安排", "预算安排")
_TARGET = (
    "2024年",
    "力爭",
    "力争",
    "確保",
    "确保",
    "爭取",
    "争取",
    "達到",
    "达到",
    "增長",
    "增长",
    "新增",
    "完成",
    "實現",
    "实现",
    "規模",
    "规模",
)
_AWARD = ("給予", "给予", "獎勵", "奖励", "補助", "补助", "資助", "资助", "補貼", "补贴")
_THRESHOLD_BEFORE = ("達", "达", "超過", "超过", "不低於", "不低于", "不少於", "不少于")
_PHRASE_BREAK = re.compile(r"[,，;；:：。!！?？]")
_SENTENCE_BREAK = re.compile(r"[。!！?？]")


@dataclass(frozen=True)
class Figure:
    """One money figure or percentage, located in a text."""

    kind: str  # "money" or "percent"
    text: str  # as written: "177.1億元", "5%"
    number: Decimal  # the number as written: 177.1
    unit: str  # "億元", "%"
    value: Decimal  # yuan (or dollars) for money; the percentage for percent
    currency: str | None  # "CNY", "USD"; None for a percentage
    start: int
    end: int
    role: str  # budget_line, ceiling, threshold, fixed_award, rate, target, other
    context: str  # the words around it

    def to_record(self) -> MoneyRecord | PercentRecord:
        return self.money_record() if self.kind == "money" else self.percent_record()

    def money_record(self) -> MoneyRecord:
        """The stored form of a money figure (its keys in the store's order)."""
        if self.currency is None:
            raise ValueError(f"{self.text} is a percentage, not a money figure")
        amount = plain(self.value)
        number = plain(self.number)
        common = {
            "text": self.text,
            "number": number,
            "unit": self.unit,
            "start": self.start,
            "end": self.end,
            "role": self.role,
            "context": self.context,
        }
        # The amount's key names its currency (yuan or usd); the store keeps this key order.
        return cast(
            MoneyRecord, {**common, "yuan" if self.currency == "CNY" else "usd": amount, "currency": self.currency}
        )

    def percent_record(self) -> PercentRecord:
        return PercentRecord(
            text=self.text,
            number=plain(self.number),
            unit=self.unit,
            start=self.start,
            end=self.end,
            role=self.role,
            context=self.context,
            percent=plain(self.value),
        )


def grouped(d: Decimal) -> str:
    """Exact decimal with thousands separators: 17,710,000,000, 117,280.5 (never "-0")."""
    if d.is_zero():
        return "0"
    s = format(d, ",f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def plain(d: Decimal) -> str:
    """Exact decimal as a plain string: 17710000000, 11.728 (never exponent notation)."""
    if d.is_zero():
        return "0"  # never "-0" or "0.00"
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def parse_number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def money_value(number: str, unit: str) -> tuple[Decimal, str]:
    mult, currency = _UNITS[unit]
    return parse_number(number) * mult, currency


def phrase_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The part of the phrase before the figure, and after it (phrases end at , ; 。)."""
    lo, hi = _Layout(text).phrase(start, end)
    return text[lo:start], text[end:hi]


def _occurrences(text: str, words: tuple[str, ...]) -> tuple[list[int], list[int]]:
    """Where ``words`` stand in ``text``: their starts in order, and for each the least end of
    any occurrence starting there or later (so "a word lies wholly in text[lo:hi]" is one
    bisect: the first start >= lo, and whether the least end from there is <= hi)."""
    spans: list[tuple[int, int]] = []
    for w in words:
        at = text.find(w)
        while at >= 0:
            spans.append((at, at + len(w)))
            at = text.find(w, at + 1)  # overlapping occurrences too
    spans.sort()
    least_end = [end for _, end in spans]
    for i in range(len(least_end) - 2, -1, -1):
        least_end[i] = min(least_end[i], least_end[i + 1])
    return [start for start, _ in spans], least_end


class _Words:
    """Occurrences of some words in one text, asked about span by span."""

    def __init__(self, text: str, words: tuple[str, ...]) -> None:
        self.starts, self.least_end = _occurrences(text, words)

    def within(self, lo: int, hi: int) -> bool:
        """Whether one of the words lies wholly within text[lo:hi]."""
        i = bisect_left(self.starts, lo)
        return i < len(self.starts) and self.least_end[i] <= hi


# How far from the figure the tests of a phrase's edge read: its longest word ("以上的", "一次性",
# "不低於" are three characters).
_EDGE = max(3, *(len(w) for w in _THRESHOLD_BEFORE + _AWARD))


class _Layout:
    """The phrase and sentence boundaries of one text, found once, so that classifying every
    figure of a text takes O(n log n) in all (each figure: a few bisects), not a scan outwards
    from each figure to its phrase's and sentence's ends."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._sentences: dict[int, tuple[bool, bool, bool]] = {}

    # Each found on first use (phrase_around needs only the phrase breaks).
    @cached_property
    def phrase_breaks(self) -> list[int]:
        return [m.start() for m in _PHRASE_BREAK.finditer(self.text)]

    @cached_property
    def sentence_breaks(self) -> list[int]:
        return [m.start() for m in _SENTENCE_BREAK.finditer(self.text)]

    @cached_property
    def ceiling(self) -> _Words:
        return _Words(self.text, _CEILING)

    @cached_property
    def award(self) -> _Words:
        return _Words(self.text, _AWARD)

    @cached_property
    def by(self) -> _Words:
        return _Words(self.text, ("按",))

    def phrase(self, start: int, end: int) -> tuple[int, int]:
        """(where the phrase holding text[start:end] begins, where it ends): from just after
        the last break before ``start`` to the first break at or after ``end``."""
        breaks = self.phrase_breaks
        i = bisect_left(breaks, start)
        j = bisect_left(breaks, end)
        return (breaks[i - 1] + 1 if i else 0), (breaks[j] if j < len(breaks) else len(self.text))

    def sentence_of(self, at: int) -> int:
        """The number of the sentence holding position ``at`` (0 for the first)."""
        return bisect_left(self.sentence_breaks, at)

    def sentence(self, k: int) -> str:
        """Sentence ``k``, without the mark that ends it."""
        breaks = self.sentence_breaks
        lo = breaks[k - 1] + 1 if k else 0
        hi = breaks[k] if k < len(breaks) else len(self.text)
        return self.text[lo:hi]

    def sentence_words(self, k: int) -> tuple[bool, bool, bool]:
        """(states a budget, starts with 其中, states a target) for sentence ``k``; read once."""
        known = self._sentences.get(k)
        if known is None:
            s = self.sentence(k)
            known = (any(w in s for w in _BUDGET), s.startswith("其中"), any(w in s for w in _TARGET))
            self._sentences[k] = known
        return known

    def classify(self, start: int, end: int, kind: str) -> str:
        """What the figure at text[start:end] is (see :func:`classify`)."""
        text = self.text
        lo, hi = self.phrase(start, end)
        before_tail = text[max(lo, start - _EDGE) : start]
        after_head = text[end : min(hi, end + _EDGE)]
        k = self.sentence_of(start)
        budget, in_sum, target = self.sentence_words(k)
        if kind == "money" and (budget or (in_sum and k > 0 and self.sentence_words(k - 1)[0])):
            return "budget_line"
        if self.ceiling.within(lo, start):
            return "ceiling"
        if re.match(r"(以上|以下|以内|以內)?的", after_head) or re.match(r"以上、", after_head):
            return "threshold"
        if before_tail.endswith(_THRESHOLD_BEFORE) and after_head.startswith("的"):
            return "threshold"
        if re.match(r"以上|以下|以内|以內", after_head) and not target:
            return "threshold"
        if kind == "percent" and self.by.within(lo, start):
            return "rate"
        if self.award.within(lo, start) or after_head.startswith(_AWARD) or re.match(r"一次性", after_head):
            return "fixed_award" if kind == "money" else "rate"
        if target:
            return "target"
        return "other"


def classify(text: str, start: int, end: int, kind: str) -> str:
    """What a figure is, read from the words around it (documented heuristics): the words of
    its phrase (before and after it) and of its sentence (and, for a sentence that starts
    with 其中, the one before)."""
    return _Layout(text).classify(start, end, kind)


def _context(text: str, start: int, end: int, width: int = 14) -> str:
    return text[max(0, start - width) : min(len(text), end + width)]


def find_figures(text: str) -> list[Figure]:
    """Every money figure and percentage in ``text``, in order (O(n log n) in the text's
    length: the phrase and sentence boundaries are found once for all its figures)."""
    layout = _Layout(text)
    figures: list[Figure] = []
    for m in MONEY_RE.finditer(text):
        value, currency = money_value(m["num"], m["unit"])
        figures.append(
            Figure(
                kind="money",
                text=m.group(),
                number=parse_number(m["num"]),
                unit=m["unit"],
                value=value,
                currency=currency,
                start=m.start(),
                end=m.end(),
                role=layout.classify(m.start(), m.end(), "money"),
                context=_context(text, m.start(), m.end()),
            )
        )
    for m in PERCENT_RE.finditer(text):
        number = parse_number(m["num"])
        figures.append(
            Figure(
                kind="percent",
                text=m.group(),
                number=number,
                unit="%",
                value=number,
                currency=None,
                start=m.start(),
                end=m.end(),
                role=layout.classify(m.start(), m.end(), "percent"),
                context=_context(text, m.start(), m.end()),
            )
        )
    figures.sort(key=lambda f: f.start)
    return figures


def figure_spans(text: str) -> list[tuple[int, int]]:
    """Where money and percentages stand in a text (for highlighting)."""
    return [(m.start(), m.end()) for m in FIGURE_RE.finditer(text)]


_QUERY_AMOUNT = re.compile(rf"^(?P<num>{_NUMBER})(?P<unit>万亿元|亿美元|万美元|美元|亿元|万元|亿|万|元)$")


def query_amount(key: str) -> tuple[Decimal, str] | None:
    """A search key that is an amount ("1000万", "1亿元", "80亿美元") -> (value, currency)."""
    m = _QUERY_AMOUNT.match(key)
    if not m:
        return None
    unit = m["unit"]
    if unit in ("亿", "万"):
        unit += "元"
    return money_value(m["num"], unit)
