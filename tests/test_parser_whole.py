"""A document must be whole: cut off, without its title, or with an impossible year, it is
refused at build with the line and what to check; a whole document of the genre that simply
states no total is still read."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hzpolicy.__main__ import run
from hzpolicy.core.parser import ParseError, parse
from hzpolicy.core.script import to_simplified

from .conftest import SOURCE

TEXT = SOURCE.read_text(encoding="utf-8")
LINES = TEXT.splitlines(keepends=True)


def _index(needle: str) -> int:
    """The index in LINES of the line holding ``needle``."""
    found = [i for i, line in enumerate(LINES) if needle in line]
    assert len(found) == 1, needle
    return found[0]


def _cut_after(needle: str) -> str:
    """The source cut off right after the line holding ``needle``."""
    return "".join(LINES[: _index(needle) + 1])


def _without(*needles: str) -> str:
    return "".join(line for line in LINES if not any(n in line for n in needles))


def _fails(text: str) -> ParseError:
    with pytest.raises(ParseError) as err:
        parse(text.encode("utf-8"))
    return err.value


CLAUSE_36 = "(三十六)支援資訊服務業"
TOTAL_PARAGRAPH = "上述8個領域政策"
VALIDITY_PARAGRAPH = "本文件明確的各項政策"
TITLE = "  關於進一步推動經濟高品質發展的若干政策\n"


# --- cut off --------------------------------------------------------------------------------------


def test_a_document_cut_off_after_a_clause_is_refused_naming_the_clause():
    err = _fails(_cut_after(CLAUSE_36))
    assert err.line == _index(CLAUSE_36) + 1
    assert "ends after clause (三十六) with no closing paragraphs" in err.message
    assert "is it cut off?" in err.message


def test_a_document_cut_off_after_its_last_clause_is_refused_too():
    err = _fails(_cut_after("(七十六)支援推進"))
    assert err.line == _index("(七十六)支援推進") + 1 and "clause (七十六)" in err.message


def test_a_last_clause_followed_only_by_the_page_footer_has_no_closing():
    err = _fails(_without(TOTAL_PARAGRAPH, VALIDITY_PARAGRAPH))
    assert "ends after clause (七十六) with no closing paragraphs" in err.message


def test_a_closing_without_the_total_the_domains_budgets_add_up_to_is_refused():
    """The domains state budgets (市財政2024年預算安排…), so the closing states the total."""
    err = _fails(_without(TOTAL_PARAGRAPH))
    assert err.line == _index(VALIDITY_PARAGRAPH)  # the line numbers shift up by one
    assert "give no total" in err.message and "總額為" in err.message
    assert "clause (二)" in err.message and "177.1億元" in err.message


def test_a_closing_that_stops_before_saying_when_the_policies_apply_is_refused():
    err = _fails(_cut_after(TOTAL_PARAGRAPH))
    assert err.line == _index(TOTAL_PARAGRAPH) + 1
    assert "do not say when the policies apply" in err.message and "cut off" in err.message


def test_a_closing_that_counts_more_domains_than_the_document_has_is_refused():
    start, end = _index("八、"), _index(TOTAL_PARAGRAPH)
    text = "".join(LINES[:start] + LINES[end:])  # the last domain is gone, the closing is not
    err = _fails(text)
    assert "speaks of 8 domains" in err.message and "has 7" in err.message
    assert err.line == start + 1


def test_the_same_checks_read_simplified_text():
    simp = to_simplified(_cut_after(TOTAL_PARAGRAPH))
    assert "do not say when the policies apply" in _fails(simp).message
    simp = to_simplified(_without(TOTAL_PARAGRAPH))
    assert "give no total" in _fails(simp).message


MINI = """\
某市關於促進産業發展的若干政策

  為推動發展,制定以下政策。

  一、科技政策

  (一)支援研發。對企業給予最高50萬元補助。(責任單位:市科技局)

  (二)加強人才。給予10萬元獎勵。(責任單位:市人社局)

