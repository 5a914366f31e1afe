"""What each figure is: a replaced limit (由200萬元提高至500萬元), a threshold inside a target
(1億美元以上外資大項目), rates of subsidised interest, and the figures written without 元 or %
(1分, 2倍, 六五折, 1:1), found where their words make them figures and nowhere else."""

from __future__ import annotations

import re
from decimal import Decimal

import opencc
import pytest

from hzpolicy.core.i18n import Locale
from hzpolicy.core.insights import figure_rows
from hzpolicy.core.money import figure_spans, find_figures, plain
from hzpolicy.core.present import amount_text, clause_page, money_summary, rate_text, role_name
from hzpolicy.core.script import to_simplified

from .conftest import TODAY

T2S = opencc.OpenCC("t2s")
FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def roles(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.role) for f in find_figures(text)]


def stored(doc, number: int) -> list[tuple[str, str]]:
    c = doc.clause(number)
    return [(r["text"], r["role"]) for r in sorted((*c.money, *c.percentages), key=lambda r: r["start"])]


# --- the shipped document -------------------------------------------------------------------------


def test_clause_48_the_replaced_limits_and_every_other_figure(doc):
    """投保費資助比例上限由50%提高至60%(製造業企業上限提高至65%), 單個企業資助上限由200萬元
    提高至500萬元, 不超過結售匯總額8%的額度, 不超過70%的展位費補助和不超過70%的機票補助."""
    assert stored(doc, 48) == [
        ("50%", "replaced"),
        ("60%", "ceiling"),
        ("65%", "ceiling"),
        ("200萬元", "replaced"),
        ("500萬元", "ceiling"),
        ("8%", "ceiling"),
        ("70%", "ceiling"),
        ("70%", "ceiling"),
    ]
    assert roles(doc.clause(48).text) == stored(doc, 48)  # the store is what the text says


def test_clause_53_a_threshold_in_a_target_sentence(doc):
    """2024年爭取落地1億美元以上外資大項目8個: the target is 8 projects, each of at least
    US$100 million; 5.5億元 and 40%以上 are what the city strives for."""
    c = doc.clause(53)
    assert stored(doc, 53) == [("5.5億元", "target"), ("40%", "target"), ("1億美元", "threshold")]
    usd = next(m for m in c.money if m["currency"] == "USD")
    assert usd["usd"] == "100000000" and "yuan" not in usd


def test_figures_written_without_yuan_or_percent(doc):
    fen = doc.clause(5).money[-1]
    assert (fen["text"], fen["unit"], fen["number"], fen["yuan"], fen["currency"], fen["role"]) == (
        "1分",
        "分",
        "1",
        "0.01",
        "CNY",
        "target",  # 力爭全年…交易成本每千瓦時同比下降1分以上
    )
    rates = {n: doc.clause(n).percentages[-1] for n in (10, 45, 46)}
    assert {n: (p["text"], p["kind"], p["unit"], p["number"], p["percent"], p["role"]) for n, p in rates.items()} == {
        10: ("2倍", "multiple", "倍", "2", "200", "rate"),  # 按照省財政補助額的2倍進行配套支援
        45: ("六五折", "discount", "折", "6.5", "65", "rate"),  # 通行費六五折優惠: pays 65%
        46: ("1:1", "ratio", ":", "1", "100", "rate"),  # 按省專項運營補貼資金1:1的比例安排市級配套資金
    }


# Every figure written without 元 or % in the whole shipped document (the web page around it
# included), by the clause it stands in: exactly these, so no 部分, 分別, 評分, 三分鐘, 三分之二,
# 折舊 or 14:16:29 is one.
EXPECTED_NEW = [
    ("五", "1分", "money", Decimal("0.01"), "target"),
    ("十", "2倍", "multiple", Decimal(200), "rate"),
    ("四十五", "六五折", "discount", Decimal(65), "rate"),
    ("四十六", "1:1", "ratio", Decimal(100), "rate"),
]
_CLAUSE_LABEL = re.compile(r"\s*[(（]([一二三四五六七八九十百]+)[)）]")


def _label(line: str) -> str:
    m = _CLAUSE_LABEL.match(line)
    return m[1] if m else ""


