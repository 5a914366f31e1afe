"""Calculator rules as data: load the TOML, check each rule against its clause.

The build refuses, naming the rule, a quote that is not verbatim inside its clause, a
number a formula or condition uses that its quote does not state, an unknown fact or an
unknown formula shape.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

from .facts import DERIVED, FACTS
from .models import Document

SHAPES = {
    # shape: (fields holding numbers with units, fields naming facts)
    "fixed": (("amount",), ()),
    "rate_cap": (("rate", "cap"), ("base",)),
    "matching": (("multiple",), ("base",)),
    "reduced_fee": (("pay",), ("base",)),
    "by_category": ((), ("category",)),
    "per_unit": (("amount",), ("count",)),
    "per_item": ((), ("items",)),
    "category_rate": (("cap",), ("base", "category")),
    "priority": ((), ()),
}
KINDS = ("cash", "fee_reduction", "matching", "guarantee", "priority")
FREQUENCIES = ("once", "yearly")
OPS = (">=", ">", "<=", "<")
_ZHE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


class RuleError(ValueError):
    """A rule that does not rest on its document; names the rule."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        super().__init__(f"rule {rule}: {message}")


def parse_quantity(text: str) -> tuple[Decimal, str]:
    """'200萬元' -> (200, 'wan'); '1億元' -> (10000, 'wan'); '5%' -> (0.05, 'ratio');
    '2倍' -> (2, 'ratio'); '六五折' -> (0.65, 'ratio'); '3' -> (3, 'number')."""
    t = str(text).strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(萬元|億元|%|倍)?", t)
    if m:
        n = Decimal(m.group(1))
        unit = m.group(2)
        if unit == "萬元":
            return n, "wan"
        if unit == "億元":
            return n * 10000, "wan"
        if unit == "%":
            return n / 100, "ratio"
        if unit == "倍":
            return n, "ratio"
        return n, "number"
    m = re.fullmatch(r"([一二三四五六七八九])([一二三四五六七八九])?折", t)
    if m:
        digits = "".join(str(_ZHE_DIGITS[c]) for c in m.groups() if c)
        return Decimal("0." + digits), "ratio"
    raise ValueError(f"cannot read the quantity {text!r} (write it as the quote does: 200萬元, 5%, 2倍, 六五折)")


def _quantities(rule: dict) -> list[tuple[str, str]]:
    """(where, text) of every number the rule computes with."""
    out = []
    formula = rule["formula"]
    shape = formula.get("shape")
    for field in SHAPES.get(shape, ((), ()))[0]:
        if field in formula:
            out.append((f"formula.{field}", str(formula[field])))
    for field in ("amounts", "rates"):
        for key, value in formula.get(field, {}).items():
            out.append((f"formula.{field}.{key}", str(value)))
    return out


def check_rule(rule: dict, doc: Document | None) -> None:
    rid = rule.get("id", "(no id)")
    for key in ("id", "clause", "title", "quote", "kind", "frequency", "exact", "formula"):
        if key not in rule:
            raise RuleError(rid, f"has no {key!r}")
    if rule["kind"] not in KINDS:
        raise RuleError(rid, f"kind {rule['kind']!r} is not one of {', '.join(KINDS)}")
    if rule["frequency"] not in FREQUENCIES:
        raise RuleError(rid, f"frequency {rule['frequency']!r} is not once or yearly")
    formula = rule["formula"]
    shape = formula.get("shape")
    if shape not in SHAPES:
        raise RuleError(rid, f"formula shape {shape!r} is not one of {', '.join(SHAPES)}")
    for field in SHAPES[shape][1]:
        name = formula.get(field)
        if name not in FACTS and name not in DERIVED:
            raise RuleError(rid, f"formula.{field} names an unknown fact {name!r}")
    for cond in rule.get("conditions", []):
        name = cond.get("fact")
        if name not in FACTS and name not in DERIVED:
            raise RuleError(rid, f"a condition names an unknown fact {name!r}")
        if "op" in cond and cond["op"] not in OPS:
            raise RuleError(rid, f"condition op {cond['op']!r} is not one of {' '.join(OPS)}")
    quote = rule["quote"]
    if doc is not None:
        clause = doc.clause(rule["clause"])
        if clause is None:
            raise RuleError(rid, f"clause {rule['clause']} is not in the document")
        if quote not in clause.text:
            raise RuleError(rid, f"its quote is not verbatim in clause {rule['clause']}: {quote[:40]!r}...")
    for where, text in _quantities(rule):
        try:
            parse_quantity(text)
        except ValueError as exc:
            raise RuleError(rid, f"{where}: {exc}") from None
        if text not in quote:
            raise RuleError(rid, f"{where} uses {text!r}, which its quote does not state")
    for cond in rule.get("conditions", []):
        if "value" in cond:
            words = cond.get("words", cond["value"])
            if words not in quote:
                raise RuleError(
                    rid, f"the condition on {cond['fact']} rests on {words!r}, which its quote does not state"
                )
            if not _number_in(cond["value"], words):
                raise RuleError(rid, f"the condition value {cond['value']!r} is not the number in {words!r}")


def _number_in(value: str, words: str) -> bool:
    """The condition's value is what its words say: '1億元' in '1億元以上', 3 in '三星級'.
    A value of 0 ('more than nothing', 實際技術交易額) needs no number."""
    if value in words or value == "0":
        return True
    return value.isdigit() and len(value) == 1 and "零一二三四五六七八九"[int(value)] in words


def load_rules(path: Path, doc: Document | None) -> dict:
    """Read and check the rules file; returns {'rules': [...], 'not_calculable': {...}, ...}."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleError("(file)", f"{path} is not valid TOML: {exc}") from None
    rules = data.get("rule", [])
    seen = set()
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
