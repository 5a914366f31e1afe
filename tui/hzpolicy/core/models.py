"""The document as plain data: a policy package, its domains and its clauses.

Each text the reader sees exists in both scripts: the source's (Traditional) and the
Simplified one prepared at build time. Code never picks between them by hand; it asks the
record for the text in a :data:`Script` (``clause.title_in(script)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal, NotRequired, TypedDict

from .numerals import to_numeral

Script = Literal["traditional", "simplified"]
SCRIPTS: tuple[Script, ...] = ("traditional", "simplified")
DEFAULT_SCRIPT: Script = "traditional"

# What a page is of, and what a line opens: the document, a domain or a clause (by number).
Target = tuple[Literal["document", "domain", "clause"], int]
DOCUMENT: Target = ("document", 0)


def as_script(value: object) -> Script:
    """A stored or typed script name; anything else is the default (the source's script)."""
    return "simplified" if value == "simplified" else DEFAULT_SCRIPT


def other_script(script: Script) -> Script:
    return "traditional" if script == "simplified" else "simplified"


# --- Records the build extracts (stored as JSON objects) --------------------------------------


class MoneyRecord(TypedDict):
    """A money figure in a clause: "177.1億元" with its exact value and what it is."""

    text: str
    number: str
    unit: str
    start: int  # offsets in the clause's source line
    end: int
    role: str  # budget_line, ceiling, threshold, fixed_award, rate, target, replaced, other
    context: str
    currency: str  # CNY, USD or HKD
    yuan: NotRequired[str]  # exact decimal string, for CNY
    usd: NotRequired[str]  # for USD
    hkd: NotRequired[str]  # for HKD


class PercentRecord(TypedDict):
    """A rate in a clause: "5%", or one written without %: "2倍" (a multiple), "六五折" (a
    discount), "1:1" (a ratio). ``percent`` is the percent of its base it states, exactly:
    5, 200, 65 (pays 65%: 35% off), 100; ``number`` is the figure in its own unit: 5, 2, 6.5, 1."""

    text: str
    number: str
    unit: str  # %, 倍, 折, or the ratio's colon as written (: or ：)
    start: int
    end: int
    role: str
    context: str
    percent: str
    kind: str  # percent, multiple, discount, ratio


class BudgetRecord(TypedDict):
    """A domain's budget: {"yuan": "17710000000", "text": "177.1億元", "clause": 2, "year": 2024}."""

    text: str
    yuan: str
    clause: int
    year: int


class TotalRecord(TypedDict):
    text: str
    yuan: str
    currency: str


class AliasRecord(TypedDict):
    """One body the document names in several ways (reviewed by hand)."""

    name: str
    aliases: list[str]
    note: str


# A calculator rule as written in the rules file (checked by :mod:`.rules` at build time).
Rule = dict[str, Any]


def record_amount(record: MoneyRecord) -> Decimal:
    """The exact amount of a money record, in its own currency (yuan, US or Hong Kong dollars)."""
    for key in ("yuan", "usd", "hkd"):
        if key in record:
            return Decimal(record[key])
    raise KeyError(f"money record {record['text']!r} has no amount")


def amount_key(record: MoneyRecord) -> tuple[Decimal, str]:
    """(amount, currency): what makes two money figures the same sum."""
    return record_amount(record), record["currency"]


def validity_status(valid_from: str | None, valid_to: str | None, today: date) -> str:
    """ "in_force", "expired", "not_yet", or "unknown" (no period stated) for a period of ISO
    dates. An open end (自2025年1月1日起施行, no end stated) is in force from its start on."""
    if not valid_from and not valid_to:
        return "unknown"
    if valid_from and today < date.fromisoformat(valid_from):
        return "not_yet"
    if valid_to and today > date.fromisoformat(valid_to):
        return "expired"
    return "in_force"


# Whose money a document's budgets are, in its own words: 市财政, 区级财政, 县财政 ...
_BUDGET_LEVEL_RE = re.compile(r"(?P<level>市|區|区|縣|县|省|鎮|镇)[級级]?[財财]政")
_BUDGET_LEVELS = {"市": "city", "區": "district", "区": "district", "縣": "county", "县": "county", "省": "province"}


# --- The document ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    number: int
    domain: int
    title: str  # Traditional (as in the source)
    text: str  # the clause's line exactly as in the source, e.g. "(十四)更大力度…(責任單位:…)"
    body: str  # the text between the numeral and the (責任單位…) tail
    units: tuple[str, ...]
    money: tuple[MoneyRecord, ...] = ()
    percentages: tuple[PercentRecord, ...] = ()
    line: int = 0
    # Prepared at build time so nothing large is converted at start-up.
    title_simplified: str = ""
    body_simplified: str = ""
    units_simplified: tuple[str, ...] = ()
    search_key: str = ""
    search_title_key: str = ""
    search_units_key: str = ""
    key_to_simp: tuple[tuple[int, int, int], ...] = ()  # run-length alignment: search_key -> body_simplified
    simp_to_body: tuple[tuple[int, int, int], ...] = ()  # run-length alignment: body_simplified -> body
    # The clause's own period where its text states one (有效期至2025年6月30日), ISO dates;
    # None: the document's validity applies.
    valid_from: str | None = None
    valid_to: str | None = None

    @property
    def numeral(self) -> str:
        return to_numeral(self.number)

    @property
    def label(self) -> str:
        return f"({self.numeral})"

    def title_in(self, script: Script) -> str:
        return self.title_simplified if script == "simplified" else self.title

    def body_in(self, script: Script) -> str:
        return self.body_simplified if script == "simplified" else self.body

    def units_in(self, script: Script) -> tuple[str, ...]:
        return self.units_simplified if script == "simplified" else self.units


@dataclass(frozen=True)
class Domain:
    number: int
    title: str
    lead_agencies: tuple[str, ...]
    intro: str
    targets: tuple[str, ...]
    first_clause: int
    last_clause: int
    budget: BudgetRecord | None = None
    line: int = 0
    title_simplified: str = ""
    lead_agencies_simplified: tuple[str, ...] = ()
    intro_simplified: str = ""
    targets_simplified: tuple[str, ...] = ()
    # Agencies that work with the lead (（由市建委牵头，市财政局配合）), in the source's script.
    partner_agencies: tuple[str, ...] = ()
    partner_agencies_simplified: tuple[str, ...] = ()

    @property
    def numeral(self) -> str:
        return to_numeral(self.number)

    @property
    def clause_numbers(self) -> range:
        return range(self.first_clause, self.last_clause + 1)

    def title_in(self, script: Script) -> str:
        return self.title_simplified if script == "simplified" else self.title

    def lead_agencies_in(self, script: Script) -> tuple[str, ...]:
        return self.lead_agencies_simplified if script == "simplified" else self.lead_agencies

    def partner_agencies_in(self, script: Script) -> tuple[str, ...]:
        return self.partner_agencies_simplified if script == "simplified" else self.partner_agencies

    def intro_in(self, script: Script) -> str:
        return self.intro_simplified if script == "simplified" else self.intro

    def targets_in(self, script: Script) -> tuple[str, ...]:
        return self.targets_simplified if script == "simplified" else self.targets


@dataclass(frozen=True)
class Document:
    title: str
    preamble: str
    closing: tuple[str, ...]
    published: str | None  # ISO date of the publication line, if the page had one
    source_line: str | None
    valid_from: str | None
    valid_to: str | None
    total_budget: TotalRecord | None
    domains: tuple[Domain, ...]
    clauses: tuple[Clause, ...]
    title_simplified: str = ""
    preamble_simplified: str = ""
    closing_simplified: tuple[str, ...] = ()
    source_sha256: str = ""
    rules: tuple[Rule, ...] = ()  # calculator rules checked against this document at build time
    not_calculable: tuple[tuple[int, str], ...] = ()  # (clause, reason): money but nothing to compute
    agency_aliases: tuple[AliasRecord, ...] = ()
    issuer: str | None = None  # who issued it, where the page says (杭州市人民政府), in the source's script
    number: str | None = None  # the document number (文号) where the header gives it: 杭政函〔2024〕16号
    # The script the source was written in. The plain fields hold Traditional text and the
    # *_simplified ones Simplified; for a Simplified original, those are the original as it is.
    source_script: Script = DEFAULT_SCRIPT

    @cached_property
    def clause_index(self) -> dict[int, Clause]:
        """Clauses by number, derived from ``clauses`` (so ``replace()`` never carries a stale one)."""
        return {c.number: c for c in self.clauses}

    @cached_property
    def budget_level(self) -> str | None:
        """Whose budget the document states, as its own words say (市财政 / 区级财政 / 县财政):
        "city", "district", "county", "province", "town"; None when it names none (a package
        stating no budgets, or 财政 with no level)."""
        texts = [*self.closing, *(d.intro for d in self.domains), *(c.body for c in self.clauses)]
        for text in texts:
            m = _BUDGET_LEVEL_RE.search(text)
            if m is not None:
                return _BUDGET_LEVELS.get(m["level"], "town")
        return None

    @property
    def city_budget(self) -> bool:
        """Whether its budgets are a city's (the interface then says 市财政), as the shipped
        package's are; another level's, or none named, is said without a level."""
        return self.budget_level in ("city", None)

    def clause(self, number: int) -> Clause | None:
        return self.clause_index.get(number)

    def require(self, number: int) -> Clause:
        """A clause the document itself refers to (a budget's clause, a domain's range);
        a missing one means the store is inconsistent, a :class:`LookupError`."""
        clause = self.clause_index.get(number)
        if clause is None:
            raise LookupError(f"the document refers to clause {number}, which it does not have")
        return clause

    def domain_of(self, clause: Clause) -> Domain:
        return self.domains[clause.domain - 1]

    def title_in(self, script: Script) -> str:
        return self.title_simplified if script == "simplified" else self.title

    def preamble_in(self, script: Script) -> str:
        return self.preamble_simplified if script == "simplified" else self.preamble

    def closing_in(self, script: Script) -> tuple[str, ...]:
        return self.closing_simplified if script == "simplified" else self.closing

    def validity_status(self, today: date) -> str:
        """ "in_force", "expired", "not_yet", or "unknown" for the document's default validity."""
        return validity_status(self.valid_from, self.valid_to, today)
