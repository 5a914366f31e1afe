"""The parser on the real document, on damaged copies, on Simplified text, on another package."""

from __future__ import annotations

import re

import opencc
import pytest

from hzpolicy.core.numerals import to_numeral
from hzpolicy.core.parser import ParseError, parse
from hzpolicy.core.script import to_simplified

EXPECTED_RANGES = [(1, 8), (9, 22), (23, 32), (33, 41), (42, 46), (47, 53), (54, 68), (69, 76)]


@pytest.fixture(scope="module")
def parsed(source_bytes):
    return parse(source_bytes)


def test_eight_domains_and_seventy_six_clauses(parsed):
    assert len(parsed.domains) == 8
    assert [c.number for c in parsed.clauses] == list(range(1, 77))
    assert [(d.first_clause, d.last_clause) for d in parsed.domains] == EXPECTED_RANGES


def test_every_clause_has_units_and_a_title(parsed):
    for c in parsed.clauses:
        assert c.units, c.number
        assert all(u and "、" not in u and "," not in u for u in c.units)
        assert c.title and "。" not in c.title
        assert c.body.startswith(c.title)


def test_clause_text_is_byte_for_byte_the_source_line(parsed, source_text):
    lines = source_text.splitlines()
    for c in parsed.clauses:
        assert lines[c.line - 1].strip() == c.text
        assert c.text.startswith(f"({to_numeral(c.number)})")
        assert c.text.encode("utf-8") in source_text.encode("utf-8")


def test_known_clause_fields(parsed):
    c14 = parsed.clause(14)
    assert c14.title == "更大力度實施企業研發投入補助政策"
    assert c14.units == ("市科技局", "市發改委", "市規劃和自然資源局", "市生態環境局")
    c8 = parsed.clause(8)
    assert c8.units == ("市國資委", "市發改委", "市財政局", "各市屬國企")  # split on 、 and ,


def test_domains_lead_agencies_budgets_and_targets(parsed):
    d6 = parsed.domains[5]
    assert d6.lead_agencies == ("市商務局", "市投資促進局")
    assert parsed.domains[6].lead_agencies == ("市農業農村局", "市發改委")
    assert parsed.domains[0].budget["yuan"] == "17710000000"
    budgets = [d.budget["text"] for d in parsed.domains]
    assert budgets == ["177.1億元", "112.1億元", "26.7億元", "23.9億元", "46.9億元", "6億元", "27.6億元", "148.7億元"]
    assert "新增高新技術企業2000家" in parsed.domains[1].targets
    assert "實際利用外資80億美元" in d6.targets
    assert parsed.domains[4].targets == ("力爭完成綜合交通投資500億元",)


def test_web_page_chrome_is_dropped_and_document_metadata_kept(parsed):
    assert parsed.title == "關於進一步推動經濟高品質發展的若干政策"
    assert parsed.preamble.startswith("為深入貫徹")
    assert parsed.published == "2024-02-21"
    assert parsed.source_line.startswith("來源:中國網")
    assert parsed.total_budget == {"text": "490億元", "yuan": "49000000000", "currency": "CNY"}
    assert (parsed.valid_from, parsed.valid_to) == ("2024-01-01", "2024-12-31")
    assert len(parsed.closing) == 2
    everything = parsed.preamble + "".join(parsed.closing) + "".join(c.text for c in parsed.clauses)
    for chrome in ("最新原創", "您的位置", "發佈時間", "責編"):
        assert chrome not in everything


def test_every_money_figure_and_percentage_is_captured(parsed):
    # Besides 元 and %, the text writes one amount and three rates without them (all the
    # document's are listed in test_money_roles.py).
    without_unit = {5: ("1分", "money"), 10: ("2倍", "multiple"), 45: ("六五折", "discount"), 46: ("1:1", "ratio")}
    for c in parsed.clauses:
        wan_yi_usd = len(re.findall(r"萬元|億元|美元", c.text))
        extra = without_unit.get(c.number)
        assert len(c.money) == wan_yi_usd + (extra is not None and extra[1] == "money"), c.number
        assert len(c.percentages) == c.text.count("%") + (extra is not None and extra[1] != "money"), c.number
        rates = [p["kind"] for p in c.percentages if p["kind"] != "percent"]
        assert rates == ([extra[1]] if extra and extra[1] != "money" else []), c.number
        for m in (*c.money, *c.percentages):
            assert c.text[m["start"] : m["end"]] == m["text"]


def test_money_values_are_exact_and_currencies_kept_apart(parsed):
    c2 = parsed.clause(2)
    assert c2.money[0]["yuan"] == "17710000000" and c2.money[0]["role"] == "budget_line"
    c53 = parsed.clause(53)
    usd = [m for m in c53.money if m["currency"] == "USD"]
    assert usd and usd[0]["usd"] == "100000000" and "yuan" not in usd[0]
    roles = {m["text"]: m["role"] for m in parsed.clause(41).money}
    assert roles == {"1000萬元": "ceiling"}
    roles14 = [m["role"] for m in parsed.clause(14).money]
    assert roles14 == [
        "threshold",
        "ceiling",
        "threshold",
        "fixed_award",
        "threshold",
        "ceiling",
        "threshold",
        "fixed_award",
    ]


