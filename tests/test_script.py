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