def _new_figures(text: str) -> list[tuple[str, str, str, Decimal, str]]:
    """(clause numeral, text, kind, value, role) of every figure in ``text`` written without 元 or %."""
    return [
        (_label(line), f.text, f.kind, f.value, f.role)
        for line in text.splitlines()
        for f in find_figures(line)
        if not f.text.endswith(("元", "%", "％"))
    ]


def test_the_whole_document_has_exactly_these_new_figures(source_text):
    assert _new_figures(source_text) == EXPECTED_NEW
    for line in source_text.splitlines():  # and each is highlighted where the text is shown
        spans = {line[s:e] for s, e in figure_spans(line)}
        assert {f for label, f, *_ in EXPECTED_NEW if label == _label(line)} <= spans


def test_the_whole_document_in_simplified_and_full_width_has_the_same(source_text):
    simplified = T2S.convert(source_text)
    assert _new_figures(simplified) == EXPECTED_NEW  # 1分 六五折 2倍 1:1 read the same
    full = _new_figures(simplified.translate(FULL_WIDTH))
    expected = [(label, text.replace(":", "："), *rest) for label, text, *rest in EXPECTED_NEW]
    assert full == expected  # and the time 14：16：29 in the page's header is still no ratio


def test_the_store_holds_the_new_figures_and_no_others(doc):
    assert sum(len(c.money) for c in doc.clauses) == 96
    kinds = [p["kind"] for c in doc.clauses for p in c.percentages]
    assert kinds.count("percent") == 32 and sorted(set(kinds)) == ["discount", "multiple", "percent", "ratio"]
    assert [
        (c.number, r["text"])
        for c in doc.clauses
        for r in (*c.money, *c.percentages)
        if r["unit"] not in ("元", "萬元", "億元", "億美元", "%")
    ] == [(5, "1分"), (10, "2倍"), (45, "六五折"), (46, "1:1")]


# --- sentences of the genre, in both scripts and both punctuations ----------------------------------

# (Traditional, Simplified, [(figure, role, value)]): the value in yuan, or the percent of the base.
SENTENCES = [
    (
        "單個企業資助上限由200萬元提高至500萬元。",
        "单个企业资助上限由200万元提高至500万元。",
        [("200萬元", "replaced", 2000000), ("500萬元", "ceiling", 5000000)],
    ),
    (
        "投保費資助比例上限由50%提高到60%,製造業企業上限提高至65%。",
        "投保费资助比例上限由50%提高到60%,制造业企业上限提高至65%。",
        [("50%", "replaced", 50), ("60%", "ceiling", 60), ("65%", "ceiling", 65)],
    ),
    (
        "貼息比例從50%調整為60%,單個企業最高100萬元。",
        "贴息比例从50%调整为60%,单个企业最高100万元。",
        [("50%", "replaced", 50), ("60%", "rate", 60), ("100萬元", "ceiling", 1000000)],
    ),
    (
        "2024年,政府性融資擔保費率由1.5%降至1%以下。",
        "2024年,政府性融资担保费率由1.5%降至1%以下。",
        [("1.5%", "replaced", Decimal("1.5")), ("1%", "target", 1)],
    ),
    (
        "獎勵標準由原來的30萬元提高到50萬元。",
        "奖励标准由原来的30万元提高到50万元。",
        [("30萬元", "replaced", 300000), ("50萬元", "fixed_award", 500000)],
    ),
    (
        "2024年,對符合條件的企業貸款給予貼息,貼息比例為50%。",
        "2024年,对符合条件的企业贷款给予贴息,贴息比例为50%。",
        [("50%", "rate", 50)],
    ),
    ("對新增貸款給予1%的貼息。", "对新增贷款给予1%的贴息。", [("1%", "rate", 1)]),
    (
        "2024年爭取落地1億美元以上外資大項目8個。",
        "2024年争取落地1亿美元以上外资大项目8个。",
        [("1億美元", "threshold", 100000000)],
    ),
    ("2024年,完成投資60億元以上。", "2024年,完成投资60亿元以上。", [("60億元", "target", 6000000000)]),
    (
        "力爭交易成本每千瓦時同比下降1分以上。",
        "力争交易成本每千瓦时同比下降1分以上。",
        [("1分", "target", Decimal("0.01"))],
    ),
    ("居民電價降低2分錢。", "居民电价降低2分钱。", [("2分錢", "other", Decimal("0.02"))]),
    ("2024年,輸配電價下降0.5分/千瓦時。", "2024年,输配电价下降0.5分/千瓦时。", [("0.5分", "target", Decimal("0.005"))]),
    ("按照省財政補助額的2倍進行配套支援。", "按照省财政补助额的2倍进行配套支持。", [("2倍", "rate", 200)]),
    ("市級按兩倍配套。", "市级按两倍配套。", [("兩倍", "rate", 200)]),
    ("實施通行費六五折優惠。", "实施通行费六五折优惠。", [("六五折", "rate", 65)]),
    (
        "門票八折,會員八五折,團體7.5折。",
        "门票八折,会员八五折,团体7.5折。",
        [("八折", "rate", 80), ("八五折", "rate", 85), ("7.5折", "rate", 75)],
    ),
    ("按省專項資金1:1的比例安排市級配套資金。", "按省专项资金1:1的比例安排市级配套资金。", [("1:1", "rate", 100)]),
    ("市縣按1:0.5比例分擔。", "市县按1:0.5比例分担。", [("1:0.5", "rate", 50)]),
    ("按1:3的比例配套。", "按1:3的比例配套。", [("1:3", "rate", 300)]),
]