def test_simplified_copy_parses_to_the_same_structure(parsed, source_text):
    simp = opencc.OpenCC("t2s").convert(source_text)
    s = parse(simp.encode("utf-8"))
    assert [c.number for c in s.clauses] == [c.number for c in parsed.clauses]
    assert [(d.first_clause, d.last_clause) for d in s.domains] == EXPECTED_RANGES
    assert s.clause(14).title == "更大力度实施企业研发投入补助政策"
    assert s.domains[5].lead_agencies == ("市商务局", "市投资促进局")
    assert [len(c.units) for c in s.clauses] == [len(c.units) for c in parsed.clauses]
    assert [len(c.money) for c in s.clauses] == [len(c.money) for c in parsed.clauses]
    assert s.total_budget["yuan"] == "49000000000"


def test_official_layout_with_full_width_punctuation(source_text):
    """As pasted from a government site: Simplified, full-width ，：（）, no web page around it."""
    simp = to_simplified(source_text)
    body = simp[simp.index("  关于进一步推动经济高质量发展的若干政策\n") :]
    body = body.split("来源")[0]
    full = body.translate(str.maketrans({",": "，", ":": "：", "(": "（", ")": "）", ";": "；"}))
    s = parse(full.encode("utf-8"))
    assert len(s.clauses) == 76 and len(s.domains) == 8
    assert s.clause(8).units[-1] == "各市属国企"
    assert s.published is None and s.source_line is None


MINI = """\
某市關於促進産業發展的若干政策

  為推動發展,制定以下政策。

  一、科技政策

  (由市科技局牽頭)

  2025年,新增企業100家。

  (一)支援研發。對企業給予最高50萬元補助。(責任單位:市科技局)

  (二)加強人才。給予10萬元獎勵。(責任單位:市人社局、市財政局)

  二、開放政策

  (由市商務局、市投促局牽頭實施)

  (三)穩定外貿。資助比例上限60%。(責任單位:市商務局)

  本文件明確的各項政策除標明具體實施期限外,均為2025年全年有效。
"""


def test_another_package_of_the_same_genre():
    d = parse(MINI.encode("utf-8"))
    assert len(d.domains) == 2 and len(d.clauses) == 3
    assert d.domains[0].lead_agencies == ("市科技局",)  # (由市科技局牽頭) without 實施
    assert d.domains[1].lead_agencies == ("市商務局", "市投促局")
    assert d.clause(2).units == ("市人社局", "市財政局")
    assert (d.valid_from, d.valid_to) == ("2025-01-01", "2025-12-31")
    assert d.title == "某市關於促進産業發展的若干政策"


def _damage(text: str, old: str, new: str) -> bytes:
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    "case",
    ["missing", "duplicate", "out_of_order", "no_units", "empty_domain", "bad_numeral"],
)
def test_damaged_documents_fail_with_line_and_expectation(case, source_text):
    t = source_text
    if case == "missing":
        data = _remove_line(t, "(十五)加強企業研發機構")
        line, words = _line_of(t, "(十六)加速") - 1, ["expected clause (十五)", "found (十六)"]
    elif case == "duplicate":
        data = _damage(t, "(十六)加速科技成果", "(十五)加速科技成果")
        line, words = _line_of(t, "(十六)加速"), ["appears twice", f"line {_line_of(t, '(十五)加強')}"]
    elif case == "out_of_order":
        data = _damage(t, "(十六)加速科技成果", "(十七)加速科技成果")
        line, words = _line_of(t, "(十六)加速"), ["expected clause (十六)", "found (十七)"]
    elif case == "no_units":
        data = _damage(t, "(責任單位:市國資委)\n\n  三、", "\n\n  三、")
        line, words = _line_of(t, "(二十二)加強"), ["(二十二)", "責任單位"]
    elif case == "empty_domain":
        start = t.index("  (四十二)增強")
        end = t.index("  六、擴大內需")
        data = (t[:start] + t[end:]).encode("utf-8")
        line, words = _line_of(t, "五、建設國際性"), ["domain 五", "no clauses"]
    else:
        data = _damage(t, "(十六)加速科技成果", "(十十)加速科技成果")
        line, words = _line_of(t, "(十六)加速"), ["not a clause number"]
    with pytest.raises(ParseError) as err:
        parse(data)
    assert err.value.line == line, str(err.value)
    for w in words:
        assert w in str(err.value)


def _remove_line(text: str, needle: str) -> bytes:
    lines = text.splitlines(keepends=True)
    return "".join(ln for ln in lines if needle not in ln).encode("utf-8")


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        ("一、政策\n(一)條文。(責任單位:甲)".encode("utf-16"), "UTF-16"),
        ("標題\n\n  一、科技政策\n".encode("big5"), "not valid UTF-8"),
        ("隨便一段文字。\n沒有結構。\n".encode(), "no domain headings"),
    ],
)
def test_files_that_are_not_policy_documents(data, words):
    with pytest.raises(ParseError) as err:
        parse(data)
    assert words in str(err.value)


def test_wrong_encoding_names_the_line_and_a_fix(source_text):
    data = source_text.encode("gb18030", errors="replace")
    with pytest.raises(ParseError) as err:
        parse(data)
    assert err.value.line == 1 and "iconv" in str(err.value)


def test_the_issuer_is_read_from_the_line_that_says_it_issued_this_title(doc):
    assert doc.issuer == "杭州市人民政府"
    text = "日前，杭州市人民政府印发《另一份文件》。\n" + doc.title  # it issued another document: not this one's issuer
    from hzpolicy.core.parser import _issuer

    assert _issuer([text.splitlines()[0]], 1, doc.title) is None
    assert _issuer(["日前,某市人民政府印發《" + doc.title + "》,涉及8個領域。"], 1, doc.title) == "某市人民政府"
