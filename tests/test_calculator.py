"""The calculator: every rule at its boundaries, tiers that never add up, exact decimals,
properties over any profile, and rules that must rest on their document."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hzpolicy.core.calculator import evaluate
from hzpolicy.core.facts import FACTS, MAX_WAN, ProfileError, validate_profile
from hzpolicy.core.money import plain
from hzpolicy.core.rules import RuleError, load_rules, parse_quantity

from .conftest import SOURCE

IN_2024 = date(2024, 6, 30)

# (rule, profile, status, amount_wan) - boundaries: at a threshold, just below, at a cap, above.
CASES = [
    # clause 5: pay 70%: the saving is 30%
    ("c05-power-fee", {"hitech_investment_project": True, "high_reliability_power_fee": 100}, "applies", "30"),
    ("c05-power-fee", {"hitech_investment_project": False, "high_reliability_power_fee": 100}, "not_applicable", "0"),
    ("c05-power-fee", {"hitech_investment_project": True}, "needs_input", "0"),
    # clause 10: 2 times the provincial subsidy
    ("c10-tech-center-matching", {"provincial_tech_center_subsidy": 1500}, "applies", "3000"),
    # clause 12
    ("c12-jiebang", {"major_project_jiebang": True}, "needs_approval", "1000"),
    ("c12-competitive", {"competitive_project_investment": 1500}, "applies", "300"),  # exactly at the cap
    ("c12-competitive", {"competitive_project_investment": 1499}, "applies", "299.8"),
    ("c12-competitive", {"competitive_project_investment": 5000}, "applies", "300"),
    ("c12-national-task", {"national_task_funds": 2000}, "applies", "500"),
    ("c12-national-task", {"national_task_funds": 100}, "applies", "25"),
    # clause 14, SME scale: 新增200萬元以上 includes 200
    ("c14-sme-increment", {"tech_sme_scale": True, "rd_spend": 1200, "rd_spend_prev": 1000}, "applies", "10"),
    ("c14-sme-increment", {"tech_sme_scale": True, "rd_spend": 1199.99, "rd_spend_prev": 1000}, "not_applicable", "0"),
    ("c14-sme-increment", {"tech_sme_scale": True, "rd_spend": 5000, "rd_spend_prev": 1000}, "applies", "200"),
    ("c14-sme-increment", {"tech_sme_scale": True, "rd_spend": 9000, "rd_spend_prev": 1000}, "applies", "200"),
    ("c14-sme-increment", {"tech_sme_scale": True, "rd_spend": 1234.56, "rd_spend_prev": 1000}, "applies", "11.728"),
    ("c14-sme-increment", {"tech_sme_scale": True, "rd_spend": 1200}, "needs_input", "0"),
    ("c14-sme-total", {"tech_sme_scale": True, "rd_spend": 10000, "rd_spend_prev": 9999}, "applies", "200"),
    ("c14-sme-total", {"tech_sme_scale": True, "rd_spend": 9999.99, "rd_spend_prev": 9999}, "not_applicable", "0"),
    # clause 14, above SME scale: 新增500萬元以上, cap 300, 5億元 direct
    ("c14-large-increment", {"tech_sme_scale": False, "rd_spend": 1500, "rd_spend_prev": 1000}, "applies", "25"),
    ("c14-large-increment", {"tech_sme_scale": False, "rd_spend": 1499, "rd_spend_prev": 1000}, "not_applicable", "0"),
    ("c14-large-increment", {"tech_sme_scale": False, "rd_spend": 7000, "rd_spend_prev": 1000}, "applies", "300"),
    ("c14-large-total", {"tech_sme_scale": False, "rd_spend": 50000, "rd_spend_prev": 49900}, "applies", "300"),
    # 比重超過5%: exactly 5% is not over it
    ("c14-priority", {"rd_spend": 500, "revenue": 10000}, "not_applicable", "0"),
    ("c14-priority", {"rd_spend": 501, "revenue": 10000}, "applies", "0"),
    # clause 15
    ("c15-key-lab", {"new_provincial_key_lab": True}, "applies", "100"),
    ("c15-overseas-rd", {"overseas_rd_provincial_funds": 80}, "applies", "40"),
    ("c15-rd-hq", {"new_rd_hq": True, "rd_spend": 1000}, "applies", "50"),  # 達1000萬元 includes it
    ("c15-rd-hq", {"new_rd_hq": True, "rd_spend": 999}, "not_applicable", "0"),
    ("c15-rd-hq", {"new_rd_hq": True, "rd_spend": 20000}, "applies", "500"),
    ("c15-foreign-rd", {"foreign_rd_center_provincial_funds": 10}, "applies", "5"),
    ("c15-hq-star", {"hq_star_rating": 3}, "needs_approval", "300"),
    ("c15-hq-star", {"hq_star_rating": 2}, "not_applicable", "0"),
    # clause 16
    ("c16-tech-insurance", {"tech_insurance_premium": 100}, "applies", "50"),
    ("c16-tech-insurance", {"tech_insurance_premium": 60}, "applies", "30"),
    ("c16-award-national-first", {"sci_award": "national_first"}, "applies", "500"),
    ("c16-award-national-first", {"sci_award": "national_second"}, "not_applicable", "0"),
    ("c16-award-second", {"sci_award": "china_patent_gold"}, "applies", "200"),
    ("c16-award-second", {"sci_award": "provincial_first"}, "applies", "200"),
    ("c16-concept-listed", {"concept_center": "listed"}, "applies", "50"),
    ("c16-concept-recognized", {"concept_center": "recognized"}, "needs_approval", "500"),
    ("c16-tech-trade", {"tech_trade_amount": 1}, "needs_approval", "200"),
    ("c16-tech-trade", {"tech_trade_amount": 0}, "not_applicable", "0"),
    # clause 17
    ("c17-maker-space", {"maker_space_rating": "excellent"}, "applies", "30"),
    ("c17-maker-space", {"maker_space_rating": "good"}, "applies", "20"),
    ("c17-incubator-stars", {"incubator_stars": 5}, "applies", "30"),
    ("c17-incubator-stars", {"incubator_stars": 4}, "applies", "20"),
    ("c17-incubator-stars", {"incubator_stars": 3}, "not_applicable", "0"),
    ("c17-incubated-hitech", {"incubator_stars": 3, "incubated_hitech_count": 4}, "applies", "60"),
    ("c17-incubated-hitech", {"incubator_stars": 2, "incubated_hitech_count": 4}, "not_applicable", "0"),
    ("c17-upgrade", {"incubator_upgrade": "to_national"}, "applies", "50"),
    # clause 18
    ("c18-new-eagle", {"new_eagle_first": True}, "applies", "50"),
    ("c18-hitech-first", {"hitech_first": True}, "applies", "20"),
    ("c18-hitech-recert", {"hitech_recert": True}, "applies", "10"),
    ("c18-hitech-above-scale", {"hitech_first_above_scale": True}, "applies", "30"),
    # clause 19
    ("c19-leading-team", {"leading_team": True}, "applies", "500"),
    ("c19-postdoc-station", {"postdoc_station": "national"}, "applies", "100"),
    ("c19-postdoc-station", {"postdoc_station": "provincial"}, "applies", "50"),
    ("c19-postdoc-independent", {"postdoc_independent_recruitment": True}, "applies", "50"),
    # clause 30
    ("c30-first-above-scale", {"first_above_scale_industrial": True}, "applies", "20"),
    ("c30-three-years", {"above_scale_three_years": True}, "applies", "30"),
    ("c30-legal-person", {"converted_to_legal_person": True}, "applies", "10"),
    ("c30-little-giant", {"little_giant_first": True}, "applies", "100"),
    ("c30-hidden-champion", {"hidden_champion_first": True}, "applies", "100"),
    ("c30-provincial-srdi", {"provincial_srdi_first": True}, "applies", "20"),
    # clauses 36, 37, 41, 45
    ("c36-key-software", {"key_software_first": True}, "applies", "200"),
    (
        "c37-design-awards",
        {"design_awards": ["if_gold", "red_dot_best_of_best", "china_design_zhizao_gold"]},
        "applies",
        "40",
    ),
    ("c37-design-awards", {"design_awards": []}, "not_applicable", "0"),
    ("c41-market-pilot", {"market_operator_pilot": True}, "applies", "1000"),
    ("c45-container-toll", {"container_truck_toll": 200}, "applies", "70"),  # 六五折: 35% saved
    # clause 48: 65% for manufacturers, 60% otherwise, cap 500
    ("c48-export-credit", {"manufacturer": True, "export_credit_premium": 100}, "applies", "65"),
    ("c48-export-credit", {"manufacturer": False, "export_credit_premium": 100}, "applies", "60"),
    ("c48-export-credit", {"manufacturer": False, "export_credit_premium": 1000}, "applies", "500"),
    ("c48-export-credit", {"manufacturer": True, "export_credit_premium": 1000}, "applies", "500"),
    ("c48-export-credit", {"export_credit_premium": 100}, "needs_input", "0"),
    ("c48-fx-guarantee", {"fx_settlement": 1000}, "applies", "80"),
    ("c48-expo-booth", {"expo_booth_fee_q1": 10}, "applies", "7"),
    ("c48-expo-airfare", {"expo_airfare_q1": 3}, "applies", "2.1"),
]


def _item(doc, profile, rule, when=IN_2024):
    result = evaluate(list(doc.rules), profile, when, doc)
    return next(i for i in result.items if i.rule == rule), result


@pytest.mark.parametrize("rule, profile, status, amount", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_cases(doc, rule, profile, status, amount):
    item, _ = _item(doc, {k: Decimal(str(v)) if isinstance(v, float) else v for k, v in profile.items()}, rule)
    assert (item.status, plain(item.amount)) == (status, amount), item.reason
    if status in ("applies", "needs_approval") and item.kind != "priority":
        assert item.formula and item.quote in doc.clause(item.clause).text


def test_every_rule_has_a_case(doc):
    assert {r["id"] for r in doc.rules} == {c[0] for c in CASES}


def test_tiers_of_clause_14_never_add_up(doc):
    profile = {"tech_sme_scale": True, "rd_spend": 12000, "rd_spend_prev": 10000}
    result = evaluate(list(doc.rules), profile, IN_2024, doc)
    c14 = {i.rule: i for i in result.items if i.rule.startswith("c14-") and i.rule != "c14-priority"}
    assert c14["c14-sme-total"].status == "applies" and c14["c14-sme-total"].amount == 200
    assert c14["c14-sme-increment"].status == "not_applicable" and "只適用一檔" in c14["c14-sme-increment"].reason
    assert result.total == 200


def test_separate_awards_add_up(doc):
    profile = {
        "first_above_scale_industrial": True,
        "above_scale_three_years": True,
        "converted_to_legal_person": True,
        "expo_booth_fee_q1": 10,
        "expo_airfare_q1": 10,
    }
    in_q1 = evaluate(list(doc.rules), profile, date(2024, 3, 31), doc)
    assert in_q1.total == Decimal(20) + 30 + 10 + 7 + 7
    # in June the first-quarter expo aid is outside its period: shown, not added
    result = evaluate(list(doc.rules), profile, IN_2024, doc)
    assert result.total == Decimal(20) + 30 + 10 and result.left_out_total == 14


def test_exact_decimal_arithmetic(doc):
    item, _ = _item(
        doc, {"tech_sme_scale": True, "rd_spend": Decimal("1234.56"), "rd_spend_prev": 1000}, "c14-sme-increment"
    )
    assert item.amount == Decimal("11.728") and "234.56 x 5% = 11.728" in item.formula


def test_a_ceiling_that_bites_says_so_in_words(doc):
    item, _ = _item(doc, {"tech_sme_scale": True, "rd_spend": 9000, "rd_spend_prev": 1000}, "c14-sme-increment")
    assert item.amount == 200 and item.capped
    assert item.formula == "8000 x 5% = 400 萬元, 超過上限, 取 200 萬元"  # ASCII x: × is ambiguous-width


def test_validity_marks_results_outside_it(doc):
    item, result = _item(doc, {"expo_booth_fee_q1": 10}, "c48-expo-booth", date(2024, 4, 1))
    assert item.status == "applies" and item.amount == 7 and not item.in_force
    assert result.in_force
    _, later = _item(doc, {"expo_booth_fee_q1": 10}, "c48-expo-booth", date(2026, 11, 26))
    assert not later.in_force


def test_total_counts_cash_and_matching_only(doc):
    profile = {
        "container_truck_toll": 100,
        "fx_settlement": 1000,
        "overseas_rd_provincial_funds": 10,
        "leading_team": True,
        "rd_spend": 600,
        "revenue": 1000,
        "major_project_jiebang": True,
    }
    result = evaluate(list(doc.rules), profile, IN_2024, doc)
    assert result.total == Decimal(5) + 500  # matching + cash; not the fee saved, guarantee, approval


def test_coverage_every_clause_with_money_is_modelled_or_explained(doc):
    with_money = {c.number for c in doc.clauses if c.money or c.percentages}
    modelled = {r["clause"] for r in doc.rules}
    explained = {n for n, _ in doc.not_calculable}
    assert with_money <= modelled | explained, with_money - modelled - explained
    assert not modelled & explained
    for n in (5, 10, 12, 14, 15, 16, 17, 18, 19, 30, 36, 37, 41, 45, 48):
        assert n in modelled
    assert all(reason for _, reason in doc.not_calculable)


def test_json_output_contract(doc):
    result = evaluate(list(doc.rules), {"rd_spend": 100}, IN_2024, doc).to_json()
    assert result["as_of"] == {"date": "2024-06-30", "in_force": True}
    assert result["document"]["valid_from"] == "2024-01-01"
    for item in result["items"]:
        assert {"rule", "clause", "status", "amount_wan", "ceiling", "kind", "formula", "quote"} <= set(item)
        assert isinstance(item["amount_wan"], str) and 1 <= item["clause"] <= 76
        assert item["status"] in ("applies", "not_applicable", "needs_input", "needs_approval")
    assert isinstance(result["total_wan"], str)


# --- profiles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile, fact, words",
    [
        ({"rd_spnd": 1}, "rd_spnd", "did you mean 'rd_spend'"),
        ({"rd_spend": -1}, "rd_spend", "negative"),
        ({"rd_spend": "lots"}, "rd_spend", "number"),
        ({"rd_spend": True}, "rd_spend", "number"),
        ({"rd_spend": 1e12}, "rd_spend", "absurdly large"),
        ({"tech_sme_scale": "yes"}, "tech_sme_scale", "true or false"),
        ({"hq_star_rating": 6}, "hq_star_rating", "0 to 5"),
        ({"hq_star_rating": 2.5}, "hq_star_rating", "whole number"),
        ({"hq_star_rating": float("inf")}, "hq_star_rating", "whole number"),
        ({"incubated_hitech_count": float("nan")}, "incubated_hitech_count", "whole number"),
        ({"rd_spend": float("nan")}, "rd_spend", "number"),
        ({"sci_award": "nobel"}, "sci_award", "one of"),
        ({"design_awards": "if_gold"}, "design_awards", "list"),
        ({"design_awards": ["oscar"]}, "design_awards", "oscar"),
    ],
)
def test_bad_profile_values_name_the_fact(profile, fact, words):
    with pytest.raises(ProfileError) as err:
        validate_profile(profile)
    assert err.value.fact == fact and fact in str(err.value) and words in str(err.value)


def test_every_bad_fact_is_named_at_once():
    with pytest.raises(ProfileError) as err:
        validate_profile({"hq_star_rating": 6, "rd_spend": 10, "sci_award": "nobel", "tech_sme_scale": "yes"})
    assert err.value.fact == "hq_star_rating"
    assert [p.fact for p in err.value.problems] == ["hq_star_rating", "sci_award", "tech_sme_scale"]
    assert str(err.value).count("\n") == 2


def _valid_value(fact):
    if fact.type == "wan":
        return st.decimals(min_value=0, max_value=MAX_WAN, places=2, allow_nan=False, allow_infinity=False)
    if fact.type == "bool":
        return st.booleans()
    if fact.type == "int":
        return st.integers(min_value=fact.minimum, max_value=fact.maximum or 1000)
    if fact.type == "enum":
        return st.sampled_from(fact.choices)
    return st.lists(st.sampled_from(fact.choices), max_size=4)


PROFILES = st.fixed_dictionaries({}, optional={name: _valid_value(f) for name, f in FACTS.items()})


@settings(max_examples=150, deadline=None)
@given(PROFILES)
def test_any_valid_profile_evaluates(doc, profile):
    result = evaluate(list(doc.rules), profile, IN_2024, doc)
    assert len(result.items) == len(doc.rules)
    for item in result.items:
        assert item.amount >= 0
        if item.status in ("not_applicable", "needs_input"):
            assert item.amount == 0
    assert result.total >= 0


@settings(max_examples=150, deadline=None)
@given(
    st.decimals(min_value=0, max_value=100000, places=2),
    st.decimals(min_value=0, max_value=100000, places=2),
    st.booleans(),
)
def test_amounts_respect_ceilings_and_never_fall_as_the_base_grows(doc, a, b, flag):
    low, high = sorted((a, b))
    bases = {
        "rd_spend": None,
        "competitive_project_investment": None,
        "national_task_funds": None,
        "tech_insurance_premium": None,
        "export_credit_premium": None,
    }
    for rule in doc.rules:
        formula = rule["formula"]
        if formula["shape"] not in ("rate_cap", "category_rate") or "cap" not in formula:
            continue
        base = formula["base"]
        if base not in bases:
            continue
        cap = parse_quantity(formula["cap"])[0]
        common = {"manufacturer": flag, "new_rd_hq": True}
        amounts = []
        for value in (low, high):
            item, _ = _item(doc, {**common, base: value}, rule["id"])
            assert item.amount <= cap
            amounts.append(item.amount)
        assert amounts[0] <= amounts[1]
    # clause 14, whose base is a difference and whose tiers take turns: what the clause gives
    # (the tier that applies) never falls as R&D grows, and never passes its ceiling.
    for sme in (True, False):
        prev = Decimal(1000)
        given_ = []
        for value in (low, high):
            result = evaluate(
                list(doc.rules), {"tech_sme_scale": sme, "rd_spend": prev + value, "rd_spend_prev": prev}, IN_2024, doc
            )
            given_.append(sum(i.amount for i in result.items if i.group == "c14"))
        assert given_[0] <= given_[1] <= (200 if sme else 300)


# Values no fact of a type takes, by type: each strategy only draws values the contract
# (facts.py) rules out, so every draw must be refused.
_WORDS = st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=8)  # never a number
_CONTAINERS = st.one_of(
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)
)
_NON_FINITE = st.sampled_from(
    [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")]
)
_CENT = Decimal("0.01")


def _exact_decimals(**bounds):
    return st.decimals(places=2, allow_nan=False, allow_infinity=False, **bounds)


def _invalid_wan():
    return st.one_of(
        st.booleans(),
        _WORDS,
        _CONTAINERS,
        _NON_FINITE,
        st.integers(max_value=-1),
        _exact_decimals(max_value=-_CENT),
        _exact_decimals(max_value=-_CENT).map(str),  # a negative amount written as text
        st.integers(min_value=int(MAX_WAN) + 1),
        _exact_decimals(min_value=MAX_WAN + _CENT, max_value=MAX_WAN * 1000),
    )


def _invalid_int(fact):
    out = [
        st.booleans(),
        st.text(max_size=5),  # "3" too: a whole number is a JSON number, not a string
        _CONTAINERS,
        _NON_FINITE,
        st.integers(max_value=fact.minimum - 1),
        _exact_decimals(min_value=-1000, max_value=1000).filter(lambda d: d != d.to_integral_value()),
        st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()),
    ]
    if fact.maximum is not None:
        out.append(st.integers(min_value=fact.maximum + 1))
    return st.one_of(out)


def _not_a_choice(fact):
    return st.one_of(
        st.text(max_size=12).filter(lambda v: v not in fact.choices), st.integers(), st.booleans(), st.none()
    )


def _invalid_enum_list(fact):
    def with_stranger(drawn):
        good, bad, at = drawn
        return [*good[:at], bad, *good[at:]]

    good = st.lists(st.sampled_from(fact.choices), max_size=3)
    return st.one_of(
        st.text(max_size=12),  # one choice, not a list of them
        st.integers(),
        st.booleans(),
        st.dictionaries(st.sampled_from(fact.choices), st.booleans(), max_size=2),
        st.tuples(good, _not_a_choice(fact), st.integers(0, 3)).map(with_stranger),
    )


def _invalid_value(fact):
    if fact.type == "wan":
        return _invalid_wan()
    if fact.type == "bool":
        # 0 and 1, "true" and "yes" included: only JSON true/false is a yes or no
        return st.one_of(st.integers(), st.floats(), st.text(max_size=5), _CONTAINERS, _NON_FINITE)
    if fact.type == "int":
        return _invalid_int(fact)
    if fact.type == "enum":
        return st.one_of(_not_a_choice(fact).filter(lambda v: v is not None), _CONTAINERS)
    assert fact.type == "enum_list", fact.type
    return _invalid_enum_list(fact)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_invalid_value_is_rejected_with_its_fact(data):
    fact = data.draw(st.sampled_from(sorted(FACTS)), label="fact")
    value = data.draw(_invalid_value(FACTS[fact]), label="value")
    with pytest.raises(ProfileError) as err:
        validate_profile({fact: value})
    assert err.value.fact == fact and fact in str(err.value)
    assert [p.fact for p in err.value.problems] == [fact]


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=20).filter(lambda name: name not in FACTS), st.integers())
def test_an_unknown_fact_is_rejected_by_its_name(name, value):
    with pytest.raises(ProfileError) as err:
        validate_profile({name: value})
    assert err.value.fact == name and "unknown fact" in str(err.value)


def _accepted_value(fact):
    """(a value the fact takes, what validation makes of it)."""
    if fact.type == "wan":
        amounts = _exact_decimals(min_value=0, max_value=MAX_WAN)
        return st.one_of(
            amounts.map(lambda d: (d, d)),
            st.integers(0, int(MAX_WAN)).map(lambda n: (n, Decimal(n))),
            amounts.map(lambda d: (f" {d} ", d)),  # a numeric string, as typed in a form
        )
    if fact.type == "int":
        top = fact.maximum if fact.maximum is not None else 1000
        whole = st.integers(fact.minimum, top)
        return st.one_of(whole.map(lambda n: (n, n)), whole.map(lambda n: (float(n), n)))
    if fact.type == "enum_list":
        return st.lists(st.sampled_from(fact.choices), max_size=6).map(lambda v: (v, list(dict.fromkeys(v))))
    return _valid_value(fact).map(lambda v: (v, v))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_valid_value_is_accepted_as_written(data):
    fact = data.draw(st.sampled_from(sorted(FACTS)), label="fact")
    value, normalised = data.draw(_accepted_value(FACTS[fact]), label="value")
    facts = validate_profile({fact: value})
    assert facts == {fact: normalised}
    assert type(facts[fact]) is type(normalised)  # money is a Decimal, a count an int, yes/no a bool


# --- rules rest on the document ---------------------------------------------------------------

RULES = Path(__file__).resolve().parent.parent / "data" / "calculator-rules.toml"


def _bad_rules(tmp_path, old, new):
    text = RULES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_build_refuses_a_quote_not_in_its_clause(doc, tmp_path):
    path = _bad_rules(
        tmp_path, "對首次入選的軟體企業給予200萬元一次性獎勵", "對首次入選的軟件企業給予200萬元一次性獎勵"
    )
    with pytest.raises(RuleError) as err:
        load_rules(path, doc)
    assert err.value.rule == "c36-key-software" and "not verbatim" in str(err.value)


def test_build_refuses_a_number_not_in_its_quote(doc, tmp_path):
    path = _bad_rules(tmp_path, 'rate = "20%", cap = "300萬元"', 'rate = "25%", cap = "300萬元"')
    with pytest.raises(RuleError) as err:
        load_rules(path, doc)
    assert err.value.rule == "c12-competitive" and "25%" in str(err.value)


def test_build_refuses_a_threshold_not_in_its_quote(doc, tmp_path):
    path = _bad_rules(tmp_path, 'value = "1000萬元", words = "達1000萬元"', 'value = "900萬元", words = "達1000萬元"')
    with pytest.raises(RuleError) as err:
        load_rules(path, doc)
    assert err.value.rule == "c15-rd-hq"


def test_cli_build_with_a_bad_rule_writes_nothing(tmp_path, capsys):
    from hzpolicy.__main__ import run

    path = _bad_rules(tmp_path, 'cap = "50萬元"', 'cap = "60萬元"')
    out = tmp_path / "s.json"
    code = run(["build", str(SOURCE), "-o", str(out), "--rules", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "c16-tech-insurance" in err and not out.exists()


# --- the command line ---------------------------------------------------------------------------


def _calc(capsys, tmp_path, profile, *extra):
    from hzpolicy.__main__ import run

    path = tmp_path / "profile.json"
    path.write_text(profile if isinstance(profile, str) else json.dumps(profile), encoding="utf-8")
    code = run(["calc", str(path), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_calc_json(capsys, tmp_path):
    code, out, _ = _calc(
        capsys,
        tmp_path,
        '{"tech_sme_scale": true, "rd_spend": 1234.56, "rd_spend_prev": 1000}',
        "--json",
        "--date",
        "2024-05-01",
    )
    data = json.loads(out)
    item = next(i for i in data["items"] if i["rule"] == "c14-sme-increment")
    assert code == 0 and item["amount_wan"] == "11.728" and item["ceiling"] is True
    assert data["total_wan"] == "11.728" and data["as_of"]["in_force"] is True


def test_cli_calc_table(capsys, tmp_path):
    code, out, _ = _calc(capsys, tmp_path, {"key_software_first": True}, "--date", "2026-11-26")
    assert code == 0 and "200 萬元" in out and "不在有效期內" in out and "依據" in out


@pytest.mark.parametrize(
    "profile, words",
    [
        ('{"rd_spnd": 1}', "did you mean 'rd_spend'"),
        ('{"rd_spend": -5}', "rd_spend"),
        ("[1, 2]", "JSON object"),
        ("{not json", "not valid JSON"),
        # every bad fact at once, so the file is fixed in one go
        (
            '{"rd_spend": "abc", "rd_spned_prev": 5, "revenue": 100}',
            "2 facts to fix:\n  rd_spend: expected a number (in 10k yuan), got 'abc'\n"
            "  unknown fact 'rd_spned_prev'; did you mean 'rd_spend_prev'?",
        ),
    ],
)
def test_cli_calc_bad_profile(capsys, tmp_path, profile, words):
    code, _, err = _calc(capsys, tmp_path, profile, "--lang", "en")
    assert code == 2 and words in err and "Traceback" not in err


def test_cli_calc_bad_date_and_missing_file(capsys, tmp_path):
    code, _, err = _calc(capsys, tmp_path, "{}", "--date", "yesterday")
    assert code == 2 and "'yesterday'" in err and "2024-06-30" in err
    from hzpolicy.__main__ import run

    assert run(["calc", str(tmp_path / "none.json")]) == 2