def _variants(traditional: str, simplified: str, expected: list) -> list[tuple[str, list]]:
    """Each sentence as written, in Simplified, and both with full-width punctuation; with the
    figures each should yield (written in its script and punctuation)."""
    out = []
    for text, script in ((traditional, str), (simplified, to_simplified)):
        for punctuate in (str, lambda t: t.translate(FULL_WIDTH)):
            want = [(punctuate(script(t)), role, Decimal(value)) for t, role, value in expected]
            out.append((punctuate(text), want))
    return out


@pytest.mark.parametrize(("traditional", "simplified", "expected"), SENTENCES, ids=[s[0][:12] for s in SENTENCES])
def test_sentences_in_both_scripts_and_punctuations(traditional, simplified, expected):
    for text, want in _variants(traditional, simplified, expected):
        assert [(f.text, f.role, f.value) for f in find_figures(text)] == want, text


def test_the_simplified_sentences_are_the_traditional_ones():
    """The table's two columns say the same (so each case is tested in both scripts)."""
    for traditional, simplified, _ in SENTENCES:
        assert to_simplified(traditional) == simplified or T2S.convert(traditional) == simplified


# Words with 分, 倍, 折 or a colon between digits that are no figure.
NOT_FIGURES = [
    "部分企業分別給予支援,分期撥付。",
    "評分90分以上的項目優先支援。",
    "每年考核得分80分以上的企業,每千瓦時電費按規定執行。",
    "每30分鐘一班,3分類管理。",
    "一般公共預算支出三分之二用於民生。",
    "實施高新技術企業倍增計劃,成倍提升,事半功倍。",
    "固定資産加速折舊,按規定折算,折合人民幣,不打折扣,對折,第一折。",
    "發佈時間:2024-02-21 14:16:29,9:30開始。",
    "比分3:2,會議9:30開始。",
    "十分重要,百折不撓,曲折前進。",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_words_that_are_no_figures(text):
    for variant in (text, T2S.convert(text), text.translate(FULL_WIDTH)):
        assert find_figures(variant) == [], variant
        assert figure_spans(variant) == []


def test_a_ratio_is_kept_only_when_its_percent_is_exact():
    """3:1 is 33.33...% of the base: no exact decimal, so it is not listed (figures are exact);
    4:1 is 25%."""
    assert find_figures("按3:1的比例配套。") == []
    assert [(f.text, f.value) for f in find_figures("按4:1的比例配套。")] == [("4:1", Decimal(25))]


# --- where the roles are read ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("loc", "name"),
    [
        (Locale("traditional"), "調整前"),
        (Locale("simplified"), "调整前"),
        (Locale("traditional", "en"), "replaced (old value)"),
    ],
)
def test_a_replaced_figure_is_never_shown_as_a_limit(doc, loc, name):
    assert role_name("replaced", loc) == name
    page = clause_page(doc, 48, loc, TODAY).text()
    assert f"{loc.doc('200萬元')} [{name}]" in page and f"{loc.doc('500萬元')} [{role_name('ceiling', loc)}]" in page
    summary = money_summary(doc.clause(48), loc)
    assert loc.doc("200萬元") not in summary and loc.doc("500萬元") in summary
    rows = {(r.text, r.role) for r in figure_rows(doc) if r.clause == 48}
    assert ("200萬元", "replaced") in rows and ("200萬元", "ceiling") not in rows


