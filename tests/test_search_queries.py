"""Search finds what readers mean when they ask in their own words.

``search_queries.toml`` holds queries phrased as enterprise staff, consultants and journalists
type them, each with the places a careful reader of the document expects among the first five
results, decided by reading the document; and queries that must find nothing. The queries the
issue reported as finding nothing are among them.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

TABLE = tomllib.loads((Path(__file__).parent / "search_queries.toml").read_text(encoding="utf-8"))
QUERIES = TABLE["query"]
NOTHING = TABLE["nothing"]["queries"]


def place_of(hit) -> str:
    if hit.place in ("clause", "domain"):
        return f"{hit.place}:{hit.number}"
    return hit.place


def test_the_table_is_large_and_varied():
    assert len(QUERIES) >= 40 and len(NOTHING) >= 15
    asked = {q["q"] for q in QUERIES}
    # what was reported as finding nothing
    assert {
        "人才补贴",
        "芯片",
        "软件企业奖励",
        "研发投入能补多少",
        "subsidy",
        "R&D",
        "1千万",
        "百分之五",
        "490亿",
    } <= asked
    assert any(q["q"].isascii() for q in QUERIES) and any("preamble" in q["expect"] for q in QUERIES)


@pytest.mark.parametrize("case", QUERIES, ids=[q["q"] for q in QUERIES])
def test_a_reader_finds_what_they_mean_in_the_first_five(index, case):
    hits = index.search(case["q"], limit=5).hits
    top = [place_of(h) for h in hits]
    assert set(top) & set(case["expect"]), f"{case['q']}: {top}, expected one of {case['expect']} ({case['why']})"
    if "first" in case:
        assert top[0] == case["first"], f"{case['q']}: first is {top[0]}, not {case['first']} ({case['why']})"
    for h in hits:  # and every result says why
        assert h.matched or "number" in h.where, (case["q"], h)


@pytest.mark.parametrize("query", NOTHING)
def test_nonsense_finds_nothing(index, query):
    r = index.search(query, limit=None)
    assert r.total == 0 and r.hits == (), [place_of(h) for h in r.hits]


@pytest.mark.parametrize(
    "query, words, dropped",
    [
        ("研发投入能补多少", ["研发投入"], ["能补", "多少"]),
        ("有没有托儿所补贴", ["托儿所", "补贴"], ["有没有"]),
        ("哪些政策支持首台套", ["政策支持", "首台套"], ["哪些"]),  # 政策支持: the document's own words
        ("how much subsidy for R&D", ["subsidy", "R&D"], ["how", "much", "for"]),
        ("多少", ["多少"], []),  # nothing but a question word: searched as typed
    ],
)
def test_question_words_are_left_out(index, query, words, dropped):
    read = index.read(query)
    assert [t.shown for t in read.terms] == words and list(read.dropped) == dropped


@pytest.mark.parametrize(
    "query, key",
    [
        ("一千万", "1000万元"),  # with its currency: 一亿元 is never the text's 1亿美元
        ("1千万", "1000万元"),
        ("一千万元", "1000万元"),
        ("一千五百万", "1500万元"),
        ("两亿", "2亿元"),
        ("0.1亿", "0.1亿"),  # typed as the text writes figures: as typed
        ("五百万美元", "500万美元"),
        ("一亿美元", "1亿美元"),
        ("百分之五", "5%"),
        ("百分之六十五", "65%"),
        ("百分之0.5", "0.5%"),
    ],
)
def test_amounts_in_words_are_their_figures(index, query, key):
    (term,) = index.read(query).terms
    assert term.key == key and term.shown == query


def test_an_amount_in_words_finds_the_figure_and_says_so(index, doc):
    for query in ("一千万", "1千万"):
        r = index.search(query, limit=None)
        assert {h.number for h in r.hits} == {12, 15, 41}
        assert all(h.via == ((query, "1000萬元"),) for h in r.hits), r.hits
    r = index.search("百分之五", limit=None)
    assert r.hits and all("5%" in h.snippet for h in r.hits)
    assert index.search("1000万").hits[0].via == ()  # typed as the text writes it: no "as"


def test_an_amount_in_a_run_together_query(index):
    r = index.search("一千万补助")
    assert [t.key for t in r.words] == ["1000万元", "补助"] and r.hits[0].number in (12, 15, 41)


def test_yuan_in_words_is_never_dollars(index):
    assert 53 in {h.number for h in index.search("一亿美元", limit=None).hits}  # 1亿美元以上外资大项目
    assert 53 not in {h.number for h in index.search("一亿元", limit=None).hits}


def test_a_rate_in_words_says_how_the_text_writes_it(index):
    hit = index.search("百分之五").hits[0]
    assert hit.via == (("百分之五", "5%"),)
    assert index.search("5%").hits[0].via == ()


def test_the_same_word_in_other_wording_says_so(index):
    (hit, *_) = index.search("集成電路").hits  # typed in the mainland word; the text says 積體電路
    assert hit.via == (("集成電路", "積體電路"),)
    assert index.search("研发").hits[0].via == ()  # only the script differs: the same word


@pytest.mark.parametrize(
    "query, said",
    [
        ("第77条", "There is no clause 77: clauses run 1-76"),
        ("專精特心", "Did you mean: 專精特新"),
        ("多少", "Only question words"),
    ],
)
def test_what_the_search_made_of_the_query_is_said(index, query, said):
    from hzpolicy.core.found import reading_lines
    from hzpolicy.core.i18n import Locale

    lines = reading_lines(index.search(query), Locale("traditional", "en"))
    assert any(line.startswith(said) for line in lines), lines
    assert not any(line.startswith("Not in the document") for line in lines if "多少" in query)


@pytest.mark.parametrize(
    "query, place",
    [
        ("490亿", "closing"),
        ("全年有效", "closing"),
        ("前言", "preamble"),
        ("習近平", "preamble"),
        ("177.1亿", "domain:1"),
    ],
)
def test_every_part_of_the_document_is_searched(index, query, place):
    assert place in [place_of(h) for h in index.search(query, limit=5).hits]


def test_a_note_is_searched_and_opens_its_clause(index):
    notes = {36: "問過王經理：軟體企業獎勵要先備案"}
    r = index.search("王經理", notes=notes)
    (hit,) = r.hits
    assert (hit.place, hit.number, hit.target) == ("note", 36, ("clause", 36))
    assert hit.snippet.startswith("問過王經理") and hit.snippet[hit.highlights[0][0] :].startswith("王經理")
    both = index.search("软件企业奖励", notes=notes, limit=None)
    assert {"note", "clause"} <= {h.place for h in both.hits if h.number == 36}


def test_every_result_says_where_and_why_in_json(capsys):
    from hzpolicy.__main__ import run

    assert run(["search", "人才补贴", "--json", "--limit", "50"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["read"]["words"][1] == {
        "typed": "补贴",
        "key": "补贴",
        "also": data["read"]["words"][1]["also"],
        "in_document": True,
    }
    assert "补助" in data["read"]["words"][1]["also"]
    first = data["results"][0]
    assert first["place"] == "clause" and first["clause"] == 19
    assert first["matched"] == ["人才", "补贴"] and first["via"] == [{"typed": "补贴", "found": "補助"}]
    assert first["words"] == [2, 2]
    partial = [r for r in data["results"] if r["words"][0] < r["words"][1]]
    assert partial and data["all_words"] == len(data["results"]) - len(partial)
    assert {r["place"] for r in data["results"]} <= {"clause", "domain", "preamble", "closing", "note"}


@pytest.mark.parametrize("query", ["clause 14", "Clause 14", "条款14", "第14条", "十四"])
def test_a_clause_number_however_written_is_a_jump_and_nothing_else(index, query):
    r = index.search(query)
    assert r.hits[0].number == 14 and "number" in r.hits[0].where
    assert r.unknown == () and r.suggestions == ()


@pytest.mark.parametrize(
    "query, word",
    [
        ("intellectual property", "intellectual property"),
        ("hi-tech enterprise", "hi-tech enterprise"),
        ("200 万", "200 万"),
    ],
)
def test_words_a_space_should_not_part_stay_one(index, query, word):
    (term,) = index.read(query).terms
    assert term.shown == word and (term.alternatives or term.amount)
    assert index.search(query).full > 0


@pytest.mark.parametrize(
    "typed, meant, script",
    [
        ("研發投人", "研發投入", "traditional"),
        ("集成电鹿", "集成电路", "simplified"),
        ("软件企页", "軟體企業", "traditional"),
    ],
)
def test_a_slip_of_the_input_method_suggests_the_word_meant(index, typed, meant, script):
    r = index.search(typed, script=script)
    assert r.suggestions == ((typed, meant),)
    assert r.to_json()["read"]["did_you_mean"] == [{"typed": typed, "word": meant}]


@pytest.mark.parametrize("query", ["会计师", "补帖", "火星殖民"])
def test_no_suggestion_that_would_mislead(index, query):
    assert index.search(query).suggestions == ()  # 会计师 is not 设计师; two characters are too few


def test_a_word_only_in_a_note_is_found(index):
    notes = {24: "跟會計師確認:黑曜石專案可申報加計扣除 (Q3 deadline)"}
    for query in ("黑曜石", "會計師", "確認", "deadline"):
        r = index.search(query, notes=notes)
        assert [(h.place, h.number) for h in r.hits if h.place == "note"] == [("note", 24)], query
        assert r.unknown == ()
    assert index.search("黑曜石").total == 0  # without the note: nowhere
