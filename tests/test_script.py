"""Simplified must read like the official mainland text; search keys meet in the middle."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hzpolicy.core.script import (
    decode_alignment,
    encode_alignment,
    search_key,
    search_key_aligned,
    simplified_aligned,
    to_simplified,
    typeset,
)

MAINLAND = [
    # (clause, must contain, must not contain) in the Simplified view
    (2, "支持", "支援"),
    (7, "高质量", "高品质"),
    (14, "新增额", "添加额"),
    (12, "关键核心技术", "内核"),
    (4, "指标", "指针"),
    (24, "集成电路", "积体电路"),
    (36, "软件", "软体"),
    (36, "信息服务业", "资讯"),
    (29, "知识产权", "智慧财产权"),
    (23, "工业互联网", "网际网路"),
    (10, "高水平", "高水准"),
    (41, "双循环", "回圈"),
    (28, "人工智能", "人工智慧"),
    (5, "执行", "运行"),
    (10, "建立", "创建"),
    (36, "软件", "軟"),
]


@pytest.mark.parametrize("number, good, bad", MAINLAND)
def test_simplified_reads_like_the_mainland_text(doc, number, good, bad):
    text = doc.clause(number).body_simplified
    assert good in text
    assert bad not in text


def test_mainland_terms_that_look_taiwanese_are_kept(doc):
    assert "示范智慧商圈" in doc.clause(49).body_simplified  # a mainland term too
    assert "使用者付费" in doc.clause(6).body_simplified  # the mainland PPP term


@pytest.mark.parametrize(
    "query, key",
    [
        ("高質量發展", "高质量发展"),
        ("高品質發展", "高质量发展"),
        ("積體電路", "集成电路"),
        ("產業", "产业"),
        ("産業", "产业"),
        ("首臺(套)", "首台套"),
        ("首台（套）", "首台套"),
        ("ＲＥＩＴｓ", "reits"),
        ("177.1億元", "177.1亿元"),
        ("。，、", ""),
    ],
)
def test_search_key(query, key):
    assert search_key(query) == key


def test_alignment_points_back_to_the_source(doc):
    body = doc.clause(29).body
    key, align = search_key_aligned(body)
    pos = key.index("知识产权")
    start, end = align[pos], align[pos + 3] + 1
    assert body[start:end] == "智慧財産權"


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=40))
def test_alignment_round_trip(values):
    align = sorted(values)
    assert decode_alignment(encode_alignment(align)) == align


@given(st.text(max_size=60))
def test_typeset_keeps_length_and_aligned_search(text):
    assert len(typeset(text)) == len(text)
    simp, align = simplified_aligned(text)
    assert len(align) == len(simp)
    assert all(0 <= a < len(text) for a in align)


def test_typeset_uses_full_width_in_chinese_only():
    assert typeset("支援,企業(市)") == "支援，企業（市）"
    assert typeset("1:1的比例,3,000") == "1:1的比例，3,000"
    assert to_simplified("支援軟體") == "支持软件"


# --- names and words of the 2024 original (issue 8) ------------------------------------------------


@pytest.mark.parametrize(
    "number, good, bad",
    [
        (49, "创建省级高品质步行街", "高质量步行街"),  # an official Zhejiang designation
        (63, "乡村集成改革", "乡村整合改革"),
        (72, "办学资源共建共享", "共建共用"),
        (73, "全省共享基层门诊", "全省共用"),
    ],
)
def test_the_simplified_view_reads_the_words_of_the_original(doc, number, good, bad):
    simp = doc.clause(number).body_simplified
    assert good in simp and bad not in simp


def test_the_phrases_change_nothing_else(doc):
    """整合 and 共用 stay where the original uses them; 高品质 elsewhere is still 高质量."""
    assert "统筹整合各类财政资金" in doc.clause(23).body_simplified
    assert "统筹整合相关资金" in "".join(c.body_simplified for c in doc.clauses)
    assert to_simplified("共用設施、整合資源、高品質發展") == "共用设施、整合资源、高质量发展"
    assert doc.clause(63).title_simplified == "深化强村富民乡村集成改革"


def test_a_search_for_the_original_words_finds_the_clauses(doc):
    assert search_key("乡村集成改革") in doc.clause(63).search_key
    assert search_key("高品质步行街") in doc.clause(49).search_key
    assert search_key("共建共享") in doc.clause(72).search_key


def test_simplified_to_traditional_keeps_every_offset():
    from hzpolicy.core.script import detect_script, to_traditional

    text = "（一）对口支援。给予50万—100万元补助，面向各区、县（市）。"
    assert len(to_traditional(text)) == len(text)
    assert to_traditional("对口支援") == "對口支援"  # characters only: no vocabulary
    assert detect_script(text) == "simplified" and detect_script(to_traditional(text)) == "traditional"
