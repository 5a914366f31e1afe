"""Quantities as the calculator rules write them: the document's own figures (200萬元, 5%, 2倍, 六五折).

Its own module so the rules checker (:mod:`.rules`) and the engine (:mod:`.calculator`) both
read them without importing each other.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .i18n import Notice

_ZHE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def parse_quantity(text: str) -> tuple[Decimal, str]:
    """'200萬元' -> (200, 'wan'); '1億元' -> (10000, 'wan'); '5%' -> (0.05, 'ratio');
    '2倍' -> (2, 'ratio'); '六五折' -> (0.65, 'ratio'); '3' -> (3, 'number'). A Simplified
    source's 万元 and 亿元 are read the same (a rule quotes its source as it is written)."""
    t = str(text).strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(萬元|億元|万元|亿元|%|倍)?", t)
    if m:
        n = Decimal(m.group(1))
        unit = m.group(2)
        if unit in ("萬元", "万元"):
            return n, "wan"
        if unit in ("億元", "亿元"):
            return n * 10000, "wan"
        if unit == "%":
            return n / 100, "ratio"
        if unit == "倍":
            return n, "ratio"
        return n, "number"
    m = re.fullmatch(r"([一二三四五六七八九])([一二三四五六七八九])?折", t)
    if m:
        digits = "".join(str(_ZHE_DIGITS[c]) for c in m.groups() if c)
        return Decimal("0." + digits), "ratio"
    # A notice (English as a str): the rules checker passes it on in the reader's words.
    raise ValueError(
        Notice(
            "cannot read the quantity {text} (write it as the quote does: 200萬元, 5%, 2倍, 六五折)", text=repr(text)
        )
    )
