"""Money figures and rates in policy text: find them, value them exactly, say what they are.

Amounts are exact: 177.1億元 is 17,710,000,000 yuan as a Decimal, never a float. A figure in
美元 is USD and 港元 HKD, never added to yuan. Besides 元 and %, the genre writes amounts and rates
without either: 每千瓦時下降1分 (1分 = 0.01元, money), 補助額的2倍 (a multiple: 200% of the
base), 六五折 (a discount: pays 65%), 1:1的比例配套 (a ratio: 100% of the base); each is found
only where its words say so (部分, 倍增, 折舊 and 14:16 are not figures).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from decimal import Decimal, Inexact, localcontext
from functools import cached_property
from itertools import pairwise
from typing import cast

from .models import MoneyRecord, PercentRecord
from .numerals import parse_numeral, spoken_number

# The key of a money record's exact amount, by its currency.
AMOUNT_KEYS = {"CNY": "yuan", "USD": "usd", "HKD": "hkd"}
# Longest units first so 億美元 is not read as 億 + 美元 twice.
_UNITS: dict[str, tuple[Decimal, str]] = {
    "万亿元": (Decimal(1000000000000), "CNY"),
    "萬億元": (Decimal(1000000000000), "CNY"),
    "亿美元": (Decimal(100000000), "USD"),
    "億美元": (Decimal(100000000), "USD"),
    "万美元": (Decimal(10000), "USD"),
    "萬美元": (Decimal(10000), "USD"),
    "美元": (Decimal(1), "USD"),
    # Hong Kong dollars (港元, 港幣): a currency of their own, never yuan.
    "亿港元": (Decimal(100000000), "HKD"),
    "億港元": (Decimal(100000000), "HKD"),
    "万港元": (Decimal(10000), "HKD"),
    "萬港元": (Decimal(10000), "HKD"),
    "港元": (Decimal(1), "HKD"),
    "亿港币": (Decimal(100000000), "HKD"),
    "億港幣": (Decimal(100000000), "HKD"),
    "万港币": (Decimal(10000), "HKD"),
    "萬港幣": (Decimal(10000), "HKD"),
    "港币": (Decimal(1), "HKD"),
    "港幣": (Decimal(1), "HKD"),
    "亿元": (Decimal(100000000), "CNY"),
    "億元": (Decimal(100000000), "CNY"),
    "万元": (Decimal(10000), "CNY"),
    "萬元": (Decimal(10000), "CNY"),
    "元": (Decimal(1), "CNY"),
}
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
MONEY_RE = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>{'|'.join(sorted(_UNITS, key=len, reverse=True))})")
PERCENT_RE = re.compile(rf"(?P<num>{_NUMBER})[%％]")
PERMILLE_RE = re.compile(rf"(?P<num>{_NUMBER})‰")  # 5‰ is 0.5%

# Rates and amounts written without 元 or % (see :func:`_found` for the words each needs).
# 1分 (0.01元): digits, never 分鐘 (minutes), 分之 (a fraction), 分別, 分期 ...
_FEN_RE = re.compile(r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)分(?P<qian>錢|钱)?(?![鐘钟之期別别類类數数值制秒批項项段])")
# 2倍, 兩倍: never 倍增 (doubling, a word), 倍數, 倍率.
_NUMERAL_CHARS = "一二三四五六七八九十百千萬万億亿零〇兩两幾几數数第"
_MULTIPLE_RE = re.compile(
    rf"(?<![\d.{_NUMERAL_CHARS}])(?P<num>\d+(?:\.\d+)?|[一二三四五六七八九十兩两]{{1,3}})倍(?![增數数率])"
)
# 八折 (pays 80%), 八五折 (85%), 7.5折 (75%): never 折舊, 折算, 折合, 折扣, 折疊, 折中, 第一折 ...
_DISCOUNT_RE = re.compile(
    rf"(?<![\d.{_NUMERAL_CHARS}])(?:(?P<num>[1-9](?:\.\d)?)|(?P<zh>[一二三四五六七八九]{{1,2}}))折"
    r"(?![舊旧算合扣疊叠射騰腾返線线磨服衷中價价])"
)
_ZH_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")}
# 三成 (30%), 两成, 1.5成: a share in tenths; never 一成不变, 成为, 成本, 成果, 成效 ...
_TENTHS_RE = re.compile(
    rf"(?<![\d.{_NUMERAL_CHARS}])(?:(?P<num>[1-9](?:\.\d)?)|(?P<zh>[一二三四五六七八九兩两]))成"
    r"(?![不為为本果效立員员交長长功熟就都型品套])"
)
# 减半 (paying half: 50%), as 减半征收, 租金减半.
_HALVED_RE = re.compile(r"(?:減半|减半)")
# 1:1 and 1：0.5: never a time (14:16:29) or a ratio glued to a unit.
_RATIO_RE = re.compile(rf"(?<![\d.:：])(?P<a>{_NUMBER})(?P<sep>[:：])(?P<b>{_NUMBER})(?![\d.:：%％萬万億亿元倍折分美])")
# The words that make such a figure one: 1分 is money in a price per unit (每千瓦時, 1分/千瓦時
# ...) or written 1分錢, and never where scores are given (評分 ...); a ratio shares something out.
_PER_UNIT = (
    "每千瓦時",
    "每千瓦时",
    "/千瓦時",
    "/千瓦时",
    "每度",
    "每立方米",
    "每噸",
    "每吨",
    "電價",
    "电价",
    "氣價",
    "气价",
    "水價",
    "水价",
    "價格",
    "价格",
)
_SCORE = ("評分", "评分", "得分", "打分", "分數", "分数", "積分", "积分", "考核", "考評", "考评")
_RATIO_WORDS = ("比例", "配比", "配套", "匹配", "分擔", "分担", "承擔", "承担")
# The lower bound of a range written with one unit at its end: 50萬—100萬元 (50萬 is money in
# 萬元), 10—30萬元 (10 is 10萬元), 10-30萬元, 10~30萬元, 5至10%; the upper bound is found as usual.
_RANGE_SEP = r"(?:——|—|–|－|-|~|～|至|到)"
_RANGE_LOW_RE = re.compile(
    rf"(?<![\d.,])(?P<num>{_NUMBER})(?P<big>[万亿萬億])?{_RANGE_SEP}"
    rf"(?={_NUMBER}(?P<unit>{'|'.join(sorted(_UNITS, key=len, reverse=True))}|[%％]))"
)
# A rate in words: 百分之五 (5%), 百分之三十五, 百分之零點五, 千分之五 (0.5%), 萬分之五 (0.05%).
_WORD_RATE_RE = re.compile(
    r"(?P<base>百分之|千分之|萬分之|万分之)(?P<num>\d+(?:\.\d+)?|[零〇一二三四五六七八九十百兩两]+(?:[點点][零〇一二三四五六七八九]+)?)"
)
_WORD_RATE_BASE = {"百分之": Decimal(1), "千分之": Decimal("0.1"), "萬分之": Decimal("0.01"), "万分之": Decimal("0.01")}
# An amount written with Chinese digits or units: 1千萬元, 一千萬元, 十億元, 三千元, 兩億美元;
# never a word such as 二元結構 or 一元化 (a number of one digit and no unit is not read).
_SPOKEN_MONEY_RE = re.compile(
    rf"(?<![\d.{_NUMERAL_CHARS}])(?P<num>(?:\d+(?:\.\d+)?|[零〇一二三四五六七八九兩两十])[零〇一二三四五六七八九十百千兩两\d.]*)"
    r"(?P<big>[万亿萬億])?(?P<cur>美元|元)(?!化)"
)
# Kinds of rate: how many percent of a base each states (stored with the percentages).
RATE_KINDS = ("percent", "multiple", "discount", "ratio")

_CEILING = ("最高", "不超過", "不超过", "上限", "封頂", "封顶")
_BUDGET = ("預算安排", "预算安排")
# A sentence naming its year (2024年, 2025年: the edition's) states a target, as do these words.
_TARGET_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d年")
_TARGET = (
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
# A rate right after these words changes an amount or a price (额度上浮20%): a rate, never a target.
_RATE_CHANGE = ("上浮", "下浮", "上調", "上调", "下調", "下调", "浮動", "浮动")
_AWARD = ("給予", "给予", "獎勵", "奖励", "補助", "补助", "資助", "资助", "補貼", "补贴", "貼息", "贴息")
_OF_AWARD = tuple("的" + w for w in _AWARD)
_THRESHOLD_BEFORE = ("達", "达", "超過", "超过", "不低於", "不低于", "不少於", "不少于")
# A colon between two digits is a ratio's (1:1), not a break.
_PHRASE_BREAK = re.compile(r"[,，;；。!！?？]|(?<!\d)[:：]|[:：](?!\d)")
_SENTENCE_BREAK = re.compile(r"[。!！?？]")
# A rate's "的" that is no threshold: 按1:1的比例, 5%的標準.
_RATE_AFTER = ("的比例", "的標準", "的标准", "的比率", "的費率", "的费率")
# 以上 followed by what it qualifies (1億美元以上外資大項目: a threshold even in a target's
# sentence), not by the phrase's end, 的 or 、 (read before), a level or an estimate.
_QUALIFIES = re.compile(r"(?:以上|以下|以内|以內)(?![,，;；:：。!！?？、的)）(（]|$|水平|水準|水准|左右)")
# 由200萬元提高至500萬元, 從50%調整為60%: the first figure is the one replaced.
_REPLACED_BEFORE = re.compile(r"(?:由|從|从)(?:原來的|原来的|原)?$")
_CHANGED_TO = re.compile(
    r"(?:提高|提升|上調|上调|上浮|調高|调高|下調|下调|下浮|調低|调低|降低|調整|调整|增加|增長|增长"
    r"|減少|减少|放寬|放宽|擴大|扩大|縮小|缩小|壓減|压减|降|提|增|減|减|調|调|改)(?:至|到|為|为|成)"
)


@dataclass(frozen=True)
class Figure:
    """One money figure or rate, located in a text."""

    kind: str  # "money", or a rate: "percent", "multiple", "discount", "ratio" (RATE_KINDS)
    text: str  # as written: "177.1億元", "1分", "5%", "2倍", "六五折", "1:1"
    number: Decimal  # the number in its unit: 177.1, 1, 5, 2, 6.5 (折), 1 (1:1, per 1 of the first term)
    unit: str  # "億元", "分", "%", "倍", "折", ":" (the ratio's colon as written)
    value: Decimal  # yuan (or dollars) for money; for a rate, the percent of its base: 5, 200, 65, 100
    currency: str | None  # "CNY", "USD"; None for a rate
    start: int
    end: int
    role: str  # budget_line, ceiling, threshold, fixed_award, rate, target, replaced, other
    context: str  # the words around it

    def to_record(self) -> MoneyRecord | PercentRecord:
        return self.money_record() if self.kind == "money" else self.percent_record()

    def money_record(self) -> MoneyRecord:
        """The stored form of a money figure (its keys in the store's order)."""
        if self.currency is None:
            raise ValueError(f"{self.text} is a rate, not a money figure")
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
        return cast(MoneyRecord, {**common, AMOUNT_KEYS[self.currency]: amount, "currency": self.currency})

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
            kind=self.kind,
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
            known = (
                any(w in s for w in _BUDGET),
                s.startswith("其中"),
                any(w in s for w in _TARGET) or bool(_TARGET_YEAR.search(s)),
            )
            self._sentences[k] = known
        return known

    @cached_property
    def per_unit(self) -> _Words:
        return _Words(self.text, _PER_UNIT)

    @cached_property
    def score(self) -> _Words:
        return _Words(self.text, _SCORE)

    @cached_property
    def sharing(self) -> _Words:
        return _Words(self.text, _RATIO_WORDS)

    def _awarded(self, lo: int, start: int, after_head: str, money: bool) -> str | None:
        """A ceiling (最高, 不超過 before it; or an amount given with 以内 after it: 给予两亿元以内的
        专项债券支持), a figure followed by 的 and an award word (按缴纳额50%的补贴); else None."""
        if self.ceiling.within(lo, start):
            return "ceiling"
        if money and re.match(r"以内|以內|以下", after_head) and self.award.within(lo, start):
            return "ceiling"
        if after_head.startswith(_OF_AWARD):
            return "fixed_award" if money else "rate"
        return None

    def classify(self, start: int, end: int, kind: str) -> str:
        """What the figure at text[start:end] is (see :func:`classify`); ``kind`` is "money"
        or a rate's kind (percent, multiple, discount, ratio)."""
        text = self.text
        lo, hi = self.phrase(start, end)
        before_tail = text[max(lo, start - _EDGE) : start]
        after_head = text[end : min(hi, end + _EDGE)]
        k = self.sentence_of(start)
        budget, in_sum, target = self.sentence_words(k)
        money = kind == "money"
        if money and (budget or (in_sum and k > 0 and self.sentence_words(k - 1)[0])):
            return "budget_line"
        awarded = self._awarded(lo, start, after_head, money)
        if awarded:
            return awarded
        if re.match(r"(以上|以下|以内|以內)的", after_head) or re.match(r"以上、", after_head):
            return "threshold"
        if after_head.startswith("的"):
            if before_tail.endswith(_THRESHOLD_BEFORE):
                return "threshold"
            if not money and after_head.startswith(_RATE_AFTER):  # 1:1的比例
                return "rate"
            if before_tail.endswith(_AWARD):  # 給予1%的貼息, 給予50萬元的獎勵
                return "fixed_award" if money else "rate"
            return "threshold"
        if re.match(r"以上|以下|以内|以內", after_head) and (not target or _QUALIFIES.match(text, end, hi)):
            return "threshold"
        if not money and (self.by.within(lo, start) or before_tail.endswith(_RATE_CHANGE)):
            return "rate"
        if self.award.within(lo, start) or after_head.startswith(_AWARD) or re.match(r"一次性", after_head):
            return "fixed_award" if money else "rate"
        if target:
            return "target"
        # A multiple, a discount or a ratio says how much of something is paid: a rate.
        return "other" if kind in ("money", "percent") else "rate"


def classify(text: str, start: int, end: int, kind: str) -> str:
    """What a figure is, read from the words around it (documented heuristics): the words of
    its phrase (before and after it) and of its sentence (and, for a sentence that starts
    with 其中, the one before). A figure that the text says was changed (由200萬元提高至
    500萬元) is ``replaced``, which only :func:`find_figures` sees (it needs the next figure)."""
    return _Layout(text).classify(start, end, kind)


def _context(text: str, start: int, end: int, width: int = 14) -> str:
    return text[max(0, start - width) : min(len(text), end + width)]


@dataclass(frozen=True)
class _Found:
    """A figure's place and value, before it is classified."""

    kind: str
    start: int
    end: int
    number: Decimal
    unit: str
    value: Decimal
    currency: str | None


def _exact_quotient(a: Decimal, b: Decimal) -> Decimal | None:
    """b / a when it is a terminating decimal (1:4 is 4, 4:1 is 0.25; 3:1 is None)."""
    if a.is_zero():
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.traps[Inexact] = True
        try:
            return b / a
        except Inexact:
            return None


def _zh_digits(text: str) -> Decimal:
    """六五 -> 6.5, 八 -> 8 (a discount's 折 as written in numerals)."""
    return Decimal(str(_ZH_DIGIT[text[0]]) + ("." + str(_ZH_DIGIT[text[1]]) if len(text) > 1 else ""))


def _word_number(text: str) -> Decimal | None:
    """五 -> 5, 三十五 -> 35, 零點五 -> 0.5, 12.5 -> 12.5 (the number of 百分之…)."""
    if text[0].isdigit():
        return parse_number(text)
    whole, _, fraction = text.replace("點", "点").partition("点")
    number = spoken_number(whole)
    if number is None:
        return None
    if fraction:
        number += Decimal("0." + "".join(str(_ZH_DIGIT.get(ch, 0)) for ch in fraction))
    return number


def _range_lows(text: str) -> list[_Found]:
    """The lower bounds of ranges written with one unit: 50萬 of 50萬—100萬元 (in 萬元), 10 of
    10—30萬元 (10萬元), 5 of 5至10%."""
    found: list[_Found] = []
    for m in _RANGE_LOW_RE.finditer(text):
        end = m.end("big") if m["big"] else m.end("num")
        number = parse_number(m["num"])
        if m["unit"] in ("%", "％"):
            if not m["big"]:
                found.append(_Found("percent", m.start(), end, number, "%", number, None))
            continue
        unit = m["unit"]
        if m["big"]:  # 50萬—100萬元: 50萬 in 萬元 (or 萬美元 where the range is in dollars)
            unit = m["big"] + ("美元" if unit.endswith("美元") else "元")
        value, currency = money_value(m["num"], unit)
        found.append(_Found("money", m.start(), end, number, unit, value, currency))
    return found


def _spoken_money(text: str, taken: list[tuple[int, int]]) -> list[_Found]:
    """Amounts written with Chinese digits or units (1千萬元, 一千萬元, 十億元, 三千元), where no
    other figure stands."""
    found: list[_Found] = []
    for m in _SPOKEN_MONEY_RE.finditer(text):
        num = m["num"]
        if num.replace(".", "").isdigit() or any(s < m.end() and m.start() < e for s, e in taken):
            continue  # digits alone are MONEY_RE's (500萬元)
        spoken = spoken_number(num)
        if spoken is None or (not m["big"] and not any(ch in "十百千" for ch in num)):
            continue
        unit = (m["big"] or "") + m["cur"]
        value, currency = money_value("1", unit)
        found.append(_Found("money", m.start(), m.end(), spoken, unit, spoken * value, currency))
    return found


def _word_rates(text: str) -> list[_Found]:
    """Rates in words: 百分之五 (5%), 千分之五 (0.5%), 萬分之五 (0.05%)."""
    found: list[_Found] = []
    for m in _WORD_RATE_RE.finditer(text):
        percent = _word_number(m["num"])
        if percent is not None:
            percent *= _WORD_RATE_BASE[m["base"]]
            found.append(_Found("percent", m.start(), m.end(), percent, "%", percent, None))
    return found


def _shares(text: str) -> list[_Found]:
    """Shares in words: 三成 (30%, a percent), 减半 (pays half: as a discount, 5折)."""
    found: list[_Found] = []
    for m in _TENTHS_RE.finditer(text):
        number = (Decimal(m["num"]) if m["num"] else Decimal(parse_numeral(m["zh"]) or 0)) * 10
        found.append(_Found("percent", m.start(), m.end(), number, "%", number, None))
    found.extend(
        _Found("discount", m.start(), m.end(), Decimal(5), "折", Decimal(50), None) for m in _HALVED_RE.finditer(text)
    )
    return found


def _found(text: str, layout: _Layout) -> list[_Found]:
    """Every figure in ``text``, in order, with its value; a figure written without 元 or %
    only where the words of its phrase make it one: 1分 in a price per unit (每千瓦時, 電價) or
    as 1分錢 and never among scores (評分, 得分); a ratio in a phrase that shares something
    out (比例, 配套, 分擔)."""
    found: list[_Found] = []
    for m in MONEY_RE.finditer(text):
        value, currency = money_value(m["num"], m["unit"])
        found.append(_Found("money", m.start(), m.end(), parse_number(m["num"]), m["unit"], value, currency))
    found.extend(_range_lows(text))
    found.extend(_spoken_money(text, [(f.start, f.end) for f in found]))
    found.extend(_word_rates(text))
    for m in _FEN_RE.finditer(text):
        lo, hi = layout.phrase(m.start(), m.end())
        if (m["qian"] or layout.per_unit.within(lo, hi)) and not layout.score.within(lo, hi):
            number = parse_number(m["num"])
            found.append(_Found("money", m.start(), m.end(), number, "分", number / 100, "CNY"))
    for m in PERCENT_RE.finditer(text):
        number = parse_number(m["num"])
        found.append(_Found("percent", m.start(), m.end(), number, "%", number, None))
    for m in PERMILLE_RE.finditer(text):
        number = parse_number(m["num"])
        found.append(_Found("percent", m.start(), m.end(), number / 10, "%", number / 10, None))  # as 千分之五
    for m in _MULTIPLE_RE.finditer(text):
        num = m["num"]
        times = parse_number(num) if num[0].isdigit() else parse_numeral(num)
        if times:
            number = Decimal(times)
            found.append(_Found("multiple", m.start(), m.end(), number, "倍", number * 100, None))
    for m in _DISCOUNT_RE.finditer(text):
        number = Decimal(m["num"]) if m["num"] else _zh_digits(m["zh"])
        found.append(_Found("discount", m.start(), m.end(), number, "折", number * 10, None))
    found.extend(_shares(text))
    for m in _RATIO_RE.finditer(text):
        lo, hi = layout.phrase(m.start(), m.end())
        quotient = _exact_quotient(parse_number(m["a"]), parse_number(m["b"]))
        if quotient is not None and layout.sharing.within(lo, hi):
            found.append(_Found("ratio", m.start(), m.end(), quotient, m["sep"], quotient * 100, None))
    found.sort(key=lambda f: f.start)
    return found


def _replaced(text: str, figures: list[_Found]) -> set[int]:
    """Which figures the text says were changed: the X of 由X提高至Y, 從X調整為Y, 由X降至Y
    (X and Y both money, or both rates)."""
    out: set[int] = set()
    for i, (f, g) in enumerate(pairwise(figures)):
        if (f.kind == "money") != (g.kind == "money"):
            continue
        if _CHANGED_TO.fullmatch(text, f.end, g.start) and _REPLACED_BEFORE.search(text, max(0, f.start - 5), f.start):
            out.add(i)
    return out


_RANGE_SEP_RE = re.compile(rf"\s*{_RANGE_SEP}\s*")


def _award_ranges(text: str, figures: list[Figure]) -> list[Figure]:
    """An award given as a range (给予一次性补助30万—50万元) is no fixed amount: its upper bound
    is a ceiling (at most 50万元), its lower bound an ``other`` figure (the least given)."""
    out = list(figures)
    for i, (f, g) in enumerate(pairwise(figures)):
        if f.kind != g.kind or not _RANGE_SEP_RE.fullmatch(text, f.end, g.start):
            continue
        if g.role == "fixed_award" or (f.role == "fixed_award" and g.role in ("fixed_award", "ceiling")):
            out[i] = replace(f, role="other")
            out[i + 1] = replace(g, role="ceiling")
    return out


def find_figures(text: str) -> list[Figure]:
    """Every money figure and rate in ``text``, in order (O(n log n) in the text's length:
    the phrase and sentence boundaries are found once for all its figures)."""
    layout = _Layout(text)
    found = _found(text, layout)
    replaced = _replaced(text, found)
    return _award_ranges(text, _figures(text, layout, found, replaced))


def _figures(text: str, layout: _Layout, found: list[_Found], replaced: set[int]) -> list[Figure]:
    return [
        Figure(
            kind=f.kind,
            text=text[f.start : f.end],
            number=f.number,
            unit=f.unit,
            value=f.value,
            currency=f.currency,
            start=f.start,
            end=f.end,
            role="replaced" if i in replaced else layout.classify(f.start, f.end, f.kind),
            context=_context(text, f.start, f.end),
        )
        for i, f in enumerate(found)
    ]


def figure_spans(text: str) -> list[tuple[int, int]]:
    """Where money figures and rates stand in a text (for highlighting)."""
    return [(f.start, f.end) for f in _found(text, _Layout(text))]


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
