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
NUMBER_WITH_UNIT = re.compile(r"\d+(?:\.\d+)?(?:萬元|億元|万元|亿元|美元|%)")


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


def test_known_figures_stay_whole(doc):
    text = typeset(doc.clause(2).body)
    for width in range(12, 90):
        lines = wrap(text, width)
        joined = "\n".join(lines)
        for figure in ("177.1億元", "32.8億元", "66.8億元"):
            assert figure in joined.replace("\n", "") and figure in "".join(lines)
            assert any(figure in ln for ln in lines), (width, figure)


def test_narrow_widths_never_crash(doc):
    for width in range(0, 12):
        assert break_lines(typeset(doc.clause(14).body), width)


@given(st.text(alphabet=st.sampled_from(list("研發投入補助。，、（）“”300萬元5%.REITs ")), max_size=80),
       st.integers(min_value=8, max_value=60))
def test_rules_hold_for_any_text(text, width):
    # A run of closers longer than a line cannot be kept whole; real text has none.
    assume(not re.search(r"[。，、）”%.]{3,}", text))
    spans = break_lines(text, width)
    for s, e in spans:
        line = text[s:e]
        assert cell_width(line) <= width
        if line.strip() and cell_width(text) > width:
            assert line[0] not in CLOSERS or not text[:s].strip()
