"""The calculator's single registries: formula shapes (read by the rules checker and the
engine alike), status words and their order, and the codes a bad profile value carries."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from hzpolicy.core import calculator
from hzpolicy.core.calculator import (
    APPLIES,
    NEEDS_APPROVAL,
    NEEDS_INPUT,
    NOT_APPLICABLE,
    SHAPES,
    STATUS_ORDER,
    STATUS_WORDS,
    Shape,
    evaluate,
    in_reading_order,
)
from hzpolicy.core.facts import FACTS, MAX_WAN, Problem, ProfileError, validate_profile, validate_value
from hzpolicy.core.i18n import Locale
from hzpolicy.core.parser import ParseError, parse
from hzpolicy.core.quantity import parse_quantity
from hzpolicy.core.rules import RuleError, check_rule
from hzpolicy.core.store import prepare

from .conftest import DATA, SOURCE

RULES = DATA / "calculator-rules.toml"

IN_2024 = date(2024, 6, 30)


# --- formula shapes ------------------------------------------------------------------------------


def test_every_shape_the_rules_file_uses_is_registered(doc):
    written = {r["formula"]["shape"] for r in tomllib.loads(RULES.read_text(encoding="utf-8"))["rule"]}
    assert written <= set(SHAPES)
    assert {r["formula"]["shape"] for r in doc.rules} == written


def test_every_registered_shape_is_used(doc):
    """A shape nothing uses is dead code the checker would still accept."""
    assert {r["formula"]["shape"] for r in doc.rules} == set(SHAPES)


def _full_profile():
    """A value for every fact that makes each formula read all it can (no tier is skipped)."""
    out = {}
    for name, fact in FACTS.items():
        if fact.type == "wan":
            out[name] = Decimal(100)
        elif fact.type == "bool":
            out[name] = True
        elif fact.type == "int":
            out[name] = fact.maximum if fact.maximum is not None else 3
        elif fact.type == "enum":
            out[name] = fact.choices[0]
        else:
            out[name] = list(fact.choices)
    return validate_profile(out)


class _Reading(dict):
    """A formula that notes which of its fields the engine reads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_engine_reads_only_the_fields_its_shape_declares(doc, shape):
    """What the checker checks (numbers, tables, facts) is everything the engine computes with."""
    facts = _full_profile()
    declared = SHAPES[shape].fields | {"shape"}
    read: set[str] = set()
    for rule in doc.rules:
        if rule["formula"]["shape"] != shape:
            continue
        formula = _Reading(rule["formula"])
        calculator._compute(formula, facts)
        assert formula.read <= declared, f"{rule['id']} reads undeclared {formula.read - declared}"
        assert set(rule["formula"]) <= declared, f"{rule['id']} holds fields its shape does not declare"
        read |= formula.read
    assert set(SHAPES[shape].facts) <= read  # every fact field the checker vouches for is used
    assert set(SHAPES[shape].tables) <= read


def test_the_checker_names_the_registered_shapes(doc):
    rule = dict(doc.rules[0], formula={"shape": "bogus"})
    with pytest.raises(RuleError) as err:
        check_rule(rule, doc)
    assert ", ".join(SHAPES) in str(err.value)


def test_a_new_shape_is_one_registry_entry(doc, monkeypatch):
    """Registered once, the checker checks its fields and the engine computes it."""

    def twice(formula, facts):
        base = facts[formula["base"]]
        times, _ = parse_quantity(formula["times"])
        return base * times, f"{base} × {times}", False

    monkeypatch.setitem(SHAPES, "twice", Shape(twice, numbers=("times",), facts=("base",)))
    rule = {
        "id": "t-twice",
        "clause": 10,
        "title": "test",
        "quote": "按2倍給予配套",
        "kind": "matching",
        "frequency": "once",
        "exact": True,
        "formula": {"shape": "twice", "base": "rd_spend", "times": "2倍"},
        "conditions": [],
    }
    check_rule(rule, None)
    result = evaluate([rule], {"rd_spend": 7}, IN_2024)
    assert result.items[0].amount == 14 and result.items[0].status == APPLIES
    with pytest.raises(RuleError, match=r"formula\.times uses '3倍'"):
        check_rule({**rule, "formula": {**rule["formula"], "times": "3倍"}}, None)
    with pytest.raises(RuleError, match=r"formula\.base names an unknown fact"):
        check_rule({**rule, "formula": {**rule["formula"], "base": "nope"}}, None)


# --- statuses --------------------------------------------------------------------------------------


def test_status_words_and_order_cover_every_status_once():
    statuses = {APPLIES, NEEDS_APPROVAL, NOT_APPLICABLE, NEEDS_INPUT}
    assert set(STATUS_WORDS) == statuses
    assert sorted(STATUS_ORDER) == sorted(statuses)
    # messages, translated where they are shown
    assert {k: Locale().tr(v) for k, v in STATUS_WORDS.items()} == {
        "applies": "適用",
        "needs_approval": "待認定",
        "not_applicable": "不適用",
        "needs_input": "待填",
    }
    assert {Locale(lang="en").tr(v) for v in STATUS_WORDS.values()} == {
        "applies",
        "needs approval",
        "not applicable",
        "needs input",
    }


def test_results_read_in_status_order_then_by_clause(doc):
    result = evaluate(list(doc.rules), {"key_software_first": True, "rd_spend": 1500, "new_rd_hq": False}, IN_2024, doc)
    ordered = in_reading_order(result.items)
    assert sorted(ordered, key=lambda i: (STATUS_ORDER.index(i.status), i.clause)) == ordered
    assert len(ordered) == len(result.items)
    assert {i.status for i in ordered} >= {APPLIES, NOT_APPLICABLE, NEEDS_INPUT}


