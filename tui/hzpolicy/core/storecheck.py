"""What a store must hold before the app shows a word of it: types, ranges, references
between tables and unique numbers, checked on every load (a few milliseconds).

A store that fails is never shown half-read: :class:`StoreDamage` names the first problem
by its place in the file (``clauses[14].money[2].start``), and the loader turns it into
one line that also says how to rebuild. The content checksum (see :mod:`.store`) catches
damage this cannot see, such as a changed character in a clause's text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from typing import Any

from .badinput import as_notice
from .i18n import Notice
from .models import SCRIPTS, Clause, Document, Domain

ROLES = frozenset({"budget_line", "ceiling", "threshold", "fixed_award", "rate", "target", "other", "replaced"})
CURRENCIES = frozenset({"CNY", "USD", "HKD"})
# A rate's kind and the units it is written in (a ratio's unit is its colon).
RATE_UNITS = {
    "percent": frozenset({"%"}),
    "multiple": frozenset({"倍"}),
    "discount": frozenset({"折"}),
    "ratio": frozenset({":", "："}),
}
FIRST_YEAR, LAST_YEAR = 1949, 2100
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class StoreDamage(ValueError):
    """A store whose content is not what the build writes; names where (a place in the file,
    ``clauses[14].money[2].start``) and what. ``problem`` and ``notice`` are notices
    (:class:`.i18n.Notice`): English as a ``str``, in the reader's words by ``Locale.say``."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem: Notice = as_notice(problem)
        self.notice = Notice("{where}: {problem}", where=where, problem=self.problem)
        super().__init__(self.notice)


# --- leaves -------------------------------------------------------------------------------------


def _int(value: object, where: str, low: int = 0, high: int = 10**9) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise StoreDamage(where, Notice("expected a whole number, found {found}", found=_kind(value)))
    if not low <= value <= high:
        raise StoreDamage(where, Notice("expected {low} to {high}, found {value}", low=low, high=high, value=value))
    return value


