"""Text fitted to a width with an ASCII ellipsis (interface words live in core.script)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells, ending in '...' when cut (the ellipsis character is
    ambiguous-width and misaligns some terminals)."""
    if cell_len(text) <= width:
        return text
    if width <= 3:
        return "." * max(width, 0)
    out = ""
    used = 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 3:
            break
        out += ch
        used += w
    return out + "..."


def fit_text(text: Text, width: int) -> Text:
    if text.cell_len <= width:
        return text
    plain = fit(text.plain, width)
    keep = len(plain) - 3
    out = text[:keep]
    out.append("...")
    return out


def fit_around(text: Text, first: int, width: int) -> Text:
    """Fit ``text`` to ``width`` cells, keeping the character at ``first`` (a match) in view."""
    lead = max(0, first - 3)
    if lead and text[:first].cell_len > width // 3:
        text = Text("...", style=text.style) + text[lead:]
    return fit_text(text, width)


def fit_middle(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells in its middle (``hangzhou...simplified``): a package's
    name keeps its start and its end, where editions of one document differ."""
    if cell_len(text) <= width:
        return text
    if width <= 7:
        return fit(text, width)
    room = width - 3
    head_cells = (room + 1) // 2
    head = fit(text, head_cells + 3)[:-3] if cell_len(text) > head_cells else text
    tail = ""
    used = 0
    for ch in reversed(text):
        w = cell_len(ch)
        if used + w > room - cell_len(head):
            break
        tail = ch + tail
        used += w
    return head + "..." + tail