{closing}
"""


@pytest.mark.parametrize(
    "closing",
    [
        "  本文件明確的各項政策除標明具體實施期限外,均為2025年全年有效。",
        "  本政策自2025年1月1日起施行,由市科技局負責解釋。",
        "  本若干政策自發布之日起實施,有效期至2025年12月31日。",
    ],
)
def test_a_package_that_states_no_budgets_needs_no_total(closing):
    d = parse(MINI.format(closing=closing))
    assert d.total_budget is None and len(d.clauses) == 2 and d.closing == (closing.strip(),)


def test_a_package_whose_domains_state_budgets_needs_its_total():
    budgeted = MINI.replace("對企業給予最高50萬元補助。", "市財政2025年預算安排資金3億元。")
    closing = "  本文件明確的各項政策均為2025年全年有效。"
    err = _fails(budgeted.format(closing=closing))
    assert "give no total" in err.message and err.line == 11
    whole = parse(budgeted.format(closing="  上述政策支援總額為3億元。\n" + closing))
    assert whole.total_budget is not None and whole.total_budget["yuan"] == "300000000"


@pytest.mark.parametrize("closing", ["  本政策由市科技局負責解釋。", "  各區要制定實施行動方案,確保落地實施。"])
def test_a_closing_that_does_not_say_when_the_policies_apply_is_refused(closing):
    err = _fails(MINI.format(closing=closing))
    assert err.line == 11 and "do not say when the policies apply" in err.message


def test_a_count_of_domains_in_words_is_checked_too():
    err = _fails(MINI.format(closing="  上述兩個領域政策均為2025年全年有效。"))
    assert err.line == 11 and "speaks of 2 domains" in err.message and "has 1" in err.message
    assert parse(MINI.format(closing="  上述一個領域政策均為2025年全年有效。")).closing


# --- the title ------------------------------------------------------------------------------------


def test_a_header_line_is_never_taken_for_the_title():
    err = _fails(TEXT.replace(TITLE, "", 1))
    assert "no title above the preamble" in err.message
    assert "line 4" in err.message and "發佈時間" in err.message  # names the header line it found
    assert err.line == 6  # the first line below it (the page's lead paragraph, read as preamble)


@pytest.mark.parametrize(
    "header",
    [
        "发布时间：2024-02-21 14:16:29",
        "來源:杭州日報",
        "撰稿:杭州發佈",
        "責編:俞舒珺",
        "2024-02-21 14:16",
        "2024年2月21日",
        "杭州日報 | 要聞",
    ],
)
def test_no_header_line_of_any_kind_becomes_the_title(header):
    text = "頁首導航\n" + header + "\n\n  為推動發展,制定以下政策。\n\n" + MINI.split("\n\n", 2)[2]
    err = _fails(text.format(closing="  均為2025年全年有效。"))
    assert "no title above the preamble" in err.message and err.line == 4


def test_the_title_above_a_header_still_reads():
    d = parse(MINI.format(closing="  均為2025年全年有效。"))
    assert d.title == "某市關於促進産業發展的若干政策"


# --- years -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["0000", "1948", "2101", "9999"])
def test_a_validity_year_outside_1949_to_2100_is_refused_naming_the_line(year):
    err = _fails(TEXT.replace("均為2024年全年有效", f"均為{year}年全年有效", 1))
    assert err.line == _index(VALIDITY_PARAGRAPH) + 1
    assert f"{year}年全年有效" in err.message and "1949–2100" in err.message


@pytest.mark.parametrize("year", ["1949", "2100"])
def test_the_first_and_last_years_are_read(year):
    d = parse(TEXT.replace("均為2024年全年有效", f"均為{year}年全年有效", 1))
    assert (d.valid_from, d.valid_to) == (f"{year}-01-01", f"{year}-12-31")


def test_a_budget_year_outside_the_range_is_refused_naming_the_clause():
    err = _fails(TEXT.replace("市財政2024年預算安排資金177.1億元", "市財政0024年預算安排資金177.1億元", 1))
    assert err.line == _index("(二)加大財政支援力度") + 1
    assert "clause (二)" in err.message and "0024" in err.message


@pytest.mark.parametrize("day", ["2024-02-30", "0000-02-21"])
def test_an_impossible_publication_date_is_refused_naming_the_line(day):
    err = _fails(TEXT.replace("2024-02-21 14:16:29", f"{day} 14:16:29", 1))
    assert err.line == 4 and day in err.message


# --- the command line --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda: _cut_after(CLAUSE_36), "ends after clause (三十六) with no closing paragraphs: is it cut off?"),
        (lambda: TEXT.replace(TITLE, "", 1), "no title above the preamble"),
        (lambda: TEXT.replace("2024年全年有效", "0000年全年有效", 1), "outside 1949–2100"),
    ],
)
def test_build_refuses_in_one_line_with_exit_2_and_writes_no_store(tmp_path, capsys, damage, words):
    src = tmp_path / "policy.txt"
    src.write_text(damage(), encoding="utf-8")
    out = tmp_path / "store.json"
    code = run(["--lang", "en", "build", str(src), "-o", str(out)])
    stdout, stderr = capsys.readouterr()
    assert code == 2 and stdout == ""
    assert words in stderr and "no store was written" in stderr
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    assert not out.exists()


# --- any truncation ------------------------------------------------------------------------------------

FULL = parse(TEXT)


def _content(doc):
    """The document less what only the bytes after its closing give (the page footer, the hash)."""
    return replace(doc, source_sha256="", source_line=None)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=len(LINES)))
@example(_index(CLAUSE_36) + 1)
@example(_index("(七十六)支援推進") + 1)
@example(_index(TOTAL_PARAGRAPH) + 1)
@example(_index(VALIDITY_PARAGRAPH) + 1)
@example(len(LINES))
def test_any_truncation_builds_the_whole_document_or_fails(keep):
    """Cut at a line boundary, the source either still holds the whole policy (only page
    footer lines were cut) or fails with a ParseError: never a partial document."""
    text = "".join(LINES[:keep])
    try:
        doc = parse(text.encode("utf-8"))
    except ParseError:
        assert keep <= _index(VALIDITY_PARAGRAPH)  # the policy itself was cut
        return
    assert keep > _index(VALIDITY_PARAGRAPH)
    assert _content(doc) == _content(FULL)
