"""Search finds what a reader means (table-driven), and never fails on any string."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
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


def test_all_words_are_required(index):
    both = {h.clause for h in index.search("研发 补助", limit=None).hits}
    one = {h.clause for h in index.search("研发", limit=None).hits}
    assert both and both <= one and both != one


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
        # each pair is in the document but never all four in a row: the pairs, each named
        ("高新企業", ("高新", "新企", "企業")),
    ],
)
def test_words_run_together_are_found_by_their_pieces(index, doc, query, pieces):
    from hzpolicy.core.script import search_key

    r = index.search(query, limit=None)
    assert r.total > 0 and r.relaxed == pieces
    assert search_key(query) not in "\n".join(c.search_key for c in doc.clauses)
    for h in r.hits:  # every result has every piece
        clause = doc.clause(h.clause)
        keys = clause.search_key + clause.search_title_key
        assert all(search_key(p) in keys for p in pieces), h.clause
    if query.startswith("研"):
        assert r.hits[0].clause == 14  # 更大力度實施企業研發投入補助政策
    assert r.to_json()["relaxed"] == list(pieces)


def test_a_phrase_that_is_there_is_not_loosened(index):
    r = index.search("集成电路")
    assert r.total == 2 and r.relaxed == ()
    assert "relaxed" not in r.to_json()


def test_a_word_not_in_the_document_still_finds_nothing(index):
    for query in ("不存在的词", "研發補助xyz", "人才補貼"):
        r = index.search(query)
        assert r.total == 0 and r.relaxed == (), query


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
    """Queries made of the document's own characters, run together: a loose match only
    happens when the words as typed match nothing, and every result then has every piece."""
    from hzpolicy.core.script import search_key

    chars = sorted(set(doc.clause(14).body + doc.clause(24).title + doc.clause(36).body))
    query = data.draw(st.text(alphabet=st.sampled_from(chars), min_size=1, max_size=8))
    r = index.search(query, limit=None)
    assert r.total == len(r.hits)
    if r.relaxed:
        assert index.search(query, limit=None).relaxed == r.relaxed  # the same every time
        for h in r.hits:
            c = doc.clause(h.clause)
            keys = "\n".join((c.search_key, c.search_title_key, c.search_units_key))
            assert all(search_key(piece) in keys for piece in r.relaxed), (query, h.clause)


def test_a_megabyte_of_text(index):
    assert index.search("支持" * 500_000).total == 0


# --- the two ways a body term is counted ---------------------------------------------------
# SearchIndex counts a term in the clause bodies either clause by clause (when it estimates
# the term is in most clauses) or by finding it in all bodies joined and skipping to the next
# clause. Forced one way and then the other, both must give the same counts, the same as
# counting in each clause's own key, and the same results.

# Terms the estimate calls common and rare, in no clause, and overlapping with themselves.
COUNTED = [
    *("的", "支持", "市", "年", "对", "亿元", "%"),  # estimated common
    *("企业", "补助", "集成电路", "reits", "研发", "给予"),  # estimated rare
    *("不存在的词", "发展发展"),  # in no clause; overlapping with itself
]


def _both_ways(index, term):
    """{forced to count clause by clause?: (body counts, results)} and how often the choice
    was asked for."""
    from hzpolicy.core.search import SearchIndex

    out, asked = {}, []
    for common in (True, False):
        with pytest.MonkeyPatch.context() as mp:

            def forced(*args, _common=common):
                asked.append(args)
                return _common

            mp.setattr(SearchIndex, "_common", forced)
            out[common] = (index._occurrences(term).body, index.search(term, limit=None))
    return out, asked


def _naive(doc, term):
    return {i: c.search_key.count(term) for i, c in enumerate(doc.clauses) if term in c.search_key}


@pytest.mark.parametrize("term", COUNTED)
def test_both_ways_of_counting_a_term_agree(index, doc, term):
    from hzpolicy.core.script import search_key

    assert search_key(term) == term  # a term as the index keeps it, so both sides count the same string
    ways, asked = _both_ways(index, term)
    assert asked, "the choice between the two ways was never made: the test no longer forces it"
    (per_clause, by_clause), (joined, by_joined) = ways[True], ways[False]
    assert per_clause == joined == _naive(doc, term)
    assert by_clause == by_joined


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_both_ways_of_counting_any_piece_of_a_clause_agree(index, doc, data):
    key = doc.clauses[data.draw(st.integers(0, len(doc.clauses) - 1), label="clause")].search_key
    start = data.draw(st.integers(0, len(key) - 1), label="start")
    term = key[start : start + data.draw(st.integers(1, 6), label="length")]
    assume(not (term[0].isdigit() or term[-1].isdigit()))  # numbers are counted a third way
    ways, asked = _both_ways(index, term)
    assert asked
    assert ways[True][0] == ways[False][0] == _naive(doc, term) != {}
    assert ways[True][1] == ways[False][1]
