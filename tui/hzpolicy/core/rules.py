"""Calculator rules as data: load the TOML, check each rule against its clause.

The build refuses, naming the rule, a quote that is not verbatim inside its clause, a
number a formula or condition uses that its quote does not state, an unknown fact or an
unknown formula shape. Before any of that, the file itself is checked: UTF-8 text, valid
TOML, and every value of the type it must have (``rule`` an array of tables, each field of
a rule its type, ``not_calculable`` keyed by clause numbers), so a malformed file fails with
one :class:`RuleError` naming the problem, never a traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date, time
from pathlib import Path
from typing import Any

from .calculator import COMPARISONS, SHAPES, Formula, Shape
from .facts import DERIVED, FACTS
from .models import Document, Rule
from .quantity import parse_quantity
from .storecheck import FIRST_YEAR, LAST_YEAR  # the years a store may hold

__all__ = ["FREQUENCIES", "KINDS", "OPS", "RuleError", "check_rule", "load_rules", "parse_quantity"]

KINDS = ("cash", "fee_reduction", "matching", "guarantee", "priority")
FREQUENCIES = ("once", "yearly")
OPS = tuple(COMPARISONS)  # >= > <= <
_REQUIRED = ("id", "clause", "title", "quote", "kind", "frequency", "exact", "formula")


class RuleError(ValueError):
    """A rule that does not rest on its document, or a rules file that cannot be read; names
    the rule (``rule`` is None for a problem of the file as a whole)."""

    def __init__(self, rule: str | None, message: str) -> None:
        self.rule = rule
        super().__init__(f"rule {rule}: {message}" if rule is not None else message)


# What a rules file holds at its top level; the fields of a rule that hold text.
_TOP_KEYS = ("document_sha256", "default_valid_from", "default_valid_to", "rule", "not_calculable")
_TEXT = ("id", "title", "quote", "kind", "frequency")
_OPTIONAL_TEXT = ("approval", "group")


def _kind_of(value: object) -> str:
    """How a TOML value is called in a message."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"a date or time ({value})"


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_date(rid: str | None, where: str, value: object) -> None:
    """A validity date: "YYYY-MM-DD" text (in quotes), a real day in 1949–2100."""
    if not isinstance(value, str):
        raise RuleError(rid, f'{where} must be a date in quotes such as "2024-01-01", found {_kind_of(value)}')
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise RuleError(rid, f'{where} {value!r} is not a date (write YYYY-MM-DD, such as "2024-01-01")') from None
    if not (FIRST_YEAR <= day.year <= LAST_YEAR and len(value) == 10):
        raise RuleError(rid, f"{where} {value!r} is not a date YYYY-MM-DD in {FIRST_YEAR}–{LAST_YEAR}")


def _check_period(rid: str | None, where: str, start: object, end: object) -> None:
    """Validity dates (each optional): real days, the period not ending before it starts."""
    for name, value in (("valid_from", start), ("valid_to", end)):
        if value is not None:
            _check_date(rid, f"{where}{name}", value)
    if isinstance(start, str) and isinstance(end, str) and end < start:
        raise RuleError(rid, f"{where}valid_to {end} is before {where}valid_from {start}")


def _no_dates(rid: str | None, where: str, value: object) -> None:
    """TOML reads an unquoted 2024-01-01 as a date, which the store cannot hold: refuse it."""
    if isinstance(value, date | time):
        raise RuleError(rid, f"{where} is an unquoted date or time ({value}): write it in quotes")
    if isinstance(value, dict):
        for key, item in value.items():
            _no_dates(rid, f"{where}.{key}" if where else key, item)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _no_dates(rid, f"{where}[{i}]", item)


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
    return isinstance(name, str) and (name in FACTS or name in DERIVED)


