"""Search finds what a reader means (table-driven), and never fails on any string."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hzpolicy.core.search import clause_number_query, query_terms

CASES = [
    # query, a clause that must be found, (optional) the clause that must come first
    ("高质量发展", 66, None),
    ("高品質發展", 66, None),
    ("集成电路", 24, 24),
    ("積體電路", 24, 24),
    ("產業", 25, None),
    ("首台套", 21, None),
    ("首臺(套)", 21, None),
    ("reits", 8, 8),
    ("REITs", 8, 8),
    ("1000万", 12, None),
    ("1000萬元", 12, None),
    ("0.1亿", 12, None),
    ("市科技局", 10, None),
    ("研发 补助", 14, 14),
    ("研發投入 補助", 14, 14),
    ("软件", 36, 36),
    ("知识产权", 29, 29),
    ("互联网", 23, None),
    ("支持", 2, None),
    ("更大力度实施企业研发投入补助政策", 14, 14),
    ("国网杭州供电公司", 5, 5),
    ("1亿美元", 53, 53),
]


@pytest.mark.parametrize("query, expected, first", CASES)
def test_finds_what_the_reader_means(index, query, expected, first):
    results = index.search(query, limit=None)
    numbers = [h.clause for h in results.hits]
    assert expected in numbers, numbers[:10]
    if first is not None:
        assert numbers[0] == first


@pytest.mark.parametrize("query", ["14", "十四", "(十四)", "（十四）", "第十四條", "第14条", "第十四条"])
def test_clause_numbers_jump(index, query):
    assert clause_number_query(query) == 14
    hits = index.search(query).hits
    assert hits[0].clause == 14 and "number" in hits[0].where


def test_places_with_every_word_come_first(index):
    both = index.search("研发 补助", limit=None)
    one = {h.clause for h in index.search("研发", limit=None).hits}
    full = both.hits[: both.full]
    assert full and all(set(h.matched) == {"研发", "补助"} and not h.partial for h in full)
    assert {h.clause for h in full} < one  # every word: fewer places than one of them
    rest = both.hits[both.full :]
    assert rest and all(h.partial and h.matched == ("研发",) for h in rest)  # then the rarer word alone


def test_a_partial_match_needs_half_the_weight(index):
    # 补助 is commoner than 研发: places with only 补助 carry less than half the query's weight
    r = index.search("研发 补助", limit=None)
    assert not any(h.matched == ("补助",) for h in r.hits)
    assert r.full < r.total


def test_title_matches_rank_first(index):
    hits = index.search("人才", limit=None).hits
    title_hits = [h for h in hits if "title" in h.where]
    assert title_hits and list(hits[: len(title_hits)]) == title_hits


def test_numbers_match_whole_numbers(index):
    hits = index.search("5%", limit=None).hits
    assert hits
    for h in hits:
        assert "5%" in h.snippet.replace("5.5%", "").replace("15%", "").replace("25%", "").replace("65%", "")


def test_snippet_marks_the_match_in_the_readers_script(index):
    trad = index.search("集成电路").hits[0]
    assert any(trad.snippet[s:e] == "積體電路" for s, e in trad.highlights)
    simp = index.search("積體電路", script="simplified").hits[0]
    assert any(simp.snippet[s:e] == "集成电路" for s, e in simp.highlights)


def test_units_match_shows_the_units(index):
    hit = index.search("杭州海關").hits[0]
    assert hit.snippet.startswith("責任單位") and any(hit.snippet[s:e] == "杭州海關" for s, e in hit.highlights)


def test_match_spans_for_stepping_inside_a_clause(index, doc):
    spans = index.match_spans(14, query_terms("研发"), "traditional")
    body = doc.clause(14).body
    assert len(spans) >= 5 and all(body[s:e] == "研發" for s, e in spans)
    assert spans == sorted(spans)


def test_nothing_matches_is_empty_not_an_error(index):
    r = index.search("量子糾纏電腦")
    assert r.total == 0 and r.hits == ()


@pytest.mark.parametrize(
    "query, pieces",
    [
        ("研發補助", ("研發", "補助")),
        ("研发补助", ("研发", "补助")),  # in the reader's own characters
        ("集成電路補助", ("集成電路", "補助")),
        ("软件企业奖励", ("软件企业", "奖励")),
        ("人才补贴", ("人才", "补贴")),
        ("研发投入能补多少", ("研发投入",)),  # the question words left out
    ],
)
def test_words_run_together_are_found_by_their_pieces(index, doc, query, pieces):
    from hzpolicy.core.script import search_key

    r = index.search(query, limit=None)
    assert tuple(t.shown for t in r.words) == pieces
    assert r.full > 0 and search_key(query) not in "\n".join(c.search_key for c in doc.clauses)
    for h in r.hits[: r.full]:  # every result with every word has each piece, or a word of its group
        (p,) = [p for p in index._places if (p.place, p.number) == (h.place, h.number)]
        keys = "\n".join((p.body_key, p.title_key, p.units_key, p.about_key))
        assert all(any(k in keys for k in t.keys) for t in r.words), (h.place, h.number)
    if query.startswith(("研", "軟", "软")):
        assert r.hits[0].clause == {"研": 14, "软": 36}[search_key(query)[0]]
    assert [w["typed"] for w in r.to_json()["read"]["words"]] == list(pieces)


def test_a_phrase_that_is_there_is_not_cut(index):
    r = index.search("集成电路")
    assert r.total == 2 and [t.key for t in r.words] == ["集成电路"] and r.full == 2


def test_a_word_not_in_the_document_finds_nothing_and_says_so(index):
    for query in ("不存在的词", "鑫淼焱垚", "zzzz"):
        r = index.search(query)
        assert r.total == 0 and r.unknown == (query,), query
    r = index.search("研發補助xyz")  # two words of three, carrying most of the weight: partly
    assert r.unknown == ("xyz",) and r.total and r.full == 0 and all(h.partial for h in r.hits)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_string_gives_results_or_nothing(index, query):
    r = index.search(query, limit=5)
    assert r.total >= len(r.hits)
    for h in r.hits:
        for s, e in h.highlights:
            assert 0 <= s < e <= len(h.snippet)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_run_together_words_from_the_document(index, doc, data):
    """Queries made of the document's own characters: the same results every time, each
    result holding the words it says it holds, those with every word first."""
    chars = sorted(set(doc.clause(14).body + doc.clause(24).title + doc.clause(36).body))
    query = data.draw(st.text(alphabet=st.sampled_from(chars), min_size=1, max_size=8))
    r = index.search(query, limit=None)
    assert r.total == len(r.hits) and r.full <= r.total
    assert index.search(query, limit=None) == r  # the same every time
    words = {t.shown: t for t in r.words}
    complete = [not h.partial and h.matched != () for h in r.hits if "number" not in h.where]
    assert complete == sorted(complete, reverse=True)  # every word first (after a clause's number)
    assert sum(not h.partial and h.matched != () for h in r.hits) == r.full
    for h in r.hits:
        if h.place != "clause":
            continue
        c = doc.require(h.number)
        keys = "\n".join((c.search_key, c.search_title_key, c.search_units_key))
        for shown in h.matched:
            term = words[shown]
            assert term.amount is not None or any(k in keys for k in term.keys), (query, h.clause, shown)


def test_a_megabyte_of_text(index):
    assert index.search("支持" * 500_000).total > 0  # cut to the box's length: still 支持
    assert index.search("鑫" * 500_000).total == 0


# --- where a word is: by the pairs of characters it is made of ------------------------------------
# SearchIndex finds a word only in the places that have its rarest pair of characters (and a
# two-character word by its pair's own counts). That must give what counting in every place's
# own text gives: the same places, the same counts, in each region.


def _naive(index, term):
    from hzpolicy.core.search import _find_all

    count = (lambda key: len(_find_all(key, term))) if term[0].isdigit() or term[-1].isdigit() else None
    out = {}
    for region in ("body_key", "title_key", "units_key", "about_key"):
        found = {}
        for i, p in enumerate(index._places):
            key = getattr(p, region)
            n = count(key) if count else key.count(term)
            if n:
                found[i] = n
        out[region] = found
    return out


def _located(index, term):
    where = index._locate(term)
    return {
        "body_key": where.body,
        "title_key": dict.fromkeys(where.title, 1),
        "units_key": dict.fromkeys(where.units, 1),
        "about_key": dict.fromkeys(where.about, 1),
    }


COUNTED = [
    *("的", "支持", "市", "年", "对", "亿元", "%"),  # in many places
    *("企业", "补助", "集成电路", "reits", "研发", "给予", "目标", "前言"),
    *("不存在的词", "发展发展", "1000万", "5%", "2024"),  # in no place; overlapping itself; numbers
]


@pytest.mark.parametrize("term", COUNTED)
def test_pairs_find_what_counting_everywhere_finds(index, term):
    naive = _naive(index, term)
    located = _located(index, term)
    assert located["body_key"] == naive["body_key"]
    for region in ("title_key", "units_key", "about_key"):
        assert set(located[region]) == set(naive[region]), region
    assert index.occurs(term) == any(naive.values())


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_pairs_find_any_piece_of_a_clause(index, doc, data):
    key = doc.clauses[data.draw(st.integers(0, len(doc.clauses) - 1), label="clause")].search_key
    start = data.draw(st.integers(0, len(key) - 1), label="start")
    term = key[start : start + data.draw(st.integers(1, 6), label="length")]
    naive = _naive(index, term)
    located = _located(index, term)
    assert located["body_key"] == naive["body_key"] != {} or term[0].isdigit() or term[-1].isdigit()
    assert all(set(located[r]) == set(naive[r]) for r in ("title_key", "units_key", "about_key"))