def test_the_new_figures_read_in_every_interface(doc):
    zh, hans, en = Locale("traditional"), Locale("simplified"), Locale("traditional", "en")
    discount = doc.clause(45).percentages[0]
    assert [rate_text(discount, loc) for loc in (zh, hans, en)] == [
        "付原價的65%（優惠35%）",
        "付原价的65%（优惠35%）",
        "pays 65% (35% off)",
    ]
    assert rate_text(doc.clause(10).percentages[0], en) == "200% of the base"
    assert rate_text(doc.clause(46).percentages[0], zh) == "基數的100%"
    assert rate_text(doc.clause(5).percentages[0], zh) == ""  # 70%: it says so itself
    assert "六五折 [比例] = 付原價的65%（優惠35%）" in clause_page(doc, 45, zh, TODAY).text()
    assert "1分 [目标] = 0.01元" in clause_page(doc, 5, hans, TODAY).text()
    fen = next(r for r in figure_rows(doc) if r.text == "1分")
    assert fen.value == Decimal("0.01") and amount_text(fen.value, "CNY", en) == "0.01 yuan"


def test_amount_search_still_finds_the_figures(index):
    assert 48 in {h.clause for h in index.search("500万", limit=None).hits}
    assert 48 in {h.clause for h in index.search("200萬元", limit=None).hits}  # in the text, though replaced
    assert 5 in {h.clause for h in index.search("0.01元", limit=None).hits}
    assert 45 in {h.clause for h in index.search("六五折", limit=None).hits}


# --- ranges, rates in words, amounts in words (issue 8) ----------------------------------------------


@pytest.mark.parametrize(
    "text, figures",
    [
        ("給予50萬—100萬元資助", [("50萬", "500000"), ("100萬元", "1000000")]),
        ("給予10—30萬元補助", [("10", "100000"), ("30萬元", "300000")]),
        ("给予10-30万元补助", [("10", "100000"), ("30万元", "300000")]),
        ("给予10~30万元补助", [("10", "100000"), ("30万元", "300000")]),
        ("給予1萬元至3萬元補助", [("1萬元", "10000"), ("3萬元", "30000")]),
        ("给予1千万元奖励", [("1千万元", "10000000")]),
        ("给予一千万元奖励", [("一千万元", "10000000")]),
        ("每家给予2千元至5千元补助", [("2千元", "2000"), ("5千元", "5000")]),
        ("两亿美元外资", [("两亿美元", "200000000")]),
        ("城乡二元结构、一元化管理", []),
    ],
)
def test_ranges_and_amounts_in_words(text, figures):
    found = [(f.text, plain(f.value)) for f in find_figures(text) if f.kind == "money"]
    assert found == figures
    for f in find_figures(text):
        assert text[f.start : f.end] == f.text


@pytest.mark.parametrize(
    "text, rate, percent",
    [
        ("按百分之五给予贴息", "百分之五", "5"),
        ("费率降至千分之五", "千分之五", "0.5"),
        ("百分之三十", "百分之三十", "30"),
        ("百分之零点五", "百分之零点五", "0.5"),
        ("万分之五", "万分之五", "0.05"),
    ],
)
def test_rates_in_words(text, rate, percent):
    rates = [f for f in find_figures(text) if f.kind == "percent"]
    assert [(f.text, plain(f.value), f.unit) for f in rates] == [(rate, percent, "%")]
    assert rates[0].percent_record()["kind"] == "percent"


def test_a_range_of_percentages_keeps_its_lower_bound():
    assert [f.text for f in find_figures("比例为10—20%")] == ["10", "20%"]