def check_rule(rule: Rule, doc: Document | None) -> None:
    """Refuse (RuleError, naming the rule) a rule that is malformed or does not rest on its clause."""
    rid = rule["id"] if _is_text(rule.get("id")) else "(no id)"
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
    _check_types(rid, rule)
    if rule["kind"] not in KINDS:
        raise RuleError(rid, f"kind {rule['kind']!r} is not one of {', '.join(KINDS)}")
    if rule["frequency"] not in FREQUENCIES:
        raise RuleError(rid, f"frequency {rule['frequency']!r} is not once or yearly")


def _check_types(rid: str, rule: Rule) -> None:
    """Each field of a rule holds what it must: text, a clause number, true/false, a table."""
    _no_dates(rid, "", rule)
    for key in (*_TEXT, *(k for k in _OPTIONAL_TEXT if k in rule)):
        if not _is_text(rule[key]):
            raise RuleError(rid, f"{key} must be text in quotes, found {_kind_of(rule[key])}")
    clause = rule["clause"]
    if not isinstance(clause, int) or isinstance(clause, bool) or clause < 1:
        raise RuleError(rid, f"clause must be a clause number such as 14, found {_kind_of(clause)}")
    if not isinstance(rule["exact"], bool):
        raise RuleError(rid, f"exact must be true or false, found {_kind_of(rule['exact'])}")
    if not isinstance(rule["formula"], dict):
        raise RuleError(rid, f"formula must be a table {{ shape = …, … }}, found {_kind_of(rule['formula'])}")
    conditions = rule.get("conditions", [])
    if not isinstance(conditions, list) or not all(isinstance(c, dict) for c in conditions):
        raise RuleError(rid, 'conditions must be an array of tables such as [{ fact = "…", equals = true }]')
    _check_period(rid, "", rule.get("valid_from"), rule.get("valid_to"))


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
    extra = sorted(set(formula) - shape.fields - {"shape"})
    if extra:
        raise RuleError(rid, f"formula holds {', '.join(extra)}, which a {name} formula does not use")
    missing = [f for f in shape.numbers + shape.tables if f not in formula and f not in shape.optional]
    if missing:
        raise RuleError(rid, f"a {name} formula needs {', '.join(missing)}")
    for field in shape.numbers:
        if field in formula and not _is_text(formula[field]):
            raise RuleError(rid, f'formula.{field} must be a quantity in quotes such as "200萬元"')
    for field in shape.tables:
        table = formula.get(field, {})
        if not isinstance(table, dict) or not all(_is_text(v) for v in table.values()):
            raise RuleError(rid, f'formula.{field} must be a table of quantities in quotes: {{ A = "200萬元" }}')
    return shape


def _check_conditions(rid: str, conditions: list[dict[str, Any]]) -> None:
    for cond in conditions:
        name = cond.get("fact")
        if not _known(name):
            raise RuleError(rid, f"a condition names an unknown fact {name!r}")
        tests = [key for key in ("equals", "one_of", "value") if key in cond]
        if len(tests) != 1:
            raise RuleError(rid, f"the condition on {name} must have one of equals, one_of or value (with op)")
        if "one_of" in cond and not isinstance(cond["one_of"], list):
            raise RuleError(rid, f"the condition on {name}: one_of must be an array")
        if "value" in cond:
            _check_value(rid, name, cond)
        if "op" in cond and cond["op"] not in OPS:
            raise RuleError(rid, f"condition op {cond['op']!r} is not one of {' '.join(OPS)}")


def _check_value(rid: str, name: object, cond: dict[str, Any]) -> None:
    """A threshold condition: its value a quantity the calculator reads, its words text, an op."""
    for key in ("value", "words"):
        if key in cond and not _is_text(cond[key]):
            raise RuleError(rid, f"the condition on {name}: {key} must be text in quotes, found {_kind_of(cond[key])}")
    try:
        parse_quantity(cond["value"])
    except ValueError as exc:
        raise RuleError(rid, f"the condition on {name}: {exc}") from None
    if "op" not in cond:
        raise RuleError(rid, f"the condition on {name} has a value but no op ({' '.join(OPS)})")


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


