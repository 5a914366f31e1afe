"""Interface words in both scripts; text fitted to a width with an ASCII ellipsis."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from ..core.script import ui_simplified

ROLE_LABELS = {
    "budget_line": "預算",
    "ceiling": "上限",
    "threshold": "門檻",
    "fixed_award": "定額",
    "rate": "比例",
    "target": "目標",
    "other": "其他",
}


# Interface words (not the document's) that differ between Taiwan and mainland software.
UI_MAINLAND = {"搜寻": "搜索", "汇出": "导出", "档案": "文件", "储存": "保存", "剪贴簿": "剪贴板"}


def say(text: str, script: str) -> str:
    """Interface text (written in Traditional) in the reader's script."""
    if script != "simplified":
        return text
    out = ui_simplified(text)
    for taiwan, mainland in UI_MAINLAND.items():
        out = out.replace(taiwan, mainland)
    return out


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
