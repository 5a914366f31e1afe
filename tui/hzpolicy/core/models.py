"""The document as plain data: a policy package, its domains and its clauses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .numerals import to_numeral


@dataclass(frozen=True)
class Clause:
    number: int
    domain: int
    title: str  # Traditional (as in the source)
    text: str  # the clause's line exactly as in the source, e.g. "(十四)更大力度…(責任單位:…)"
    body: str  # the text between the numeral and the (責任單位…) tail
    units: tuple[str, ...]
    money: tuple[dict, ...] = ()
    percentages: tuple[dict, ...] = ()
    line: int = 0
    # Prepared at build time so nothing large is converted at start-up.
    title_simplified: str = ""
    body_simplified: str = ""
    units_simplified: tuple[str, ...] = ()
    search_key: str = ""
    search_title_key: str = ""
    search_units_key: str = ""
    key_to_simp: tuple = ()  # run-length alignment: search_key -> body_simplified
    simp_to_body: tuple = ()  # run-length alignment: body_simplified -> body

    @property
    def numeral(self) -> str:
        return to_numeral(self.number)

    @property
    def label(self) -> str:
        return f"({self.numeral})"


@dataclass(frozen=True)
class Domain:
    number: int
    title: str
    lead_agencies: tuple[str, ...]
    intro: str
    targets: tuple[str, ...]
    first_clause: int
    last_clause: int
    budget: dict | None = None  # {"yuan": "17710000000", "text": "177.1億元", "clause": 2}
    line: int = 0
    title_simplified: str = ""
    lead_agencies_simplified: tuple[str, ...] = ()
    intro_simplified: str = ""
    targets_simplified: tuple[str, ...] = ()

    @property
    def numeral(self) -> str:
        return to_numeral(self.number)

    @property
    def clause_numbers(self) -> range:
        return range(self.first_clause, self.last_clause + 1)


@dataclass(frozen=True)
class Document:
    title: str
    preamble: str
    closing: tuple[str, ...]
    published: str | None  # ISO date of the publication line, if the page had one
    source_line: str | None
    valid_from: str | None
    valid_to: str | None
    total_budget: dict | None
    domains: tuple[Domain, ...]
    clauses: tuple[Clause, ...]
    title_simplified: str = ""
    preamble_simplified: str = ""
    closing_simplified: tuple[str, ...] = ()
    source_sha256: str = ""
    rules: tuple = ()  # calculator rules (dicts) checked against this document at build time
    not_calculable: tuple = ()  # (clause, reason) for clauses with money but nothing to compute
    agency_aliases: tuple = ()  # reviewed {name, aliases, note} records
    clause_index: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.clause_index.update({c.number: c for c in self.clauses})

    def clause(self, number: int) -> Clause | None:
        return self.clause_index.get(number)

    def domain_of(self, clause: Clause) -> Domain:
        return self.domains[clause.domain - 1]

    def validity_status(self, today: date) -> str:
        """ "in_force", "expired" or "not_yet" for the document's default validity."""
        if not self.valid_from or not self.valid_to:
            return "unknown"
        if today < date.fromisoformat(self.valid_from):
            return "not_yet"
        if today > date.fromisoformat(self.valid_to):
            return "expired"
        return "in_force"
