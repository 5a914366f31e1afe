"""What readers ask next: who is in charge, where the money goes, what was promised."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .badinput import as_notice, toml_problem
from .files import os_reason
from .i18n import Notice
from .models import AliasRecord, Document, record_amount
from .money import find_figures, phrase_around, plain

# --- Agencies ---------------------------------------------------------------------------------


class AliasError(ValueError):
    """An agency alias list that cannot be used for the document it was written for.
    ``notice`` says why (:class:`.i18n.Notice`): English as a ``str``, in the reader's words
    by ``Locale.say``."""

    def __init__(self, message: str) -> None:
        self.notice: Notice = as_notice(message)
        super().__init__(self.notice)


def load_aliases(path: Path) -> tuple[str | None, tuple[AliasRecord, ...]]:
    """The reviewed alias list: (the SHA-256 of the document it was written for, its entries).

    Every entry must be a table with a ``name``, a list of ``aliases`` and an optional
    ``note``, all text; anything else is an :class:`AliasError` naming the entry."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise AliasError(Notice("cannot read {path}: {why}", path=path, why=os_reason(exc))) from None
    except UnicodeDecodeError as exc:
        raise AliasError(Notice("{path} is not UTF-8 text (byte {byte})", path=path, byte=exc.start)) from None
    except tomllib.TOMLDecodeError as exc:
        raise AliasError(Notice("{path} is not valid TOML: {problem}", path=path, problem=toml_problem(exc))) from None
    written_for = data.get("document_sha256")
    if written_for is not None and not isinstance(written_for, str):
        raise AliasError(Notice("{path}: document_sha256 must be text", path=path))
    entries = data.get("agency", [])
    if not isinstance(entries, list):
        raise AliasError(Notice("{path}: expected [[agency]] entries", path=path))
    return written_for, tuple(_alias_entry(path, i, entry) for i, entry in enumerate(entries, 1))


def _alias_entry(path: Path, number: int, entry: object) -> AliasRecord:
    if not isinstance(entry, dict):
        raise AliasError(Notice("{path}: agency entry {number} is not a table", path=path, number=number))
    unknown = sorted(set(entry) - {"name", "aliases", "note"})
    if unknown:
        raise AliasError(
            Notice(
                "{path}: agency entry {number} has unknown keys {keys} (expected name, aliases, note)",
                path=path,
                number=number,
                keys=", ".join(unknown),
            )
        )
    name, aliases, note = entry.get("name"), entry.get("aliases", []), entry.get("note", "")
    if not isinstance(name, str) or not name:
        raise AliasError(Notice("{path}: agency entry {number} has no name", path=path, number=number))
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise AliasError(
            Notice(
                "{path}: agency entry {number} ({name}): aliases must be a list of names",
                path=path,
                number=number,
                name=name,
            )
        )
    if not isinstance(note, str):
        raise AliasError(
            Notice("{path}: agency entry {number} ({name}): note must be text", path=path, number=number, name=name)
        )
    return AliasRecord(name=name, aliases=list(aliases), note=note)


def check_aliases(aliases: tuple[AliasRecord, ...], doc: Document) -> None:
    """Every name in the list must occur in the document: the list is data, not guesses."""
    names = {u for c in doc.clauses for u in c.units} | {a for d in doc.domains for a in d.lead_agencies}
    for entry in aliases:
        for name in [entry["name"], *entry["aliases"]]:
            if name not in names:
                raise AliasError(Notice("agency alias list: {name} does not occur in the document", name=repr(name)))


def alias_list_for(path: Path, doc: Document) -> tuple[AliasRecord, ...]:
    """The alias list at ``path`` if it was written for ``doc`` (same SHA-256), checked
    against it; nothing for another document. A list written for ``doc`` that names an
    agency the document does not is an :class:`AliasError`, never silently dropped."""
    written_for, aliases = load_aliases(path)
    if written_for is None:
        raise AliasError(
            Notice("{path}: document_sha256 is missing (the SHA-256 of the document it was written for)", path=path)
        )
    if written_for != doc.source_sha256:
        return ()
    try:
        check_aliases(aliases, doc)
    except AliasError as exc:
        raise AliasError(Notice("{path}: {problem}", path=path, problem=exc.notice)) from None
    return aliases


@dataclass(frozen=True)
class Agency:
    name: str
    aliases: tuple[str, ...]
    clauses: tuple[int, ...]  # named among the responsible units
    leads: tuple[int, ...]  # domains it leads
    note: str = ""

    @property
    def count(self) -> int:
        return len(self.clauses)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "clauses": list(self.clauses),
            "clause_count": self.count,
            "leads_domains": list(self.leads),
            "note": self.note,
        }


