"""Chinese line breaking in the detail pane, at every width."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hzpolicy.core.script import typeset
from hzpolicy.core.wrap import CLOSERS, break_lines, cell_width, wrap

CLOSING = set("。，、；：？！）》」”,;:)")
OPENING = set("（《「“(")
NUMBER_WITH_UNIT = re.compile(r"\d{4}-\d\d-\d\d|\d+(?:[.,]\d+)*(?: ?(?:萬元|億元|万元|亿元|美元|元|%))?")


def _check(text: str, width: int) -> None:
    spans = break_lines(text, width)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")
    for s, e in spans:
        line = text[s:e]
        assert cell_width(line) <= width, (width, line)
        if line:
            assert line[0] not in CLOSING, (width, line)
            assert line[-1] not in OPENING, (width, line)
    for m in NUMBER_WITH_UNIT.finditer(text):
        if cell_width(m.group()) <= width:
            assert not any(m.start() < s < m.end() for s, _ in spans), (width, m.group())


@pytest.mark.parametrize("width", [12, 17, 20, 23, 30, 41, 57, 80, 119])
def test_every_clause_at_many_widths(doc, width):
    for c in doc.clauses:
        _check(typeset(c.body), width)
        _check(typeset(c.body_simplified), width)


@pytest.mark.parametrize("script", ["traditional", "simplified"])
def test_the_whole_pane_at_many_widths(doc, script):
    """Not only the clause's text: its header (dates, agencies, the figures listed with their
    value in yuan) follows the same rules."""
    from hzpolicy.core.i18n import Locale
    from hzpolicy.widgets.clause_view import ITEM_INDENT, ClauseView

    from .conftest import TODAY

    view = ClauseView(doc, TODAY, Locale(script))
    view.note = "我的筆記: 2024-03-31前申報, 補助300萬元。"
    targets = [("document", 0)] + [("domain", d.number) for d in doc.domains]
    for c in [*targets, *(("clause", c.number) for c in doc.clauses)]:
        view.target = c
        whole = [line.plain for line in view.lines_for(200)]
        for width in (14, 23, 31, 44, 58, 77):
            lines = [line.plain for line in view.lines_for(width)]
            for line in lines:
                assert cell_width(line) <= width, (c, width, line)
                if line:
                    assert line[0] not in CLOSING and line[-1] not in OPENING, (c, width, line)
            joined = "\n".join(lines)
            for text in whole:
                for m in NUMBER_WITH_UNIT.finditer(text):
                    # Whole wherever it fits, in a list item's narrower column too.
                    if cell_width(m.group()) <= width - ITEM_INDENT:
                        assert m.group() in joined, (c, width, m.group())


def test_known_figures_stay_whole(doc):
    text = typeset(doc.clause(2).body)
    for width in range(12, 90):
        lines = wrap(text, width)
        joined = "\n".join(lines)
        for figure in ("177.1億元", "32.8億元", "66.8億元"):
            assert figure in joined.replace("\n", "") and figure in "".join(lines)
            assert any(figure in ln for ln in lines), (width, figure)


@pytest.mark.parametrize("width", range(14, 40))  # a figure and the closer glued to it fit
def test_a_formula_keeps_each_figure_with_its_unit(width):
    _check(
        "計算: 234.56 × 5% = 11.728 萬元 (上限 200 萬元); 最高可得 11.728 萬元, 有效期 2024-01-01 ~ 2024-03-31", width
    )


@pytest.mark.parametrize("width", range(30, 50))
def test_a_fact_name_stays_whole(width):
    text = "需要: 符合規定的高新技術産業投資項目 (hitech_investment_project)、高可靠性供電費用"
    lines = wrap(text, width)
    assert any("hitech_investment_project" in line for line in lines), lines


def test_narrow_widths_never_crash(doc):
    for width in range(12):
        assert break_lines(typeset(doc.clause(14).body), width)


@given(
    st.text(alphabet=st.sampled_from(list("研發投入補助。，、（）“”300萬元5%.REITs ")), max_size=80),
    st.integers(min_value=8, max_value=60),
)
def test_rules_hold_for_any_text(text, width):
    # A run of closers longer than a line cannot be kept whole; real text has none.
    assume(not re.search(r"[。，、）”%.]{3,}", text))
    spans = break_lines(text, width)
    for s, e in spans:
        line = text[s:e]
        assert cell_width(line) <= width
        if line.strip() and cell_width(text) > width:
            assert line[0] not in CLOSERS or not text[:s].strip()


@pytest.mark.parametrize("width", range(8, 60))
def test_a_kept_name_is_never_split_where_it_fits(width):
    from hzpolicy.core.present import name_spans

    names = ["市科技局", "市發改委", "市規劃和自然資源局", "國家稅務總局杭州市稅務局"]
    text = "責任單位: " + "、".join(names)
    keep = name_spans(text, names)
    lines = [text[s:e] for s, e in break_lines(text, width, keep)]
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # a break at a space drops it
    for name in names:
        if cell_width(name + "、") <= width:  # with the 、 that stays glued after it
            assert any(name in line for line in lines), (width, name, lines)
    for line in lines:
        assert cell_width(line.rstrip()) <= width
