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

from .badinput import as_notice, toml_problem
from .calculator import COMPARISONS, SHAPES, Formula, Shape
from .facts import DERIVED, FACTS
from .files import os_reason
from .i18n import Notice
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
    the rule (``rule`` is None for a problem of the file as a whole). ``message`` and
    ``notice`` (with the rule) are notices (:class:`.i18n.Notice`): English as a ``str``, in the
    reader's words by ``Locale.say``."""

    def __init__(self, rule: str | None, message: str) -> None:
        self.rule = rule
        self.message: Notice = as_notice(message)
        self.notice: Notice = (
            Notice("rule {rule}: {problem}", rule=rule, problem=self.message) if rule is not None else self.message
        )
        super().__init__(self.notice)


# A rule's name in a message when it has no id of its own.
NO_ID = Notice("(no id)")


# What a rules file holds at its top level; the fields of a rule that hold text.
_TOP_KEYS = ("document_sha256", "default_valid_from", "default_valid_to", "rule", "not_calculable")
_TEXT = ("id", "title", "quote", "kind", "frequency")
_OPTIONAL_TEXT = ("approval", "group")


def _kind_of(value: object) -> Notice:
    """How a TOML value is called in a message."""
    if isinstance(value, bool):
        return Notice("true/false")
    if isinstance(value, int | float):
        return Notice("the number {value}", value=value)
    if isinstance(value, str):
        return Notice("the text {value}", value=repr(value[:40]))
    if isinstance(value, list):
        return Notice("an array")
    if isinstance(value, dict):
        return Notice("a table")
    return Notice("a date or time ({value})", value=value)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_date(rid: str | None, where: str, value: object) -> None:
    """A validity date: "YYYY-MM-DD" text (in quotes), a real day in 1949–2100."""
    if not isinstance(value, str):
        found = _kind_of(value)
        raise RuleError(
            rid, Notice('{key} must be a date in quotes such as "2024-01-01", found {found}', key=where, found=found)
        )
    try:
        day = date.fromisoformat(value)
    except ValueError:
        message = Notice(
            '{key} {value} is not a date (write YYYY-MM-DD, such as "2024-01-01")', key=where, value=repr(value)
        )
        raise RuleError(rid, message) from None
    if not (FIRST_YEAR <= day.year <= LAST_YEAR and len(value) == 10):
        message = Notice(
            "{key} {value} is not a date YYYY-MM-DD in {first}–{last}",
            key=where,
            value=repr(value),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
        raise RuleError(rid, message)


def _check_period(rid: str | None, where: str, start: object, end: object) -> None:
    """Validity dates (each optional): real days, the period not ending before it starts."""
    for name, value in (("valid_from", start), ("valid_to", end)):
        if value is not None:
            _check_date(rid, f"{where}{name}", value)
    if isinstance(start, str) and isinstance(end, str) and end < start:
        message = Notice(
            "{end_key} {end} is before {start_key} {start}",
            end_key=where + "valid_to",
            end=end,
            start_key=where + "valid_from",
            start=start,
        )
        raise RuleError(rid, message)


def _no_dates(rid: str | None, where: str, value: object) -> None:
    """TOML reads an unquoted 2024-01-01 as a date, which the store cannot hold: refuse it."""
    if isinstance(value, date | time):
        raise RuleError(
            rid, Notice("{key} is an unquoted date or time ({value}): write it in quotes", key=where, value=value)
        )
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
    rid = rule["id"] if _is_text(rule.get("id")) else NO_ID
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
            raise RuleError(rid, Notice("{key}: {problem}", key=where, problem=_said(exc))) from None
        if text not in quote:
            raise RuleError(
                rid, Notice("{key} uses {value}, which its quote does not state", key=where, value=repr(text))
            )
    for cond in rule.get("conditions", []):
        if "value" in cond:
            _check_threshold(rid, cond, quote)


def _check_form(rid: str, rule: Rule) -> None:
    for key in _REQUIRED:
        if key not in rule:
            raise RuleError(rid, Notice("has no {key}", key=repr(key)))
    _check_types(rid, rule)
    if rule["kind"] not in KINDS:
        raise RuleError(
            rid, Notice("kind {value} is not one of {kinds}", value=repr(rule["kind"]), kinds=", ".join(KINDS))
        )
    if rule["frequency"] not in FREQUENCIES:
        raise RuleError(rid, Notice("frequency {value} is not once or yearly", value=repr(rule["frequency"])))


def _check_types(rid: str, rule: Rule) -> None:
    """Each field of a rule holds what it must: text, a clause number, true/false, a table."""
    _no_dates(rid, "", rule)
    for key in (*_TEXT, *(k for k in _OPTIONAL_TEXT if k in rule)):
        if not _is_text(rule[key]):
            raise RuleError(
                rid, Notice("{key} must be text in quotes, found {found}", key=key, found=_kind_of(rule[key]))
            )
    clause = rule["clause"]
    if not isinstance(clause, int) or isinstance(clause, bool) or clause < 1:
        raise RuleError(rid, Notice("clause must be a clause number such as 14, found {found}", found=_kind_of(clause)))
    if not isinstance(rule["exact"], bool):
        raise RuleError(rid, Notice("exact must be true or false, found {found}", found=_kind_of(rule["exact"])))
    if not isinstance(rule["formula"], dict):
        message = Notice(
            "formula must be a table {example}, found {found}",
            example="{ shape = …, … }",
            found=_kind_of(rule["formula"]),
        )
        raise RuleError(rid, message)
    conditions = rule.get("conditions", [])
    if not isinstance(conditions, list) or not all(isinstance(c, dict) for c in conditions):
        message = Notice(
            "conditions must be an array of tables such as {example}", example='[{ fact = "…", equals = true }]'
        )
        raise RuleError(rid, message)
    _check_period(rid, "", rule.get("valid_from"), rule.get("valid_to"))


def _check_formula(rid: str, formula: Formula) -> Shape:
    """The formula's shape, once every fact it names is known."""
    name = formula.get("shape")
    shape = SHAPES.get(name) if isinstance(name, str) else None
    if shape is None:
        message = Notice("formula shape {shape} is not one of {shapes}", shape=repr(name), shapes=", ".join(SHAPES))
        raise RuleError(rid, message)
    for field in shape.facts:
        fact = formula.get(field)
        if not _known(fact):
            raise RuleError(rid, Notice("{key} names an unknown fact {fact}", key="formula." + field, fact=repr(fact)))
    extra = sorted(set(formula) - shape.fields - {"shape"})
    if extra:
        message = Notice(
            "formula holds {keys}, which a {shape} formula does not use", keys=", ".join(extra), shape=name
        )
        raise RuleError(rid, message)
    missing = [f for f in shape.numbers + shape.tables if f not in formula and f not in shape.optional]
    if missing:
        raise RuleError(rid, Notice("a {shape} formula needs {keys}", shape=name, keys=", ".join(missing)))
    for field in shape.numbers:
        if field in formula and not _is_text(formula[field]):
            message = Notice('{key} must be a quantity in quotes such as "200萬元"', key="formula." + field)
            raise RuleError(rid, message)
    for field in shape.tables:
        table = formula.get(field, {})
        if not isinstance(table, dict) or not all(_is_text(v) for v in table.values()):
            message = Notice(
                '{key} must be a table of quantities in quotes: {{ A = "200萬元" }}', key="formula." + field
            )
            raise RuleError(rid, message)
    return shape


def _check_conditions(rid: str, conditions: list[dict[str, Any]]) -> None:
    for cond in conditions:
        name = cond.get("fact")
        if not _known(name):
            raise RuleError(rid, Notice("a condition names an unknown fact {fact}", fact=repr(name)))
        tests = [key for key in ("equals", "one_of", "value") if key in cond]
        if len(tests) != 1:
            message = Notice("the condition on {fact} must have one of equals, one_of or value (with op)", fact=name)
            raise RuleError(rid, message)
        if "one_of" in cond and not isinstance(cond["one_of"], list):
            raise RuleError(rid, Notice("the condition on {fact}: one_of must be an array", fact=name))
        if "value" in cond:
            _check_value(rid, name, cond)
        if "op" in cond and cond["op"] not in OPS:
            raise RuleError(
                rid, Notice("condition op {op} is not one of {ops}", op=repr(cond["op"]), ops=" ".join(OPS))
            )


def _check_value(rid: str, name: object, cond: dict[str, Any]) -> None:
    """A threshold condition: its value a quantity the calculator reads, its words text, an op."""
    for key in ("value", "words"):
        if key in cond and not _is_text(cond[key]):
            message = Notice(
                "the condition on {fact}: {key} must be text in quotes, found {found}",
                fact=name,
                key=key,
                found=_kind_of(cond[key]),
            )
            raise RuleError(rid, message)
    try:
        parse_quantity(cond["value"])
    except ValueError as exc:
        raise RuleError(rid, Notice("the condition on {fact}: {problem}", fact=name, problem=_said(exc))) from None
    if "op" not in cond:
        raise RuleError(
            rid, Notice("the condition on {fact} has a value but no op ({ops})", fact=name, ops=" ".join(OPS))
        )


def _check_quote(rid: str, number: int, quote: str, doc: Document) -> None:
    clause = doc.clause(number)
    if clause is None:
        raise RuleError(rid, Notice("clause {number} is not in the document", number=number))
    if quote not in clause.text:
        message = Notice(
            "its quote is not verbatim in clause {number}: {quote}...", number=number, quote=repr(quote[:40])
        )
        raise RuleError(rid, message)


def _check_threshold(rid: str, cond: dict[str, Any], quote: str) -> None:
    """A condition's number is stated by the quote, in the words the condition gives."""
    words = cond.get("words", cond["value"])
    if words not in quote:
        message = Notice(
            "the condition on {fact} rests on {words}, which its quote does not state",
            fact=cond["fact"],
            words=repr(words),
        )
        raise RuleError(rid, message)
    if not _number_in(cond["value"], words):
        message = Notice(
            "the condition value {value} is not the number in {words}", value=repr(cond["value"]), words=repr(words)
        )
        raise RuleError(rid, message)


def _said(exc: ValueError) -> Notice:
    """What a ValueError of :func:`.quantity.parse_quantity` says (it says it with a notice)."""
    return as_notice(exc.args[0] if exc.args else str(exc))


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
        message = Notice("cannot read the rules file {path}: {why}", path=path, why=os_reason(exc))
        raise RuleError(None, message) from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        message = Notice(
            "the rules file {path} is binary (a NUL byte at line {line}): expected TOML text", path=path, line=line
        )
        raise RuleError(None, message)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = Notice(
            "the rules file {path} is not UTF-8 text (line {line}): save it as UTF-8", path=path, line=line
        )
        raise RuleError(None, message) from None
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except RecursionError:
        message = Notice("the rules file {path} is nested far too deeply to be a rules file", path=path)
        raise RuleError(None, message) from None
    except tomllib.TOMLDecodeError as exc:
        message = Notice("the rules file {path} is not valid TOML: {problem}", path=path, problem=toml_problem(exc))
        raise RuleError(None, message) from None


def _check_top(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The file's top level has the keys and types a rules file has; returns its rules."""
    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        message = Notice(
            "unknown key {keys} (a rules file holds {known})", keys=", ".join(unknown), known=", ".join(_TOP_KEYS)
        )
        raise RuleError(None, message)
    sha = data.get("document_sha256")
    if sha is not None and not isinstance(sha, str):
        raise RuleError(
            None, Notice("{key} must be text in quotes, found {found}", key="document_sha256", found=_kind_of(sha))
        )
    _check_period(None, "default_", data.get("default_valid_from"), data.get("default_valid_to"))
    rules = data.get("rule", [])
    if not isinstance(rules, list):
        raise RuleError(
            None, Notice("rule must be an array of tables ([[rule]] … ), found {found}", found=_kind_of(rules))
        )
    for n, rule in enumerate(rules, 1):
        if not isinstance(rule, dict):
            message = Notice("rule number {n} must be a table ([[rule]] …), found {found}", n=n, found=_kind_of(rule))
            raise RuleError(None, message)
        if not _is_text(rule.get("id")):
            message = Notice(
                "rule number {n} has no id (text in quotes), found {found}", n=n, found=_kind_of(rule.get("id"))
            )
            raise RuleError(None, message)
    return rules


def _not_calculable(table: object, doc: Document | None) -> dict[int, str]:
    """[not_calculable]: {clause number: why its money is not computed}."""
    if not isinstance(table, dict):
        message = Notice(
            "not_calculable must be a table of clause number = reason, found {found}", found=_kind_of(table)
        )
        raise RuleError(None, message)
    out: dict[int, str] = {}
    for key, reason in table.items():
        number = int(key) if key.isascii() and key.isdigit() else 0
        if number < 1:
            message = Notice('not_calculable: {key} is not a clause number (write 14 = "…")', key=repr(key))
            raise RuleError(None, message)
        if doc is not None and doc.clause(number) is None:
            raise RuleError(None, Notice("not_calculable: clause {number} is not in the document", number=number))
        if not _is_text(reason):
            message = Notice("not_calculable: the reason for clause {number} must be text in quotes", number=number)
            raise RuleError(None, message)
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
            raise RuleError(rule["id"], Notice("appears twice"))
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