def _str(value: object, where: str, *, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise StoreDamage(where, Notice("expected text, found {found}", found=_kind(value)))
    if not empty and not value.strip():
        raise StoreDamage(where, IS_EMPTY)
    return value


def _strs(value: object, where: str, *, empty: bool = True) -> list[str]:
    items = _list(value, where)
    return [_str(v, f"{where}[{i}]", empty=empty) for i, v in enumerate(items)]


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise StoreDamage(where, Notice("expected a list, found {found}", found=_kind(value)))
    return value


def _obj(value: object, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise StoreDamage(where, Notice("expected an object, found {found}", found=_kind(value)))
    missing = [k for k in keys if k not in value]
    if missing:
        raise StoreDamage(where, Notice("has no {keys}", keys=", ".join(missing)))
    return value


def _decimal(value: object, where: str) -> str:
    text = _str(value, where)
    if not _DECIMAL.fullmatch(text):
        raise StoreDamage(
            where, Notice("expected an exact decimal such as 17710000000, found {value}", value=repr(text))
        )
    return text


def _date(value: object, where: str, *, optional: bool = True) -> date | None:
    if value is None and optional:
        return None
    text = _str(value, where)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise StoreDamage(where, Notice("expected a date YYYY-MM-DD, found {value}", value=repr(text))) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        message = Notice("the year {year} is outside {first}–{last}", year=day.year, first=FIRST_YEAR, last=LAST_YEAR)
        raise StoreDamage(where, message)
    return day


def _one_of(value: object, where: str, allowed: frozenset[str]) -> str:
    text = _str(value, where)
    if text not in allowed:
        raise StoreDamage(
            where,
            Notice("expected one of {allowed}, found {value}", allowed=", ".join(sorted(allowed)), value=repr(text)),
        )
    return text


# How a JSON value is called in a message.
_KINDS = {
    bool: Notice("true/false"),
    int: Notice("a number"),
    float: Notice("a number"),
    str: Notice("text"),
    list: Notice("a list"),
    dict: Notice("an object"),
}
IS_EMPTY = Notice("is empty")


def _kind(value: object) -> str:
    return Notice("null") if value is None else _KINDS.get(type(value), type(value).__name__)


# --- records ------------------------------------------------------------------------------------

_FIGURE_KEYS = ("text", "number", "unit", "start", "end", "role", "context")


def _figure(value: object, where: str, line: str, money: bool) -> None:
    rec = _obj(value, where, _FIGURE_KEYS + (("currency",) if money else ("percent", "kind")))
    text = _str(rec["text"], f"{where}.text", empty=False)
    _decimal(rec["number"], f"{where}.number")
    _str(rec["unit"], f"{where}.unit", empty=False)
    start = _int(rec["start"], f"{where}.start", 0, len(line))
    end = _int(rec["end"], f"{where}.end", start + 1, len(line))
    if line[start:end] != text:
        raise StoreDamage(
            where, Notice("{text} is not at {start}–{end} of its clause", text=repr(text), start=start, end=end)
        )
    _one_of(rec["role"], f"{where}.role", ROLES)
    _str(rec["context"], f"{where}.context")
    if not money:
        _decimal(rec["percent"], f"{where}.percent")
        kind = _one_of(rec["kind"], f"{where}.kind", frozenset(RATE_UNITS))
        _one_of(rec["unit"], f"{where}.unit", RATE_UNITS[kind])
        return
    currency = _one_of(rec["currency"], f"{where}.currency", CURRENCIES)
    amount = {"CNY": "yuan", "USD": "usd", "HKD": "hkd"}[currency]
    if amount not in rec:
        raise StoreDamage(where, Notice("a {currency} figure has no {amount}", currency=currency, amount=amount))
    _decimal(rec[amount], f"{where}.{amount}")


def _alignment(value: object, where: str) -> None:
    for i, run in enumerate(_list(value, where)):
        triple = _list(run, f"{where}[{i}]")
        if len(triple) != 3:
            raise StoreDamage(f"{where}[{i}]", Notice("expected [output start, source start, length]"))
        for j, n in enumerate(triple):
            _int(n, f"{where}[{i}][{j}]")


def _clause(rec: dict[str, Any], where: str, domains: int) -> None:
    _int(rec["domain"], f"{where}.domain", 1, domains)
    text = _str(rec["text"], f"{where}.text", empty=False)
    body = _str(rec["body"], f"{where}.body", empty=False)
    if body not in text:
        raise StoreDamage(f"{where}.body", Notice("is not part of the clause's text"))
    for name in ("title", "title_simplified", "body_simplified"):
        _str(rec[name], f"{where}.{name}", empty=False)
    for name in ("search_key", "search_title_key", "search_units_key"):
        _str(rec[name], f"{where}.{name}")
    _strs(rec["units"], f"{where}.units", empty=False)
    _strs(rec["units_simplified"], f"{where}.units_simplified", empty=False)
    _int(rec["line"], f"{where}.line")
    for i, m in enumerate(_list(rec["money"], f"{where}.money")):
        _figure(m, f"{where}.money[{i}]", text, money=True)
    for i, p in enumerate(_list(rec["percentages"], f"{where}.percentages")):
        _figure(p, f"{where}.percentages[{i}]", text, money=False)
    _alignment(rec["key_to_simp"], f"{where}.key_to_simp")
    _alignment(rec["simp_to_body"], f"{where}.simp_to_body")
    start = _date(rec["valid_from"], f"{where}.valid_from")
    end = _date(rec["valid_to"], f"{where}.valid_to")
    if start and end and end < start:
        raise StoreDamage(f"{where}.valid_to", Notice("the validity period is incomplete or ends before it starts"))


def _domain(rec: dict[str, Any], where: str, clauses: Mapping[int, dict[str, Any]]) -> tuple[int, int]:
    for name in ("title", "title_simplified"):
        _str(rec[name], f"{where}.{name}", empty=False)
    for name in ("intro", "intro_simplified"):
        _str(rec[name], f"{where}.{name}")
    for name in (
        "lead_agencies",
        "lead_agencies_simplified",
        "partner_agencies",
        "partner_agencies_simplified",
        "targets",
        "targets_simplified",
    ):
        _strs(rec[name], f"{where}.{name}")
    _int(rec["line"], f"{where}.line")
    first = _int(rec["first_clause"], f"{where}.first_clause", 1, len(clauses))
    last = _int(rec["last_clause"], f"{where}.last_clause", first, len(clauses))
    if rec["budget"] is not None:
        budget = _obj(rec["budget"], f"{where}.budget", ("text", "yuan", "clause", "year"))
        _str(budget["text"], f"{where}.budget.text", empty=False)
        _decimal(budget["yuan"], f"{where}.budget.yuan")
        if type(budget["clause"]) is not int or budget["clause"] != 0:  # 0: stated in the domain's introduction
            _int(budget["clause"], f"{where}.budget.clause", first, last)
        _int(budget["year"], f"{where}.budget.year", FIRST_YEAR, LAST_YEAR)
    return first, last


def _document(rec: dict[str, Any], where: str) -> None:
    for name in ("title", "title_simplified"):
        _str(rec[name], f"{where}.{name}", empty=False)
    for name in ("preamble", "preamble_simplified"):
        _str(rec[name], f"{where}.{name}")
    for name in ("closing", "closing_simplified"):
        _strs(rec[name], f"{where}.{name}")
    for name in ("published", "source_line", "issuer", "number"):
        if rec[name] is not None:
            _str(rec[name], f"{where}.{name}")
    _date(rec["published"], f"{where}.published")
    start = _date(rec["valid_from"], f"{where}.valid_from")
    end = _date(rec["valid_to"], f"{where}.valid_to")
    # One end may be unstated (自2025年1月1日起施行 gives no end; 自印发之日起 on a page without
    # a date gives no start); a period never ends before it starts.
    if start and end and end < start:
        raise StoreDamage(f"{where}.valid_to", Notice("the validity period is incomplete or ends before it starts"))
    if rec["total_budget"] is not None:
        total = _obj(rec["total_budget"], f"{where}.total_budget", ("text", "yuan", "currency"))
        _str(total["text"], f"{where}.total_budget.text", empty=False)
        _decimal(total["yuan"], f"{where}.total_budget.yuan")
        _one_of(total["currency"], f"{where}.total_budget.currency", CURRENCIES)
    _one_of(rec["source_script"], f"{where}.source_script", frozenset(SCRIPTS))
    if not _HEX64.fullmatch(_str(rec["source_sha256"], f"{where}.source_sha256")):
        raise StoreDamage(f"{where}.source_sha256", Notice("expected a SHA-256 in hex"))


def _rule(rec: object, where: str, clauses: int) -> None:
    rule = _obj(rec, where, ("id", "clause", "title", "quote", "kind", "frequency", "exact", "formula"))
    for name in ("id", "title", "quote", "kind", "frequency"):
        _str(rule[name], f"{where}.{name}", empty=False)
    _int(rule["clause"], f"{where}.clause", 1, clauses)
    if not isinstance(rule["exact"], bool):
        raise StoreDamage(f"{where}.exact", Notice("expected true/false, found {found}", found=_kind(rule["exact"])))
    _obj(rule["formula"], f"{where}.formula", ("shape",))
    for i, cond in enumerate(_list(rule.get("conditions", []), f"{where}.conditions")):
        _obj(cond, f"{where}.conditions[{i}]", ("fact",))
    for name in ("valid_from", "valid_to"):
        _date(rule.get(name), f"{where}.{name}")


# --- the whole store ----------------------------------------------------------------------------


def _numbered(rows: list[dict[str, Any]], table: str, keys: tuple[str, ...]) -> dict[int, dict[str, Any]]:
    """Records holding ``keys``, with a ``number`` that runs 1, 2, 3 … without a gap or a repeat."""
    out: dict[int, dict[str, Any]] = {}
    for i, row in enumerate(rows, 1):
        _obj(row, f"{table}[{i}]", keys)
        n = _int(row.get("number"), f"{table}[{i}].number", 1)
        if n in out:
            raise StoreDamage(f"{table}[{i}].number", Notice("{value} appears twice", value=n))
        if n != i:
            raise StoreDamage(f"{table}[{i}].number", Notice("expected {expected}, found {found}", expected=i, found=n))
        out[n] = row
    return out


# What each table's records hold: the dataclasses' fields, in their declared order (the
# store writes exactly these; the document's nested parts are tables of their own).
CLAUSE_FIELDS = tuple(f.name for f in fields(Clause))
DOMAIN_FIELDS = tuple(f.name for f in fields(Domain))
DOC_TABLES = ("domains", "clauses", "rules", "not_calculable", "agency_aliases")
DOC_FIELDS = tuple(f.name for f in fields(Document) if f.name not in DOC_TABLES)


def check_tables(tables: Mapping[str, list[dict[str, Any]]]) -> None:
    """Check every table of a store; raises :class:`StoreDamage` at the first problem."""
    docs = tables["document"]
    if len(docs) != 1:
        raise StoreDamage("document", Notice("expected one record, found {count}", count=len(docs)))
    _document(_obj(docs[0], "document", DOC_FIELDS), "document")
    clauses = _numbered(tables["clauses"], "clauses", CLAUSE_FIELDS)
    domains = _numbered(tables["domains"], "domains", DOMAIN_FIELDS)
    if not clauses or not domains:
        raise StoreDamage("clauses" if not clauses else "domains", IS_EMPTY)
    for n, rec in clauses.items():
        _clause(rec, f"clauses[{n}]", len(domains))
    _check_domains(domains, clauses)
    _check_side_tables(tables, len(clauses))


def _check_domains(domains: dict[int, dict[str, Any]], clauses: dict[int, dict[str, Any]]) -> None:
    """Domains cover the clauses in order, each clause once, and each clause names its domain."""
    expected_first = 1
    for n, rec in domains.items():
        first, last = _domain(rec, f"domains[{n}]", clauses)
        if first != expected_first:
            message = Notice("expected {expected}, found {found}", expected=expected_first, found=first)
            raise StoreDamage(f"domains[{n}].first_clause", message)
        for c in range(first, last + 1):
            if clauses[c]["domain"] != n:
                message = Notice(
                    "expected {domain} (domain {domain} runs {first}–{last})", domain=n, first=first, last=last
                )
                raise StoreDamage(f"clauses[{c}].domain", message)
        expected_first = last + 1
    if expected_first != len(clauses) + 1:
        message = Notice("clauses {first}–{last} belong to no domain", first=expected_first, last=len(clauses))
        raise StoreDamage("domains", message)


def _check_side_tables(tables: Mapping[str, list[dict[str, Any]]], clauses: int) -> None:
    ids: set[str] = set()
    for i, rule in enumerate(tables["rules"], 1):
        _rule(rule, f"rules[{i}]", clauses)
        if rule["id"] in ids:
            raise StoreDamage(f"rules[{i}].id", Notice("{value} appears twice", value=repr(rule["id"])))
        ids.add(rule["id"])
    for i, row in enumerate(tables["not_calculable"], 1):
        rec = _obj(row, f"not_calculable[{i}]", ("clause", "reason"))
        _int(rec["clause"], f"not_calculable[{i}].clause", 1, clauses)
        _str(rec["reason"], f"not_calculable[{i}].reason", empty=False)
    for i, row in enumerate(tables["agency_aliases"], 1):
        rec = _obj(row, f"agency_aliases[{i}]", ("name", "aliases"))
        _str(rec["name"], f"agency_aliases[{i}].name", empty=False)
        _strs(rec["aliases"], f"agency_aliases[{i}].aliases", empty=False)
        _str(rec.get("note", ""), f"agency_aliases[{i}].note")


def check_meta(meta: object, schema_version: int) -> dict[str, Any]:
    """The meta record: this program's schema version (a number, not ``true``) and counts."""
    rec = _obj(meta, "meta", ("schema_version", "counts"))
    version = rec["schema_version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise StoreDamage("meta.schema_version", Notice("expected a number, found {found}", found=_kind(version)))
    if version == schema_version:
        counts = _obj(rec["counts"], "meta.counts", ("domains", "clauses"))
        _int(counts["domains"], "meta.counts.domains")
        _int(counts["clauses"], "meta.counts.clauses")
    return rec
