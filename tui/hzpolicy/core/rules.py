"""Calculator rules as data: load the TOML, check each rule against its clause.

The build refuses, naming the rule, a quote that is not verbatim inside its clause, a
number a formula or condition uses that its quote does not state, an unknown fact or an
unknown formula shape.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .calculator import COMPARISONS, SHAPES, Formula, Shape
from .facts import DERIVED, FACTS
from .models import Document, Rule
from .quantity import parse_quantity

__all__ = ["FREQUENCIES", "KINDS", "OPS", "RuleError", "check_rule", "load_rules", "parse_quantity"]

KINDS = ("cash", "fee_reduction", "matching", "guarantee", "priority")
FREQUENCIES = ("once", "yearly")
OPS = tuple(COMPARISONS)  # >= > <= <
_REQUIRED = ("id", "clause", "title", "quote", "kind", "frequency", "exact", "formula")


class RuleError(ValueError):
    """A rule that does not rest on its document; names the rule."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        super().__init__(f"rule {rule}: {message}")


# The fields any shape keeps a table of quantities in ("amounts", "rates"): checked in every
# formula that has one, so no rule carries a number its quote does not state.
_TABLES = tuple(dict.fromkeys(table for shape in SHAPES.values() for table in shape.tables))


def _quantities(formula: Formula, shape: Shape) -> list[tuple[str, str]]:
    """(where, text) of every number the formula computes with."""
    out = [(f"formula.{field}", str(formula[field])) for field in shape.numbers if field in formula]
    for field in _TABLES:
        out.extend((f"formula.{field}.{key}", str(value)) for key, value in formula.get(field, {}).items())
    return out


def _known(name: object) -> bool:
    return name in FACTS or name in DERIVED


def check_rule(rule: Rule, doc: Document | None) -> None:
    """Refuse (RuleError, naming the rule) a rule that is malformed or does not rest on its clause."""
    rid = rule.get("id", "(no id)")
    _check_form(rid, rule)
    shape = _check_formula(rid, rule["formula"])
    _check_conditions(rid, rule.get("conditions", []))
    quote = rule["quote"]
    if doc is not None:
        _check_quote(rid, rule["clause"], quote, doc)
    for where, text in _quantities(rule["formula"], shape):
        try:
            parse_quantity(text)
        except ValueError as exc:
            raise RuleError(rid, f"{where}: {exc}") from None
        if text not in quote:
            raise RuleError(rid, f"{where} uses {text!r}, which its quote does not state")
    for cond in rule.get("conditions", []):
        if "value" in cond:
            _check_threshold(rid, cond, quote)


def _check_form(rid: str, rule: Rule) -> None:
    for key in _REQUIRED:
        if key not in rule:
            raise RuleError(rid, f"has no {key!r}")
    if rule["kind"] not in KINDS:
        raise RuleError(rid, f"kind {rule['kind']!r} is not one of {', '.join(KINDS)}")
    if rule["frequency"] not in FREQUENCIES:
        raise RuleError(rid, f"frequency {rule['frequency']!r} is not once or yearly")


def _check_formula(rid: str, formula: Formula) -> Shape:
    """The formula's shape, once every fact it names is known."""
    name = formula.get("shape")
    shape = SHAPES.get(name) if isinstance(name, str) else None
    if shape is None:
        raise RuleError(rid, f"formula shape {name!r} is not one of {', '.join(SHAPES)}")
    for field in shape.facts:
        fact = formula.get(field)
        if not _known(fact):
            raise RuleError(rid, f"formula.{field} names an unknown fact {fact!r}")
    return shape


def _check_conditions(rid: str, conditions: list[dict[str, Any]]) -> None:
    for cond in conditions:
        name = cond.get("fact")
        if not _known(name):
            raise RuleError(rid, f"a condition names an unknown fact {name!r}")
        if "op" in cond and cond["op"] not in OPS:
            raise RuleError(rid, f"condition op {cond['op']!r} is not one of {' '.join(OPS)}")


def _check_quote(rid: str, number: int, quote: str, doc: Document) -> None:
    clause = doc.clause(number)
    if clause is None:
        raise RuleError(rid, f"clause {number} is not in the document")
    if quote not in clause.text:
        raise RuleError(rid, f"its quote is not verbatim in clause {number}: {quote[:40]!r}...")


def _check_threshold(rid: str, cond: dict[str, Any], quote: str) -> None:
    """A condition's number is stated by the quote, in the words the condition gives."""
    words = cond.get("words", cond["value"])
    if words not in quote:
        raise RuleError(rid, f"the condition on {cond['fact']} rests on {words!r}, which its quote does not state")
    if not _number_in(cond["value"], words):
        raise RuleError(rid, f"the condition value {cond['value']!r} is not the number in {words!r}")


def _number_in(value: str, words: str) -> bool:
    """The condition's value is what its words say: '1億元' in '1億元以上', 3 in '三星級'.
    A value of 0 ('more than nothing', 實際技術交易額) needs no number."""
    if value in words or value == "0":
        return True
    return value.isdigit() and len(value) == 1 and "零一二三四五六七八九"[int(value)] in words


def load_rules(path: Path, doc: Document | None) -> dict[str, Any]:
    """Read and check the rules file; returns {'rules': [...], 'not_calculable': {...}, ...}."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleError("(file)", f"{path} is not valid TOML: {exc}") from None
    rules = data.get("rule", [])
    seen: set[str] = set()
    for rule in rules:
        check_rule(rule, doc)
        if rule["id"] in seen:
            raise RuleError(rule["id"], "appears twice")
        seen.add(rule["id"])
        rule.setdefault("valid_from", data.get("default_valid_from"))
        rule.setdefault("valid_to", data.get("default_valid_to"))
        rule.setdefault("conditions", [])
    not_calc = {int(k): v for k, v in data.get("not_calculable", {}).items()}
    return {
        "document_sha256": data.get("document_sha256"),
        "rules": rules,
        "not_calculable": not_calc,
    }