# --- profile error codes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fact, value, code",
    [
        ("rd_spnd", 1, Problem.UNKNOWN_FACT),
        ("rd_spend", "lots", Problem.NOT_A_NUMBER),
        ("rd_spend", True, Problem.NOT_A_NUMBER),
        ("rd_spend", float("nan"), Problem.NOT_A_NUMBER),
        ("rd_spend", -1, Problem.NEGATIVE),
        ("rd_spend", 1e12, Problem.TOO_LARGE),
        ("hq_star_rating", 2.5, Problem.NOT_WHOLE),
        ("hq_star_rating", "3", Problem.NOT_WHOLE),
        ("hq_star_rating", 6, Problem.OUT_OF_RANGE),
        ("hq_star_rating", -1, Problem.OUT_OF_RANGE),
        ("tech_sme_scale", "yes", Problem.NOT_BOOL),
        ("sci_award", "nobel", Problem.NOT_A_CHOICE),
        ("design_awards", ["oscar"], Problem.NOT_A_CHOICE),
        ("design_awards", "if_gold", Problem.NOT_A_LIST),
    ],
)
def test_each_bad_value_carries_its_code(fact, value, code):
    with pytest.raises(ProfileError) as err:
        validate_value(fact, value)
    assert err.value.code is code and err.value.fact == fact


def test_a_range_error_carries_its_bounds():
    with pytest.raises(ProfileError) as err:
        validate_value("hq_star_rating", 6)
    assert (err.value.minimum, err.value.maximum) == (0, 5)
    assert str(err.value) == "hq_star_rating: expected 0 to 5, got 6"  # the words stay as they were
    with pytest.raises(ProfileError) as err:
        validate_value("rd_spend", MAX_WAN + 1)
    assert err.value.maximum == MAX_WAN


def test_a_profile_that_is_not_an_object_and_many_problems_have_codes():
    with pytest.raises(ProfileError) as err:
        validate_profile([1, 2])
    assert err.value.code is Problem.NOT_AN_OBJECT
    with pytest.raises(ProfileError) as err:
        validate_profile({"hq_star_rating": 6, "rd_spend": -1})
    assert err.value.code is Problem.OUT_OF_RANGE  # the first problem's
    assert [p.code for p in err.value.problems] == [Problem.OUT_OF_RANGE, Problem.NEGATIVE]


def test_valid_values_are_normalised():
    assert validate_value("rd_spend", "1,500.50") == Decimal("1500.50")
    assert validate_value("hq_star_rating", 3.0) == 3 and isinstance(validate_value("hq_star_rating", 3.0), int)
    assert validate_value("design_awards", ["if_gold", "if_gold", "red_dot_best_of_best"]) == [
        "if_gold",
        "red_dot_best_of_best",
    ]


# --- the parser ------------------------------------------------------------------------------------


def test_parse_gives_the_stored_document(doc):
    """The shipped source parses to exactly the committed store's document (less what the
    build adds from the rules and aliases files)."""
    parsed = prepare(parse(SOURCE.read_bytes(), name=str(SOURCE)))
    assert parsed == replace(doc, rules=(), not_calculable=(), agency_aliases=())


_MINI = """發佈時間:2025-03-01
某市若干政策
為推動發展,制定本政策。
一、科技創新
(由市科技局牽頭實施)
引言一段。
(一)支持研發。給予補助。(責任單位:市科技局)
(二)支持人才。(責任單位:市人社局)
二、對外開放
(三)穩定外貿。(責任單位:市商務局)
本文件均為2025年全年有效,總額為1億元。
來源:某市政府
"""


def test_a_small_package_reads_every_part():
    d = parse(_MINI)
    assert d.title == "某市若干政策" and d.preamble == "為推動發展,制定本政策。"
    assert d.published == "2025-03-01" and d.source_line == "來源:某市政府"
    assert (d.valid_from, d.valid_to) == ("2025-01-01", "2025-12-31")
    assert d.total_budget == {"text": "1億元", "yuan": "100000000", "currency": "CNY"}
    assert [(x.number, x.lead_agencies, x.intro) for x in d.domains] == [(1, ("市科技局",), "引言一段。"), (2, (), "")]
    assert [c.line for c in d.clauses] == [7, 8, 10]


@pytest.mark.parametrize(
    "old, new, line, message",
    [
        ("二、對外開放", "三、對外開放", 9, "expected domain 二、 next, found 三、"),
        ("二、對外開放", "插入的一段\n二、對外開放", 9, "unexpected text between clauses"),
        ("(一)支持研發。給予補助。", "(一)", 7, "clause (一) has no text"),
        ("發佈時間:2025-03-01\n某市若干政策\n", "", 2, "expected the document's title"),
        ("(二)支持人才。(責任單位:市人社局)\n", "", 9, "expected clause (二) (2) next, found (三) (3)"),
        ("(二)支持人才", "(一)支持人才", 8, "clause (一) appears twice (first at line 7)"),
    ],
)
def test_damage_is_named_with_its_line(old, new, line, message):
    assert old in _MINI
    with pytest.raises(ParseError) as err:
        parse(_MINI.replace(old, new, 1))
    assert err.value.line == line and message in err.value.message, str(err.value)


def test_a_clause_above_every_heading_is_named():
    with pytest.raises(ParseError) as err:
        parse("標題\n(一)條文。(責任單位:甲)\n一、領域\n(二)條文。(責任單位:乙)\n")
    assert err.value.line == 2 and "before the first domain heading" in err.value.message
    with pytest.raises(ParseError) as err:
        parse("標題\n(一)條文。(責任單位:甲)\n")
    assert err.value.line == 2 and "before any domain heading" in err.value.message
