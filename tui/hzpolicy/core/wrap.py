"""Line breaking for Chinese text (禁則, kinsoku), measured in terminal cells.

Rules a Chinese reader expects:
- no line starts with closing punctuation (。，、；：？！）》」” and ASCII , ; : ) . ? !);
- no line ends with opening punctuation (（《「“ and ASCII ();
- a number never splits from itself or from its unit: 300萬元, 5%, 177.1億元, 2024年,
  "11.728 萬元" (a formula's spaced unit), and a date 2024-12-31 is one number;
- a Latin word (REITs, ICCA) or a fact name (rd_spend_prev) stays whole.

The text is cut into unbreakable *atoms* (a number with its unit, a word, one Han
character), openers glued to the atom after them and closers to the atom before; atoms
are then laid greedily. Only an atom wider than the whole line is folded by character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

CLOSERS = set("。，、；：？！）》」』】〕〉”’…·%％,;:)?!.]}")
OPENERS = set("（《「『【〔〈“‘([{")
_UNITS = (
    "萬億元|万亿元|億美元|亿美元|萬美元|万美元|美元|億元|亿元|萬元|万元|元|"
    "萬平方米|万平方米|平方米|萬千瓦|万千瓦|億千瓦時|亿千瓦时|千瓦時|千瓦时|萬噸|万吨|萬畝|万亩|畝|亩|"
    "公里|萬人|万人|人次|家次|萬個|万个|個|个|家|項|项|條|条|場|场|所|張|张|棟|栋|年|月|日|號|号|倍|"
    "星|人|億|亿|萬|万|%|％|‰"
)
_ATOM = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}"  # an ISO date
    rf"|\d+(?:[.,:]\d+)*(?: ?(?:{_UNITS}))?"  # a number with its unit (11.728 萬元 too)
    r"|[A-Za-z_][A-Za-z0-9_'\-]*"  # a Latin word, or a profile's fact name (hitech_investment_project)
    r"|\s+"  # spaces (a break may fall here)
    r"|.",
    re.DOTALL,
)


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def cell_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def _atoms(text: str) -> list[tuple[int, int]]:
    """Unbreakable pieces as (start, end), punctuation glued to its neighbour."""
    raw = [(m.start(), m.end()) for m in _ATOM.finditer(text)]
    atoms: list[list[int]] = []
    pending_open: int | None = None
    for start, end in raw:
        piece = text[start:end]
        if piece in OPENERS:
            if pending_open is None:
                pending_open = start
            continue
        if piece in CLOSERS and atoms and pending_open is None:
            if text[atoms[-1][0] : atoms[-1][1]].isspace() and len(atoms) > 1:
                atoms.pop()  # "X )": the closer and the space before it stay with X
            atoms[-1][1] = end
            continue
        if pending_open is not None:
            start = pending_open
            pending_open = None
        atoms.append([start, end])
    if pending_open is not None:
        atoms.append([pending_open, len(text)])
    return [(s, e) for s, e in atoms]


def _kept(
    atoms: list[tuple[int, int]], keep: Sequence[tuple[int, int]], text: str, width: int
) -> list[tuple[int, int]]:
    """The atoms with those inside each ``keep`` span (a name, a bracketed status) made one,
    where the span fits on a line; a longer one breaks as usual."""
    if not keep:
        return atoms
    out: list[tuple[int, int]] = []
    spans = sorted((s, e) for s, e in keep if cell_width(text[s:e]) <= width)
    i = 0
    for start, end in atoms:
        while i < len(spans) and spans[i][1] <= start:
            i += 1
        if out and i < len(spans) and spans[i][0] < start < spans[i][1]:
            out[-1] = (out[-1][0], end)  # inside a kept span: glued to the atom before
        else:
            out.append((start, end))
    return out


def break_lines(text: str, width: int, keep: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Spans of ``text`` (one paragraph, no newlines) making lines at most ``width`` cells;
    a span in ``keep`` that fits on a line is never broken."""
    width = max(width, 2)
    lines: list[tuple[int, int]] = []
    line_start = 0
    used = 0
    for start, end in _kept(_atoms(text), keep, text, width):
        w = cell_width(text[start:end])
        if used and used + w > width:
            lines.append((line_start, start))
            line_start, used = start, 0
            if text[start:end].isspace():  # no line starts with the space it broke at
                line_start = end
                continue
        if w > width:  # only an atom longer than a whole line is folded
            for i in range(start, end):
                cw = char_width(text[i])
                if used + cw > width and used:
                    cut = i
                    while cut > line_start + 1 and (text[cut] in CLOSERS or text[cut - 1] in OPENERS):
                        cut -= 1  # even when folding, keep punctuation where it belongs
                    lines.append((line_start, cut))
                    line_start, used = cut, cell_width(text[cut:i])
                used += cw
            continue
        used += w
    if line_start < len(text) or not lines:
        lines.append((line_start, len(text)))
    return lines


def wrap(text: str, width: int) -> list[str]:
    """Lines of a text that may hold several paragraphs (split on newlines)."""
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(para[s:e].rstrip() for s, e in break_lines(para, width))
    return out