def agency_index(doc: Document, aliases: tuple[AliasRecord, ...] = ()) -> list[Agency]:
    """Every responsible and lead agency, variant names merged, most clauses first."""
    canonical = {}
    notes = {}
    for entry in aliases:
        for alias in entry["aliases"]:
            canonical[alias] = entry["name"]
        notes[entry["name"]] = entry.get("note", "")
    clauses: dict[str, list[int]] = {}
    leads: dict[str, list[int]] = {}
    seen_names: dict[str, set[str]] = {}
    for c in doc.clauses:
        for unit in c.units:
            name = canonical.get(unit, unit)
            seen_names.setdefault(name, set()).add(unit)
            if c.number not in clauses.setdefault(name, []):
                clauses[name].append(c.number)
    for d in doc.domains:
        for lead in d.lead_agencies:
            name = canonical.get(lead, lead)
            seen_names.setdefault(name, set()).add(lead)
            leads.setdefault(name, []).append(d.number)
            clauses.setdefault(name, [])
    out = [
        Agency(
            name,
            tuple(sorted(seen_names[name] - {name})),
            tuple(clauses[name]),
            tuple(leads.get(name, ())),
            notes.get(name, ""),
        )
        for name in clauses
    ]
    out.sort(key=lambda a: (-a.count, -len(a.leads), a.name))
    return out


# --- Money and percentages -----------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    clause: int
    text: str
    kind: str  # money, percent
    value: Decimal  # yuan (or dollars), or the percentage
    currency: str | None
    role: str
    context: str
    start: int  # offsets in the clause's text line
    end: int

    def to_json(self) -> dict[str, object]:
        return {
            "clause": self.clause,
            "text": self.text,
            "kind": self.kind,
            "value": plain(self.value),
            "currency": self.currency,
            "role": self.role,
            "context": self.context,
        }


def figure_rows(doc: Document) -> list[FigureRow]:
    """Every money figure and percentage of the document, clause by clause, in reading order."""
    rows = [
        FigureRow(
            c.number, m["text"], "money", record_amount(m), m["currency"], m["role"], m["context"], m["start"], m["end"]
        )
        for c in doc.clauses
        for m in c.money
    ]
    rows.extend(
        FigureRow(
            c.number, p["text"], "percent", Decimal(p["percent"]), None, p["role"], p["context"], p["start"], p["end"]
        )
        for c in doc.clauses
        for p in c.percentages
    )
    rows.sort(key=lambda r: (r.clause, r.start))
    return rows


# --- The budget ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLine:
    label: str
    yuan: Decimal


@dataclass(frozen=True)
class DomainBudget:
    domain: int
    title: str
    yuan: Decimal
    clause: int  # where it is stated; 0: in the domain's introduction
    lines: tuple[BudgetLine, ...]


@dataclass(frozen=True)
class Budget:
    domains: tuple[DomainBudget, ...]  # largest first
    stated_total: Decimal | None
    lines_sum: Decimal
    explanation: str  # the document's own words on why the total is less

    @property
    def difference(self) -> Decimal:
        return self.lines_sum - (self.stated_total or Decimal(0))


def _label_before(text: str, start: int) -> str:
    """A budget line's name: the words of its phrase before the figure, without 其中/用於."""
    label = phrase_around(text, start, start)[0]
    for lead in ("其中", "用於", "用于"):
        label = label.removeprefix(lead)
    return label.strip("、 ")


def budget(doc: Document) -> Budget:
    domains = []
    for d in doc.domains:
        if not d.budget:
            continue
        # Stated in a clause, or (clause 0) in the domain's introduction.
        number = d.budget["clause"]
        text = doc.require(number).text if number else d.intro
        money = doc.require(number).money if number else [f.money_record() for f in find_figures(text) if f.currency]
        main = Decimal(d.budget["yuan"])
        lines: list[BudgetLine] = []
        for m in money:
            if m["role"] != "budget_line" or m["currency"] != "CNY":
                continue
            value = Decimal(m["yuan"])
            if m["text"] == d.budget["text"] and not lines and value == main:
                continue  # the domain total itself
            lines.append(BudgetLine(_label_before(text, m["start"]), value))
        domains.append(DomainBudget(d.number, d.title, main, number, tuple(lines)))
    domains.sort(key=lambda b: -b.yuan)
    stated = Decimal(doc.total_budget["yuan"]) if doc.total_budget else None
    explanation = ""
    for para in doc.closing:
        if doc.total_budget and doc.total_budget["text"] in para:
            explanation = para.split("。")[0] + "。"
            break
    return Budget(tuple(domains), stated, sum((b.yuan for b in domains), Decimal(0)), explanation)


# --- Targets ---------------------------------------------------------------------------------------


def targets(doc: Document) -> list[tuple[int, str, str]]:
    """(domain number, domain title, target) for every 2024 target a domain states."""
    return [(d.number, d.title, t) for d in doc.domains for t in d.targets]
