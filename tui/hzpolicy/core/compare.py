"""What changed from one edition of a policy package to the next.

Clause numbers do not carry over from year to year and domains are reordered and renamed, so
two documents are aligned by what their clauses *say*: each clause's search key (Simplified,
mainland wording, no punctuation, see :func:`.script.search_key_aligned`), with the old
edition's year written as the new one's (a clause whose only change is 2024 -> 2025 is the
same clause, unchanged), is cut into character bigrams; two clauses are as similar as their
bigram multisets (Dice's coefficient). The most similar pairs are matched one to one above a
threshold; an old clause left over that lies almost whole inside a new one was merged into
it, a new clause left over that lies almost whole inside an old one was split from it; the
rest are new or removed. Domains are aligned by the clauses they share (and their titles),
so a clause is said to have moved only when it went to another domain, not when its domain
was renumbered.

For each pair, every money figure and rate that changed is found (:class:`FigureChange`):
the figures the build recorded (:attr:`.Clause.money`, :attr:`.Clause.percentages`) are
paired by where a character diff of the two texts puts them, and by what they are (a
ceiling, a threshold ...), so "500萬元 -> 300萬元" is one change and figures that stayed are
not reported.

No Textual or Rich here: the command line (``hzpolicy-tui compare``), the comparison screen
and the exports read a :class:`Comparison`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from itertools import chain
from typing import Any, Literal

from .i18n import N_, Locale
from .models import (
    DOCUMENT,
    BudgetRecord,
    Clause,
    Document,
    Domain,
    MoneyRecord,
    PercentRecord,
    Script,
    Target,
    TotalRecord,
    record_amount,
)
from .money import find_figures, plain
from .numerals import to_numeral
from .present import BLANK, Block, Mark, Page, clause_heading, domain_heading, role_name
from .script import search_key, typeset

Kind = Literal["same", "changed", "merged", "split", "new", "removed"]
# The order the kinds are shown in (counts, filters).
KINDS: tuple[Kind, ...] = ("new", "changed", "merged", "split", "removed", "same")
# What each kind is called, in the reader's words (loc.tr(KIND_NAMES[kind])).
KIND_NAMES: dict[str, str] = {
    # TRANSLATORS: a clause of the new edition that the old one does not have.
    "new": N_("new"),
    # TRANSLATORS: a clause whose text changed from one edition to the next.
    "changed": N_("changed"),
    # TRANSLATORS: several clauses of the old edition made into one.
    "merged": N_("merged"),
    # TRANSLATORS: one clause of the old edition made into several.
    "split": N_("split"),
    # TRANSLATORS: a clause of the old edition that the new one does not have.
    "removed": N_("removed"),
    # TRANSLATORS: a clause the same in both editions (but for the edition's year).
    "same": N_("unchanged"),
}
Op = Literal["equal", "insert", "delete"]

RELATED = 0.2  # the least share of clauses with a counterpart for two packages to be one document's editions
MATCH = 0.42  # a pair's least similarity (distinct clauses of one edition reach about 0.3)
CONTAINED = 0.7  # the least share of a clause's bigrams inside another to be merged or split into it
NEAR = 40  # characters: how far apart two figures of one kind may be when the diff does not pair them

_YEAR_IN_TEXT = re.compile(r"(?<!\d)(20\d\d)年")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|.", re.DOTALL)  # a diff's units: a number, else a character


# --- Results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureChange:
    """One money figure or rate that changed between a pair of clauses (or a domain's budget,
    the document's total)."""

    before: str | None  # as the old text writes it (Traditional): 500萬元; None: added
    after: str | None
    before_yuan: str | None  # exact decimal strings, money in CNY; None for rates
    after_yuan: str | None
    role: str  # ceiling, threshold, fixed_award, rate, budget_line, ... (the new figure's, else the old's)
    kind: str  # "money" | "percent"
    # "up" | "down" | "added" | "removed" | "same" (same amount, another role) | "currency"
    # (another currency: 500萬元 -> 500萬美元; amounts in two currencies are never compared)
    direction: str
    before_percent: str | None = None  # a rate's percent of its base (5 for 5%, 65 for 六五折)
    after_percent: str | None = None
    before_role: str | None = None  # the old figure's role, where it was another
    before_currency: str | None = None  # money: "CNY" | "USD"
    after_currency: str | None = None
    before_amount: str | None = None  # money: the exact amount in its own currency (yuan or dollars)
    after_amount: str | None = None

    def to_json(self, script: Script) -> dict[str, Any]:
        out: dict[str, Any] = {
            "from": _doc_text(self.before, script),
            "to": _doc_text(self.after, script),
            "from_yuan": self.before_yuan,
            "to_yuan": self.after_yuan,
            "role": self.role,
            "kind": self.kind,
            "direction": self.direction,
        }
        if self.kind == "percent":
            out["from_percent"] = self.before_percent
            out["to_percent"] = self.after_percent
        elif self.before_currency or self.after_currency:
            out["from_currency"] = self.before_currency
            out["to_currency"] = self.after_currency
            out["from_amount"] = self.before_amount
            out["to_amount"] = self.after_amount
        if self.before_role and self.before_role != self.role:
            out["from_role"] = self.before_role
        return out


@dataclass(frozen=True)
class Row:
    """One line of a comparison: old clause(s) and the new clause they became."""

    old: tuple[int, ...]  # old clause numbers (empty for a new clause)
    new: int | None  # the new clause (None for a removed one)
    kind: Kind
    similarity: float  # 0..1
    moved: tuple[int, int] | None  # (old domain, new domain) when the clause went to another domain
    changes: tuple[FigureChange, ...]


@dataclass(frozen=True)
class Passage:
    """Text outside the clauses, old -> new: a domain's introduction (with its targets), or
    closing paragraph(s) aligned like clauses. Each side as its edition writes it, in both
    scripts (Traditional, Simplified); None on the side that has none."""

    old: tuple[int, ...]  # closing: paragraph numbers (1-based); an introduction: its domain's number
    new: tuple[int, ...]
    before: tuple[str, str] | None
    after: tuple[str, str] | None
    similarity: float
    changes: tuple[FigureChange, ...]  # money and rates, as for a clause

    @property
    def kind(self) -> str:
        """ "changed", "new" or "removed"."""
        return "new" if self.before is None else "removed" if self.after is None else "changed"

    def text(self, side: str, script: Script) -> str:
        """A side's text as the screen shows it (:func:`.script.typeset`), '' where it has none."""
        pair = self.before if side == "old" else self.after
        return typeset(pair[1] if script == "simplified" else pair[0]) if pair else ""

    def diff(self, script: Script) -> list[tuple[str, str]]:
        return char_diff(self.text("old", script), self.text("new", script))

    def to_json(self, script: Script) -> dict[str, Any]:
        return {
            "old": list(self.old),
            "new": list(self.new),
            "kind": self.kind,
            "similarity": round(self.similarity, 2),
            "from": self.text("old", script) or None,
            "to": self.text("new", script) or None,
            "money_changes": [c.to_json(script) for c in self.changes],
            "diff": [list(op) for op in self.diff(script)],
        }


@dataclass(frozen=True)
class DomainChange:
    """A domain in both editions (or in one): its number, title, budget, leads and partners,
    introduction and targets."""

    old: Domain | None
    new: Domain | None
    similarity: float  # how alike the clauses they share and their titles make them, 0..1
    budget: FigureChange | None  # None when neither states a budget or it is the same
    title_changed: bool
    leads_changed: bool
    partners_changed: bool = False
    intro: Passage | None = None  # None when the introduction is the same (but for the year)
    # The targets that changed: (old index, new index) into each side's targets, None for
    # one added or dropped.
    targets: tuple[tuple[int | None, int | None], ...] = ()

    def target_texts(self, pair: tuple[int | None, int | None], script: Script) -> tuple[str | None, str | None]:
        """A changed target's old and new text, as the screen shows them."""
        o, n = pair
        before = typeset(self.old.targets_in(script)[o]) if self.old is not None and o is not None else None
        after = typeset(self.new.targets_in(script)[n]) if self.new is not None and n is not None else None
        return before, after

    @property
    def old_number(self) -> int | None:
        return self.old.number if self.old else None

    @property
    def new_number(self) -> int | None:
        return self.new.number if self.new else None

    @property
    def changed(self) -> bool:
        return (
            self.old is None
            or self.new is None
            or self.budget is not None
            or self.title_changed
            or self.leads_changed
            or self.partners_changed
            or self.intro is not None
            or bool(self.targets)
            or self.old.number != self.new.number
        )

    def to_json(self, script: Script) -> dict[str, Any]:
        """Numbers and titles old -> new, leads, and the budget (``direction`` "same" when it
        stayed; null when neither side states one)."""
        old, new = self.old, self.new
        budget = None
        if (old and old.budget) or (new and new.budget):
            change = self.budget or _budget_same(old.budget if old else None)
            budget = change.to_json(script) if change else None
        return {
            "old": self.old_number,
            "new": self.new_number,
            "old_title": old.title_in(script) if old else None,
            "new_title": new.title_in(script) if new else None,
            "title_changed": self.title_changed,
            "leads": {
                "from": list(old.lead_agencies_in(script)) if old else [],
                "to": list(new.lead_agencies_in(script)) if new else [],
            },
            "leads_changed": self.leads_changed,
            "partners": {
                "from": list(old.partner_agencies_in(script)) if old else [],
                "to": list(new.partner_agencies_in(script)) if new else [],
            },
            "partners_changed": self.partners_changed,
            "budget": budget,
            "intro": self.intro.to_json(script) if self.intro else None,
            "targets": {
                "from": [typeset(t) for t in old.targets_in(script)] if old else [],
                "to": [typeset(t) for t in new.targets_in(script)] if new else [],
                "changed": [
                    {"from": before, "to": after}
                    for before, after in (self.target_texts(pair, script) for pair in self.targets)
                ],
            },
        }


def _budget_same(budget: BudgetRecord | None) -> FigureChange | None:
    if budget is None:
        return None
    return FigureChange(budget["text"], budget["text"], budget["yuan"], budget["yuan"], "budget_line", "money", "same")


@dataclass(frozen=True)
class Comparison:
    old: Document
    new: Document
    rows: tuple[Row, ...]
    domains: tuple[DomainChange, ...]  # budget and leads old -> new per domain, in the new order
    closing: tuple[Passage, ...] = ()  # the closing paragraphs that changed, in the new order
    _diffs: dict[tuple[tuple[int, ...], int | None, str], list[tuple[str, str]]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    def counts(self) -> dict[Kind, int]:
        """Rows of each kind, every kind present (0 when none), in :data:`KINDS` order."""
        found = Counter(r.kind for r in self.rows)
        return {k: found.get(k, 0) for k in KINDS}

    def of_kind(self, *kinds: str) -> list[Row]:
        return [r for r in self.rows if r.kind in kinds]

    def row_for_new(self, number: int) -> Row | None:
        return next((r for r in self.rows if r.new == number), None)

    def rows_for_old(self, number: int) -> list[Row]:
        return [r for r in self.rows if number in r.old]

    @property
    def total(self) -> FigureChange | None:
        """The document's total budget old -> new; None when it is the same or neither has one."""
        return _total_change(self.old.total_budget, self.new.total_budget)

    @property
    def validity_changed(self) -> bool:
        return (self.old.valid_from, self.old.valid_to) != (self.new.valid_from, self.new.valid_to)

    @property
    def title_changed(self) -> bool:
        return _key(self.old.title, self.swap) != _key(self.new.title)

    @property
    def number_changed(self) -> bool:
        return _key(self.old.number or "") != _key(self.new.number or "")

    @property
    def issuer_changed(self) -> bool:
        return _key(self.old.issuer or "") != _key(self.new.issuer or "")

    @property
    def swap(self) -> tuple[re.Pattern[str], str] | None:
        return _year_swap(edition_year(self.old), edition_year(self.new))

    @property
    def matched(self) -> float:
        """The share of both editions' clauses that have a counterpart (0..1)."""
        total = len(self.old.clauses) + len(self.new.clauses)
        if not total:
            return 1.0
        paired = [r for r in self.rows if r.old and r.new is not None]
        olds = len({n for r in paired for n in r.old})
        news = len({r.new for r in paired})
        return (olds + news) / total

    @property
    def related(self) -> bool:
        """Whether the two look like editions of one document: at least :data:`RELATED` of
        their clauses have a counterpart."""
        return self.matched >= RELATED

    def old_text(self, row: Row, script: Script) -> str:
        """The old side's text (old clauses' bodies joined, for a merge) in ``script``, as
        the screen shows it (:func:`.script.typeset`: full-width punctuation in Chinese)."""
        return "".join(typeset(self.old.require(n).body_in(script)) for n in row.old)

    def new_text(self, row: Row, script: Script) -> str:
        return typeset(self.new.require(row.new).body_in(script)) if row.new is not None else ""

    def diff(self, row: Row, script: Script) -> list[tuple[str, str]]:
        """The row's text old -> new, character by character, as runs of ("equal" | "insert"
        | "delete", text) in ``script``; kept once made."""
        key = (row.old, row.new, script)
        cached = self._diffs.get(key)
        if cached is None:
            cached = char_diff(self.old_text(row, script), self.new_text(row, script))
            self._diffs[key] = cached
        return cached

    def selected(self, kinds: Iterable[str] | None = None, moved: bool = False) -> list[Row]:
        """The rows of ``kinds`` (every row when None), and with ``moved`` those that went to
        another domain whatever their kind."""
        if kinds is None:
            return list(self.rows)
        wanted = set(kinds)
        return [r for r in self.rows if r.kind in wanted or (moved and r.moved is not None)]

    def to_json(
        self,
        script: Script,
        old_name: str | None = None,
        new_name: str | None = None,
        kinds: Iterable[str] | None = None,
        moved: bool = False,
    ) -> dict[str, Any]:
        """The comparison as data (the README's shape): both documents, a row a clause
        (removed ones with ``"new": null``), the domains, the closing paragraphs that changed,
        and the counts (of every row). ``kinds``/``moved``: only those rows
        (:meth:`selected`); ``filter`` says which (null: every row)."""
        wanted = [k for k in KINDS if k in set(kinds)] if kinds is not None else None
        clauses = [self._row_json(r, script) for r in self.selected(wanted, moved)]
        total = self.total
        return {
            "old": _doc_json(self.old, old_name, script),
            "new": _doc_json(self.new, new_name, script),
            "filter": {"kinds": wanted, "moved": moved} if wanted is not None else None,
            "related": self.related,
            "matched": round(self.matched, 2),
            "clauses": clauses,
            "domains": [d.to_json(script) for d in self.domains],
            "closing": [p.to_json(script) for p in self.closing],
            "total": total.to_json(script) if total else None,
            "title_changed": self.title_changed,
            "number_changed": self.number_changed,
            "issuer_changed": self.issuer_changed,
            "validity_changed": self.validity_changed,
            "counts": dict(self.counts()),
        }

    def _row_json(self, r: Row, script: Script) -> dict[str, Any]:
        return {
            "old": list(r.old),
            "new": r.new,
            "kind": r.kind,
            "similarity": round(r.similarity, 2),
            "moved": {"from": r.moved[0], "to": r.moved[1]} if r.moved else None,
            "old_titles": [self.old.require(n).title_in(script) for n in r.old],
            "new_title": self.new.require(r.new).title_in(script) if r.new is not None else None,
            "money_changes": [c.to_json(script) for c in r.changes],
            "diff": None if self._plain_same(r, script) else [list(op) for op in self.diff(r, script)],
        }

    def _plain_same(self, row: Row, script: Script) -> bool:
        """A row the same, word for word (no diff to show)."""
        return row.kind == "same" and self.old_text(row, script) == self.new_text(row, script)


def _doc_json(doc: Document, name: str | None, script: Script) -> dict[str, Any]:
    total = doc.total_budget
    return {
        "name": name,
        "title": doc.title_in(script),
        "number": _doc_text(doc.number, script),
        "issuer": _doc_text(doc.issuer, script),
        "validity": {"from": doc.valid_from, "to": doc.valid_to},
        "total": {"text": _doc_text(total["text"], script), "yuan": total["yuan"]} if total else None,
        "domains": len(doc.domains),
        "clauses": len(doc.clauses),
    }


def _doc_text(text: str | None, script: Script) -> str | None:
    """A piece of the document's own text (stored in Traditional) in ``script``."""
    if text is None:
        return None
    return Locale(script).doc(text)


# --- Character diff -----------------------------------------------------------------------------


def char_diff(a: str, b: str) -> list[tuple[str, str]]:
    """``a`` -> ``b`` as runs of ("equal" | "delete" | "insert", text), character by
    character, a number counted as one (500 -> 300, not 5 -> 3); a lone equal character
    between two changes is counted in the change, so a rewritten phrase reads as one
    deletion and one insertion."""
    if a == b:
        return [("equal", a)] if a else []
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    ops: list[tuple[str, str, str]] = []  # (tag, old text, new text)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        ops.append((op, "".join(ta[i1:i2]), "".join(tb[j1:j2])))
    # Absorb tiny equal runs between changes.
    merged: list[tuple[str, str, str]] = []
    for i, (tag, old, new) in enumerate(ops):
        lone = tag == "equal" and len(old) <= 1 and 0 < i < len(ops) - 1
        if lone or tag != "equal":
            if merged and merged[-1][0] == "change":
                _, po, pn = merged[-1]
                merged[-1] = ("change", po + old, pn + new)
            else:
                merged.append(("change", old, new))
        else:
            merged.append(("equal", old, new))
    out: list[tuple[str, str]] = []
    for run, old, new in merged:
        if run == "equal":
            out.append(("equal", old))
            continue
        if old:
            out.append(("delete", old))
        if new:
            out.append(("insert", new))
    return out


# --- Similarity ---------------------------------------------------------------------------------


def edition_year(doc: Document) -> int | None:
    """The year a package is for: its validity's, else the year its budgets are for, else the
    year its text names most."""
    if doc.valid_from:
        return int(doc.valid_from[:4])
    years = Counter(d.budget["year"] for d in doc.domains if d.budget)
    if years:
        return years.most_common(1)[0][0]
    found = Counter(int(y) for c in doc.clauses for y in _YEAR_IN_TEXT.findall(c.text))
    found.update(int(y) for p in doc.closing for y in _YEAR_IN_TEXT.findall(p))
    return found.most_common(1)[0][0] if found else None


def _year_swap(old_year: int | None, new_year: int | None) -> tuple[re.Pattern[str], str] | None:
    if old_year is None or new_year is None or old_year == new_year:
        return None
    return re.compile(rf"(?<!\d){old_year}(?!\d)"), str(new_year)


def _swapped(text: str, swap: tuple[re.Pattern[str], str] | None) -> str:
    return swap[0].sub(swap[1], text) if swap else text


def _key(text: str, swap: tuple[re.Pattern[str], str] | None = None) -> str:
    """What a piece of text says, for comparing (no punctuation, one script, the year swapped)."""
    return _swapped(search_key(text), swap)


def clause_key(clause: Clause) -> str:
    """What a clause says, for comparing: its search key (made from its body when the
    document was not prepared)."""
    return clause.search_key or search_key(clause.body)


def _units_key(clause: Clause) -> str:
    return clause.search_units_key or " ".join(search_key(u) for u in clause.units)


def _bigrams(text: str) -> Counter[str]:
    return Counter(text[i : i + 2] for i in range(len(text) - 1)) if len(text) > 1 else Counter(text)


def _tokens(grams: Counter[str]) -> list[tuple[str, int]]:
    """A bigram multiset as a set: the k-th occurrence of a bigram is a token of its own, so
    two multisets share as many tokens as their intersection has bigrams."""
    return [(g, k) for g, n in grams.items() for k in range(n)]


class _Matrix:
    """The bigram overlap of every old clause with every new one, through an inverted index
    (only pairs that share a bigram are touched; the counting is :class:`Counter`'s)."""

    def __init__(self, old: Sequence[Counter[str]], new: Sequence[Counter[str]]) -> None:
        self.old_size = [g.total() for g in old]
        self.new_size = [g.total() for g in new]
        postings: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, grams in enumerate(old):
            for token in _tokens(grams):
                postings[token].append(i)
        empty: list[int] = []
        # Per new clause: old clause -> shared bigrams.
        self.overlap: list[Counter[int]] = [
            Counter(chain.from_iterable(postings.get(t, empty) for t in _tokens(grams))) for grams in new
        ]

    def dice(self, o: int, n: int) -> float:
        total = self.old_size[o] + self.new_size[n]
        return 2 * self.overlap[n].get(o, 0) / total if total else 1.0

    def old_in_new(self, o: int, n: int) -> float:
        return self.overlap[n].get(o, 0) / self.old_size[o] if self.old_size[o] else 0.0

    def new_in_old(self, o: int, n: int) -> float:
        return self.overlap[n].get(o, 0) / self.new_size[n] if self.new_size[n] else 0.0


def _dice(a: Counter[str], b: Counter[str]) -> float:
    total = a.total() + b.total()
    return 2 * sum((a & b).values()) / total if total else 1.0


# --- Aligning clauses ---------------------------------------------------------------------------


@dataclass
class _Group:
    old: list[int]  # indexes into the old document's clauses
    new: list[int]
    similarity: float = 0.0


class _Aligner:
    """Groups of old and new clause indexes: 1-1 pairs, merges (n-1), splits (1-n), and
    clauses on one side only (:meth:`groups`)."""

    def __init__(self, old_grams: list[Counter[str]], new_grams: list[Counter[str]]) -> None:
        self.old_grams, self.new_grams = old_grams, new_grams
        self.m = _Matrix(old_grams, new_grams)
        self.old_to: dict[int, int] = {}  # old index -> a new one it went to
        self.new_to: dict[int, int] = {}
        self.by_new: dict[int, _Group] = {}

    def groups(self) -> list[_Group]:
        self._pair()
        self._merge()
        self._split()
        out: list[_Group] = []
        seen: set[int] = set()
        for n in range(len(self.new_grams)):
            g = self.by_new.get(n)
            if g is None:
                out.append(_Group([], [n], 0.0))
            elif id(g) not in seen:
                seen.add(id(g))
                out.append(g)
        out.extend(_Group([o], [], 0.0) for o in range(len(self.old_grams)) if o not in self.old_to)
        return out

    def _pair(self) -> None:
        """The most similar pairs first, one to one, down to :data:`MATCH` (ties: the
        nearer in the documents' order)."""
        m = self.m
        pairs = sorted(
            ((m.dice(o, n), -abs(o - n), o, n) for n, shared in enumerate(m.overlap) for o in shared),
            reverse=True,
        )
        for sim, _, o, n in pairs:
            if sim < MATCH:
                break
            if o in self.old_to or n in self.new_to:
                continue
            self.old_to[o], self.new_to[n] = n, o
            self.by_new[n] = _Group([o], [n], sim)

    def _merge(self) -> None:
        """Old clauses left over that lie inside one new clause were merged into it (when
        they make the pair more alike)."""
        m = self.m
        into: dict[int, list[int]] = defaultdict(list)
        for o in range(len(self.old_grams)):
            if o in self.old_to:
                continue
            best = max(range(len(self.new_grams)), key=lambda n: m.old_in_new(o, n), default=None)
            if best is not None and m.old_in_new(o, best) >= CONTAINED:
                into[best].append(o)
        for n, extra in into.items():
            paired = self.new_to.get(n)
            olds = sorted([*([paired] if paired is not None else []), *extra])
            sim = _dice(sum((self.old_grams[o] for o in olds), Counter()), self.new_grams[n])
            if paired is not None and sim < m.dice(paired, n):
                continue  # the extra clauses do not make it more alike: they stay removed
            self.by_new[n] = _Group(olds, [n], sim)
            for o in olds:
                self.old_to[o] = n
            self.new_to[n] = olds[0]

    def _split(self) -> None:
        """New clauses left over that lie inside one old clause were split from it (when
        together they are more like it)."""
        m = self.m
        parts: dict[int, list[int]] = defaultdict(list)
        for n in range(len(self.new_grams)):
            if n in self.new_to:
                continue
            best = max(m.overlap[n], key=lambda o: m.new_in_old(o, n), default=None)
            if best is None or m.new_in_old(best, n) < CONTAINED:
                continue
            partner = self.old_to.get(best)
            if partner is not None and len(self.by_new[partner].old) > 1:
                continue  # already part of a merge
            parts[best].append(n)
        for o, extra in parts.items():
            paired = self.old_to.get(o)
            news = sorted([*([paired] if paired is not None else []), *extra])
            together = _dice(self.old_grams[o], sum((self.new_grams[n] for n in news), Counter()))
            if paired is not None and together < m.dice(o, paired):
                continue
            g = _Group([o], news, sum(m.new_in_old(o, n) for n in news) / len(news))
            if len(news) == 1:
                g.similarity = m.dice(o, news[0])
            for n in news:
                self.new_to[n] = o
                self.by_new[n] = g
            self.old_to[o] = news[0]


# --- Figures ------------------------------------------------------------------------------------

Figure = MoneyRecord | PercentRecord
Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


@dataclass(frozen=True)
class _Placed:
    record: Figure
    start: int  # in the group's joined text
    end: int
    part: int  # which clause of its side


def _placed(clauses: Sequence[Clause], kind: str) -> tuple[str, list[_Placed]]:
    text = ""
    out: list[_Placed] = []
    for part, c in enumerate(clauses):
        records: Iterable[Figure] = c.money if kind == "money" else c.percentages
        out.extend(_Placed(r, len(text) + r["start"], len(text) + r["end"], part) for r in records)
        text += c.text
    return text, out


def _value(record: Figure, kind: str) -> Decimal:
    return record_amount(record) if kind == "money" else Decimal(record["percent"])  # type: ignore[arg-type, typeddict-item]


def _image(opcodes: list[Opcode], start: int, end: int) -> tuple[int, int] | None:
    """Where the old span [start, end) lies in the new text, by the diff's opcodes."""
    lo, hi = None, None
    for tag, i1, i2, j1, j2 in opcodes:
        if i2 < start or i1 > end:
            continue
        if tag == "equal":
            s, e = max(start, i1), min(end, i2)
            if s >= e:
                continue
            a, b = j1 + (s - i1), j1 + (e - i1)
        elif tag == "insert":
            if not start < i1 < end:
                continue
            a, b = j1, j2
        else:
            if i2 <= start or i1 >= end:
                continue
            a, b = j1, j2
        lo = a if lo is None else min(lo, a)
        hi = b if hi is None else max(hi, b)
    return None if lo is None or hi is None else (lo, hi)


def _point(opcodes: list[Opcode], pos: int) -> int:
    """Where an old position lands in the new text (roughly, inside a change)."""
    for _tag, i1, i2, j1, j2 in opcodes:
        if i1 <= pos < i2:
            return j1 + min(pos - i1, max(0, j2 - j1 - 1))
    return opcodes[-1][4] if opcodes else pos


def _field(record: Figure | None, name: str) -> str | None:
    """A money record's "yuan" or a rate's "percent" (None: not this kind, or no record)."""
    value = record.get(name) if record is not None else None
    return value if isinstance(value, str) else None


def _change(before: _Placed | None, after: _Placed | None, kind: str) -> FigureChange:
    b, a = (before.record if before else None), (after.record if after else None)
    if b is None:
        direction = "added"
    elif a is None:
        direction = "removed"
    elif kind == "money" and b.get("currency") != a.get("currency"):
        direction = "currency"  # 500萬元 -> 500萬美元: not comparable as amounts
    else:
        vb, va = _value(b, kind), _value(a, kind)
        direction = "up" if va > vb else "down" if va < vb else "same"
    return FigureChange(
        before=b["text"] if b else None,
        after=a["text"] if a else None,
        before_yuan=_field(b, "yuan"),
        after_yuan=_field(a, "yuan"),
        role=(a or b or {"role": "other"})["role"],
        kind=kind,
        direction=direction,
        before_percent=_field(b, "percent"),
        after_percent=_field(a, "percent"),
        before_role=b["role"] if b and a and b["role"] != a["role"] else None,
        before_currency=_field(b, "currency"),
        after_currency=_field(a, "currency"),
        before_amount=plain(_value(b, kind)) if b and kind == "money" else None,
        after_amount=plain(_value(a, kind)) if a and kind == "money" else None,
    )


def figure_changes(
    old: Sequence[Clause], new: Sequence[Clause], swap: tuple[re.Pattern[str], str] | None = None
) -> list[tuple[int, FigureChange]]:
    """Every money figure and rate that changed from the ``old`` clauses to the ``new``
    ones, each with the index of the new clause it belongs to (for a split)."""
    out: list[tuple[int, int, FigureChange]] = []
    opcodes: list[Opcode] | None = None
    for kind in ("money", "percent"):
        a_text, a_figs = _placed(old, kind)
        b_text, b_figs = _placed(new, kind)
        if not a_figs and not b_figs:
            continue
        if opcodes is None:
            opcodes = SequenceMatcher(None, _swapped(a_text, swap), b_text, autojunk=False).get_opcodes()
        paired = _pair_figures(opcodes, a_figs, b_figs)
        for i, f in enumerate(a_figs):
            j = paired.get(i)
            if j is None:
                at = _point(opcodes, f.start)
                out.append((at, _part_at(new, at), _change(f, None, kind)))
                continue
            g = b_figs[j]
            ch = _change(f, g, kind)
            # Another role for the same amount counts only where the words around it changed
            # (the build's roles can differ for words farther off, such as the year).
            reworded = search_key(_swapped(f.record["context"], swap)) != search_key(g.record["context"])
            if ch.direction != "same" or (ch.before_role and reworded):
                out.append((g.start, g.part, ch))
        taken = set(paired.values())
        out += [(g.start, g.part, _change(None, g, kind)) for j, g in enumerate(b_figs) if j not in taken]
    out.sort(key=lambda x: x[0])
    return [(part, ch) for _, part, ch in out]


def _pair_figures(opcodes: list[Opcode], a_figs: list[_Placed], b_figs: list[_Placed]) -> dict[int, int]:
    """Old figure -> new figure: those the diff puts in the same place (the same role and
    text first), then those of the same role a little apart."""
    scored = []
    for i, f in enumerate(a_figs):
        img = _image(opcodes, f.start, f.end)
        if img is None:
            continue
        for j, g in enumerate(b_figs):
            over = min(img[1], g.end) - max(img[0], g.start)
            if over > 0:
                same_role = 2 if f.record["role"] == g.record["role"] else 0
                same_text = 1 if f.record["text"] == g.record["text"] else 0
                scored.append((same_role + same_text + over / max(1, g.end - g.start), i, j))
    paired: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in sorted(scored, reverse=True):
        if i not in paired and j not in taken:
            paired[i] = j
            taken.add(j)
    for i, f in enumerate(a_figs):
        if i in paired:
            continue
        at = _point(opcodes, f.start)
        near = [
            (abs(g.start - at), j)
            for j, g in enumerate(b_figs)
            if j not in taken and g.record["role"] == f.record["role"] and abs(g.start - at) <= NEAR
        ]
        if near:
            j = min(near)[1]
            paired[i] = j
            taken.add(j)
    return paired


def _part_at(clauses: Sequence[Clause], pos: int) -> int:
    """Which of the new clauses a position of their joined text falls in."""
    at = 0
    for part, c in enumerate(clauses):
        at += len(c.text)
        if pos < at:
            return part
    return max(0, len(clauses) - 1)


def _total_change(
    before: TotalRecord | BudgetRecord | None, after: TotalRecord | BudgetRecord | None
) -> FigureChange | None:
    """A budget or total old -> new; None when neither has one or it is the same sum."""
    if before is None and after is None:
        return None
    if before and after and Decimal(before["yuan"]) == Decimal(after["yuan"]):
        return None
    if before is None:
        direction = "added"
    elif after is None:
        direction = "removed"
    else:
        direction = "up" if Decimal(after["yuan"]) > Decimal(before["yuan"]) else "down"
    return FigureChange(
        before=before["text"] if before else None,
        after=after["text"] if after else None,
        before_yuan=before["yuan"] if before else None,
        after_yuan=after["yuan"] if after else None,
        role="budget_line",
        kind="money",
        direction=direction,
    )


# --- Domains ------------------------------------------------------------------------------------


def _align_domains(
    old: Document, new: Document, groups: list[_Group], swap: tuple[re.Pattern[str], str] | None
) -> dict[int, int]:
    """Old domain number -> new domain number, by the clauses they share, then their titles."""
    weight: Counter[tuple[int, int]] = Counter()
    for g in groups:
        for o in g.old:
            for n in g.new:
                weight[(old.clauses[o].domain, new.clauses[n].domain)] += 1
    titles = [_bigrams(_swapped(search_key(d.title), swap)) for d in old.domains]
    new_titles = [_bigrams(search_key(d.title)) for d in new.domains]
    scored = []
    for od in old.domains:
        for nd in new.domains:
            t = _dice(titles[od.number - 1], new_titles[nd.number - 1])
            w = weight.get((od.number, nd.number), 0)
            if w or t >= 0.5:
                scored.append((w + 2 * t, od.number, nd.number))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, o, n in sorted(scored, reverse=True):
        if o in out or n in used:
            continue
        out[o] = n
        used.add(n)
    return out


def _domain_changes(
    old: Document, new: Document, mapping: dict[int, int], swap: tuple[re.Pattern[str], str] | None
) -> tuple[DomainChange, ...]:
    back = {n: o for o, n in mapping.items()}
    out: list[tuple[tuple[int, int, int], DomainChange]] = []
    for nd in new.domains:
        od = old.domains[back[nd.number] - 1] if nd.number in back else None
        out.append(((nd.number, 0, 0), _domain_change(od, nd, swap)))
    for od in old.domains:
        if od.number in mapping:
            continue
        # After the new domain its old predecessor became (or first).
        anchor = 0
        for prev in range(od.number - 1, 0, -1):
            if prev in mapping:
                anchor = mapping[prev]
                break
        out.append(((anchor, 1, od.number), _domain_change(od, None, swap)))
    return tuple(d for _, d in sorted(out, key=lambda x: x[0]))


def _domain_change(od: Domain | None, nd: Domain | None, swap: tuple[re.Pattern[str], str] | None) -> DomainChange:
    budget = _total_change(od.budget if od else None, nd.budget if nd else None)
    title_changed = bool(od and nd and _swapped(search_key(od.title), swap) != search_key(nd.title))
    leads_changed = bool(od and nd and od.lead_agencies != nd.lead_agencies)
    partners_changed = bool(od and nd and od.partner_agencies != nd.partner_agencies)
    sim = 0.0
    intro: Passage | None = None
    targets: tuple[tuple[int | None, int | None], ...] = ()
    if od and nd:
        sim = _dice(_bigrams(_swapped(search_key(od.title), swap)), _bigrams(search_key(nd.title)))
        if _key(od.intro, swap) != _key(nd.intro):
            # A budget the introduction states is the domain's budget, said once (above).
            skip = {"budget_line"} if budget is not None else set()
            intro = _passage(
                (od.number,), (nd.number,), [(od.intro, od.intro_simplified)], [(nd.intro, nd.intro_simplified)], swap
            )
            intro = Passage(
                intro.old,
                intro.new,
                intro.before,
                intro.after,
                intro.similarity,
                tuple(c for c in intro.changes if c.role not in skip),
            )
        targets = _target_pairs(od.targets, nd.targets, swap)
    return DomainChange(od, nd, sim, budget, title_changed, leads_changed, partners_changed, intro, targets)


def _target_pairs(
    old: Sequence[str], new: Sequence[str], swap: tuple[re.Pattern[str], str] | None
) -> tuple[tuple[int | None, int | None], ...]:
    """The targets that changed, old index -> new index (None: added or dropped), paired in
    order where the lists differ."""
    a, b = [_key(t, swap) for t in old], [_key(t) for t in new]
    out: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        olds: list[int | None] = list(range(i1, i2))
        news: list[int | None] = list(range(j1, j2))
        size = max(len(olds), len(news))
        olds += [None] * (size - len(olds))
        news += [None] * (size - len(news))
        out.extend(zip(olds, news, strict=True))
    return tuple(out)


def _as_clause(text: str) -> Clause:
    """A passage as a clause with its figures, so figure_changes() reads it as it reads one."""
    figures = find_figures(text)
    return Clause(
        number=0,
        domain=0,
        title="",
        text=text,
        body=text,
        units=(),
        money=tuple(f.money_record() for f in figures if f.kind == "money"),
        percentages=tuple(f.percent_record() for f in figures if f.kind != "money"),
    )


def _passage(
    old: tuple[int, ...],
    new: tuple[int, ...],
    before: Sequence[tuple[str, str]],
    after: Sequence[tuple[str, str]],
    swap: tuple[re.Pattern[str], str] | None,
) -> Passage:
    """Paragraphs old -> new (each (Traditional, Simplified)) as one passage, with their
    money and rate changes."""
    b = ("".join(t for t, _ in before), "".join(s for _, s in before)) if before else None
    a = ("".join(t for t, _ in after), "".join(s for _, s in after)) if after else None
    changes: tuple[FigureChange, ...] = ()
    sim = 0.0
    if b and a:
        changes = tuple(ch for _, ch in figure_changes([_as_clause(b[0])], [_as_clause(a[0])], swap))
        sim = _dice(_bigrams(_key(b[0], swap)), _bigrams(_key(a[0])))
    return Passage(old, new, b, a, sim, changes)


def _closing_changes(old: Document, new: Document, swap: tuple[re.Pattern[str], str] | None) -> tuple[Passage, ...]:
    """The closing paragraphs that changed, aligned by content as clauses are (a paragraph
    the same but for the year is the same); the document's total, said once (as the total),
    is left out of their money changes."""
    old_paras = list(zip(old.closing, old.closing_simplified or old.closing, strict=False))
    new_paras = list(zip(new.closing, new.closing_simplified or new.closing, strict=False))
    # The total is said as the total: a paragraph whose only change is the total is the same.
    restated = (old.total_budget["text"], new.total_budget["text"]) if old.total_budget and new.total_budget else None
    old_keys = [_key(t.replace(*restated) if restated else t, swap) for t, _ in old_paras]
    new_keys = [_key(t) for t, _ in new_paras]
    groups = _Aligner([_bigrams(k) for k in old_keys], [_bigrams(k) for k in new_keys]).groups()
    totals = {r["yuan"] for r in (old.total_budget, new.total_budget) if r}
    out: list[tuple[tuple[int, int], Passage]] = []
    for g in groups:
        if "".join(old_keys[o] for o in g.old) == "".join(new_keys[n] for n in g.new):
            continue
        p = _passage(
            tuple(o + 1 for o in g.old),
            tuple(n + 1 for n in g.new),
            [old_paras[o] for o in g.old],
            [new_paras[n] for n in g.new],
            swap,
        )
        kept = tuple(c for c in p.changes if not ({c.before_yuan, c.after_yuan} & totals))
        p = Passage(p.old, p.new, p.before, p.after, p.similarity, kept)
        out.append(((g.new[0] if g.new else g.old[0], 0 if g.new else 1), p))
    return tuple(p for _, p in sorted(out, key=lambda x: x[0]))


# --- The comparison -----------------------------------------------------------------------------


def compare(old: Document, new: Document) -> Comparison:
    """Align the clauses of two editions by content and say what changed."""
    swap = _year_swap(edition_year(old), edition_year(new))
    old_keys = [_swapped(clause_key(c), swap) for c in old.clauses]
    new_keys = [clause_key(c) for c in new.clauses]
    groups = _Aligner([_bigrams(k) for k in old_keys], [_bigrams(k) for k in new_keys]).groups()
    mapping = _align_domains(old, new, groups, swap)

    rows: list[tuple[tuple[int, int, int], Row]] = []
    position: dict[int, int] = {}  # old index -> index of the last new row holding it
    for g in groups:
        if not g.new:
            continue
        olds = [old.clauses[o] for o in g.old]
        news = [new.clauses[n] for n in g.new]
        alike = len(g.old) == 1 == len(g.new) and old_keys[g.old[0]] == new_keys[g.new[0]]
        # The same words (but for the year and punctuation): the same figures.
        changes = figure_changes(olds, news, swap) if olds and not alike else []
        for part, n in enumerate(g.new):
            same = alike and _units_key(olds[0]) == _units_key(news[0])
            mine = tuple(ch for p, ch in changes if p == part)
            rows.append(((n, 0, 0), _row(g, olds, news[part], same, mapping, mine)))
            for o in g.old:
                position[o] = n
    for g in groups:
        if not g.new:
            o = g.old[0]
            # After the row its nearest old predecessor went to (first, if none did).
            anchor = next((position[p] for p in range(o - 1, -1, -1) if p in position), -1)
            rows.append(((anchor, 1, o), Row((old.clauses[o].number,), None, "removed", 0.0, None, ())))
    rows.sort(key=lambda x: x[0])
    return Comparison(
        old, new, tuple(r for _, r in rows), _domain_changes(old, new, mapping, swap), _closing_changes(old, new, swap)
    )


def _row(
    g: _Group, olds: list[Clause], nc: Clause, same: bool, mapping: dict[int, int], changes: tuple[FigureChange, ...]
) -> Row:
    """The row of one new clause of a group."""
    kind: Kind
    if not olds:
        kind = "new"
    elif len(olds) > 1:
        kind = "merged"
    elif len(g.new) > 1:
        kind = "split"
    else:
        kind = "same" if same else "changed"
    sim = 1.0 if same else g.similarity
    moved = None
    if olds and mapping.get(olds[0].domain) != nc.domain:
        moved = (olds[0].domain, nc.domain)
    return Row(tuple(c.number for c in olds), nc.number, kind, sim, moved, changes)


# --- In the reader's words ----------------------------------------------------------------------

DIRECTION_NAMES: dict[str, str] = {
    # TRANSLATORS: a money figure or rate of a clause, from one edition to the next.
    "up": N_("raised"),
    "down": N_("lowered"),
    "added": N_("added"),
    "removed": N_("dropped"),
    # TRANSLATORS: a money figure now in another currency (500萬元 -> 500萬美元).
    "currency": N_("currency changed"),
    # TRANSLATORS: a figure whose amount stayed but which is now another kind (a ceiling now a fixed award).
    "same": N_("same amount"),
}


def kind_name(kind: str, loc: Locale) -> str:
    """新增, 变化, 合并 ... in the reader's language."""
    return loc.tr(KIND_NAMES[kind])


def counts_line(cmp: Comparison, loc: Locale) -> str:
    """新增 8、变化 11、合并 3、删除 20、不变 39: the kinds there are, in display order."""
    counts = cmp.counts()
    shown = [k for k in KINDS if counts[k]] or ["same"]
    return loc.listed(f"{kind_name(k, loc)} {counts[k]}" for k in shown)


def change_text(change: FigureChange, loc: Locale) -> str:
    """500万元 -> 300万元 [门槛, 下调]; 300万元 [上限, 新增]; a role that changed:
    200万元 [上限 -> 定额]."""
    before = loc.doc(change.before) if change.before else ""
    after = loc.doc(change.after) if change.after else ""
    role = role_name(change.role, loc)
    direction = loc.tr(DIRECTION_NAMES[change.direction])
    if change.before is None:
        return f"{after} [{role}, {direction}]"
    if change.after is None:
        return f"{before} [{role}, {direction}]"
    if change.direction == "same":
        return f"{before} [{role_name(change.before_role or change.role, loc)} -> {role}]"
    if change.before_role and change.before_role != change.role:
        role = f"{role_name(change.before_role, loc)} -> {role}"
    return f"{before} -> {after} [{role}, {direction}]"


def clause_line(doc: Document, number: int, loc: Locale) -> str:
    """(十四) 更大力度…: a clause as a row names it."""
    return clause_heading(doc.require(number), loc)


def row_heading(cmp: Comparison, row: Row, loc: Locale) -> str:
    """A row in one line: 变化: (六) 新标题 <- (十四); 删除: (二十) 标题."""
    name = kind_name(row.kind, loc)
    if row.new is None:
        return f"{name}: " + loc.listed(clause_line(cmp.old, n, loc) for n in row.old)
    line = f"{name}: {clause_line(cmp.new, row.new, loc)}"
    if row.old and (row.old != (row.new,) or row.kind != "same"):
        line += " <- " + loc.listed(f"({to_numeral(n)})" for n in row.old)
    return line


def marked_diff(ops: Sequence[tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """A diff as one line of text, deletions in [-...-] and insertions in {+...+}, with the
    spans of each: (start, end, "delete" | "insert")."""
    text = ""
    spans: list[tuple[int, int, str]] = []
    for op, part in ops:
        if op == "equal":
            text += part
            continue
        opened, closed = ("[-", "-]") if op == "delete" else ("{+", "+}")
        start = len(text)
        text += f"{opened}{part}{closed}"
        spans.append((start, len(text), op))
    return text, spans


def marked_excerpt(ops: Sequence[tuple[str, str]], around: int = 16) -> str:
    """:func:`marked_diff`'s line with long unchanged stretches cut to ``around`` characters
    on each side of a change ("..." for what is left out): a paragraph's changes in a line."""
    cut: list[tuple[str, str]] = []
    last = len(ops) - 1
    for i, (op, part) in enumerate(ops):
        if op == "equal" and last > 0:
            if i == 0 and len(part) > around:
                part = "..." + part[-around:]
            elif i == last and len(part) > around:
                part = part[:around] + "..."
            elif 0 < i < last and len(part) > 2 * around + 3:
                part = part[:around] + "..." + part[-around:]
        cut.append((op, part))
    return marked_diff(cut)[0]


def _domain_heading(d: Domain | None, loc: Locale) -> str:
    return domain_heading(d, loc) if d else "-"


def moved_text(cmp: Comparison, row: Row, loc: Locale) -> str:
    """移动: 二、科技创新政策 -> 三、…"""
    if row.moved is None:
        return ""
    od, nd = row.moved
    old = cmp.old.domains[od - 1] if 0 < od <= len(cmp.old.domains) else None
    new = cmp.new.domains[nd - 1] if 0 < nd <= len(cmp.new.domains) else None
    return loc.tr("Moved: {old} -> {new}").format(old=_domain_heading(old, loc), new=_domain_heading(new, loc))


def budget_text(change: FigureChange | None, loc: Locale) -> str:
    """177.1亿元 -> 180亿元 (上调), or '' when it stayed."""
    if change is None:
        return ""
    before = loc.doc(change.before) if change.before else "-"
    after = loc.doc(change.after) if change.after else "-"
    return f"{before} -> {after} ({loc.tr(DIRECTION_NAMES[change.direction])})"


def domain_lines(dc: DomainChange, loc: Locale) -> list[str]:
    """What changed in a domain, a line each: where it stands, its title, budget and leads."""
    lines = []
    if dc.old is None:
        lines.append(loc.tr("New domain: {domain}").format(domain=_domain_heading(dc.new, loc)))
    elif dc.new is None:
        lines.append(loc.tr("Domain removed: {domain}").format(domain=_domain_heading(dc.old, loc)))
    elif dc.old.number != dc.new.number or dc.title_changed:
        lines.append(f"{_domain_heading(dc.old, loc)} -> {_domain_heading(dc.new, loc)}")
    budget = budget_text(dc.budget, loc)
    if budget:
        lines.append(loc.tr("Budget: {change}").format(change=budget))
    if dc.leads_changed and dc.old and dc.new:
        before = "、".join(dc.old.lead_agencies_in(loc.script)) or "-"
        after = "、".join(dc.new.lead_agencies_in(loc.script)) or "-"
        lines.append(loc.tr("Lead: {agencies}").format(agencies=f"{before} -> {after}"))
    if dc.partners_changed and dc.old and dc.new:
        before = "、".join(dc.old.partner_agencies_in(loc.script)) or "-"
        after = "、".join(dc.new.partner_agencies_in(loc.script)) or "-"
        lines.append(loc.tr("Working with the lead: {agencies}").format(agencies=f"{before} -> {after}"))
    for pair in dc.targets:
        was, now = dc.target_texts(pair, loc.script)
        lines.append(loc.tr("Target: {change}").format(change=f"{was or '-'} -> {now or '-'}"))
    if dc.intro is not None:
        lines += [loc.tr("Introduction: {change}").format(change=change_text(c, loc)) for c in dc.intro.changes]
        if not dc.targets and not dc.intro.changes:  # what changed is in the words only
            text = marked_excerpt(dc.intro.diff(loc.script))
            lines.append(loc.tr("Introduction: {change}").format(change=text))
    return lines


def passage_lines(p: Passage, loc: Locale) -> list[str]:
    """A closing paragraph that changed: which, then its text with the changes marked (see
    :data:`LEGEND`), then its money changes."""
    numbers = {"old": "+".join(map(str, p.old)) or "-", "new": "+".join(map(str, p.new)) or "-"}
    if p.kind == "new":
        head = loc.tr("Closing paragraph {new} is new").format(**numbers)
        text = p.text("new", loc.script)
    elif p.kind == "removed":
        head = loc.tr("Closing paragraph {old} was dropped").format(**numbers)
        text = p.text("old", loc.script)
    elif p.old == p.new:
        head = loc.tr("Closing paragraph {new} changed").format(**numbers)
        text = marked_excerpt(p.diff(loc.script))
    else:
        head = loc.tr("Closing paragraph {old} -> {new} changed").format(**numbers)
        text = marked_excerpt(p.diff(loc.script))
    return [head, text, *[change_text(c, loc) for c in p.changes]]


# TRANSLATORS: the one line that explains the marks of a diff written as text.
LEGEND = N_("[-...-] deleted text, {+...+} inserted text")


def total_words(doc: Document, loc: Locale) -> str:
    """ "Total city funding: {amount}", or without the level for a district's or a county's."""
    return loc.tr("Total city funding: {amount}") if doc.city_budget else loc.tr("Total funding: {amount}")


def relation_note(cmp: Comparison, loc: Locale) -> str:
    """A warning when the two packages do not look like editions of one document; '' when they do."""
    if cmp.related:
        return ""
    return loc.tr(
        "These two packages look like different documents: only {percent} of their clauses have a counterpart."
    ).format(percent=f"{round(cmp.matched * 100)}%")


def _pair_text(before: str, after: str) -> str:
    return f"{before or '-'} -> {after or '-'}"


def period_line(doc: Document) -> str:
    """An edition's period as the comparison writes it: 2024-01-01 ~ 2024-12-31, '-' for an
    end not stated."""
    return f"{doc.valid_from or '-'} ~ {doc.valid_to or '-'}"


def document_lines(cmp: Comparison, loc: Locale) -> list[str]:
    """The document's title, number, issuer, total and validity old -> new, where they changed."""
    lines = []
    old, new = cmp.old, cmp.new
    if cmp.title_changed:
        change = _pair_text(old.title_in(loc.script), new.title_in(loc.script))
        lines.append(loc.tr("{label}: {value}").format(label=loc.tr("Title"), value=change))
    if cmp.number_changed:
        change = _pair_text(loc.doc(old.number or ""), loc.doc(new.number or ""))
        lines.append(loc.tr("Document number: {number}").format(number=change))
    if cmp.issuer_changed:
        change = _pair_text(loc.doc(old.issuer or ""), loc.doc(new.issuer or ""))
        lines.append(loc.tr("Issued by: {issuer}").format(issuer=change))
    total = budget_text(cmp.total, loc)
    if total:
        lines.append(total_words(cmp.new, loc).format(amount=total))
    if cmp.validity_changed:
        before, after = period_line(cmp.old), period_line(cmp.new)
        lines.append(loc.tr("Validity: {old} -> {new}").format(old=before, new=after))
    return lines


# --- Export ---------------------------------------------------------------------------------------


def edition_name(doc: Document, name: str | None, loc: Locale) -> str:
    """What a side is called: its package's name, else its title and year."""
    if name:
        return name
    year = edition_year(doc)
    return f"{doc.title_in(loc.script)} ({year})" if year else doc.title_in(loc.script)


def edition_line(doc: Document, name: str | None, loc: Locale) -> str:
    """A side in full, as an export names it: its package, title, number and validity."""
    parts = [name] if name else []
    parts.append(doc.title_in(loc.script))
    if doc.number:
        parts.append(loc.doc(doc.number))
    if doc.valid_from or doc.valid_to:
        parts.append(period_line(doc))
    return " | ".join(parts)


def filter_line(kinds: Sequence[str] | None, moved: bool, loc: Locale) -> str:
    """What a filtered export holds: 只列出: 变化、新增 (及移至其他领域的条文); '' for every row."""
    if kinds is None:
        return ""
    names = loc.listed(kind_name(k, loc) for k in KINDS if k in kinds)
    if moved:
        return loc.tr("Only these rows: {kinds}, and clauses that moved to another domain").format(kinds=names)
    return loc.tr("Only these rows: {kinds}").format(kinds=names)


def comparison_records(
    cmp: Comparison,
    loc: Locale,
    old_name: str | None = None,
    new_name: str | None = None,
    kinds: Iterable[str] | None = None,
    moved: bool = False,
) -> tuple[list[Any], str, dict[str, Any]]:
    """The comparison for :func:`.export.render` as Markdown and HTML: (records, title, meta).
    First the document's page (the legend of the diff's marks, both editions in full, what
    rows it holds, the counts, what changed in the document, each domain that changed and
    each closing paragraph), then a page a row of ``kinds`` (default: all; ``moved``: and
    those that moved domain), each naming its old and new domain, in the reader's script
    and language. (JSON and CSV: :func:`comparison_export`.)"""
    from .export import PageRecord

    wanted = [k for k in KINDS if k in set(kinds)] if kinds is not None else None
    old_label, new_label = edition_name(cmp.old, old_name, loc), edition_name(cmp.new, new_name, loc)
    title = loc.tr("What changed: {old} -> {new}").format(old=old_label, new=new_label)
    records: list[Any] = [
        PageRecord({"kind": "document"}, _document_page(cmp, loc, title, old_name, new_name, wanted, moved))
    ]
    records += [PageRecord(*_row_record(cmp, row, loc)) for row in cmp.selected(wanted, moved)]
    return records, title, {}


def _document_page(
    cmp: Comparison,
    loc: Locale,
    title: str,
    old_name: str | None,
    new_name: str | None,
    kinds: Sequence[str] | None,
    moved: bool,
) -> Page:
    sides = f"{edition_name(cmp.old, old_name, loc)} -> {edition_name(cmp.new, new_name, loc)}"
    lines = [
        loc.tr(LEGEND),
        loc.tr("Old edition: {edition}").format(edition=edition_line(cmp.old, old_name, loc)),
        loc.tr("New edition: {edition}").format(edition=edition_line(cmp.new, new_name, loc)),
        relation_note(cmp, loc),
        filter_line(kinds, moved, loc),
        counts_line(cmp, loc),
        *document_lines(cmp, loc),
    ]
    blocks = [Block("title", sides), *[Block("meta", x) for x in lines if x]]
    domains = [(dc, domain_lines(dc, loc)) for dc in cmp.domains if dc.changed]
    domains = [(dc, said) for dc, said in domains if said]
    if domains:
        blocks += [BLANK, Block("section", loc.tr("Domains"))]
        for dc, said in domains:
            if dc.old and dc.new:
                blocks.append(Block("item", domain_pair(dc, loc)))
                blocks += [Block("meta", "  " + x) for x in said if x != domain_pair(dc, loc)]
            else:
                blocks += [Block("item", x) for x in said]
    if cmp.closing:
        blocks += [BLANK, Block("section", loc.tr("Closing"))]
        for p in cmp.closing:
            head, *rest = passage_lines(p, loc)
            blocks.append(Block("item", head))
            blocks += [Block("meta", "  " + x) for x in rest]
    return Page(DOCUMENT, title, tuple(blocks))


def domain_pair(dc: DomainChange, loc: Locale) -> str:
    """二、科技创新政策 -> 一、教育科技人才一体化发展政策, or the one heading where it stayed."""
    old, new = _domain_heading(dc.old, loc), _domain_heading(dc.new, loc)
    return new if old == new else f"{old} -> {new}"


def row_domains(cmp: Comparison, row: Row, loc: Locale) -> tuple[str, str]:
    """The headings of the domains a row's old and new clauses are in ('' for a side without)."""
    old = cmp.old.domain_of(cmp.old.require(row.old[0])) if row.old else None
    new = cmp.new.domain_of(cmp.new.require(row.new)) if row.new is not None else None
    return (domain_heading(old, loc) if old else ""), (domain_heading(new, loc) if new else "")


def _row_record(cmp: Comparison, row: Row, loc: Locale) -> tuple[dict[str, Any], Page]:
    heading = row_heading(cmp, row, loc)
    old_domain, new_domain = row_domains(cmp, row, loc)
    fields = {"kind": row.kind, "old": list(row.old), "new": row.new}
    meta = row_meta(cmp, row, loc)
    if row.moved is None:  # a move says both domains itself
        where = old_domain if old_domain == new_domain or not new_domain else new_domain
        if old_domain and new_domain and old_domain != new_domain:
            where = f"{old_domain} -> {new_domain}"
        meta.insert(0, loc.tr("Domain: {domain}").format(domain=where))
    blocks = [Block("title", heading), *[Block("meta", x) for x in meta]]
    if row.changes:
        blocks += [BLANK, Block("section", loc.tr("Money and percentages"))]
        blocks += [Block("item", change_text(c, loc)) for c in row.changes]
    if row.kind in ("changed", "merged", "split") or (row.kind == "same" and not cmp._plain_same(row, loc.script)):
        text, spans = marked_diff(cmp.diff(row, loc.script))
        marks = tuple(Mark(s, e, "bad" if op == "delete" else "good") for s, e, op in spans)
        blocks += [BLANK, Block("section", loc.tr("Changes in the text")), Block("body", text, marks)]
    else:
        blocks += [BLANK, Block("body", cmp.new_text(row, loc.script) or cmp.old_text(row, loc.script))]
    target: Target = ("clause", row.new) if row.new is not None else DOCUMENT
    return fields, Page(target, heading, tuple(blocks))


# The comparison's table (CSV): the key of each column and its heading in the reader's words.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("kind", N_("Kind")),
    ("old", N_("Old clauses")),
    ("new", N_("New clause")),
    ("old_title", N_("Old title")),
    ("new_title", N_("New title")),
    ("old_domain", N_("Old domain")),
    ("new_domain", N_("New domain")),
    ("similarity", N_("Similarity")),
    ("changes", N_("What changed")),
    ("old_text", N_("Old text")),
    ("new_text", N_("New text")),
)


def comparison_rows(
    cmp: Comparison, loc: Locale, kinds: Iterable[str] | None = None, moved: bool = False
) -> list[dict[str, str]]:
    """The comparison as a table, every cell in words (no codes): the document, each domain
    that changed, each closing paragraph that changed, then a row a clause row of ``kinds``.
    Keys are :data:`CSV_COLUMNS`' keys."""
    script = loc.script
    sep = "; "
    out: list[dict[str, str]] = []
    doc_lines = [x for x in (relation_note(cmp, loc), counts_line(cmp, loc), *document_lines(cmp, loc)) if x]
    out.append(
        {
            "kind": loc.tr("Document"),
            "old_title": cmp.old.title_in(script),
            "new_title": cmp.new.title_in(script),
            "changes": sep.join(doc_lines),
        }
    )
    for dc in cmp.domains:
        said = domain_lines(dc, loc) if dc.changed else []
        if said:
            out.append(
                {
                    "kind": loc.tr("Domain"),
                    "old_domain": _domain_heading(dc.old, loc) if dc.old else "",
                    "new_domain": _domain_heading(dc.new, loc) if dc.new else "",
                    "changes": sep.join(said),
                }
            )
    for p in cmp.closing:
        head, _, *figures = passage_lines(p, loc)
        out.append(
            {
                "kind": loc.tr("Closing"),
                "old": "+".join(map(str, p.old)),
                "new": "+".join(map(str, p.new)),
                "similarity": f"{round(p.similarity * 100)}%" if p.kind == "changed" else "",
                "changes": sep.join([head, *figures]),
                "old_text": p.text("old", script),
                "new_text": p.text("new", script),
            }
        )
    wanted = [k for k in KINDS if k in set(kinds)] if kinds is not None else None
    for row in cmp.selected(wanted, moved):
        old_domain, new_domain = row_domains(cmp, row, loc)
        out.append(
            {
                "kind": kind_name(row.kind, loc),
                "old": "、".join(cmp.old.require(n).label for n in row.old),
                "new": cmp.new.require(row.new).label if row.new is not None else "",
                "old_title": "、".join(cmp.old.require(n).title_in(script) for n in row.old),
                "new_title": cmp.new.require(row.new).title_in(script) if row.new is not None else "",
                "old_domain": old_domain,
                "new_domain": new_domain,
                "similarity": f"{round(row.similarity * 100)}%" if row.old and row.new is not None else "",
                "changes": sep.join([*(change_text(c, loc) for c in row.changes), moved_text(cmp, row, loc)]).strip(
                    "; "
                ),
                "old_text": cmp.old_text(row, script),
                "new_text": cmp.new_text(row, script),
            }
        )
    return out


def comparison_export(
    cmp: Comparison,
    fmt: str,
    loc: Locale,
    old_name: str | None = None,
    new_name: str | None = None,
    kinds: Iterable[str] | None = None,
    moved: bool = False,
) -> str:
    """The comparison as a file's text (CSV without its BOM: the writer adds it): JSON is
    :meth:`Comparison.to_json` (as ``compare --json`` prints it); CSV a table under the
    reader's headings (:func:`comparison_rows`); Markdown and HTML its pages
    (:func:`comparison_records`), the legend of the marks first. ``kinds``/``moved``: only
    those rows (and the file says so)."""
    import csv
    import io
    import json

    from .export import render

    wanted = list(kinds) if kinds is not None else None
    if fmt == "json":
        data = cmp.to_json(loc.script, old_name, new_name, kinds=wanted, moved=moved)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([loc.tr(heading) for _, heading in CSV_COLUMNS])
        for row in comparison_rows(cmp, loc, wanted, moved):
            writer.writerow([row.get(key, "") for key, _ in CSV_COLUMNS])
        return buf.getvalue()
    records, title, meta = comparison_records(cmp, loc, old_name, new_name, wanted, moved)
    return render(records, fmt, title, meta, loc)


def row_meta(cmp: Comparison, row: Row, loc: Locale) -> list[str]:
    """What a row says of itself under its heading, a line each: the old clauses, how alike,
    and where it moved."""
    lines = []
    # The heading names the new clause and the old numbers: the old titles where they differ.
    retitled = row.new is not None and [cmp.new.require(row.new).title] != [cmp.old.require(n).title for n in row.old]
    if row.old and row.new is not None and retitled:
        olds = loc.listed(clause_line(cmp.old, n, loc) for n in row.old)
        lines.append(loc.tr("Old: {clauses}").format(clauses=olds))
    if row.kind in ("changed", "merged", "split"):
        lines.append(loc.tr("Similarity: {percent}").format(percent=f"{round(row.similarity * 100)}%"))
    moved = moved_text(cmp, row, loc)
    if moved:
        lines.append(moved)
    return lines
