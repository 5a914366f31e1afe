"""Money figures and percentages in policy text: find them, value them exactly, say what they are.

Amounts are exact: 177.1億元 is 17,710,000,000 yuan as a Decimal, never a float. A figure in
美元 is USD and is never added to yuan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

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
# What each role is called, in the source's script (``say`` puts it into Simplified).
ROLE_WORDS = {
    "budget_line": "預算",
    "ceiling": "上限",
    "threshold": "門檻",
    "fixed_award": "定額",
    "rate": "比例",
    "target": "目標",
    "other": "其他",
}
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
        if self.currency == "CNY":
            return MoneyRecord(
                text=self.text,
                number=number,
                unit=self.unit,
                start=self.start,
                end=self.end,
                role=self.role,
                context=self.context,
                yuan=amount,
                currency=self.currency,
            )
        return MoneyRecord(
            text=self.text,
            number=number,
            unit=self.unit,
            start=self.start,
            end=self.end,
            role=self.role,
            context=self.context,
            usd=amount,
            currency=self.currency,
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


def plain(d: Decimal) -> str:
    """Exact decimal as a plain string: 17710000000, 11.728 (never exponent notation)."""
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
    before_start = start
    while before_start > 0 and not _PHRASE_BREAK.match(text[before_start - 1]):
        before_start -= 1
    after_end = end
    while after_end < len(text) and not _PHRASE_BREAK.match(text[after_end]):
        after_end += 1
    return text[before_start:start], text[end:after_end]


def _sentence(text: str, start: int, previous: bool = False) -> str:
    """The sentence around ``start`` (with the one before it, if ``previous``)."""
    s = start
    while s > 0 and not _SENTENCE_BREAK.match(text[s - 1]):
        s -= 1
    if previous and s > 0:
        s -= 1
        while s > 0 and not _SENTENCE_BREAK.match(text[s - 1]):
            s -= 1
    e = start
    while e < len(text) and not _SENTENCE_BREAK.match(text[e]):
        e += 1
    return text[s:e]


def classify(text: str, start: int, end: int, kind: str) -> str:
    """What a figure is, read from the words around it (documented heuristics)."""
    before, after = phrase_around(text, start, end)
    sentence = _sentence(text, start)
    if kind == "money" and (
        any(w in sentence for w in _BUDGET)
        or (sentence.startswith("其中") and any(w in _sentence(text, start, True) for w in _BUDGET))
    ):
        return "budget_line"
    if any(w in before for w in _CEILING):
        return "ceiling"
    if re.match(r"(以上|以下|以内|以內)?的", after) or re.match(r"以上、", after):
        return "threshold"
    if before.endswith(_THRESHOLD_BEFORE) and after.startswith("的"):
        return "threshold"
    if re.match(r"以上|以下|以内|以內", after) and not any(w in sentence for w in _TARGET):
        return "threshold"
    if kind == "percent" and ("按" in before):
        return "rate"
    if any(w in before for w in _AWARD) or after.startswith(_AWARD) or re.match(r"一次性", after):
        return "fixed_award" if kind == "money" else "rate"
    if any(w in sentence for w in _TARGET):
        return "target"
    return "other"


def _context(text: str, start: int, end: int, width: int = 14) -> str:
    return text[max(0, start - width) : min(len(text), end + width)]


def find_figures(text: str) -> list[Figure]:
    """Every money figure and percentage in ``text``, in order."""
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
                role=classify(text, m.start(), m.end(), "money"),
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
                role=classify(text, m.start(), m.end(), "percent"),
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
