"""Money extraction reads each text once: the phrase and sentence around every figure come
from boundaries found up front, so a clause with 10,000 figures takes about ten times as
long as one with 1,000 (not a hundred), and every figure keeps the role it had."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from hzpolicy.core import money
from hzpolicy.core.money import find_figures, phrase_around
from hzpolicy.core.parser import parse

from .conftest import SOURCE

# --- the roles, read as the words around each figure say (the plain definition) ----------------

_PHRASE_BREAK = re.compile(r"[,，;；。!！?？]|(?<!\d)[:：]|[:：](?!\d)")  # 1:1's colon is no break
_SENTENCE_BREAK = re.compile(r"[。!！?？]")
_LIMIT_WORDS = "以上|以下|以内|以內"


def _breaks_at(text: str, i: int) -> bool:
    return bool(_PHRASE_BREAK.match(text, i))


def _sentence(text: str, start: int) -> tuple[int, int]:
    s = start
    while s > 0 and not _SENTENCE_BREAK.match(text[s - 1]):
        s -= 1
    e = start
    while e < len(text) and not _SENTENCE_BREAK.match(text[e]):
        e += 1
    return s, e


def reference_role(text: str, start: int, end: int, kind: str, replaced: bool = False) -> str:
    """The classification rules written out plainly, scanning outwards from the figure (slow,
    obviously right): the linear implementation must agree with it on every figure."""
    if replaced:
        return "replaced"
    lo = start
    while lo > 0 and not _breaks_at(text, lo - 1):
        lo -= 1
    hi = end
    while hi < len(text) and not _breaks_at(text, hi):
        hi += 1
    before, after = text[lo:start], text[end:hi]
    s, e = _sentence(text, start)
    sentence = text[s:e]
    previous = text[_sentence(text, s - 1)[0] : e] if s > 0 else sentence
    is_money = kind == "money"
    target = any(w in sentence for w in money._TARGET) or bool(money._TARGET_YEAR.search(sentence))
    if is_money and (
        any(w in sentence for w in money._BUDGET)
        or (sentence.startswith("其中") and any(w in previous for w in money._BUDGET))
    ):
        return "budget_line"
    within = is_money and re.match(r"以内|以內|以下", after) and any(w in before for w in money._AWARD)
    if any(w in before for w in money._CEILING) or within:  # within: 给予两亿元以内的支持, at most
        return "ceiling"
    if re.match(rf"({_LIMIT_WORDS})的", after) or re.match(r"以上、", after):
        return "threshold"
    if after.startswith("的"):
        return _before_de(before, after, is_money)
    # 以上 ends the phrase (a target's 60億元以上) or qualifies what follows (1億美元以上外資大項目).
    qualifies = re.match(rf"({_LIMIT_WORDS})(?![,，;；:：。!！?？、的)）(（]|$|水平|水準|水准|左右)", after)
    if re.match(_LIMIT_WORDS, after) and (not target or qualifies):
        return "threshold"
    if not is_money and ("按" in before or before.endswith(money._RATE_CHANGE)):
        return "rate"
    if any(w in before for w in money._AWARD) or after.startswith(money._AWARD) or re.match(r"一次性", after):
        return "fixed_award" if is_money else "rate"
    if target:
        return "target"
    return "other" if kind in ("money", "percent") else "rate"


def _before_de(before: str, after: str, is_money: bool) -> str:
    """A figure followed by 的: 達300萬元的 is a threshold; 1:1的比例 and 給予1%的貼息 are rates."""
    if before.endswith(money._THRESHOLD_BEFORE):
        return "threshold"
    if not is_money and after.startswith(("的比例", "的標準", "的标准", "的比率", "的費率", "的费率")):
        return "rate"
    if before.endswith(money._AWARD):
        return "fixed_award" if is_money else "rate"
    return "threshold"


def _is_replaced(text: str, figures: list, i: int) -> bool:
    """由X提高至Y: X and the next figure Y both money or both rates, only the change between."""
    if i + 1 == len(figures):
        return False
    f, g = figures[i], figures[i + 1]
    return (
        (f.kind == "money") == (g.kind == "money")
        and re.fullmatch(money._CHANGED_TO, text[f.end : g.start]) is not None
        and re.search(r"(由|從|从)(原來的|原来的|原)?$", text[: f.start]) is not None
    )


def _reference_roles(text: str) -> list[str]:
    figures = find_figures(text)
    return [reference_role(text, f.start, f.end, f.kind, _is_replaced(text, figures, i)) for i, f in enumerate(figures)]


def test_every_figure_of_the_shipped_document_keeps_its_role():
    doc = parse(SOURCE.read_bytes())
    for c in doc.clauses:
        roles = [r["role"] for r in sorted((*c.money, *c.percentages), key=lambda r: r["start"])]
        assert roles == _reference_roles(c.text), c.number
    assert sum(len(c.money) for c in doc.clauses) == 96  # 95 in 元 and 美元, and 1分


_PIECES = (
    *money._CEILING,
    *money._BUDGET,
    *money._TARGET,
    "2024年",
    "2025年",
    *money._AWARD,
    *money._THRESHOLD_BEFORE,
    "以上",
    "以下",
    "以內",
    "的",
    "、",
    "其中",
    "按",
    "一次性",
    "企業",
    "100萬元",
    "1,000億元",
    "80億美元",
    "5%",
    "12.5%",
    "元",
    # rates without %, money without 元, and the words around them
    "由",
    "從",
    "提高至",
    "降至",
    "調整為",
    "的比例",
    "貼息",
    "外資項目",
    "1:1",
    "1：2",
    "2倍",
    "六五折",
    "7.5折",
    "每千瓦時",
    "1分",
    "評分",
    "上浮",
    "三成",
    "減半",
    "500萬港元",
    *",，;；:：。!！?？",
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_roles_agree_with_the_plain_definition_on_any_text(pieces):
    text = "".join(pieces)
    figures = find_figures(text)
    assert [f.role for f in figures] == _reference_roles(text)
    for f in figures:  # a figure's phrase runs to the nearest break on either side
        before, after = phrase_around(text, f.start, f.end)
        lo, hi = f.start - len(before), f.end + len(after)
        assert not any(_breaks_at(text, i) for i in (*range(lo, f.start), *range(f.end, hi)))
        assert lo == 0 or _breaks_at(text, lo - 1)
        assert hi == len(text) or _breaks_at(text, hi)


# --- time ---------------------------------------------------------------------------------------------


def _package(figures: int) -> str:
    """A package whose one clause holds ``figures`` money figures and percentages in one long
    sentence (phrases of ten, joined by 、): the case that took quadratic time."""
    parts = []
    for i in range(figures):
        parts.append(f"項目{i}給予最高{i % 900 + 1}萬元" if i % 2 else f"增長{i % 90 + 1}%以上")
        parts.append("," if i % 10 == 9 else "、")
    clause = "(一)支援研發。2024年," + "".join(parts) + "按規定執行。(責任單位:市科技局)"
    return f"某市若干政策\n為推動發展,制定以下政策。\n一、科技政策\n{clause}\n本政策均為2024年全年有效。\n"


def _seconds(text: str, figures: int, runs: int) -> float:
    """The best of ``runs`` parses (the least disturbed by other work on the machine)."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        doc = parse(text)
        best = min(best, time.perf_counter() - t0)
        assert len(doc.clauses[0].money) + len(doc.clauses[0].percentages) == figures
    return best


def test_ten_times_the_figures_take_about_ten_times_as_long():
    """A bound, not a benchmark: a quadratic extraction takes ~100x for 10x the figures; a
    linear one ~10x. 30x leaves room for a loaded machine without letting quadratic through."""
    small, large = _package(1_000), _package(10_000)
    t_small = _seconds(small, 1_000, runs=5)
    t_large = _seconds(large, 10_000, runs=2)
    assert t_large < 30 * t_small, f"1,000 figures: {t_small:.3f}s; 10,000 figures: {t_large:.3f}s"