def _read_toml(path: Path) -> dict[str, Any]:
    """The rules file as TOML; a file that is not UTF-8 TOML text is a RuleError saying so."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RuleError(None, f"cannot read the rules file {path}: {exc.strerror or exc}") from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise RuleError(None, f"the rules file {path} is binary (a NUL byte at line {line}): expected TOML text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RuleError(None, f"the rules file {path} is not UTF-8 text (line {line}): save it as UTF-8") from None
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except RecursionError:
        raise RuleError(None, f"the rules file {path} is nested far too deeply to be a rules file") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(None, f"the rules file {path} is not valid TOML: {exc}") from None


def _check_top(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The file's top level has the keys and types a rules file has; returns its rules."""
    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        raise RuleError(None, f"unknown key {', '.join(unknown)} (a rules file holds {', '.join(_TOP_KEYS)})")
    sha = data.get("document_sha256")
    if sha is not None and not isinstance(sha, str):
        raise RuleError(None, f"document_sha256 must be text in quotes, found {_kind_of(sha)}")
    _check_period(None, "default_", data.get("default_valid_from"), data.get("default_valid_to"))
    rules = data.get("rule", [])
    if not isinstance(rules, list):
        raise RuleError(None, f"rule must be an array of tables ([[rule]] … ), found {_kind_of(rules)}")
    for n, rule in enumerate(rules, 1):
        if not isinstance(rule, dict):
            raise RuleError(None, f"rule number {n} must be a table ([[rule]] …), found {_kind_of(rule)}")
        if not _is_text(rule.get("id")):
            raise RuleError(None, f"rule number {n} has no id (text in quotes), found {_kind_of(rule.get('id'))}")
    return rules


def _not_calculable(table: object, doc: Document | None) -> dict[int, str]:
    """[not_calculable]: {clause number: why its money is not computed}."""
    if not isinstance(table, dict):
        raise RuleError(None, f"not_calculable must be a table of clause number = reason, found {_kind_of(table)}")
    out: dict[int, str] = {}
    for key, reason in table.items():
        number = int(key) if key.isascii() and key.isdigit() else 0
        if number < 1:
            raise RuleError(None, f'not_calculable: {key!r} is not a clause number (write 14 = "…")')
        if doc is not None and doc.clause(number) is None:
            raise RuleError(None, f"not_calculable: clause {number} is not in the document")
        if not _is_text(reason):
            raise RuleError(None, f"not_calculable: the reason for clause {number} must be text in quotes")
        out[number] = reason
    return out


def check_document_rules(doc: Document) -> None:
    """Check the rules a store carries, as the build checked them, before the calculator uses
    them: a store edited after its build (with its checksum recomputed) may hold a rule that
    names an unknown fact or shape; that is a :class:`RuleError`, never a crash mid-calculation."""
    for rule in doc.rules:
        check_rule(rule, doc)


def load_rules(path: Path, doc: Document | None) -> dict[str, Any]:
    """Read and check the rules file; returns {'rules': [...], 'not_calculable': {...}, ...}."""
    data = _read_toml(path)
    rules = _check_top(data)
    seen: set[str] = set()
    for rule in rules:
        check_rule(rule, doc)
        if rule["id"] in seen:
            raise RuleError(rule["id"], "appears twice")
        seen.add(rule["id"])
        rule.setdefault("valid_from", data.get("default_valid_from"))
        rule.setdefault("valid_to", data.get("default_valid_to"))
        _check_period(rule["id"], "", rule["valid_from"], rule["valid_to"])  # with the defaults
        rule.setdefault("conditions", [])
    return {
        "document_sha256": data.get("document_sha256"),
        "rules": rules,
        "not_calculable": _not_calculable(data.get("not_calculable", {}), doc),
    }
