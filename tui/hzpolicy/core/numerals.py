"""Chinese numerals as used for clause numbers: 一 … 九十九, 一百 … 九百九十九."""

from __future__ import annotations

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
