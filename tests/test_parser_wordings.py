"""Wordings real documents use that the parser once misread silently (the build exited 0
with wrong data): each is read now, or refused naming the line. One small document
(tests/corpus/wordings_2025.txt, read whole by test_corpus.py) and single-wording variants
of it, parsed only (fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hzpolicy.core.money import find_figures
from hzpolicy.core.parser import ParseError, parse
from hzpolicy.core.script import to_traditional

BASE = (Path(__file__).parent / "corpus" / "wordings_2025.txt").read_text(encoding="utf-8")


def _variant(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def _refused(text: str) -> ParseError:
    with pytest.raises(ParseError) as err:
        parse(text)
    return err.value


def test_the_base_document_reads_every_wording():
    doc = parse(BASE)
    assert doc.title == "关于支持文化创意产业发展的若干措施"  # not the share bar above it
    assert doc.number == "杭文发〔2025〕3号"  # on the line under the title
    assert (doc.valid_from, doc.valid_to) == ("2025-01-01", "2025-12-31")  # 有效期至2025年底
    assert doc.published == "2025-02-08"  # the signature's 二〇二五年二月八日
    one, two = doc.domains
    assert (one.title, one.lead_agencies) == ("影视产业", ("市委宣传部",))  # （牵头部门：…）
    assert (two.title, two.lead_agencies) == ("数字文化", ("市文化广电旅游局",))
    assert two.budget is not None and two.budget["yuan"] == "100000000"  # in the heading's brackets
    assert one.targets == ("全年接待游客2.1亿人次以上", "筹集保障性租赁住房5万套（间）")
    assert doc.clause(1).units == ("市委宣传部", "市财政局")  # no 配合单位： left inside a unit
    assert [(p["text"], p["percent"]) for p in doc.clause(2).percentages] == [("5‰", "0.5")]
    assert (doc.clause(2).valid_from, doc.clause(2).valid_to) == ("2025-01-01", "2025-06-30")  # 执行至
    assert (doc.clause(4).valid_from, doc.clause(4).valid_to) == ("2025-07-01", "2025-12-31")  # to the document's end


@pytest.mark.parametrize(
    ("words", "end"),
    [
        ("有效期至2025年底", "2025-12-31"),
        ("有效期至2025年末", "2025-12-31"),
        ("有效期至2025年12月底", "2025-12-31"),
        ("执行至2025年6月底", "2025-06-30"),
        ("有效期至2025年2月底", "2025-02-28"),
    ],
)
def test_the_end_of_a_year_or_month_ends_the_validity(words, end):
    doc = parse(_variant("有效期至2025年底", words))
    assert doc.valid_to == end


@pytest.mark.parametrize("label", ["牵头部门", "牵头处室", "牵头单位", "主责单位", "主責部門", "牽頭單位"])
def test_a_lead_s_label_in_any_form_is_read_as_the_lead(label):
    doc = parse(_variant("（牵头部门：市委宣传部）", f"（{label}：市委宣传部）"))
    assert (doc.domains[0].title, doc.domains[0].lead_agencies) == ("影视产业", ("市委宣传部",))


def test_a_lead_label_on_the_line_under_the_heading():
    doc = parse(
        _variant("一、影视产业（牵头部门：市委宣传部）", "一、影视产业\n\n（牵头部门：市委宣传部；配合部门：市财政局）")
    )
    d = doc.domains[0]
    assert (d.title, d.lead_agencies, d.partner_agencies) == ("影视产业", ("市委宣传部",), ("市财政局",))


def test_a_page_s_chrome_is_never_the_title():
    for chrome in (
        "分享到：微信 微博",
        "【打印】【关闭】",
        "字号：大 中 小",
        "浏览次数：1024",
        "扫一扫在手机打开当前页",
    ):
        err = _refused(_variant("关于支持文化创意产业发展的若干措施\n", chrome + "\n"))
        assert "no title above the preamble" in str(err.message)


def test_a_domain_whose_heading_is_only_its_lead_is_refused():
    err = _refused(_variant("二、数字文化（由", "二、（由"))
    assert err.line == 19 and "domain 二 has no title" in str(err.message)


def test_two_validities_that_disagree_are_refused_and_two_that_agree_are_read():
    closing = "本措施自2025年1月1日起施行，有效期至2025年底。"
    err = _refused(_variant(closing, closing + "\n\n本措施有效期至2026年12月31日。"))
    assert err.line == 29 and "line 27" in str(err.message)
    doc = parse(_variant(closing, closing + "\n\n本措施有效期至2025年12月31日。"))
    assert doc.valid_to == "2025-12-31"
    doc = parse(_variant(closing, closing + "\n\n其中，第（二）条执行至2025年6月30日。"))  # about a clause only
    assert doc.valid_to == "2025-12-31"


@pytest.mark.parametrize(
    ("words", "yuan"),
    [
        ("区财政预算安排1.2亿元", "120000000"),
        ("县财政预算安排8000万元", "80000000"),
        ("市财政预算安排科技创新专项资金22.6亿元", "2260000000"),
    ],
)
def test_budgets_of_any_level_and_with_a_phrase_before_the_amount(words, yuan):
    doc = parse(_variant("市财政预算安排1亿元", words))
    assert doc.domains[1].budget is not None and doc.domains[1].budget["yuan"] == yuan


def test_30_days_after_publication():
    text = _variant("本措施自2025年1月1日起施行，有效期至2025年底。", "本措施自发布之日起30日后施行，有效期2年。")
    text = text.replace("二〇二五年二月八日", "2025年3月1日")
    doc = parse(text)
    assert (doc.valid_from, doc.valid_to) == ("2025-03-31", "2027-03-30")


def test_a_publication_date_in_chinese_words():
    doc = parse(_variant("杭州市文化广电旅游局\n二〇二五年二月八日\n", ""))
    assert doc.published == "2025-02-28"  # 发布日期：2025年2月28日 in the page's header


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("给予一次性补助30万—50万元。", ["other", "ceiling"]),
        ("给予10—30万元补助", ["other", "ceiling"]),
        ("给予两亿元以内的专项债券支持", ["ceiling"]),
        ("对年营收2000万元以内的企业，给予10万元奖励", ["threshold", "fixed_award"]),
    ],
)
def test_money_roles_of_ranges_and_within(text, roles):
    assert [f.role for f in find_figures(text)] == roles


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("为深入实施", "為深入實施"),
        ("总额为", "總額為"),
        ("临床", "臨床"),
        ("考核", "考核"),
        ("报废旧车并购买新能源汽车", "報廢舊車並購買新能源汽車"),
        ("企业并购", "企業併購"),
        ("并发放补贴", "並發放補貼"),
    ],
)
def test_traditional_of_a_simplified_original_in_standard_forms(simplified, traditional):
    assert to_traditional(simplified) == traditional
    assert len(to_traditional(simplified * 3)) == len(simplified) * 3


def test_show_json_gives_the_chosen_script_under_the_plain_keys(capsys):
    import json

    from hzpolicy.__main__ import run

    assert run(["show", "14", "--json", "--script", "simplified"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["title"] == rec["title_simplified"] == "更大力度实施企业研发投入补助政策"
    assert rec["body"] == rec["body_simplified"] and rec["body"] in rec["text"]
    assert rec["units"][0] == "市科技局" and "200万元" in [m["text"] for m in rec["money"]]
    assert run(["show", "14", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "更大力度實施企業研發投入補助政策"


def test_whose_budget_the_document_states_is_how_the_pages_name_it():
    from hzpolicy.core import present
    from hzpolicy.core.i18n import Locale

    district = parse((Path(__file__).parent / "corpus" / "district.txt").read_bytes())
    city = parse(BASE)
    assert district.budget_level == "district" and city.budget_level == "city"
    loc = Locale("traditional", "zh")
    assert present.total_line(city, loc).startswith("市級財政支持總額")
    said = [present.total_line(district, loc)] + [
        present.budget_line(d, loc, district.city_budget) for d in district.domains
    ]
    assert all(said) and not any("市" in line for line in said), said


# --- round 2: the tail, compound units, tables, periods, currencies ---------------------------------


@pytest.mark.parametrize(
    ("words", "units"),
    [
        ("省财政厅，各市、县（市、区）人民政府", ("省财政厅", "各市、县（市、区）人民政府")),
        ("省商务厅，各市、县（市、区）政府", ("省商务厅", "各市、县（市、区）政府")),
        ("各設區市、縣（市、區）政府", ("各設區市、縣（市、區）政府",)),
        ("市发改委、各区、县（市）政府", ("市发改委", "各区、县（市）政府")),
        ("杭州海关、市商务局", ("杭州海关", "市商务局")),  # a body without a usual suffix: two units
        ("市财政局、各区县（市）政府", ("市财政局", "各区县（市）政府")),
    ],
)
def test_a_compound_unit_of_places_and_a_body_is_one_unit(words, units):
    from hzpolicy.core.parser import _agencies

    assert _agencies(words) == units


@pytest.mark.parametrize(
    ("words", "period"),
    [
        ("2025年1月1日至2025年6月30日期间，对", ("2025-01-01", "2025-06-30")),
        ("2025年1月1日至2025年6月30日，对", ("2025-01-01", "2025-06-30")),
        ("2025年3月1日—2025年8月31日期间对", ("2025-03-01", "2025-08-31")),
        ("对2025年1月1日至2025年6月30日，", (None, None)),  # inside a sentence: what qualifies
    ],
)
def test_a_range_of_dates_as_a_clauses_own_period(words, period):
    doc = parse(_variant("支持影视精品创作。对在", "支持影视精品创作。" + words + "在"))
    assert (doc.clause(1).valid_from, doc.clause(1).valid_to) == period


def test_money_in_hong_kong_dollars_tenths_and_halves():
    figures = find_figures(
        "按展位费的三成给予补助；实缴资本500万港元以上的，给予10万元奖励；租金减半征收；额度上浮20%。"
    )
    got = [(f.text, f.kind, str(f.value), f.currency, f.role) for f in figures]
    assert got == [
        ("三成", "percent", "30", None, "rate"),
        ("500万港元", "money", "5000000", "HKD", "threshold"),
        ("10万元", "money", "100000", "CNY", "fixed_award"),
        ("减半", "discount", "50", None, "rate"),
        ("20%", "percent", "20", None, "rate"),
    ]
    assert figures[1].money_record()["hkd"] == "5000000" and "yuan" not in figures[1].money_record()
    assert [f.text for f in find_figures("一成不变，建成投产，成本下降")] == []


def test_a_rate_change_in_a_sentence_with_a_date_is_no_target():
    (f,) = find_figures("公积金贷款额度上浮20%，有效期至2025年6月30日。")
    assert f.role == "rate"


def test_a_total_in_wan_yi_yuan_is_read():
    doc = parse(_variant_total("3万亿元"))
    assert doc.total_budget is not None and doc.total_budget["yuan"] == "3000000000000"


def _variant_total(amount: str) -> str:
    import re

    m = re.search(r"总额为[\d.]+亿元", BASE)
    assert m, "the base states its total"
    return BASE.replace(m.group(), "总额为" + amount)


def test_a_hong_kong_dollar_figure_passes_the_store_check(tmp_path):
    from hzpolicy.core.store import build_store, load_store

    out = tmp_path / "s.json"
    build_store(Path(__file__).parent / "corpus" / "money_currencies.txt", out)
    money = load_store(out).clause(2).money
    assert [(m["text"], m["currency"]) for m in money] == [("2.5萬元", "CNY"), ("500萬港元", "HKD"), ("10萬元", "CNY")]


def test_a_validity_under_the_signature_is_read():
    doc = parse((Path(__file__).parent / "corpus" / "validity_after_signature.txt").read_bytes())
    assert (doc.valid_from, doc.valid_to, doc.published) == ("2025-03-01", "2027-02-28", "2025-02-10")


def test_manufacture_is_zhi_zao_in_traditional_even_after_a_machine():
    assert to_traditional("整机制造企业") == "整機製造企業"
    assert to_traditional("体制造就") == "體制造就"  # 体制 + 造就: not 製造


def test_show_json_gives_a_clauses_own_period_at_the_top(capsys, tmp_path):
    import json

    from hzpolicy.__main__ import run
    from hzpolicy.core.store import build_store

    out = tmp_path / "s.json"
    build_store(Path(__file__).parent / "corpus" / "validity_after_signature.txt", out)
    assert run(["show", "1", "--json", "--store", str(out)]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert (rec["valid_from"], rec["valid_to"], rec["period_of"]) == ("2025-01-01", "2025-06-30", "clause")
    assert (rec["document_valid_from"], rec["document_valid_to"]) == ("2025-03-01", "2027-02-28")
    assert run(["show", "2", "--json", "--store", str(out)]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert (rec["valid_from"], rec["valid_to"], rec["period_of"]) == ("2025-03-01", "2027-02-28", "document")
