"""Chinese numerals as used for clause numbers: 一 … 九十九, 一百 … 九百九十九."""

from __future__ import annotations

import re
from decimal import Decimal

DIGITS = "零一二三四五六七八九"
_VALUE = {c: i for i, c in enumerate(DIGITS)} | {"〇": 0, "两": 2, "兩": 2}
NUMERAL_CHARS = frozenset(DIGITS + "〇十百两兩")


def to_numeral(n: int) -> str:
    """1 -> 一, 14 -> 十四, 76 -> 七十六, 105 -> 一百零五."""
    if not 0 < n < 1000:
        raise ValueError(f"clause numbers run from 1 to 999, not {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    if ones:
        out += DIGITS[ones]
    return out


def parse_numeral(text: str) -> int | None:
    """十四 -> 14, 七十六 -> 76, 一百零五 -> 105; None if it is not a numeral."""
    if not text or any(c not in NUMERAL_CHARS for c in text):
        return None
    total = 0
    current = None
    seen_unit = False
    for ch in text:
        if ch == "百":
            if current is None or total:
                return None
            total += current * 100
            current = None
            seen_unit = True
        elif ch == "十":
            if total % 100 >= 10:
                return None
            total += (1 if current is None else current) * 10
            current = None
            seen_unit = True
        else:
            value = _VALUE[ch]
            if current is not None:
                return None
            if value == 0:
                if not seen_unit:
                    return None
                continue
            current = value
    if current is not None:
        total += current
    if total == 0:
        return None
    # Round-trip guard: reject odd spellings such as 十十 or 三四.
    return (
        total
        if to_numeral(total).replace("零", "")
        == text.replace("零", "").replace("〇", "").replace("两", "二").replace("兩", "二")
        else None
    )


# --- Amounts written in words (一千万, 1千万, 一千五百万, 两亿, 百分之五) ---------------------------

_SPOKEN_DIGITS = {c: i for i, c in enumerate(DIGITS)} | {"〇": 0, "两": 2, "兩": 2, "壹": 1, "贰": 2, "貳": 2}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"亿": 100000000, "億": 100000000, "万": 10000, "萬": 10000}
SPOKEN_CHARS = frozenset("0123456789.") | frozenset(_SPOKEN_DIGITS) | frozenset(_SMALL_UNITS) | frozenset(_BIG_UNITS)


_SPOKEN_TOKEN = re.compile(r"[0-9.]+|[零〇一二两兩三四五六七八九壹贰貳]|[十拾百佰千仟]")


def _digit_value(token: str) -> Decimal | None:
    if token[0] in "0123456789.":
        try:
            return Decimal(token)
        except ArithmeticError:
            return None
    return Decimal(_SPOKEN_DIGITS[token])


def _small(text: str) -> Decimal | None:
    """Below ten thousand: 1000, 1.5, 一千五百, 五百, 十五, 1千, 三千零五."""
    tokens = _SPOKEN_TOKEN.findall(text)
    if not tokens or "".join(tokens) != text:
        return None
    total = Decimal(0)
    current: Decimal | None = None
    last_unit = 10000
    for token in tokens:
        unit = _SMALL_UNITS.get(token)
        if unit is not None:
            if unit >= last_unit:  # 十百, 百千: not a number
                return None
            total += (Decimal(1) if current is None else current) * unit
            current, last_unit = None, unit
            continue
        value = _digit_value(token)
        if value is None or current is not None:
            return None
        current = value or None  # 三千零五: 零 leaves a place empty
    return total + (current or 0)


def spoken_number(text: str) -> Decimal | None:
    """A number written with Chinese digits or units, or both: 一千万 -> 10000000,
    1千万 -> 10000000, 1.5亿 -> 150000000, 两亿 -> 200000000, 一千五百万 -> 15000000,
    十五 -> 15. None for what is not a number."""
    for big in ("亿", "億", "万", "萬"):
        head, sep, tail = text.partition(big)
        if sep:
            high = spoken_number(head) if head else None
            if high is None:
                return None
            low = spoken_number(tail) if tail else Decimal(0)
            if low is None or low >= _BIG_UNITS[big]:
                return None
            return high * _BIG_UNITS[big] + low
    return _small(text)
